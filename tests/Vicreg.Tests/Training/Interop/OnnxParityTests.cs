using Microsoft.ML.OnnxRuntime;
using DenseTensor = Microsoft.ML.OnnxRuntime.Tensors.DenseTensor<float>;
using Google.Protobuf;
using TorchSharp;
using Tensor = TorchSharp.torch.Tensor;
using Vicreg.Core;
using Vicreg.Data.Views;
using Vicreg.Encoders;
using Vicreg.Encoders.Audio;
using Vicreg.Training.Interop.Onnx;
using Vicreg.Training.Model;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace Vicreg.Tests.Training.Interop;

/// <summary>
/// Every encoder of the catalog (small widths), exported to ONNX and run by ONNX Runtime on the CPU, gives TorchSharp's
/// eval-mode outputs on real evaluation views within 1e-4 relative (max |difference| / max |TorchSharp|). BatchNorm
/// statistics and affine parameters are drawn at random first, so that no block is the identity of zero-init residual.
/// </summary>
public sealed class OnnxParityTests(OnnxViews views, ITestOutputHelper output) : IClassFixture<OnnxViews>
{
    private const double Tolerance = 1e-4;

    public static TheoryData<string> CatalogEncoders => new(EncoderCatalog.Names);

    /// <summary>Small log-mel settings for the 0.5-s, 8-kHz test sounds.</summary>
    private static readonly LogMelOptions Mel = new() { SampleRate = 8000, NFft = 128, WinLength = 100, HopLength = 40, NMels = 16 };

    [Theory]
    [MemberData(nameof(CatalogEncoders))]
    public void Exported_encoder_matches_TorchSharp_in_OnnxRuntime(string name)
    {
        var stems = new[] { ResNetStem.ImageNet, ResNetStem.Small };
        foreach (var stem in stems)
        {
            manual_seed(1);
            using var encoder = EncoderCatalog.Create(new EncoderSpec(name, BaseWidth: 4, Stem: stem, Mel: Mel));
            var (recipe, values) = views.For(EncoderCatalog.InputOf(name));
            double error = MaxRelativeError(encoder, null, false, recipe, values, OnnxExporter.RepresentationOutput, $"{name}-{stem.ToString().ToLowerInvariant()}");
            output.WriteLine($"{name} ({stem} stem): max relative error {error:E2}");
            Assert.True(error <= Tolerance, $"{name}: ONNX Runtime differs from TorchSharp by {error:E2} relative");
            if (!UsesStem(encoder)) break; // the stem setting means nothing to it
        }
    }

    [Fact]
    public void Branch_with_its_expander_exports_both_outputs()
    {
        manual_seed(2);
        using var branch = new Branch(EncoderCatalog.Create(new EncoderSpec("spectrogram-resnet18", BaseWidth: 4, Mel: Mel)), "32-16", normalizeEmbedding: true);
        var (recipe, values) = views.Audio;
        double error = MaxRelativeError(branch.Encoder, branch.Expander, true, recipe, values, OnnxExporter.EmbeddingOutput, "spectrogram-resnet18-with-expander");
        output.WriteLine($"spectrogram-resnet18 + expander 32-16, l2-normalised: max relative error {error:E2}");
        Assert.True(error <= Tolerance, $"embedding differs by {error:E2} relative");
        var model = OnnxExporter.Build(branch, true, recipe);
        var meta = model.MetadataProps.ToDictionary(p => p.Key, p => p.Value);
        Assert.Equal("audio", meta["modality"]);
        Assert.Equal("8000", meta["sample_rate"]);
        Assert.Equal("0.5", meta["crop_seconds"]);
        Assert.Equal("128", meta["mel_n_fft"]);
        Assert.Equal("representation,embedding", meta["outputs"]);
        Assert.Equal(new[] { "waveform" }, model.Graph.Input.Select(i => i.Name));
        Assert.Equal(new[] { "representation", "embedding" }, model.Graph.Output.Select(o => o.Name));
    }

    [Fact]
    public void Image_metadata_records_the_view_and_its_normalisation()
    {
        manual_seed(3);
        using var encoder = EncoderCatalog.Create(new EncoderSpec("resnet18", BaseWidth: 4));
        var meta = OnnxExporter.Build(encoder, null, false, views.Image.Recipe).MetadataProps.ToDictionary(p => p.Key, p => p.Value);
        Assert.Equal("image", meta["modality"]);
        Assert.Equal("16", meta["view_size"]);
        Assert.Equal("0.485,0.456,0.406", meta["mean"]);
        Assert.Equal("0.229,0.224,0.225", meta["std"]);
        Assert.Equal("batch,3,16,16", meta["input_shape"]);
    }

    [Fact]
    public void A_module_without_an_ONNX_mapping_is_refused_in_one_line_naming_it()
    {
        // A plug-in encoder whose emitter is registered, holding a layer that has none.
        OnnxEmitters.Register<WithUnknownLayer>((g, m, x, path) => OnnxEmitters.Emit(g, OnnxEmitters.Required(m, "head", path), x, OnnxEmitters.Join(path, "head")));
        using var encoder = new WithUnknownLayer();
        var e = Assert.Throws<OnnxExportException>(() => OnnxExporter.Build(encoder, null, false, views.Image.Recipe));
        Assert.Contains("head (Softsign)", e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    /// <summary>Exports, runs ONNX Runtime and TorchSharp on the same views and returns max |Δ| / max |TorchSharp|. With
    /// VICREG_ONNX_EXPORT_DIR set, the model is also kept there as <paramref name="fileName"/>.onnx, for
    /// bench/reference/check_onnx.py.</summary>
    private static double MaxRelativeError(Encoder encoder, Expander? expander, bool normalize, IViewRecipe recipe, float[] values, string outputName, string fileName)
    {
        RandomizeNorms(encoder);
        if (expander is not null) RandomizeNorms(expander);
        var shape = new long[] { OnnxViews.Batch }.Concat(recipe.EvalShape).ToArray();
        float[] expected;
        using (no_grad())
        using (var scope = NewDisposeScope())
        {
            encoder.eval();
            expander?.eval();
            var x = tensor(values, shape);
            var y = encoder.call(x);
            if (expander is not null) y = expander.call(y);
            if (normalize) y = nn.functional.normalize(y, p: 2.0, dim: 1);
            expected = y.contiguous().data<float>().ToArray();
        }
        var model = OnnxExporter.Build(encoder, expander, normalize, recipe);
        if (Environment.GetEnvironmentVariable("VICREG_ONNX_EXPORT_DIR") is { Length: > 0 } keep)
            OnnxExporter.Save(model, Path.Combine(keep, fileName + ".onnx"));
        using var options = new SessionOptions { IntraOpNumThreads = 2 };
        using var session = new InferenceSession(model.ToByteArray(), options);
        var input = new DenseTensor(values, shape.Select(d => (int)d).ToArray());
        using var results = session.Run(new[] { NamedOnnxValue.CreateFromTensor(OnnxExporter.InputName(recipe.Modality), input) });
        var actual = results.Single(r => r.Name == outputName).AsTensor<float>().ToArray();
        Assert.Equal(expected.Length, actual.Length);
        double scale = expected.Max(v => Math.Abs(v)), worst = 0;
        Assert.True(scale > 0, "the reference output is all zeros: the comparison would prove nothing");
        for (int i = 0; i < expected.Length; i++) worst = Math.Max(worst, Math.Abs(actual[i] - expected[i]));
        return worst / scale;
    }

    private static void RandomizeNorms(nn.Module module)
    {
        using var noGrad = no_grad();
        foreach (var (_, m) in module.named_modules())
            if (m is StableBatchNorm bn)
            {
                bn.running_mean!.normal_(0, 0.1);
                bn.running_var!.uniform_(0.5, 1.5);
                bn.weight!.uniform_(0.5, 1.5);
                bn.bias!.normal_(0, 0.1);
            }
    }

    private static bool UsesStem(Encoder e) => e is ResNet || e is SpectrogramEncoder { Backbone: ResNet };

    /// <summary>An encoder holding a layer the exporter has no mapping for.</summary>
    private sealed class WithUnknownLayer : Encoder
    {
        private readonly nn.Module<Tensor, Tensor> head = nn.Softsign();
        public WithUnknownLayer() : base("with-unknown-layer") => RegisterComponents();
        public override int OutputDim => 3;
        public override string InputForm => "image";
        public override Tensor forward(Tensor x) => head.call(x.mean(new long[] { 2, 3 }));
    }
}
