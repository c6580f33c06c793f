namespace Vicreg.Data;

/// <summary>A crop rectangle in source-image pixels (top-left corner and size).</summary>
public readonly record struct CropBox(int X, int Y, int Width, int Height);
