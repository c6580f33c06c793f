using System.Globalization;
using CsvHelper;
using CsvHelper.Configuration;

namespace Vicreg.Training.Runs;

/// <summary>
/// stats.csv, appended and flushed every step so a crash loses nothing that was logged. On resume, rows
/// past the checkpoint are dropped, so the file reads as one uninterrupted run.
/// </summary>
public sealed class StatsLog : IDisposable
{
    private static readonly CsvConfiguration Csv = new(CultureInfo.InvariantCulture);
    private readonly StreamWriter writer;
    private readonly CsvWriter csv;

    private StatsLog(string path, bool writeHeader)
    {
        writer = new StreamWriter(new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read));
        csv = new CsvWriter(writer, Csv);
        if (writeHeader)
        {
            csv.WriteHeader<StepStats>();
            csv.NextRecord();
            csv.Flush();
        }
    }

    /// <summary>Opens for appending, first keeping only rows with step &lt; <paramref name="keepStepsBelow"/>.</summary>
    public static StatsLog Open(string path, long keepStepsBelow)
    {
        if (File.Exists(path))
        {
            var kept = Read(path).Where(r => r.Step < keepStepsBelow).ToList();
            var tmp = path + ".tmp";
            using (var w = new StreamWriter(tmp))
            using (var c = new CsvWriter(w, Csv))
                c.WriteRecords(kept);
            File.Move(tmp, path, overwrite: true);
            return new StatsLog(path, writeHeader: false);
        }
        return new StatsLog(path, writeHeader: true);
    }

    /// <summary>All complete rows. A last line without its newline (the process was killed mid-write)
    /// is not a row.</summary>
    public static List<StepStats> Read(string path)
    {
        string text = File.ReadAllText(path);
        int end = text.LastIndexOf('\n');
        using var reader = new StringReader(end < 0 ? "" : text[..(end + 1)]);
        using var c = new CsvReader(reader, Csv);
        return c.GetRecords<StepStats>().ToList();
    }

    public void Append(StepStats row)
    {
        csv.WriteRecord(row);
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
