namespace Vicreg.Encoders;

/// <summary>Stem of a 2-D ResNet.</summary>
public enum ResNetStem
{
    /// <summary>7×7 stride-2 convolution and 3×3 max-pool: torchvision and the paper (224 px inputs).</summary>
    ImageNet,
    /// <summary>3×3 stride-1 convolution, no pool: the usual choice for 32–64 px inputs (CIFAR-style).</summary>
    Small,
}

/// <summary>
/// Settings of a 2-D ResNet. <paramref name="Widen"/> multiplies every width, as in the paper's ResNet-50×2
/// (and the official vicreg resnet.py), so ResNet-50×2 returns 4096 features. <paramref name="BaseWidth"/>
/// is the stem's width (64 in torchvision); smaller values make cheap CPU models with the same names.
/// </summary>
public sealed record ResNetOptions(
    int InChannels = 3,
    int Widen = 1,
    bool ZeroInitResidual = true,
    ResNetStem Stem = ResNetStem.ImageNet,
    int NumClasses = 0,
    int BaseWidth = 64);
