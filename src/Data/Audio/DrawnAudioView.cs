using System.Globalization;
using Vicreg.Data.Views;

namespace Vicreg.Data.Audio;

/// <summary>What <see cref="AudioViews.Random"/> drew for one view, in samples at <see cref="SampleRate"/>: where the
/// crop starts in the clip, the gain in dB, the noise's standard deviation (and the crop's RMS it was scaled by),
/// the circular shift, and the zero padding of a clip shorter than the crop.</summary>
public sealed record DrawnAudioView(int ClipSamples, int CropSamples, int Offset, double GainDb, double NoiseStd, double CropRms,
    int Shift, int Padding, int SampleRate = 0) : DrawnView
{
    public override IReadOnlyList<string> Describe()
    {
        var c = CultureInfo.InvariantCulture;
        string Seconds(int samples) => SampleRate > 0 ? (samples / (double)SampleRate).ToString("F2", c) + " s" : $"{samples} samples";
        string noise = CropRms > 0 ? (NoiseStd / CropRms).ToString("F3", c) + " × RMS" : NoiseStd.ToString("G3", c);
        string shift = SampleRate > 0 ? (1000.0 * Shift / SampleRate).ToString("+0;-0;0", c) + " ms" : $"{Shift} samples";
        return new[]
        {
            $"crop {Seconds(CropSamples)} at {Seconds(Offset)} of a {Seconds(ClipSamples)} clip",
            $"gain {GainDb.ToString("+0.0;-0.0;0.0", c)} dB · noise σ {noise}",
            $"shift {shift}" + (Padding > 0 ? $" · zero-padded {Seconds(Padding)}" : ""),
        };
    }
}
