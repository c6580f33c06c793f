using Vicreg.Core;

namespace Vicreg.Training.Sources;

/// <summary>
/// The audio modality's view settings of one branch (model.branch_x.view): each unset field takes the value of
/// data.audio.view_a (branch A) or data.audio.view_b (branch B).
/// </summary>
public sealed record AudioViewOptions
{
    [Option("Length of the random training crop, in seconds.", Min = 0, MinExclusive = true)]
    public double? CropSeconds { get; init; }
    [Option("Largest random gain, ± this many dB.", Min = 0)]
    public double? GainDb { get; init; }
    [Option("Largest standard deviation of the added Gaussian noise, relative to the crop's RMS (drawn uniformly up to it).", Min = 0)]
    public double? NoiseLevel { get; init; }
    [Option("Largest random circular time shift, ± this many seconds.", Min = 0)]
    public double? ShiftSeconds { get; init; }
}
