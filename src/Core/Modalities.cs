namespace Vicreg.Core;

/// <summary>
/// The names of the two built-in modalities, defined once for every layer that meets them: what an encoder entry says
/// it consumes, what a view recipe and a reader decode, the key of a paired sample's file, and the name of the
/// modality's catalog entry. A plug-in modality defines its own name in its own files; nothing matches these by hand.
/// </summary>
public static class Modalities
{
    /// <summary>Images, [N, C, H, W].</summary>
    public const string Image = "image";
    /// <summary>Mono waveforms, [N, 1, samples] (raw-waveform and spectrogram encoders take these alike).</summary>
    public const string Audio = "audio";
}
