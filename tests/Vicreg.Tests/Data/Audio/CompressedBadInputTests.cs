using Vicreg.Data;
using Vicreg.Data.Audio;

namespace Vicreg.Tests.Data.Audio;

/// <summary>Cut and foreign files of each compressed format through the loader every data kind uses: a file cut short
/// keeps what decodes, with one line saying so where the format states its end (FLAC's STREAMINFO, Ogg's last page);
/// a file cut to its first bytes, or not audio at all, is one line naming it and is skipped and counted. The
/// decoder follows the content, not the extension.</summary>
public class CompressedBadInputTests
{
    private static string Media(string name) => Fixtures.PathOf(Path.Combine("media", name));

    private static (float[]? Samples, List<string> Lines, int Skipped) Load(string path)
    {
        var lines = new List<string>();
        var loader = new AudioLoader([new Sample(path, 0)], 16000, lines.Add);
        return (loader.TryLoad(0), lines, loader.SkippedCount);
    }

    private static string Cut(TempDir dir, string fixture, double fraction)
    {
        var bytes = File.ReadAllBytes(Media(fixture));
        string path = Path.Combine(dir.Path, $"cut-{fraction}-{fixture}");
        File.WriteAllBytes(path, bytes[..(int)(bytes.Length * fraction)]);
        return path;
    }

    [Theory]
    [InlineData("flac16-stereo-lpc.flac", "truncated or damaged: STREAMINFO claims 17640 samples")]
    [InlineData("vorbis-stereo.ogg", "truncated: the Ogg stream has no last page")]
    [InlineData("opus-stereo.opus", "truncated: the Ogg stream has no last page")]
    [InlineData("mp3-stereo.mp3", null)]
    public void A_file_cut_short_keeps_what_decodes_and_says_so_where_the_format_states_its_end(string fixture, string? note)
    {
        using var dir = new TempDir();
        string path = Cut(dir, fixture, 0.6);
        var whole = Load(Media(fixture)).Samples!;
        var (samples, lines, skipped) = Load(path);
        Assert.NotNull(samples);
        Assert.Equal(0, skipped);
        // Vorbis spends its first 4 kB on the codebooks, so 60% of the bytes can be a fifth of the sound.
        Assert.InRange(samples!.Length, whole.Length / 8, whole.Length - 1000);
        if (note is null) Assert.Empty(lines);
        else Assert.Equal($"{path}: {note}", Assert.Single(lines)[..(path.Length + 2 + note.Length)]);
    }

    [Theory]
    [InlineData("flac16-stereo-lpc.flac", "ends inside the metadata blocks")]
    [InlineData("vorbis-stereo.ogg", "Ogg Vorbis")]
    [InlineData("opus-stereo.opus", "OpusTags")]
    [InlineData("mp3-stereo.mp3", "MP3")]
    public void A_file_cut_to_its_first_bytes_is_one_line_naming_it_and_is_skipped(string fixture, string reason)
    {
        using var dir = new TempDir();
        var bytes = File.ReadAllBytes(Media(fixture));
        string path = Path.Combine(dir.Path, "head-" + fixture);
        File.WriteAllBytes(path, bytes[..Math.Min(bytes.Length, 60)]);
        var (samples, lines, skipped) = Load(path);
        Assert.Null(samples);
        Assert.Equal(1, skipped);
        string line = Assert.Single(lines);
        Assert.StartsWith($"skipped {path}: ", line);
        Assert.Contains(reason, line);
        Assert.DoesNotContain("Exception", line);
    }

    [Fact]
    public void The_decoder_follows_the_content_not_the_extension()
    {
        using var dir = new TempDir();
        string flacNamedWav = Path.Combine(dir.Path, "speech.wav"), text = Path.Combine(dir.Path, "notes.flac");
        File.Copy(Media("flac24-mono-fixed.flac"), flacNamedWav);
        File.WriteAllText(text, "not audio at all, just some words in a file");
        Assert.Equal(Load(Media("flac24-mono-fixed.flac")).Samples, Load(flacNamedWav).Samples);
        var (samples, lines, _) = Load(text);
        Assert.Null(samples);
        Assert.Equal($"skipped {text}: not a WAV, FLAC, Ogg Vorbis, Ogg Opus or MP3 file (unrecognised first bytes)", Assert.Single(lines));
    }
}
