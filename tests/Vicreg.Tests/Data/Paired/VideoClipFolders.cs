using NAudio.Wave;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;

namespace Vicreg.Tests.Data.Paired;

/// <summary>Tiny video-frames clips for the tests: frame k is one uniform grey (level <see cref="Level"/>(k)), so a
/// view tells which frame it came from, and audio.wav is a ramp, so a window tells where in the clip it lies.</summary>
internal static class VideoClipFolders
{
    public const int Rate = 8000;

    public static byte Level(int frameNumber) => (byte)(30 * frameNumber);

    /// <summary>The ramp's value at sample <paramref name="i"/> of <paramref name="length"/>: −0.9 … 0.9.</summary>
    public static double Ramp(int i, int length) => -0.9 + 1.8 * i / length;

    /// <summary>Writes root/class/clip/ with frames frame_0001 … frame_000<paramref name="frames"/> (.jpg or .png) and,
    /// unless <paramref name="audio"/> is false, a ramp of <paramref name="seconds"/> as audio.wav.</summary>
    public static string Write(string folder, int frames, double seconds, bool audio = true, string ext = "png")
    {
        Directory.CreateDirectory(folder);
        for (int k = 1; k <= frames; k++)
        {
            using var img = new Image<Rgb24>(12, 12, new Rgb24(Level(k), Level(k), Level(k)));
            string path = Path.Combine(folder, $"frame_{k:D4}.{ext}");
            if (ext == "png") img.SaveAsPng(path); else img.SaveAsJpeg(path);
        }
        if (audio)
        {
            int n = (int)Math.Round(seconds * Rate);
            var ramp = Enumerable.Range(0, n).Select(i => (float)Ramp(i, n)).ToArray();
            using var writer = new WaveFileWriter(Path.Combine(folder, "audio.wav"), new WaveFormat(Rate, 16, 1));
            writer.WriteSamples(ramp, 0, ramp.Length);
        }
        return folder;
    }
}
