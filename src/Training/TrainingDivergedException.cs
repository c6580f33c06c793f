namespace Vicreg.Training;

/// <summary>The loss became NaN or Inf. Names the step, the term and the batch's files; the last checkpoint is untouched.</summary>
public sealed class TrainingDivergedException : Exception
{
    public TrainingDivergedException(long step, string term, double value)
        : this(step, term, value, Array.Empty<string>(), null) { }

    private TrainingDivergedException(long step, string term, double value, IReadOnlyList<string> batchFiles, string? batchList)
        : base($"training diverged at step {step}: {term} = {value}{BatchPart(batchFiles, batchList)}. " +
               "The last checkpoint was kept; lower optim.base_lr or check the inputs.")
    {
        Step = step;
        Term = term;
        Value = value;
        BatchFiles = batchFiles;
    }

    public long Step { get; }
    public string Term { get; }
    public double Value { get; }

    /// <summary>The files of the batch that diverged (empty when the trainer did not know them).</summary>
    public IReadOnlyList<string> BatchFiles { get; }

    /// <summary>The same failure, naming the files of its batch; <paramref name="batchList"/> is where all of them were written.</summary>
    public TrainingDivergedException WithBatch(IReadOnlyList<string> batchFiles, string? batchList) =>
        new(Step, Term, Value, batchFiles, batchList);

    private static string BatchPart(IReadOnlyList<string> files, string? list)
    {
        if (files.Count == 0) return "";
        const int shown = 3;
        var head = string.Join(", ", files.Take(shown));
        var more = files.Count > shown ? $" and {files.Count - shown} more" : "";
        return $" on a batch of {files.Count} ({head}{more}{(list is null ? "" : $"; all listed in {list}")})";
    }
}
