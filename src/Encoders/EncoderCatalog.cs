using Vicreg.Core;
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

/// <summary>One encoder of <see cref="EncoderCatalog"/>: its name, the data modality it consumes, whether it starts with a
/// log-mel front end (so it reads <see cref="EncoderSpec.Mel"/> and <see cref="EncoderSpec.SpecAugment"/>), and its factory.</summary>
public sealed record EncoderEntry(string Name, string Input, bool LogMel, Func<EncoderSpec, Encoder> Create)
{
    /// <summary>The encoder starts with a ResNet stem that reads <see cref="EncoderSpec.Stem"/> (ImageNet: a stride-4
    /// downsampling, so small inputs reach the last stage as 1×1 maps).</summary>
    public bool ReadsStem { get; init; }

    /// <summary>Which default backbone of its modality (<see cref="Input"/>) this encoder is, if any
    /// (<see cref="EncoderCatalog.Default"/>).</summary>
    public EncoderDefault DefaultFor { get; init; }

    /// <summary><c>torchvision.models</c> has a constructor of this name that builds the same network at the
    /// standard settings (so an export of it loads there as it is).</summary>
    public bool InTorchvision { get; init; }
}

/// <summary>The roles a backbone may be the default of, for its modality: code that needs "a backbone for images"
/// asks the catalog for the role instead of naming one.</summary>
[Flags]
public enum EncoderDefault
{
    None = 0,
    /// <summary>The paper's backbone: a branch that names no encoder takes it.</summary>
    Paper = 1,
    /// <summary>A backbone that trains in minutes on a CPU at a narrow width: starter configs, benchmarks and self-checks.</summary>
    Small = 2,
}

/// <summary>
/// Name → encoder entry. The paper's backbones are here ("resnet50", "resnet50x2", "resnet200x2", …); another assembly
/// adds its own with <see cref="Register(EncoderEntry)"/>. Names are case-sensitive (the rule of every <see cref="Catalog{TEntry}"/>).
/// </summary>
public static class EncoderCatalog
{
    private static readonly Catalog<EncoderEntry> Entries = new("encoder", e => e.Name);

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
                // The paper's backbone is ResNet-50; ResNet-18 is the CPU recipes' (narrowed by base_width).
                var role = widen != 1 ? EncoderDefault.None : depth == 50 ? EncoderDefault.Paper : depth == 18 ? EncoderDefault.Small : EncoderDefault.None;
                Register(new EncoderEntry(name, Image, false, s => new ResNet(name, bottleneck, layers,
                    new ResNetOptions(s.InChannels, widen, s.ZeroInitResidual, s.Stem, BaseWidth: s.BaseWidth ?? 64)))
                    { ReadsStem = true, DefaultFor = role, InTorchvision = widen == 1 && depth <= 152 });
                // The paper's spectrogram branch: log-mel on the device, then the 2-D net with one channel.
                if (widen == 1)
                    Register(new EncoderEntry($"spectrogram-{name}", Audio, true, s => new SpectrogramEncoder(s.Mel ?? new LogMelOptions(), s.SpecAugment ?? new SpecAugmentOptions(),
                        new ResNet(name, bottleneck, layers, new ResNetOptions(1, 1, s.ZeroInitResidual, s.Stem, BaseWidth: s.BaseWidth ?? 64))))
                        { ReadsStem = true, DefaultFor = depth == 18 ? EncoderDefault.Small : EncoderDefault.None });
            }
        // Raw-waveform ResNets (the paper's waveform branch is resnet1d18, 384 features).
        Register("resnet1d18", s => new ResNet1d("resnet1d18", new[] { 2, 2, 2, 2 }, s.BaseWidth ?? 48, 1, s.ZeroInitResidual), Audio);
        Register("resnet1d34", s => new ResNet1d("resnet1d34", new[] { 3, 4, 6, 3 }, s.BaseWidth ?? 48, 1, s.ZeroInitResidual), Audio);
        // Table 5's ViT-S/16, and a tiny ViT (patch 4, width 64, 4 blocks) for 16–32 px images on a CPU.
        Register("vit-s16", s => new VisionTransformer("vit-s16", new VitOptions(16, 384, 12, 6, s.InChannels)));
        Register("vit-tiny4", s => new VisionTransformer("vit-tiny4", new VitOptions(4, 64, 4, 4, s.InChannels)));
    }

    /// <summary>All registered names, sorted.</summary>
    public static IReadOnlyList<string> Names => Entries.Names.OrderBy(k => k, StringComparer.Ordinal).ToList();

    public static IReadOnlyList<EncoderEntry> All => Entries.All;

    public static bool Contains(string name) => Entries.Contains(name);

    /// <summary>The data modality of encoders that take images ([N, C, H, W]).</summary>
    public const string Image = Modalities.Image;
    /// <summary>The data modality of encoders that take mono waveforms ([N, 1, samples]): raw-waveform and spectrogram encoders.</summary>
    public const string Audio = Modalities.Audio;

    /// <summary>Adds or replaces an entry.</summary>
    public static void Register(EncoderEntry entry) => Entries.Register(entry);

    /// <summary>Adds or replaces a factory. <paramref name="input"/> is the data modality the encoder consumes
    /// (<see cref="Image"/>, <see cref="Audio"/>, or a plug-in's): configs are checked against it, never against names.</summary>
    /// <param name="logMel">The encoder starts with a log-mel front end, so it reads <see cref="EncoderSpec.Mel"/> and
    /// <see cref="EncoderSpec.SpecAugment"/>.</param>
    public static void Register(string name, Func<EncoderSpec, Encoder> factory, string input = Image, bool logMel = false) =>
        Register(new EncoderEntry(name, input, logMel, factory));

    /// <summary>The entry of <paramref name="name"/>; an unknown name lists the known ones.</summary>
    public static EncoderEntry Get(string name) => Entries.Get(name);

    public static bool TryGet(string name, out EncoderEntry entry) => Entries.TryGet(name, out entry);

    /// <summary>The name of the first encoder of <paramref name="modality"/> that declares itself the <paramref name="role"/>
    /// default (<see cref="EncoderEntry.DefaultFor"/>).</summary>
    public static string Default(string modality, EncoderDefault role) =>
        Entries.All.FirstOrDefault(e => e.Input == modality && e.DefaultFor.HasFlag(role))?.Name
        ?? throw new ArgumentException($"no {modality} encoder is declared the {role.ToString().ToLowerInvariant()} default; register one with DefaultFor = EncoderDefault.{role}");

    /// <summary>Whether encoder <paramref name="name"/> has a log-mel front end (reads mel and spec_augment settings).</summary>
    public static bool HasLogMel(string name) => Entries.TryGet(name, out var e) && e.LogMel;

    /// <summary>The data modality encoder <paramref name="name"/> consumes.</summary>
    public static string InputOf(string name) => Get(name).Input;

    /// <summary>Builds an encoder; an unknown name lists the known ones.</summary>
    public static Encoder Create(EncoderSpec spec) => Get(spec.Name).Create(spec);

    public static Encoder Create(string name) => Create(new EncoderSpec(name));
}
