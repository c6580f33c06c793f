using Vicreg.Data;
using Vicreg.Data.Audio;
using Vicreg.Training.Config;

namespace Vicreg.Tests.Data.Audio;

/// <summary>The FLAC speech preset's layout, speaker/chapter/*.flac beside transcripts, labelled by either folder level
/// and decoded through the one audio path.</summary>
public class LibriSpeechLayoutTests
{
    private static string MakeLayout(string root)
    {
        string flac = Fixtures.PathOf(Path.Combine("media", "flac24-mono-fixed.flac"));
        foreach (var (speaker, chapters) in new[] { ("19", new[] { "198", "227" }), ("26", new[] { "495" }) })
            foreach (var chapter in chapters)
            {
                string dir = Directory.CreateDirectory(Path.Combine(root, speaker, chapter)).FullName;
                for (int u = 0; u < 2; u++) File.Copy(flac, Path.Combine(dir, $"{speaker}-{chapter}-{u:D4}.flac"));
                File.WriteAllText(Path.Combine(dir, $"{speaker}-{chapter}.trans.txt"), "0000 HELLO\n");
            }
        return root;
    }

    [Fact]
    public void Speakers_or_chapters_become_the_classes_and_the_flac_files_decode()
    {
        using var dir = new TempDir();
        string root = MakeLayout(dir.Path);

        var bySpeaker = ClassFolders.Scan(root, "Audio", AudioFormats.Extensions, classLevel: 1);
        Assert.Equal(["19", "26"], bySpeaker.Classes);
        Assert.Equal([0, 0, 0, 0, 1, 1], bySpeaker.Samples.Select(s => s.Label));

        var byChapter = ClassFolders.Scan(root, "Audio", AudioFormats.Extensions, classLevel: 2);
        Assert.Equal(["19/198", "19/227", "26/495"], byChapter.Classes);
        Assert.Equal([0, 0, 1, 1, 2, 2], byChapter.Samples.Select(s => s.Label));

        var lines = new List<string>();
        var loader = new AudioLoader(byChapter.Samples, 8000, lines.Add);
        Assert.Equal(3200, loader.TryLoad(0)!.Length); // 0.4 s at 16 kHz, resampled to 8 kHz
        Assert.Empty(lines);
    }

    [Fact]
    public void The_preset_reads_a_folder_level_and_refuses_level_zero_by_name()
    {
        var c = ConfigLoader.LoadFile(RepoFiles.PathOf("experiments/audio/librispeech-flac.json"));
        Assert.Equal(("audio-folder", 1, 16000), (c.Data.Kind, c.Data.Audio.LabelLevel, c.Data.Audio.SampleRate));
        var e = Assert.Throws<ConfigException>(() => ConfigLoader.LoadFile(RepoFiles.PathOf("experiments/audio/librispeech-flac.json"), ["data.audio.label_level=0"]));
        Assert.Contains("data.audio.label_level", e.Message);
    }
}
