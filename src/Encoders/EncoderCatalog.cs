using Vicreg.Encoders.Audio;

namespace Vicreg.Encoders;

/// <summary>Options every encoder factory understands; each factory reads the ones that apply to it.
/// <paramref name="BaseWidth"/> null means the architecture's own (64 for ResNets, 48 for ResNet1d);
/// <paramref name="Mel"/> and <paramref name="SpecAugment"/> configure spectrogram encoders.</summary>
public sealed record EncoderSpec(
    string Name,
    int InChannels = 3,
    bool ZeroInitResidual = true,
    ResNetStem Stem = ResNetStem.ImageNet,
    int? BaseWidth = null,
    LogMelOptions? Mel = null,
    SpecAugmentOptions? SpecAugment = null);

/// <summary>
/// Name → factory. The paper's backbones are here ("resnet50", "resnet50x2", "resnet200x2", …); other
/// issues add waveform and ViT encoders by calling <see cref="Register"/>. Names are case-insensitive.
/// </summary>
public static class EncoderCatalog
{
    private static readonly Dictionary<string, Func<EncoderSpec, Encoder>> Factories = new(StringComparer.OrdinalIgnoreCase);

    static EncoderCatalog()
    {
        var depths = new (int Depth, bool Bottleneck, int[] Layers)[]
        {
            (18, false, new[] { 2, 2, 2, 2 }),
            (34, false, new[] { 3, 4, 6, 3 }),
            (50, true, new[] { 3, 4, 6, 3 }),
            (101, true, new[] { 3, 4, 23, 3 }),
            (152, true, new[] { 3, 8, 36, 3 }),
            (200, true, new[] { 3, 24, 36, 3 }),
        };
        foreach (var (depth, bottleneck, layers) in depths)
            foreach (var widen in new[] { 1, 2, 4 })
            {
                string name = widen == 1 ? $"resnet{depth}" : $"resnet{depth}x{widen}";
                Register(name, s => new ResNet(name, bottleneck, layers,
                    new ResNetOptions(s.InChannels, widen, s.ZeroInitResidual, s.Stem, BaseWidth: s.BaseWidth ?? 64)));
                // The paper's spectrogram branch: log-mel on the device, then the 2-D net with one channel.
                if (widen == 1)
                    Register($"spectrogram-{name}", s => new SpectrogramEncoder(s.Mel ?? new LogMelOptions(), s.SpecAugment ?? new SpecAugmentOptions(),
                        new ResNet(name, bottleneck, layers, new ResNetOptions(1, 1, s.ZeroInitResidual, s.Stem, BaseWidth: s.BaseWidth ?? 64))));
            }
        // Raw-waveform ResNets (the paper's waveform branch is resnet1d18, 384 features).
        Register("resnet1d18", s => new ResNet1d("resnet1d18", new[] { 2, 2, 2, 2 }, s.BaseWidth ?? 48, 1, s.ZeroInitResidual));
        Register("resnet1d34", s => new ResNet1d("resnet1d34", new[] { 3, 4, 6, 3 }, s.BaseWidth ?? 48, 1, s.ZeroInitResidual));
        // Table 5's ViT-S/16, and a tiny ViT (patch 4, width 64, 4 blocks) for 16–32 px images on a CPU.
        Register("vit-s16", s => new VisionTransformer("vit-s16", new VitOptions(16, 384, 12, 6, s.InChannels)));
        Register("vit-tiny4", s => new VisionTransformer("vit-tiny4", new VitOptions(4, 64, 4, 4, s.InChannels)));
    }

    /// <summary>All registered names, sorted.</summary>
    public static IReadOnlyList<string> Names => Factories.Keys.OrderBy(k => k, StringComparer.Ordinal).ToList();

    public static bool Contains(string name) => Factories.ContainsKey(name);

    /// <summary>Adds or replaces a factory.</summary>
    public static void Register(string name, Func<EncoderSpec, Encoder> factory) => Factories[name] = factory;

    /// <summary>Builds an encoder; an unknown name lists the known ones.</summary>
    public static Encoder Create(EncoderSpec spec)
    {
        if (!Factories.TryGetValue(spec.Name, out var factory))
            throw new ArgumentException($"unknown encoder \"{spec.Name}\"; known: {string.Join(", ", Names)}");
        return factory(spec);
    }

    public static Encoder Create(string name) => Create(new EncoderSpec(name));
}
