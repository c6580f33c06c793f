namespace Vicreg.Data.Audio;

/// <summary>Size and seed of the generated sound dataset (see <see cref="SyntheticAudio"/>).</summary>
public sealed record SyntheticAudioOptions(
    int Classes = 10, int TrainPerClass = 100, int ValPerClass = 30, double Seconds = 2.0, int SampleRate = 8000, int Seed = 0);
