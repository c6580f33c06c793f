namespace Vicreg.Core;

/// <summary>
/// One convolution as libtorch runs it: the input's shape (batch first), the weight's, and stride, padding and
/// dilation per spatial dimension (1, 2 or 3 of them), with groups. Padding here is the convolution's own zero
/// padding; a padding done before it (a layer's "same" padding on one side, reflect padding) is part of the input.
/// </summary>
public sealed record ConvolutionShape(long[] Input, long[] Weight, long[] Stride, long[] Padding, long[] Dilation, long Groups = 1)
{
    public int SpatialDimensions => Weight.Length - 2;
    public long InChannels => Input[1];
    public long OutChannels => Weight[0];

    /// <summary>Whether its channel counts fit a vector block of <paramref name="block"/> channels: the output count
    /// a multiple of it, and the input count too unless it is that of data (1 for grey images and sound, 3 for RGB).</summary>
    public bool FitsBlock(long block) => OutChannels % block == 0 && (InChannels % block == 0 || InChannels <= 3);

    /// <summary>The same convolution on a batch of <paramref name="batch"/>.</summary>
    public ConvolutionShape WithBatch(long batch) => this with { Input = Input.Skip(1).Prepend(batch).ToArray() };

    /// <summary>A key equal for equal shapes (records compare arrays by reference).</summary>
    public string Key => string.Join(";", new[] { Input, Weight, Stride, Padding, Dilation, new[] { Groups } }.Select(a => string.Join(",", a)));

    /// <summary>In the user's words, e.g. "12 → 4 channels, 3×3" or "16 → 32 channels, 3×3, stride 2, on 8×8".</summary>
    public string Describe(bool withInput = false)
    {
        string kernel = string.Join("×", Weight.Skip(2));
        string text = $"{InChannels} → {OutChannels} channels, {kernel}{(SpatialDimensions == 1 ? " (1-D)" : "")}";
        if (Stride.Any(s => s != 1)) text += $", stride {string.Join("×", Stride.Distinct())}";
        if (Groups != 1) text += $", {Groups} groups";
        return withInput ? text + $", on {string.Join("×", Input.Skip(2))}" : text;
    }
}
