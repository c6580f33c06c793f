using System.Collections;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Vicreg.Data;

/// <summary>
/// A file index (classes + samples) that can be cached: building it for ImageNet means listing 1.28 M
/// files, so it is written once to a TSV file (in the run folder) with a fingerprint of its source and
/// read back while the fingerprint matches. The fingerprint of a folder is the modification time of
/// every directory under it (adding, removing or renaming a file changes its directory's time); that
/// of a list file is its size and modification time.
/// </summary>
public sealed class ImageIndex : ISampleSet
{
    private const string Magic = "# vicreg image index v1";
    private readonly Sample[] _samples;

    public ImageIndex(string root, IReadOnlyList<string> classes, IReadOnlyList<Sample> samples)
    {
        Source = root;
        Classes = classes.ToArray();
        _samples = samples.ToArray();
    }

    public string Source { get; }
    public IReadOnlyList<string> Classes { get; }
    public int Count => _samples.Length;
    public Sample this[int index] => _samples[index];
    public IEnumerator<Sample> GetEnumerator() => ((IEnumerable<Sample>)_samples).GetEnumerator();
    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>Whether the last <see cref="Cached"/> call read the cache (true) or rebuilt it (false).</summary>
    public bool FromCache { get; private init; }

    /// <summary>
    /// The index of <paramref name="fingerprintSource"/>, from <paramref name="cacheFile"/> when that holds
    /// the same fingerprint, else built by <paramref name="build"/> and written there (atomically).
    /// A null cache file just builds.
    /// </summary>
    public static ImageIndex Cached(string? cacheFile, string fingerprintSource, Func<ISampleSet> build)
    {
        string fingerprint = Fingerprint(fingerprintSource);
        if (cacheFile is not null && TryRead(cacheFile, fingerprint) is { } hit) return hit;
        var set = build();
        var index = new ImageIndex(set.Source, set.Classes, set.ToArray());
        if (cacheFile is not null) Write(cacheFile, fingerprint, index);
        return index;
    }

    /// <summary>A fingerprint of a folder tree (every directory's mtime) or of a file (size, mtime).</summary>
    public static string Fingerprint(string path)
    {
        var sb = new StringBuilder();
        string full = Path.GetFullPath(path);
        if (Directory.Exists(full))
        {
            var dirs = Directory.EnumerateDirectories(full, "*", SearchOption.AllDirectories).Prepend(full)
                .Order(StringComparer.Ordinal);
            foreach (var d in dirs)
                sb.Append(Path.GetRelativePath(full, d)).Append('\t')
                  .Append(Directory.GetLastWriteTimeUtc(d).Ticks.ToString(CultureInfo.InvariantCulture)).Append('\n');
        }
        else if (File.Exists(full))
        {
            var info = new FileInfo(full);
            sb.Append(info.Length.ToString(CultureInfo.InvariantCulture)).Append('\t')
              .Append(info.LastWriteTimeUtc.Ticks.ToString(CultureInfo.InvariantCulture));
        }
        return full + "|" + Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(sb.ToString())));
    }

    private static ImageIndex? TryRead(string cacheFile, string fingerprint)
    {
        try
        {
            if (!File.Exists(cacheFile)) return null;
            using var reader = new StreamReader(cacheFile, Encoding.UTF8);
            if (reader.ReadLine() != Magic || reader.ReadLine() != fingerprint) return null;
            string root = reader.ReadLine() ?? throw new InvalidDataException("no root line");
            var classes = (reader.ReadLine() ?? throw new InvalidDataException("no classes line")).Split('\t');
            var samples = new List<Sample>();
            string? line;
            while ((line = reader.ReadLine()) is not null)
            {
                int tab = line.IndexOf('\t');
                if (tab <= 0) return null;
                samples.Add(new Sample(line[(tab + 1)..], int.Parse(line.AsSpan(0, tab), CultureInfo.InvariantCulture)));
            }
            return samples.Count == 0 ? null : new ImageIndex(root, classes, samples) { FromCache = true };
        }
        catch (Exception e) when (e is IOException or FormatException or InvalidDataException or UnauthorizedAccessException)
        {
            return null; // a damaged cache is rebuilt
        }
    }

    private static void Write(string cacheFile, string fingerprint, ImageIndex index)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(cacheFile))!);
        string tmp = cacheFile + ".tmp";
        using (var w = new StreamWriter(tmp, false, new UTF8Encoding(false)))
        {
            w.WriteLine(Magic);
            w.WriteLine(fingerprint);
            w.WriteLine(index.Source);
            w.WriteLine(string.Join('\t', index.Classes));
            foreach (var s in index._samples)
            {
                w.Write(s.Label.ToString(CultureInfo.InvariantCulture));
                w.Write('\t');
                w.WriteLine(s.Path);
            }
        }
        File.Move(tmp, cacheFile, overwrite: true);
    }
}
