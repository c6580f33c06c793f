namespace Vicreg.Data.Audio;

/// <summary>A clip decoded to mono float samples in [-1, 1] at <see cref="SampleRate"/>.</summary>
/// <param name="Note">Something the user should know about a clip that still decoded (a truncated data chunk), or null.</param>
public sealed record DecodedAudio(float[] Samples, int SampleRate, int SourceChannels, int SourceRate, string? Note = null)
{
    public double Seconds => Samples.Length / (double)SampleRate;
}
