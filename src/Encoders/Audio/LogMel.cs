using TorchSharp;
using Vicreg.Core;
using static TorchSharp.torch;

namespace Vicreg.Encoders.Audio;

/// <summary>
/// Waveform [N, samples] or [N, 1, samples] → log-mel [N, 1, n_mels, frames], on the waveform's device, so
/// the data loader ships only raw audio. Matches torchaudio's MelSpectrogram (centred frames, reflect
/// padding, periodic window) followed by log(mel + offset) and, optionally, per-example min-max scaling to
/// [0, 1]. No trainable parameters and no state-dict entries. The window and the filterbank are constants
/// that follow <c>.to(device/dtype)</c> through <see cref="_toEpilog"/>: TorchSharp 0.107's named_buffers
/// skips every non-persistent buffer, so registered as such they would stay on the CPU when the model moves.
/// </summary>
public sealed class LogMel : nn.Module<Tensor, Tensor>
{
    private Tensor window;
    private Tensor filterbank; // [n_freqs, n_mels]

    public LogMel(LogMelOptions options) : base(nameof(LogMel))
    {
        var problems = options.Problems().ToList();
        if (problems.Count > 0) throw new ArgumentException("log-mel settings: " + string.Join("; ", problems));
        Options = options;
        window = options.Window == "hamming"
            ? hamming_window(options.WinLength, periodic: true)
            : hann_window(options.WinLength, periodic: true);
        int nFreqs = options.NFft / 2 + 1;
        var fb = MelFilterbank.Create(nFreqs, options.FMin, options.UpperFrequency, options.NMels, options.SampleRate,
            options.SlaneyNorm, options.MelScale);
        var flat = new float[nFreqs * options.NMels];
        for (int f = 0; f < nFreqs; f++)
            for (int m = 0; m < options.NMels; m++) flat[f * options.NMels + m] = (float)fb[f, m];
        filterbank = tensor(flat, new long[] { nFreqs, options.NMels });
    }

    /// <summary>The analysis window, where the module is (for checks that nothing was left behind).</summary>
    public Tensor Window => window;
    /// <summary>The mel filterbank [n_freqs, n_mels], where the module is.</summary>
    public Tensor Filterbank => filterbank;

    protected override void _toEpilog(ScalarType? dtype, Device? device, bool non_blocking)
    {
        base._toEpilog(dtype, device, non_blocking);
        window = Moved(window, dtype, device, non_blocking);
        filterbank = Moved(filterbank, dtype, device, non_blocking);
    }

    private static Tensor Moved(Tensor t, ScalarType? dtype, Device? device, bool nonBlocking)
    {
        var type = dtype ?? t.dtype;
        var where = device ?? t.device;
        bool same = t.dtype == type && t.device_type == where.type && (where.index < 0 || t.device_index == where.index);
        if (same) return t;
        return t.to(type, where, disposeAfter: true, non_blocking: nonBlocking).DetachFromDisposeScope();
    }

    public LogMelOptions Options { get; }

    /// <summary>Frames produced for <paramref name="samples"/> input samples (centred framing).</summary>
    public long Frames(long samples) => samples / Options.HopLength + 1;

    /// <summary>The mel power (or magnitude) spectrogram before the log, [N, n_mels, frames].</summary>
    public Tensor Mel(Tensor waveform)
    {
        using var scope = NewDisposeScope();
        var x = waveform.dim() == 3 ? waveform.squeeze(1) : waveform;
        if (x.dim() != 2) throw new ArgumentException($"LogMel expects [N, samples] or [N, 1, samples]; got [{string.Join(", ", waveform.shape)}]");
        // Centre the frames with reflect padding here, not through stft(center: true): TorchSharp's version
        // passes the handle of a padded temporary that nothing keeps alive.
        long pad = Options.NFft / 2;
        var padded = nn.functional.pad(x.unsqueeze(1), new long[] { pad, pad }, PaddingModes.Reflect).squeeze(1);
        var spec = padded.stft(Options.NFft, Options.HopLength, Options.WinLength, window, center: false,
            onesided: true, return_complex: true).abs(); // [N, n_freqs, frames]
        spec = Options.Power switch
        {
            1.0 => spec,
            2.0 => spec.mul(spec),
            _ => spec.pow(Scalars.Float(Options.Power)),
        };
        return spec.transpose(1, 2).matmul(filterbank).transpose(1, 2).MoveToOuterDisposeScope();
    }

    public override Tensor forward(Tensor waveform)
    {
        using var scope = NewDisposeScope();
        var logMel = Mel(waveform).Plus(Options.LogOffset).log_();
        if (Options.NormalizeToUnit)
        {
            var lo = logMel.amin(new long[] { 1, 2 }, keepdim: true);
            var range = logMel.amax(new long[] { 1, 2 }, keepdim: true).sub_(lo).clamp_min_(Scalars.Float(1e-12));
            logMel = logMel.sub_(lo).div_(range);
        }
        return logMel.unsqueeze(1).MoveToOuterDisposeScope();
    }
}
