using static TorchSharp.torch;

namespace Vicreg.Data.Audio;

/// <summary>Two waveform views [N, 1, samples] of the same clips, their labels, dataset indices, and how many
/// of the N clips were shorter than a crop (zero-padded).</summary>
public sealed record AudioBatch(Tensor ViewA, Tensor ViewB, Tensor Labels, int[] Indices, int PaddedClips) : IDisposable
{
    public void Dispose()
    {
        ViewA.Dispose();
        ViewB.Dispose();
        Labels.Dispose();
    }
}
