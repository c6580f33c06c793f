using System.Globalization;
using CsvHelper;
using CsvHelper.Configuration;

namespace Vicreg.Training.Runs;

/// <summary>
/// stats.csv: <c>epoch,step,lr,loss</c>, then the method's term columns, then <c>samples_per_s,seconds</c>;
/// appended and flushed every step so a crash loses nothing that was logged. On resume, rows past the
/// checkpoint are dropped, so the file reads as one uninterrupted run.
/// </summary>
public sealed class StatsLog : IDisposable
{
    private static readonly CsvConfiguration Csv = new(CultureInfo.InvariantCulture);
    private static readonly string[] Leading = { "epoch", "step", "lr", "loss" };
    private static readonly string[] Trailing = { "samples_per_s", "seconds" };
    private readonly StreamWriter writer;
    private readonly CsvWriter csv;
    private readonly IReadOnlyList<string> terms;

    private StatsLog(string path, IReadOnlyList<string> terms, bool writeHeader)
    {
        this.terms = terms;
        writer = new StreamWriter(new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read));
        csv = new CsvWriter(writer, Csv);
        if (writeHeader)
        {
            foreach (var name in Leading.Concat(terms).Concat(Trailing)) csv.WriteField(name);
            csv.NextRecord();
            csv.Flush();
        }
    }

    /// <summary>Opens for appending rows with the term columns <paramref name="terms"/>, first keeping only rows with
    /// step &lt; <paramref name="keepStepsBelow"/>. Kept rows are rewritten under these columns (a term they lack: NaN).</summary>
    public static StatsLog Open(string path, long keepStepsBelow, IReadOnlyList<string> terms)
    {
        if (terms.Any(t => Leading.Contains(t) || Trailing.Contains(t)) || terms.Distinct().Count() != terms.Count)
            throw new ArgumentException($"loss term names must be distinct and differ from the fixed columns; got {string.Join(", ", terms)}", nameof(terms));
        if (File.Exists(path))
        {
            var kept = Read(path).Where(r => r.Step < keepStepsBelow).ToList();
            var tmp = path + ".tmp";
            File.Delete(tmp);
            using (var log = new StatsLog(tmp, terms, writeHeader: true))
                foreach (var row in kept) log.Append(row);
            File.Move(tmp, path, overwrite: true);
            return new StatsLog(path, terms, writeHeader: false);
        }
        return new StatsLog(path, terms, writeHeader: true);
    }

    /// <summary>All complete rows, with whichever term columns the file has. A last line without its newline (the
    /// process was killed mid-write) is not a row.</summary>
    public static List<StepStats> Read(string path)
    {
        string text = File.ReadAllText(path);
        int end = text.LastIndexOf('\n');
        using var reader = new StringReader(end < 0 ? "" : text[..(end + 1)]);
        using var c = new CsvReader(reader, Csv);
        var rows = new List<StepStats>();
        if (!c.Read()) return rows;
        c.ReadHeader();
        var header = c.HeaderRecord ?? Array.Empty<string>();
        var termColumns = header.Where(h => !Leading.Contains(h) && !Trailing.Contains(h)).ToArray();
        foreach (var required in Leading.Concat(Trailing))
            if (!header.Contains(required)) throw new InvalidDataException($"{path}: no column {required}; is this a stats.csv?");
        double D(string name) => double.Parse(c.GetField(name)!, CultureInfo.InvariantCulture);
        while (c.Read())
            rows.Add(new StepStats(int.Parse(c.GetField("epoch")!, CultureInfo.InvariantCulture), long.Parse(c.GetField("step")!, CultureInfo.InvariantCulture),
                D("lr"), D("loss"), termColumns.Select(t => (t, D(t))).ToArray(), D("samples_per_s"), D("seconds")));
        return rows;
    }

    public void Append(StepStats row)
    {
        csv.WriteField(row.Epoch);
        csv.WriteField(row.Step);
        csv.WriteField(row.Lr);
        csv.WriteField(row.Loss);
        foreach (var name in terms) csv.WriteField(row.Term(name));
        csv.WriteField(row.SamplesPerSecond);
        csv.WriteField(row.Seconds);
        csv.NextRecord();
        csv.Flush();
        writer.Flush();
    }

    public void Dispose()
    {
        csv.Dispose();
        writer.Dispose();
    }
}
