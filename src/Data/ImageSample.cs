namespace Vicreg.Data;

/// <summary>One labelled image file: its full path and its class index.</summary>
public sealed record ImageSample(string Path, int Label);
