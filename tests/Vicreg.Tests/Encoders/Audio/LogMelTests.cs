using System.Text.Json;
using Vicreg.Encoders;
using Vicreg.Encoders.Audio;
using static TorchSharp.torch;

namespace Vicreg.Tests.Encoders.Audio;

/// <summary>The log-mel front end against torchaudio 0.13 (tests/fixtures/audio/logmel.json, made by
/// bench/reference/make_audio_fixtures.py).</summary>
public class LogMelTests
{
    private static readonly JsonElement Fixture = Fixtures.Load("audio/logmel.json");

    private static MelScale Scale(JsonElement c) => c.GetProperty("mel_scale").GetString() == "slaney" ? MelScale.Slaney : MelScale.Htk;
    private static bool SlaneyNorm(JsonElement c) => c.GetProperty("norm").ValueKind == JsonValueKind.String;

    /// <summary>Against torchaudio's public float32 output: 1e-5 up to 16 kHz / 80 bands, 2e-5 for 128 bands at
    /// 44.1 kHz, where torchaudio's own float32 rounding of the mel grid is 1.4e-5 (see the next test and
    /// MelFilterbank). Against the same algorithm in float64: 1e-9.</summary>
    [Fact]
    public void Filterbanks_equal_torchaudio_melscale_fbanks()
    {
        int checkedCases = 0;
        foreach (var c in Fixture.GetProperty("fbanks").EnumerateArray())
        {
            var fb = MelFilterbank.Create(c.GetProperty("n_freqs").GetInt32(), c.GetProperty("f_min").GetDouble(), c.GetProperty("f_max").GetDouble(),
                c.GetProperty("n_mels").GetInt32(), c.GetProperty("sample_rate").GetInt32(), SlaneyNorm(c), Scale(c));
            double tolerance32 = c.GetProperty("sample_rate").GetInt32() > 32000 ? 2e-5 : 1e-5;
            foreach (var (key, tolerance) in new[] { ("values", tolerance32), ("values_float64", 1e-9) })
            {
                var expected = Fixtures.Doubles(c.GetProperty(key));
                int nMels = fb.GetLength(1);
                Assert.Equal(expected.Length, fb.Length);
                for (int i = 0; i < expected.Length; i++)
                    Assert.True(Math.Abs(fb[i / nMels, i % nMels] - expected[i]) <= tolerance,
                        $"fbank case {checkedCases} {key} [{i / nMels},{i % nMels}]: {fb[i / nMels, i % nMels]} vs {expected[i]} (tol {tolerance})");
            }
            checkedCases++;
        }
        Assert.Equal(4, checkedCases);
    }

    [Fact]
    public void Mel_spectrogram_equals_torchaudio_to_1e4_relative_and_normalised_log_mel_to_1e4()
    {
        foreach (var c in Fixture.GetProperty("spectra").EnumerateArray())
        {
            var options = new LogMelOptions
            {
                SampleRate = c.GetProperty("sample_rate").GetInt32(),
                NFft = c.GetProperty("n_fft").GetInt32(),
                WinLength = c.GetProperty("win_length").GetInt32(),
                HopLength = c.GetProperty("hop_length").GetInt32(),
                NMels = c.GetProperty("n_mels").GetInt32(),
                FMin = c.GetProperty("f_min").GetDouble(),
                FMax = c.GetProperty("f_max").GetDouble(),
                Power = c.GetProperty("power").GetDouble(),
                MelScale = Scale(c),
                SlaneyNorm = SlaneyNorm(c),
                LogOffset = c.GetProperty("log_offset").GetDouble(),
            };
            using var logMel = new LogMel(options);
            using var x = Fixtures.Float32(c.GetProperty("input"), Fixtures.Shape(c.GetProperty("input_shape")));
            using var mel = logMel.Mel(x);
            Assert.Equal(Fixtures.Shape(c.GetProperty("mel_shape")), mel.shape);
            // Relative to the spectrogram's largest value: float32 FFTs of different libraries differ by
            // rounding, which is relative to the magnitudes summed, not to each (possibly tiny) bin.
            Close.Array(Fixtures.Doubles(c.GetProperty("mel")), mel, 1e-4, $"mel (n_fft {options.NFft}, power {options.Power})");
            using var unit = logMel.call(x);
            Assert.Equal(new long[] { x.shape[0], 1, options.NMels, mel.shape[2] }, unit.shape);
            Close.Array(Fixtures.Doubles(c.GetProperty("normalized")), unit, 1e-4, "normalised log-mel");
            Assert.Equal(0.0, unit.min().item<float>(), 6);
            Assert.Equal(1.0, unit.max().item<float>(), 6);
        }
    }

    [Fact]
    public void Frames_follow_centred_framing_and_a_silent_clip_gives_zeros_not_nan()
    {
        using var logMel = new LogMel(new LogMelOptions());
        using var silence = zeros(2, 1, 16000);
        using var y = logMel.call(silence);
        Assert.Equal(new long[] { 2, 1, 64, logMel.Frames(16000) }, y.shape);
        Assert.Equal(101, logMel.Frames(16000));
        Assert.False(y.isnan().any().item<bool>());
    }

    [Fact]
    public void Bad_settings_name_the_field()
    {
        var e = Assert.Throws<ArgumentException>(() => new LogMel(new LogMelOptions { WinLength = 600, NFft = 512, Window = "kaiser" }));
        Assert.Contains("win_length", e.Message);
        Assert.Contains("window", e.Message);
    }
}

public class AudioEncoderTests
{
    [Fact]
    public void Paper_waveform_encoder_gives_384_and_spectrogram_encoder_512_features()
    {
        manual_seed(0);
        using var wave = EncoderCatalog.Create(new EncoderSpec("resnet1d18"));
        using var spec = EncoderCatalog.Create(new EncoderSpec("spectrogram-resnet18"));
        Assert.Equal(384, wave.OutputDim);
        Assert.Equal(512, spec.OutputDim);
        Assert.Equal("waveform", wave.InputForm);
        Assert.Equal("spectrogram", spec.InputForm);
        wave.eval(); spec.eval();
        using var x = randn(2, 1, 16000);
        using var a = wave.call(x);
        using var b = spec.call(x);
        Assert.Equal(new long[] { 2, 384 }, a.shape);
        Assert.Equal(new long[] { 2, 512 }, b.shape);
    }

    [Fact]
    public void Resnet1d18_has_resnet18_layout_with_torchvision_style_names()
    {
        using var wave = EncoderCatalog.Create(new EncoderSpec("resnet1d18"));
        var names = wave.named_parameters().Select(p => p.name).ToList();
        Assert.Contains("conv1.weight", names);
        Assert.Contains("layer4.1.conv2.weight", names);
        Assert.Contains("layer2.0.downsample.0.weight", names);
        Assert.DoesNotContain(names, n => n.StartsWith("layer1.2", StringComparison.Ordinal)); // two blocks per stage
        // Zero-init residual: every block starts as the identity.
        var bn2 = wave.named_parameters().Where(p => p.name.EndsWith("bn2.weight", StringComparison.Ordinal)).ToList();
        Assert.Equal(8, bn2.Count);
        Assert.All(bn2, p => Assert.Equal(0f, p.parameter.abs().max().item<float>()));
    }

    [Fact]
    public void Spectrogram_encoder_has_no_trainable_front_end_and_specaugment_only_in_training()
    {
        manual_seed(1);
        var mel = new LogMelOptions { SampleRate = 8000, NFft = 256, WinLength = 200, HopLength = 80, NMels = 32 };
        using var enc = (SpectrogramEncoder)EncoderCatalog.Create(new EncoderSpec("spectrogram-resnet18", BaseWidth: 8, Mel: mel,
            SpecAugment: new SpecAugmentOptions { TimeMasks = 2, MaxTimeWidth = 10, FreqMasks = 2, MaxFreqWidth = 6 }));
        Assert.DoesNotContain(enc.named_parameters(), p => p.name.StartsWith("frontend", StringComparison.Ordinal));
        Assert.Equal(32, enc.FrontEnd.Options.NMels);
        var masks = new SpecAugment(new SpecAugmentOptions { TimeMasks = 2, MaxTimeWidth = 10, FreqMasks = 2, MaxFreqWidth = 6 });
        using var spec = ones(4, 1, 32, 51);
        masks.train();
        using var masked = masks.call(spec);
        var zeroFraction = masked.eq(zeros(1)).to_type(ScalarType.Float32).mean().item<float>();
        Assert.InRange(zeroFraction, 0.01f, 0.6f); // up to 2×6/32 of the bins and 2×10/51 of the frames
        // Masks are whole bands: a masked frequency row is zero across all frames of that example.
        masks.eval();
        using var untouched = masks.call(spec);
        Assert.True(untouched.equal(spec).all().item<bool>());
    }
}
