using Vicreg.Encoders;
using Vicreg.Training.Interop;

namespace Vicreg.Tests.Training.Interop;

/// <summary>Export of a backbone that torchvision's constructor cannot load: said plainly, no zero 1000-class fc,
/// and a PyTorch module that builds the same network.</summary>
public class ExportLayoutTests
{
    private static Encoder Narrow() => EncoderCatalog.Create(new EncoderSpec("resnet18", 3, true, ResNetStem.Small, 8, null, null));

    [Fact]
    public void ANarrowSmallStemResNetIsNotTorchvisionsAndSaysWhy()
    {
        using var narrow = Narrow();
        var why = TorchvisionLayout.Differences(narrow);
        Assert.Equal(2, why.Count);
        Assert.Contains("stage widths 8-16-32-64 where torchvision's are 64-128-256-512", why[0]);
        Assert.Contains("small stem", why[1]);
        Assert.Equal(0, TorchvisionLayout.DefaultClasses(narrow));
        Assert.DoesNotContain(BackboneWeights.ExportEntries(narrow, TorchvisionLayout.DefaultClasses(narrow)), e => e.Key.StartsWith("fc.", StringComparison.Ordinal));

        using var standard = EncoderCatalog.Create("resnet18");
        Assert.Empty(TorchvisionLayout.Differences(standard));
        Assert.Equal(1000, TorchvisionLayout.DefaultClasses(standard));
    }

    [Fact]
    public void TheModuleWrittenForItHasItsStemWidthsAndBlocks()
    {
        using var narrow = Narrow();
        string py = TorchvisionLayout.PythonModule((ResNet)narrow, "clipart.pt", 0);
        Assert.Contains("BLOCK = BasicBlock", py);
        Assert.Contains("LAYERS = [2, 2, 2, 2]", py);
        Assert.Contains("WIDTH = 8 ", py);
        Assert.Contains("STEM = \"small\"", py);
        Assert.Contains("NUM_CLASSES = 0", py);
        Assert.Contains("torch.load(\"clipart.pt\"", py);
        Assert.Contains("\"clipart.py\"", py);
        // The module's parameter names are the exported ones: conv1, bn1, layer1.0.conv1 … layer4.1.bn2, downsample.0/1.
        var names = narrow.state_dict().Keys.ToList();
        Assert.Contains("layer2.0.downsample.0.weight", names);
        Assert.Contains("self.layer2 = self._make_layer(2 * WIDTH, LAYERS[1], 2)", py);
    }
}
