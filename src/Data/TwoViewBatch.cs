using static TorchSharp.torch;

namespace Vicreg.Data;

/// <summary>
/// One batch of two views: <paramref name="ViewA"/> for branch A and <paramref name="ViewB"/> for branch B, float32
/// contiguous CPU tensors [B, …] in each branch's own layout ([B,C,S,S] images, [B,1,samples] waveforms; the two may
/// differ in size and modality), <paramref name="Labels"/> int64 [B], <paramref name="Indices"/> the dataset indices
/// used (after substitution of unreadable files), how many samples were padded (clips shorter than a crop), and
/// for multi-crop the groups of local views (<see cref="LocalViews"/>; none by default): the two global views are
/// ViewA and ViewB. The consumer disposes it.
/// </summary>
public sealed record TwoViewBatch(Tensor ViewA, Tensor ViewB, Tensor Labels, int[] Indices, int Padded = 0, IReadOnlyList<LocalViews>? Locals = null) : IDisposable
{
    public IReadOnlyList<LocalViews> Locals { get; init; } = Locals ?? Array.Empty<LocalViews>();

    /// <summary>data.augment_on device: ViewA holds the host part of branch A's views (bytes) and this finishes them
    /// (<see cref="DeviceAugmenter"/>); null when the view is finished already.</summary>
    public DeviceViewStage? StageA { get; init; }

    /// <summary>The same for branch B.</summary>
    public DeviceViewStage? StageB { get; init; }

    /// <summary>Number of samples in the batch.</summary>
    public int Count => Indices.Length;

    public void Dispose()
    {
        ViewA.Dispose();
        ViewB.Dispose();
        Labels.Dispose();
        foreach (var l in Locals) l.Views.Dispose();
    }
}
