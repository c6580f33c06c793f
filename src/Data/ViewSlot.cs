namespace Vicreg.Data;

/// <summary>Where one sample's view of a branch goes: finished floats, or, for a view finished on the training
/// device (<see cref="DeviceViewStage"/>), the host part's bytes and the row of the batch's draws it fills.</summary>
internal readonly ref struct ViewSlot
{
    public readonly Span<float> Floats;
    public readonly Span<byte> Pixels;
    public readonly DrawnImageView[]? Drawn;
    public readonly int Row;

    public ViewSlot(Span<float> floats) => Floats = floats;

    public ViewSlot(Span<byte> pixels, DrawnImageView[] drawn, int row)
    {
        Pixels = pixels;
        Drawn = drawn;
        Row = row;
    }

    public static implicit operator ViewSlot(Span<float> floats) => new(floats);
    public static implicit operator ViewSlot(float[] floats) => new(floats);
}
