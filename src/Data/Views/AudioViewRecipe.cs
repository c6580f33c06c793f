using Vicreg.Core;
using Vicreg.Data.Audio;

namespace Vicreg.Data.Views;

/// <summary>
/// Waveform views for one branch: a random crop of <see cref="Train"/>'s length with its gain, noise and shift,
/// and the centred crop of <see cref="EvalSeconds"/> for evaluation; [1, samples] at <see cref="SampleRate"/>. A
/// spectrogram branch takes these waveforms too and computes its log-mel on the device.
/// </summary>
public sealed record AudioViewRecipe(AudioViewAugmentation Train, int SampleRate, double EvalSeconds) : IViewRecipe
{
    // The audio pipeline's stream tags, "AUPE" and "AUVI"; fixed, since they seed every audio run's views.
    private const long PermutationTag = 0x4155_5045;
    private const long ViewTag = 0x4155_5649;

    public string Modality => Modalities.Audio;
    public (long Permutation, long Views) StreamTags => (PermutationTag, ViewTag);
    public int CropLength => Samples(Train.CropSeconds);
    public long[] TrainShape => new long[] { 1, CropLength };
    public long[] EvalShape => new long[] { 1, Samples(EvalSeconds) };

    // A video clip's soundtrack comes centred on its frame's time: the windows are centred there, not drawn anywhere.
    public bool Draw(DecodedSample sample, Random rng, Span<float> output, Action<DrawnView>? drawn = null) =>
        AudioViews.Random(Clip(sample), Train, rng, output, drawn is null ? null : d => drawn(d with { SampleRate = SampleRate }), CentreOf(sample)) > 0;

    public void CentreTrain(DecodedSample sample, Span<float> output) => AudioViews.Centre(Clip(sample), output, CentreOf(sample));

    public void CentreEval(DecodedSample sample, Span<float> output) => AudioViews.Centre(Clip(sample), output, CentreOf(sample));

    private static int? CentreOf(DecodedSample sample) => (sample as DecodedClip)?.Centre;

    private int Samples(double seconds) => Math.Max(1, (int)Math.Round(seconds * SampleRate));

    private static float[] Clip(DecodedSample sample) =>
        sample is DecodedClip c ? c.Samples : throw new ArgumentException($"an audio view needs a decoded clip, not {sample.GetType().Name}");
}
