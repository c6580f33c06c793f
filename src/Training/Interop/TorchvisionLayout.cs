using System.Globalization;
using Vicreg.Encoders;

namespace Vicreg.Training.Interop;

/// <summary>
/// Whether an exported backbone is one of torchvision's ResNets (resnet18 … resnet152 with the 7×7 stem, stage widths
/// 64-128-256-512 and RGB input), which <c>torchvision.models.resnetN()</c> loads as it is; and, when it is not (a
/// narrow or small-stem CPU recipe), a short PyTorch module that builds the very same network from torchvision's
/// own blocks, written next to the export.
/// </summary>
public static class TorchvisionLayout
{
    /// <summary>Why torchvision's constructor of the same name cannot load <paramref name="encoder"/>; empty when it can.</summary>
    public static IReadOnlyList<string> Differences(Encoder encoder)
    {
        if (encoder is not ResNet r) return new[] { $"\"{encoder.GetName()}\" is not a torchvision architecture" };
        var o = r.Options;
        var why = new List<string>();
        if (!(EncoderCatalog.TryGet(r.GetName(), out var entry) && entry.InTorchvision)) why.Add($"torchvision has no {r.GetName()}");
        long w = (long)o.BaseWidth * o.Widen;
        if (w != 64) why.Add($"stage widths {w}-{2 * w}-{4 * w}-{8 * w} where torchvision's are 64-128-256-512 (model.branch_*.base_width {o.BaseWidth}" + (o.Widen > 1 ? $", widened ×{o.Widen})" : ")"));
        if (o.Stem != ResNetStem.ImageNet) why.Add("a small stem (3×3 stride-1 conv1, no max-pool) where torchvision has a 7×7 stride-2 conv1 and a max-pool (model.branch_*.stem small)");
        if (o.InChannels != 3) why.Add($"{o.InChannels} input channel(s) where torchvision takes 3");
        return why;
    }

    /// <summary>The PyTorch module (Python source) that builds <paramref name="r"/>'s network with torchvision's names, so that
    /// <c>build().load_state_dict(torch.load(weights), strict=True)</c> succeeds.</summary>
    public static string PythonModule(ResNet r, string weightsFile, int classes)
    {
        var o = r.Options;
        long w = (long)o.BaseWidth * o.Widen;
        string layers = string.Join(", ", r.Layers);
        string stem = o.Stem == ResNetStem.ImageNet ? "imagenet" : "small";
        return $$""""
            """The network of {{weightsFile}}, written by `vicreg export`: a {{r.GetName()}} that is not torchvision's.

            Stem "{{stem}}", stage widths {{w}}-{{2 * w}}-{{4 * w}}-{{8 * w}}, {{o.InChannels}} input channel(s); torchvision.models.{{r.GetName()}}()
            would refuse these weights. Built here from torchvision's own blocks and names:

                import importlib.util, torch
                spec = importlib.util.spec_from_file_location("exported", "{{Path.ChangeExtension(weightsFile, ".py")}}")
                exported = importlib.util.module_from_spec(spec); spec.loader.exec_module(exported)
                model = exported.build()
                model.load_state_dict(torch.load("{{weightsFile}}", map_location="cpu"), strict=True)
                model.eval()   # model(x) returns the {{r.FeatureDim}} pooled features{{(classes > 0 ? $" followed by fc ({classes} classes)" : "")}}
            """
            import torch.nn as nn
            from torchvision.models.resnet import BasicBlock, Bottleneck

            BLOCK = {{(r.IsBottleneck ? "Bottleneck" : "BasicBlock")}}
            LAYERS = [{{layers}}]
            WIDTH = {{w}}          # conv1's width; the stages are WIDTH, 2, 4 and 8 × WIDTH
            STEM = "{{stem}}"      # "imagenet": 7x7 stride-2 conv1 + max-pool; "small": 3x3 stride-1 conv1, no pool
            IN_CHANNELS = {{o.InChannels}}
            NUM_CLASSES = {{classes}}     # 0: no fc, the forward pass ends with the pooled features


            class ExportedResNet(nn.Module):
                def __init__(self):
                    super().__init__()
                    if STEM == "imagenet":
                        self.conv1 = nn.Conv2d(IN_CHANNELS, WIDTH, 7, stride=2, padding=3, bias=False)
                        self.maxpool = nn.MaxPool2d(3, stride=2, padding=1)
                    else:
                        self.conv1 = nn.Conv2d(IN_CHANNELS, WIDTH, 3, stride=1, padding=1, bias=False)
                        self.maxpool = nn.Identity()
                    self.bn1 = nn.BatchNorm2d(WIDTH)
                    self.relu = nn.ReLU(inplace=True)
                    self.inplanes = WIDTH
                    self.layer1 = self._make_layer(WIDTH, LAYERS[0], 1)
                    self.layer2 = self._make_layer(2 * WIDTH, LAYERS[1], 2)
                    self.layer3 = self._make_layer(4 * WIDTH, LAYERS[2], 2)
                    self.layer4 = self._make_layer(8 * WIDTH, LAYERS[3], 2)
                    self.avgpool = nn.AdaptiveAvgPool2d((1, 1))
                    self.fc = nn.Linear(self.inplanes, NUM_CLASSES) if NUM_CLASSES > 0 else nn.Identity()

                def _make_layer(self, planes, blocks, stride):
                    out = planes * BLOCK.expansion
                    downsample = None
                    if stride != 1 or self.inplanes != out:
                        downsample = nn.Sequential(nn.Conv2d(self.inplanes, out, 1, stride=stride, bias=False), nn.BatchNorm2d(out))
                    layers = [BLOCK(self.inplanes, planes, stride, downsample)]
                    self.inplanes = out
                    layers += [BLOCK(self.inplanes, planes) for _ in range(1, blocks)]
                    return nn.Sequential(*layers)

                def forward(self, x):
                    x = self.maxpool(self.relu(self.bn1(self.conv1(x))))
                    x = self.layer4(self.layer3(self.layer2(self.layer1(x))))
                    return self.fc(self.avgpool(x).flatten(1))


            def build():
                return ExportedResNet()

            """";
    }

    /// <summary>Classes of the zero fc when --classes is not given: torchvision's 1000 for its own architectures (so that
    /// its constructor loads the file with strict=True), none otherwise (a zero classifier would only mislead).</summary>
    public static int DefaultClasses(Encoder encoder) => Differences(encoder).Count == 0 ? 1000 : 0;

    public static string Widths(ResNet r) =>
        string.Join("-", Enumerable.Range(0, 4).Select(i => ((long)r.Options.BaseWidth * r.Options.Widen << i).ToString(CultureInfo.InvariantCulture)));
}
