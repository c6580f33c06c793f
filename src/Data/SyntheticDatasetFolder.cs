namespace Vicreg.Data;

/// <summary>
/// The train/ and val/ folders of a generated dataset and the marker file that records how they were made.
/// A complete dataset made with the same options is reused; one made with other options (or left incomplete
/// by an interrupted run) is deleted and regenerated; folders the generator did not make are never touched.
/// </summary>
internal sealed class SyntheticDatasetFolder(string root, string markerName, string markerKind)
{
    public string Train => Path.Combine(root, "train");
    public string Val => Path.Combine(root, "val");
    private string Marker => Path.Combine(root, markerName);

    /// <summary>True when a complete dataset with <paramref name="completeMarker"/> is already there. Otherwise
    /// clears what an earlier run of the generator left, writes an "incomplete" marker and returns false.</summary>
    public bool ReuseOrReset(string completeMarker, string incompleteMarker)
    {
        if (File.Exists(Marker))
        {
            string existing = File.ReadAllText(Marker);
            if (Directory.Exists(Train) && existing == completeMarker) return true;
            if (!existing.Contains(markerKind, StringComparison.Ordinal))
                throw new IOException($"'{Marker}' exists but was not written by the synthetic generator; refusing to overwrite '{root}'.");
            if (Directory.Exists(Train)) Directory.Delete(Train, recursive: true);
            if (Directory.Exists(Val)) Directory.Delete(Val, recursive: true);
        }
        else if (Directory.Exists(Train) || Directory.Exists(Val))
        {
            throw new IOException(
                $"'{root}' already has train/ or val/ folders that the synthetic generator did not make " +
                $"(no {markerName}); refusing to overwrite them. Use an empty folder.");
        }
        Directory.CreateDirectory(root);
        // An interrupted run leaves the incomplete marker, so the next call knows it may regenerate.
        File.WriteAllText(Marker, incompleteMarker);
        return false;
    }

    public void MarkComplete(string completeMarker) => File.WriteAllText(Marker, completeMarker);

    /// <summary>Creates the class folders of both splits and writes every sample with <paramref name="write"/>, in
    /// parallel (each sample's content depends only on its job, never on the order), at most one job per core at a
    /// time; <paramref name="progress"/> gets the number written, every 50. Returns the jobs in folder order (train
    /// then val, class by class).</summary>
    public IReadOnlyList<GenerationJob> Write(int classes, int trainPerClass, int valPerClass, Func<int, string> classFolder,
        Action<GenerationJob> write, IProgress<int>? progress)
    {
        var jobs = new List<GenerationJob>();
        foreach (var (dir, split, perClass) in new[] { (Train, 0, trainPerClass), (Val, 1, valPerClass) })
            for (int c = 0; c < classes; c++)
            {
                string classDir = Path.Combine(dir, classFolder(c));
                Directory.CreateDirectory(classDir);
                for (int i = 0; i < perClass; i++) jobs.Add(new GenerationJob(classDir, split, c, i));
            }
        int done = 0;
        // Bounded: a job that waits on a child process (espeak-ng) blocks its thread, and the thread pool then adds
        // threads without limit; unbounded, one generation ran over a hundred recorders at once on 2 cores.
        var bounded = new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount };
        Parallel.ForEach(jobs, bounded, job =>
        {
            write(job);
            int n = Interlocked.Increment(ref done);
            if (n % 50 == 0 || n == jobs.Count) progress?.Report(n);
        });
        return jobs;
    }
}

/// <summary>One sample of a generated dataset: its class folder, split (0 train, 1 val), class and index in the class.</summary>
internal readonly record struct GenerationJob(string Dir, int Split, int Cls, int Index);
