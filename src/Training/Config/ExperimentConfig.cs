using Vicreg.Encoders;
using Vicreg.Encoders.Audio;
using Vicreg.Losses;

namespace Vicreg.Training.Config;

/// <summary>
/// A whole experiment, as written in experiments/*.json (snake_case keys). Defaults are the paper's
/// ImageNet settings; the quickstart file overrides what a CPU needs. Validated once by <see cref="ConfigLoader"/>.
/// </summary>
public sealed record ExperimentConfig
{
    public string Name { get; init; } = "vicreg";
    public int Seed { get; init; } = 0;
    /// <summary>"cpu", "cuda", "cuda:N" or "auto".</summary>
    public string Device { get; init; } = "auto";
    /// <summary>"fp32", or "bf16": forward under libtorch's autocast in bfloat16 (channels-last images), loss in fp32.</summary>
    public string Precision { get; init; } = "fp32";
    /// <summary>libtorch's intra-op threads; 0: sized against data.workers (see Vicreg.Core.TorchThreads).
    /// The environment variable VICREG_TORCH_THREADS overrides it.</summary>
    public int TorchThreads { get; init; }
    /// <summary>Data parallelism over several devices of this machine (empty: one device).</summary>
    public ParallelConfig Parallel { get; init; } = new();
    public DataConfig Data { get; init; } = new();
    public ModelConfig Model { get; init; } = new();
    public LossConfig Loss { get; init; } = new();
    /// <summary>Which method turns the embeddings into a loss (VICReg by default); see <see cref="MethodConfig"/>.</summary>
    public MethodConfig Method { get; init; } = new();
    public OptimConfig Optim { get; init; } = new();
    public EvalConfig Eval { get; init; } = new();
    public OutputConfig Output { get; init; } = new();
}

public sealed record DataConfig
{
    /// <summary>A dataset kind of <see cref="Sources.DatasetCatalog"/>. Images: "image-folder" (class subfolders),
    /// "file-list" (CSV/TSV of path,label), "idx" (MNIST-format IDX files; data.train/data.val name the images files) or "synthetic-images" (generated, for the quickstart). Audio: "esc50",
    /// "audio-folder", "audio-manifest", "audioset" or "synthetic-audio" (see data.audio). Image + sound pairs:
    /// "paired-manifest", "video-frames" or "synthetic-paired" (see data.paired).</summary>
    public string Kind { get; init; } = "image-folder";
    /// <summary>Training images: class subfolders. For the ImageNet layout, the train/ folder.</summary>
    public string? Train { get; init; }
    /// <summary>Held-out images for evaluation (ImageNet's val/ with class subfolders). Optional.</summary>
    public string? Val { get; init; }
    /// <summary>Side of the square crops fed to image branches (224 in the paper); a branch's view.size overrides it.</summary>
    public int ImageSize { get; init; } = 224;
    /// <summary>Smallest crop area of RandomResizedCrop, as a fraction of the image (0.08 in the paper).</summary>
    public double CropScaleMin { get; init; } = 0.08;
    public int Workers { get; init; } = Environment.ProcessorCount;
    /// <summary>Keep decoded images in memory between epochs (small datasets only).</summary>
    public bool CacheDecoded { get; init; }
    /// <summary>For kind file-list: CSV/TSV of training images, one "path,label" row each (paths relative to the list's folder).</summary>
    public string? TrainList { get; init; }
    /// <summary>For kind file-list: the held-out images, same format. Optional.</summary>
    public string? ValList { get; init; }
    /// <summary>Batches the loader workers prepare ahead of training (bounds the loader's memory).</summary>
    public int Prefetch { get; init; } = 2;
    public SyntheticConfig Synthetic { get; init; } = new();
    public AudioDataConfig Audio { get; init; } = new();
    /// <summary>Class folders with no files: "refuse" (the default, as torchvision does: one line before training) or
    /// "ignore" (left out with a warning, labels renumbered).</summary>
    public string EmptyClasses { get; init; } = "refuse";
    /// <summary>Image files that end early: "skip" (the default, as Pillow does: one line, counted and replaced) or
    /// "accept" (decoded as far as they go, the rest filled by the decoder; Pillow's LOAD_TRUNCATED_IMAGES).</summary>
    public string TruncatedImages { get; init; } = "skip";
    /// <summary>Image decoding settings; absent from config.json and the training hash while unset.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public ImageDataConfig? Image { get; init; }
    /// <summary>JPEG decoding for training views: "exact" (the default: bit-exact to PIL) or "fast" (TurboJPEG at the
    /// smallest DCT scale that holds each crop; docs/feeding-a-gpu.md).</summary>
    public string Decode { get; init; } = "exact";
    /// <summary>Where training views are finished: "host" (the default: the loader does every step) or "device" (the
    /// loader crops and resizes to bytes, the training device does the rest as batched tensor operations).</summary>
    public string AugmentOn { get; init; } = "host";
    /// <summary>The paired kinds' settings (synthetic-paired, video-frames); absent from config.json and the training hash while unset.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public PairedDataConfig? Paired { get; init; }
    /// <summary>The kind's own settings (data.&lt;its section&gt;), a record of its <see cref="Sources.DatasetKind.OptionsType"/>,
    /// read and written by <see cref="EntrySections"/>; null for a kind without a section of its own.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public object? Options { get; init; }
}

public sealed record ImageDataConfig
{
    /// <summary>Colour that transparent pixels are blended over: "white", "black", "gray" or "#RRGGBB". Unset: the
    /// alpha is dropped as torchvision's loader does, and transparent pixels keep their stored colour (often black).</summary>
    public string? Background { get; init; }
}

public sealed record SyntheticConfig
{
    /// <summary>Where the generated dataset is written (reused when it already matches).</summary>
    public string Root { get; init; } = "data/synthetic-images";
    public int Classes { get; init; } = 10;
    public int TrainPerClass { get; init; } = 200;
    public int ValPerClass { get; init; } = 50;
    public int Size { get; init; } = 64;
    /// <summary>Distractors, pixel noise and small shapes (true, the default); false: clean shapes filling 50–90% of the side.</summary>
    public bool Clutter { get; init; } = true;
}

public sealed record BranchConfig
{
    public string Encoder { get; init; } = "resnet50";
    public string Expander { get; init; } = "8192-8192-8192";
    public int InChannels { get; init; } = 3;
    public ResNetStem Stem { get; init; } = ResNetStem.ImageNet;
    /// <summary>Width of the ResNet stem; null: the architecture's own (64 as in torchvision and the paper, 48 for
    /// resnet1d18 so that it returns 384 features). Smaller for cheap CPU runs.</summary>
    public int? BaseWidth { get; init; }
    public bool ZeroInitResidual { get; init; } = true;
    /// <summary>Log-mel front end of a spectrogram-* encoder (its sample_rate must equal data.audio.sample_rate).</summary>
    public LogMelOptions? Mel { get; init; }
    /// <summary>SpecAugment masks of a spectrogram-* encoder (training only; off by default).</summary>
    public SpecAugmentOptions? SpecAugment { get; init; }
    /// <summary>Optional predictor MLP on the embedding (BYOL, SimSiam), a spec like the expander's ending in its width.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public string? Predictor { get; init; }
    /// <summary>BatchNorm in the expander's hidden layers (the paper's default; Table 8 removes it).</summary>
    public bool ExpanderBatchNorm { get; init; } = true;
    /// <summary>ℓ2-normalise the embedding (Table 8's variant; off in VICReg).</summary>
    public bool NormalizeEmbedding { get; init; }
    /// <summary>This branch's own view settings (the `view` section): a record of the branch's modality (its
    /// <see cref="Sources.ModalityEntry.ViewOptionsType"/>, such as <see cref="Sources.ImageViewOptions"/>), read and
    /// written by <see cref="EntrySections"/>; null: the modality's defaults, which follow the data section.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public object? View { get; init; }
}

public sealed record ModelConfig
{
    /// <summary>One branch for both views (true) or two independent ones (false).</summary>
    public bool Shared { get; init; } = true;
    public BranchConfig BranchA { get; init; } = new();
    /// <summary>Required when unshared; when absent with shared = false, a copy of branch_a with its own weights.</summary>
    public BranchConfig? BranchB { get; init; }

    /// <summary>The settings of branch B: its own, or branch A's (shared, or the same architecture with other weights).</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public BranchConfig EffectiveB => BranchB ?? BranchA;
}

public sealed record LossConfig
{
    public double Sim { get; init; } = 25.0;
    public double Std { get; init; } = 25.0;
    public double Cov { get; init; } = 1.0;
    public double Gamma { get; init; } = 1.0;
    public double Eps { get; init; } = 1e-4;
    public CovarianceForm CovarianceForm { get; init; } = CovarianceForm.Auto;

    public VicRegOptions ToOptions() => new(Sim, Std, Cov, Gamma, Eps, CovarianceForm);
}

public sealed record OptimConfig
{
    /// <summary>"lars" (images, the paper) or "adamw" (the audio experiment).</summary>
    public string Name { get; init; } = "lars";
    public double BaseLr { get; init; } = 0.2;
    public double WeightDecay { get; init; } = 1e-6;
    public double Momentum { get; init; } = 0.9;
    public double Eta { get; init; } = 0.001;
    public int BatchSize { get; init; } = 2048;
    public int Epochs { get; init; } = 1000;
    public int WarmupEpochs { get; init; } = 10;
    public double EndLrRatio { get; init; } = 0.001;
    /// <summary>Scale base_lr by batch/256 (the paper's rule). AdamW runs usually turn this off.</summary>
    public bool ScaleLrWithBatch { get; init; } = true;
}

public sealed record EvalConfig
{
    /// <summary>Run a linear probe on frozen backbone features when pretraining ends (needs data.val).</summary>
    public bool LinearProbe { get; init; }
    /// <summary>Also probe the same architecture at its random initialisation, for comparison.</summary>
    public bool CompareRandomInit { get; init; }
    /// <summary>Also fit a linear model on the raw pixels of the evaluation views (image data), the floor a backbone should clear.</summary>
    public bool CompareRawPixels { get; init; }
    public int Epochs { get; init; } = 100;
    public double Lr { get; init; } = 0.02;
    public double WeightDecay { get; init; } = 1e-6;
    public int BatchSize { get; init; } = 256;
    /// <summary>Collapse diagnostics of the embeddings at every epoch end (diagnostics.csv, TensorBoard).</summary>
    public bool Diagnostics { get; init; } = true;
    /// <summary>How many fixed training images (centre views) the diagnostics embed.</summary>
    public int DiagnosticsSamples { get; init; } = 256;
    /// <summary>Online kNN accuracy on data.val every this many epochs (0: off).</summary>
    public int KnnEvery { get; init; }
    public int KnnK { get; init; } = 20;
    public double KnnTemperature { get; init; } = 0.07;
    /// <summary>Cross-modal retrieval between the two branches' embeddings of the held-out pairs when pretraining ends
    /// (unshared models; eval/retrieval.csv), with the random-init model too when compare_random_init is set.</summary>
    public bool Retrieval { get; init; }
    /// <summary>Online retrieval on the held-out pairs every this many epochs (0: off; retrieval.csv, TensorBoard).</summary>
    public int RetrievalEvery { get; init; }
}

public sealed record OutputConfig
{
    public string RunsDir { get; init; } = "runs";
    /// <summary>How many checkpoints to keep.</summary>
    public int KeepCheckpoints { get; init; } = 2;
    /// <summary>Also checkpoint every this many steps inside an epoch (0: at epoch ends only).</summary>
    public int CheckpointEverySteps { get; init; }
    /// <summary>TensorBoard event files in the run folder (next to stats.csv).</summary>
    public bool Tensorboard { get; init; } = true;
    /// <summary>PNG plots in runs/&lt;name&gt;/plots/ when the run ends.</summary>
    public bool Plots { get; init; } = true;
}
