namespace Vicreg.Data.Audio;

/// <summary>One labelled audio file: full path, class index, and (ESC-50) its fold, 0 when there is none.</summary>
public sealed record AudioSample(string Path, int Label, int Fold = 0);
