using Vicreg.Core;

namespace Vicreg.Encoders.Audio;

/// <summary>Mel scale of the filterbank: HTK (2595·log10(1 + f/700)) or Slaney (linear below 1 kHz, log above).</summary>
public enum MelScale { Htk, Slaney }

/// <summary>
/// Settings of the log-mel front end, with torchaudio's MelSpectrogram meanings. Defaults: 16 kHz, 25 ms
/// Hann window, 10 ms hop, 512-point FFT, 64 mel bands from 0 to 8 kHz, HTK scale, power 2, log(mel + 1e-6),
/// then each example scaled to [0, 1] (the paper normalises spectrograms to [0, 1]; it does not give the
/// other values, so these are the common choices).
/// </summary>
public sealed record LogMelOptions
{
    [Option("Sample rate of the waveforms, in Hz (follows data.audio.sample_rate).", Min = 1)]
    public int SampleRate { get; init; } = 16000;
    [Option("FFT size, in samples.", Min = 1)]
    public int NFft { get; init; } = 512;
    [Option("Window length, in samples (at most n_fft).", Min = 1)]
    public int WinLength { get; init; } = 400;
    [Option("Hop between frames, in samples.", Min = 1)]
    public int HopLength { get; init; } = 160;
    /// <summary>"hann" or "hamming" (periodic, as torch's defaults).</summary>
    [Option("Window function, periodic as torch's defaults.", Values = new[] { "hann", "hamming" })]
    public string Window { get; init; } = "hann";
    [Option("Number of mel bands.", Min = 1)]
    public int NMels { get; init; } = 64;
    [Option("Lower edge of the mel bands, in Hz.", Min = 0)]
    public double FMin { get; init; } = 0;
    /// <summary>Upper edge in Hz; 0 means the Nyquist frequency.</summary>
    [Option("Upper edge in Hz; 0 means the Nyquist frequency.")]
    public double FMax { get; init; } = 0;
    [Option("Mel scale: htk or slaney.")]
    public MelScale MelScale { get; init; } = MelScale.Htk;
    /// <summary>Slaney area normalisation of each triangle (torchaudio's norm="slaney").</summary>
    [Option("Slaney area normalisation of each triangle (torchaudio's norm=\"slaney\").")]
    public bool SlaneyNorm { get; init; }
    /// <summary>1 for magnitude, 2 for power.</summary>
    [Option("Exponent of the magnitude: 1 for magnitude, 2 for power.", Values = new[] { "1", "2" })]
    public double Power { get; init; } = 2.0;
    [Option("Added to the mel energies before the log.", Min = 0, MinExclusive = true)]
    public double LogOffset { get; init; } = 1e-6;
    /// <summary>Scale each example's log-mel to [0, 1] (min-max over bands and frames).</summary>
    [Option("Scale each example's log-mel to [0, 1] (min-max over bands and frames).")]
    public bool NormalizeToUnit { get; init; } = true;

    public double UpperFrequency => FMax > 0 ? FMax : SampleRate / 2.0;

    /// <summary>One line per problem, naming the field; empty when the settings are usable.</summary>
    public IEnumerable<string> Problems()
    {
        if (SampleRate < 1000) yield return $"sample_rate must be at least 1000 (got {SampleRate})";
        if (NFft < 16) yield return $"n_fft must be at least 16 (got {NFft})";
        if (WinLength < 1 || WinLength > NFft) yield return $"win_length must be between 1 and n_fft = {NFft} (got {WinLength})";
        if (HopLength < 1) yield return $"hop_length must be at least 1 (got {HopLength})";
        if (Window is not ("hann" or "hamming")) yield return $"window must be \"hann\" or \"hamming\" (got \"{Window}\")";
        if (NMels < 1) yield return $"n_mels must be at least 1 (got {NMels})";
        if (FMin < 0 || FMin >= UpperFrequency) yield return $"f_min must be in [0, f_max = {UpperFrequency}) (got {FMin})";
        if (UpperFrequency > SampleRate / 2.0) yield return $"f_max must be at most sample_rate / 2 = {SampleRate / 2.0} (got {FMax})";
        if (Power <= 0) yield return $"power must be positive (got {Power})";
        if (LogOffset <= 0) yield return $"log_offset must be positive (got {LogOffset})";
    }
}
