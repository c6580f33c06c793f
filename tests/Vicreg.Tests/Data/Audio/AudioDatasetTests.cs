using Vicreg.Data;
using NAudio.Wave;
using Vicreg.Data.Audio;

namespace Vicreg.Tests.Data.Audio;

public class AudioDatasetTests
{
    internal static void WriteTone(string path, double hz, double seconds = 0.5, int rate = 8000)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var samples = Enumerable.Range(0, (int)(seconds * rate)).Select(i => (float)(0.5 * Math.Sin(2 * Math.PI * hz * i / rate))).ToArray();
        using var writer = new WaveFileWriter(path, new WaveFormat(rate, 16, 1));
        writer.WriteSamples(samples, 0, samples.Length);
    }

    [Fact]
    public void Esc50_layout_reads_folds_and_targets_and_holds_out_a_fold()
    {
        using var dir = new TempDir();
        var lines = new List<string> { "filename,fold,target,category,esc10,src_file,take" };
        for (int i = 0; i < 10; i++)
        {
            string name = $"{i % 5 + 1}-{100 + i}-A-0.wav";
            WriteTone(dir.Combine("audio", name), 200 + 50 * (i % 2));
            lines.Add($"{name},{i % 5 + 1},{(i % 2 == 0 ? 0 : 7)},{(i % 2 == 0 ? "dog" : "rain")},False,{100 + i},A");
        }
        Directory.CreateDirectory(dir.Combine("meta"));
        File.WriteAllLines(dir.Combine("meta", "esc50.csv"), lines);
        var all = Esc50Dataset.Load(dir.Path);
        Assert.Equal(10, all.Count);
        Assert.Equal(new[] { "dog", "rain" }, all.Classes);
        Assert.Equal(new[] { 1, 2, 3, 4, 5 }, all.Folds);
        var (train, held) = all.SplitByFold(5);
        Assert.Equal(8, train.Count);
        Assert.Equal(2, held.Count);
        Assert.All(held.Samples, s => Assert.Equal(5, s.Fold));
        Assert.Equal(new[] { 0, 1 }, all.Samples.Select(s => s.Label).Distinct().Order());
    }

    [Fact]
    public void Esc50_errors_name_the_file_the_line_and_the_field()
    {
        using var dir = new TempDir();
        Directory.CreateDirectory(dir.Combine("meta"));
        var missing = Assert.Throws<FileNotFoundException>(() => Esc50Dataset.Load(dir.Combine("nowhere")));
        Assert.Contains("meta/esc50.csv", missing.Message);
        File.WriteAllLines(dir.Combine("meta", "esc50.csv"), new[] { "filename,fold,category", "a.wav,1,dog" });
        var noTarget = Assert.Throws<InvalidDataException>(() => Esc50Dataset.Load(dir.Path));
        Assert.Contains("missing column 'target'", noTarget.Message);
        File.WriteAllLines(dir.Combine("meta", "esc50.csv"), new[] { "filename,fold,target,category", "a.wav,1,0,dog", "b.wav,five,0,dog" });
        var badFold = Assert.Throws<InvalidDataException>(() => Esc50Dataset.Load(dir.Path));
        Assert.EndsWith("esc50.csv:3: field 'fold': \"five\" is not an integer", badFold.Message);
    }

    [Fact]
    public void Manifest_folder_and_audioset_segments_list_the_files_and_report_missing_ones()
    {
        using var dir = new TempDir();
        WriteTone(dir.Combine("clips", "a.wav"), 300);
        WriteTone(dir.Combine("clips", "b.wav"), 500);
        File.WriteAllLines(dir.Combine("list.csv"), new[] { "path,label", "clips/a.wav,low", "clips/b.wav,high", "clips/gone.wav,low" });
        var log = new List<string>();
        var manifest = AudioManifest.Load(dir.Combine("list.csv"), log.Add);
        Assert.Equal(2, manifest.Count);
        Assert.Equal(new[] { "high", "low" }, manifest.Classes);
        Assert.Contains(log, l => l.Contains("gone.wav") && l.Contains("missing"));

        WriteTone(dir.Combine("folder", "cat", "1.wav"), 300);
        WriteTone(dir.Combine("folder", "bird", "x", "2.wav"), 300);
        var folder = ClassFolders.Scan(dir.Combine("folder"), "Audio", new[] { ".wav" });
        Assert.Equal(new[] { "bird", "cat" }, folder.Classes);
        Assert.Equal(2, folder.Count);

        WriteTone(dir.Combine("as", "abc_30.000.wav"), 300);
        WriteTone(dir.Combine("as", "xyz_0.000.wav"), 300);
        File.WriteAllLines(dir.Combine("segments.csv"), new[]
        {
            "# Segments csv created Sun Mar  5 10:54:25 2017", "# YTID, start_seconds, end_seconds, positive_labels",
            "abc, 30.000, 40.000, \"/m/09x0r,/m/05zppz\"", "xyz, 0.000, 10.000, \"/m/04rlf\"",
        });
        var segments = AudioSetSegments.Load(dir.Combine("segments.csv"), dir.Combine("as"), "{ytid}_{start}.wav");
        Assert.Equal(2, segments.Count);
        Assert.Equal(new[] { "/m/04rlf", "/m/09x0r" }, segments.Classes); // the first positive label of each segment
        File.AppendAllLines(dir.Combine("segments.csv"), new[] { "bad, soon, 10.000, \"/m/04rlf\"" });
        var e = Assert.Throws<InvalidDataException>(() => AudioSetSegments.Load(dir.Combine("segments.csv"), dir.Combine("as"), "{ytid}_{start}.wav"));
        Assert.Contains(":5: field 'start_seconds'", e.Message);
    }
}
