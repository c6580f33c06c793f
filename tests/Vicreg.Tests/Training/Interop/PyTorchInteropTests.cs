using Vicreg.Encoders;
using Vicreg.Training.Interop;
using Xunit.Abstractions;
using static TorchSharp.torch;

namespace Vicreg.Tests.Training.Interop;

/// <summary>
/// State dicts written by PyTorch 1.13 (bench/reference/make_interop_fixtures.py: torchvision's ResNet code with
/// every channel count divided by 16 or 32, so the names are torchvision's and the files small) load into our
/// ResNet and give PyTorch's eval-mode features on a fixed input; exports carry torchvision's names.
/// </summary>
public sealed class PyTorchInteropTests(ITestOutputHelper output)
{
    private const double Tolerance = 1e-4;

    private static Encoder Narrow(string name, int baseWidth) =>
        EncoderCatalog.Create(new EncoderSpec(name, BaseWidth: baseWidth));

    /// <summary>Max |ours − PyTorch's| over the features of the fixture's fixed input.</summary>
    private double FeatureError(Encoder encoder, string model)
    {
        var expected = PyTorchFiles.ReadTensors(Fixtures.PathOf("interop/expected_features.pt"));
        try
        {
            encoder.eval();
            using var noGrad = no_grad();
            using var features = encoder.call(expected[$"{model}.input"]);
            Assert.Equal(expected[$"{model}.features"].shape, features.shape);
            double error = features.sub(expected[$"{model}.features"]).abs().max().item<float>();
            double scale = expected[$"{model}.features"].abs().max().item<float>();
            output.WriteLine($"{model}: max |diff| {error:E2} (features up to {scale:F3})");
            return error;
        }
        finally
        {
            foreach (var t in expected.Values) t.Dispose();
        }
    }

    [Fact]
    public void Torchvision_resnet18_state_dict_gives_pytorch_features()
    {
        using var encoder = Narrow("resnet18", 4);
        var report = BackboneWeights.Load(encoder, Fixtures.PathOf("interop/resnet18_w4.pt"));
        Assert.Equal("backbone state dict", report.Layout);
        Assert.Equal(new[] { "fc.bias", "fc.weight" }, report.Ignored);
        Assert.True(FeatureError(encoder, "resnet18") <= Tolerance);
    }

    [Fact]
    public void The_comparison_is_not_vacuous_an_unloaded_network_differs()
    {
        manual_seed(0);
        using var encoder = Narrow("resnet50", 2);
        Assert.True(FeatureError(encoder, "resnet50") > 1e-2);
    }

    [Fact]
    public void Official_backbone_file_gives_pytorch_features()
    {
        using var encoder = Narrow("resnet50", 2);
        var report = BackboneWeights.Load(encoder, Fixtures.PathOf("interop/resnet50_w2.pth"));
        Assert.Empty(report.Ignored);
        Assert.Equal(encoder.state_dict().Count, report.Loaded);
        Assert.True(FeatureError(encoder, "resnet50") <= Tolerance);
    }

    [Fact]
    public void Official_full_checkpoint_with_module_backbone_prefix_gives_the_same_features()
    {
        using var encoder = Narrow("resnet50", 2);
        var report = BackboneWeights.Load(encoder, Fixtures.PathOf("interop/resnet50_w2_fullckpt.pth"));
        output.WriteLine($"{report.Layout}: {report.Loaded} loaded, {report.Ignored.Count} left aside, e.g. {string.Join(", ", report.Ignored.Take(3))}");
        Assert.StartsWith("official VICReg full checkpoint", report.Layout);
        Assert.Contains(report.Ignored, k => k.StartsWith("model.module.projector.", StringComparison.Ordinal));
        Assert.Contains(report.Ignored, k => k.StartsWith("optimizer.", StringComparison.Ordinal));
        Assert.True(FeatureError(encoder, "resnet50") <= Tolerance);
    }

    [Fact]
    public void Export_names_and_shapes_are_torchvision_resnet50s()
    {
        // The real width: what torchvision.models.resnet50() has, fc included, so that strict=True loads it.
        var expected = Fixtures.Load("resnet_state_dicts.json").GetProperty("resnet50").GetProperty("state_dict")
            .EnumerateArray().Select(e => (e[0].GetString()!, string.Join(",", Fixtures.Shape(e[1])))).Order().ToList();
        using var encoder = EncoderCatalog.Create("resnet50");
        using var scope = NewDisposeScope();
        var written = BackboneWeights.ExportEntries(encoder, classes: 1000)
            .Select(kv => (kv.Key, string.Join(",", kv.Value.shape))).Order().ToList();
        Assert.Equal(320, expected.Count);
        Assert.Equal(expected, written);
    }

    [Fact]
    public void Exported_file_reads_back_identically_and_reloads()
    {
        using var temp = new TempDir();
        using var encoder = Narrow("resnet50", 2);
        BackboneWeights.Load(encoder, Fixtures.PathOf("interop/resnet50_w2.pth"));
        string path = temp.Combine("backbone.pt");
        BackboneWeights.Export(encoder, path, classes: 10);
        var back = PyTorchFiles.ReadTensors(path);
        var mine = encoder.state_dict();
        Assert.Equal(mine.Count + 2, back.Count);
        foreach (var (name, t) in mine)
            Assert.True(back[name].to_type(t.dtype).equal(t).all().item<bool>(), name);
        Assert.Equal(new long[] { 10, 64 }, back["fc.weight"].shape);
        using var again = Narrow("resnet50", 2);
        BackboneWeights.Load(again, path);
        Assert.True(FeatureError(again, "resnet50") <= Tolerance);
    }

    [Fact]
    public void Wrong_architecture_and_non_torch_files_fail_with_one_line_naming_the_file()
    {
        using var temp = new TempDir();
        using var wide = Narrow("resnet50", 4);
        var e = Assert.Throws<InvalidDataException>(() => BackboneWeights.Load(wide, Fixtures.PathOf("interop/resnet50_w2.pth")));
        Assert.Contains("resnet50_w2.pth: conv1.weight has shape [2, 3, 7, 7], the model expects [4, 3, 7, 7]", e.Message);
        using var deeper = Narrow("resnet101", 2);
        e = Assert.Throws<InvalidDataException>(() => BackboneWeights.Load(deeper, Fixtures.PathOf("interop/resnet50_w2.pth")));
        output.WriteLine(e.Message);
        Assert.Contains("resnet50_w2.pth: 306 of the 624 backbone tensors are missing (e.g. layer3.6.conv1.weight", e.Message);
        using var r18 = Narrow("resnet18", 2);
        string junk = temp.Combine("junk.pt");
        File.WriteAllText(junk, "not a zip");
        e = Assert.Throws<InvalidDataException>(() => BackboneWeights.Load(r18, junk));
        Assert.StartsWith(junk + ":", e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }
}
