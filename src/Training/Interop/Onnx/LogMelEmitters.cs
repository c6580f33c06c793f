using Vicreg.Encoders.Audio;
using static TorchSharp.torch;
using static Vicreg.Training.Interop.Onnx.OnnxAttribute;

namespace Vicreg.Training.Interop.Onnx;

/// <summary>
/// The ONNX form of the spectrogram encoder with its log-mel front end, so that a caller feeds raw samples
/// [N, 1, samples]. The short-time Fourier transform is written as a DFT: one Conv whose 2·(n_fft/2 + 1) kernels are
/// the windowed cosines and sines, with stride hop_length, over the reflect-padded waveform. Why not opset 17's STFT
/// operator: a Conv is one of the most optimised kernels of every ONNX Runtime execution provider (STFT runs on the
/// CPU provider only), torch.stft's centring of a window shorter than n_fft is a matter of zero taps in the kernel
/// rather than of the STFT operator's own window conventions, and the graph stays within what onnx 1.12's checker
/// and older runtimes know. The cost, n_fft multiply-adds per bin and frame rather than an FFT's n_fft·log n_fft per
/// frame, is small beside the ResNet that follows.
/// </summary>
public static class LogMelEmitters
{
    internal static void RegisterAll()
    {
        OnnxEmitters.Register<LogMel>(LogMel);
        OnnxEmitters.Register<SpecAugment>((_, _, x, _) => x); // masks in training only
        OnnxEmitters.Register<SpectrogramEncoder>((g, encoder, x, path) =>
        {
            var spec = OnnxEmitters.Emit(g, encoder.FrontEnd, x, OnnxEmitters.Join(path, "frontend"));
            return OnnxEmitters.Emit(g, encoder.Backbone, spec, OnnxEmitters.Join(path, "backbone"));
        });
    }

    private static string LogMel(OnnxGraph g, LogMel logMel, string x, string path)
    {
        var o = logMel.Options;
        int nFreqs = o.NFft / 2 + 1;
        if (g.ShapeOf(x) is { Length: not 3 })
            throw new OnnxExportException($"module {OnnxEmitters.Describe(logMel, path)} cannot be exported to ONNX: it takes waveforms [N, 1, samples]");
        long pad = o.NFft / 2;
        var padded = g.Op("Pad", path, new[] { x, g.Int64s(path + ".pads", 0, 0, pad, 0, 0, pad) }, String("mode", "reflect"));
        var reIm = g.Op("Conv", path, new[] { padded, g.Constant(OnnxEmitters.Join(path, "dft"), DftKernels(logMel), 2L * nFreqs, 1, o.NFft) },
            Ints("kernel_shape", o.NFft), Ints("strides", o.HopLength)); // [N, 2F, frames]
        var halves = g.Ops("Split", path, new[] { reIm, g.Int64s(path + ".split", nFreqs, nFreqs) }, 2, Int("axis", 1));
        var power = g.Op("Add", path, new[] { g.Op("Mul", path, new[] { halves[0], halves[0] }), g.Op("Mul", path, new[] { halves[1], halves[1] }) });
        var spec = o.Power switch
        {
            2.0 => power,
            1.0 => g.Op("Sqrt", path, new[] { power }),
            _ => g.Op("Pow", path, new[] { g.Op("Sqrt", path, new[] { power }), g.Scalar(path + ".power", (float)o.Power) }),
        };
        using var filterbankT = logMel.Filterbank.t(); // [n_mels, F]
        var mel = g.Op("MatMul", path, new[] { g.Constant(OnnxEmitters.Join(path, "filterbank_t"), filterbankT), spec }); // [N, n_mels, frames]
        var log = g.Op("Log", path, new[] { g.Op("Add", path, new[] { mel, g.Scalar(path + ".log_offset", (float)o.LogOffset) }) });
        if (o.NormalizeToUnit)
        {
            var lo = g.Op("ReduceMin", path, new[] { log }, Ints("axes", 1, 2), Int("keepdims", 1));
            var hi = g.Op("ReduceMax", path, new[] { log }, Ints("axes", 1, 2), Int("keepdims", 1));
            var range = g.Op("Max", path, new[] { g.Op("Sub", path, new[] { hi, lo }), g.Scalar(path + ".min_range", 1e-12f) });
            log = g.Op("Div", path, new[] { g.Op("Sub", path, new[] { log, lo }), range });
        }
        return g.Op("Unsqueeze", path, new[] { log, g.Int64s(path + ".channel_axis", 1) }); // [N, 1, n_mels, frames]
    }

    /// <summary>[2F, 1, n_fft]: window·cos(2πkn/n_fft) then −window·sin(2πkn/n_fft) for bins k = 0…F−1, with the
    /// module's own window centred in n_fft taps as torch.stft centres a shorter window.</summary>
    private static float[] DftKernels(LogMel logMel)
    {
        var o = logMel.Options;
        int nFreqs = o.NFft / 2 + 1, left = (o.NFft - o.WinLength) / 2;
        using var windowCpu = logMel.Window.to(ScalarType.Float64, CPU);
        var window = windowCpu.data<double>().ToArray();
        var kernels = new float[2 * nFreqs * o.NFft];
        for (int k = 0; k < nFreqs; k++)
            for (int i = 0; i < window.Length; i++)
            {
                int n = left + i;
                double angle = 2 * Math.PI * ((long)k * n % o.NFft) / o.NFft;
                kernels[k * o.NFft + n] = (float)(window[i] * Math.Cos(angle));
                kernels[(nFreqs + k) * o.NFft + n] = (float)(-window[i] * Math.Sin(angle));
            }
        return kernels;
    }
}
