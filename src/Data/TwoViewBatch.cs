using static TorchSharp.torch;

namespace Vicreg.Data;

/// <summary>
/// One batch of two views: <paramref name="ViewA"/> for branch A and <paramref name="ViewB"/> for branch B, float32
/// contiguous CPU tensors [B, …] in each branch's own layout ([B,C,S,S] images, [B,1,samples] waveforms; the two may
/// differ in size and modality), <paramref name="Labels"/> int64 [B], <paramref name="Indices"/> the dataset indices
/// used (after substitution of unreadable files), and how many samples were padded (clips shorter than a crop).
/// The consumer disposes it.
/// </summary>
public sealed record TwoViewBatch(Tensor ViewA, Tensor ViewB, Tensor Labels, int[] Indices, int Padded = 0) : IDisposable
{
    /// <summary>Number of samples in the batch.</summary>
    public int Count => Indices.Length;

    public void Dispose()
    {
        ViewA.Dispose();
        ViewB.Dispose();
        Labels.Dispose();
    }
}
