using Vicreg.Core;
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
    [Option("The run's name: its folder under output.runs_dir.")]
    public string Name { get; init; } = "vicreg";
    [Option("Seed of the weights, the data order and every view.")]
    public int Seed { get; init; } = 0;
    /// <summary>"cpu", "cuda", "cuda:N" or "auto".</summary>
    [Option("\"cpu\", \"cuda\", \"cuda:N\" or \"auto\".", Values = new[] { "auto", "cpu", "cuda", "cuda:N" })]
    public string Device { get; init; } = "auto";
    /// <summary>"fp32", or "bf16": forward under libtorch's autocast in bfloat16 (channels-last images), loss in fp32.</summary>
    [Option("\"fp32\", or \"bf16\": forward under libtorch's autocast in bfloat16 (channels-last images), loss in fp32.", Values = new[] { "fp32", "bf16" })]
    public string Precision { get; init; } = "fp32";
    /// <summary>libtorch's intra-op threads; 0: sized against data.workers (see Vicreg.Core.TorchThreads).
    /// The environment variable VICREG_TORCH_THREADS overrides it.</summary>
    [Option("libtorch's intra-op threads; 0: sized against data.workers (see Vicreg.Core.TorchThreads). The environment variable VICREG_TORCH_THREADS overrides it.", Min = 0)]
    public int TorchThreads { get; init; }
    /// <summary>Data parallelism over several devices of this machine (empty: one device).</summary>
    [Option("Data parallelism over several devices of this machine (empty: one device).")]
    public ParallelConfig Parallel { get; init; } = new();
    [Option("The data: its kind, paths and loader settings.")]
    public DataConfig Data { get; init; } = new();
    [Option("The two branches of the joint embedding.")]
    public ModelConfig Model { get; init; } = new();
    [Option("VICReg's coefficients (λ, μ, ν) and the variance term's γ and ε.")]
    public LossConfig Loss { get; init; } = new();
    /// <summary>Which method turns the embeddings into a loss (VICReg by default); see <see cref="MethodConfig"/>.</summary>
    [Option("Which method turns the embeddings into a loss (VICReg by default); see MethodConfig.")]
    public MethodConfig Method { get; init; } = new();
    [Option("Optimizer, learning-rate schedule, batch size and epochs.")]
    public OptimConfig Optim { get; init; } = new();
    [Option("Evaluations during and after pretraining.")]
    public EvalConfig Eval { get; init; } = new();
    [Option("What the run folder holds.")]
    public OutputConfig Output { get; init; } = new();
}

public sealed record DataConfig
{
    /// <summary>A dataset kind of <see cref="Sources.DatasetCatalog"/>. Images: "image-folder" (class subfolders),
    /// "file-list" (CSV/TSV of path,label), "idx" (MNIST-format IDX files; data.train/data.val name the images files) or "synthetic-images" (generated, for the quickstart). Audio: "esc50",
    /// "audio-folder", "audio-manifest", "audioset" or "synthetic-audio" (see data.audio). Image + sound pairs:
    /// "paired-manifest", "video-frames" or "synthetic-paired" (see data.paired).</summary>
    [Option("A dataset kind of DatasetCatalog. Images: \"image-folder\" (class subfolders), \"file-list\" (CSV/TSV of path,label), \"idx\" (MNIST-format IDX files; data.train/data.val name the images files) or \"synthetic-images\" (generated, for the quickstart). Audio: \"esc50\", \"audio-folder\", \"audio-manifest\", \"audioset\" or \"synthetic-audio\" (see data.audio). Image + sound pairs: \"paired-manifest\", \"video-frames\" or \"synthetic-paired\" (see data.paired).")]
    public string Kind { get; init; } = Sources.ImageDatasetKinds.ImageFolder;
    /// <summary>Training images: class subfolders. For the ImageNet layout, the train/ folder.</summary>
    [Option("Training images: class subfolders. For the ImageNet layout, the train/ folder.")]
    public string? Train { get; init; }
    /// <summary>Held-out images for evaluation (ImageNet's val/ with class subfolders). Optional.</summary>
    [Option("Held-out images for evaluation (ImageNet's val/ with class subfolders). Optional.")]
    public string? Val { get; init; }
    /// <summary>Side of the square crops fed to image branches (224 in the paper); a branch's view.size overrides it.</summary>
    [Option("Side of the square crops fed to image branches (224 in the paper); a branch's view.size overrides it.", Min = 8)]
    public int ImageSize { get; init; } = 224;
    /// <summary>Smallest crop area of RandomResizedCrop, as a fraction of the image (0.08 in the paper).</summary>
    [Option("Smallest crop area of RandomResizedCrop, as a fraction of the image (0.08 in the paper).", Min = 0, MinExclusive = true, Max = 1)]
    public double CropScaleMin { get; init; } = 0.08;
    [Option("Loader worker threads that decode and augment.", Min = 1)]
    [System.ComponentModel.DefaultValue("the number of cores")]
    public int Workers { get; init; } = Environment.ProcessorCount;
    /// <summary>Keep decoded images in memory between epochs (small datasets only).</summary>
    [Option("Keep decoded images in memory between epochs (small datasets only).")]
    public bool CacheDecoded { get; init; }
    /// <summary>For kind file-list: CSV/TSV of training images, one "path,label" row each (paths relative to the list's folder).</summary>
    [Option("For kind file-list: CSV/TSV of training images, one \"path,label\" row each (paths relative to the list's folder).")]
    public string? TrainList { get; init; }
    /// <summary>For kind file-list: the held-out images, same format. Optional.</summary>
    [Option("For kind file-list: the held-out images, same format. Optional.")]
    public string? ValList { get; init; }
    /// <summary>Batches the loader workers prepare ahead of training (bounds the loader's memory).</summary>
    [Option("Batches the loader workers prepare ahead of training (bounds the loader's memory).", Min = 1)]
    public int Prefetch { get; init; } = 2;
    [Option("Settings of kind synthetic-images.")]
    public SyntheticConfig Synthetic { get; init; } = new();
    [Option("Audio settings of the audio and paired kinds.")]
    public AudioDataConfig Audio { get; init; } = new();
    /// <summary>Class folders with no files: "refuse" (the default, as torchvision does: one line before training) or
    /// "ignore" (left out with a warning, labels renumbered).</summary>
    [Option("Class folders with no files: \"refuse\" (the default, as torchvision does: one line before training) or \"ignore\" (left out with a warning, labels renumbered).", Values = new[] { "refuse", "ignore" })]
    public string EmptyClasses { get; init; } = "refuse";
    /// <summary>Image files that end early: "skip" (the default, as Pillow does: one line, counted and replaced) or
    /// "accept" (decoded as far as they go, the rest filled by the decoder; Pillow's LOAD_TRUNCATED_IMAGES).</summary>
    [Option("Image files that end early: \"skip\" (the default, as Pillow does: one line, counted and replaced) or \"accept\" (decoded as far as they go, the rest filled by the decoder; Pillow's LOAD_TRUNCATED_IMAGES).", Values = new[] { "skip", "accept" })]
    public string TruncatedImages { get; init; } = "skip";
    /// <summary>Image decoding settings; absent from config.json and the training hash while unset.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    [Option("Image decoding settings; absent from config.json and the training hash while unset.")]
    public ImageDataConfig? Image { get; init; }
    /// <summary>JPEG decoding: "exact" (the default: libjpeg-turbo's TurboJPEG at full scale with its default settings, which is Pillow's decoder, so the pixels are PIL's; ImageSharp's decoder, a few levels from PIL's, for CMYK JPEGs and where libturbojpeg is missing) or "fast" (training views: TurboJPEG at the smallest DCT scale that holds each crop; docs/feeding-a-gpu.md). Other formats always decode exactly.</summary>
    [Option("JPEG decoding: \"exact\" (the default: libjpeg-turbo's TurboJPEG at full scale with its default settings, which is Pillow's decoder, so the pixels are PIL's; ImageSharp's decoder, a few levels from PIL's, for CMYK JPEGs and where libturbojpeg is missing) or \"fast\" (training views: TurboJPEG at the smallest DCT scale that holds each crop; docs/feeding-a-gpu.md). Other formats always decode exactly.", Values = new[] { "exact", "fast" })]
    public string Decode { get; init; } = "exact";
    /// <summary>Where training views are finished: "host" (the default: the loader does every step) or "device" (the
    /// loader crops and resizes to bytes, the training device does the rest as batched tensor operations).</summary>
    [Option("Where training views are finished: \"host\" (the default: the loader does every step) or \"device\" (the loader crops and resizes to bytes, the training device does the rest as batched tensor operations).", Values = new[] { "host", "device" })]
    public string AugmentOn { get; init; } = "host";
    /// <summary>The paired kinds' settings (synthetic-paired, video-frames); absent from config.json and the training hash while unset.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    [Option("The paired kinds' settings (synthetic-paired, video-frames); absent from config.json and the training hash while unset.")]
    public PairedDataConfig? Paired { get; init; }
    /// <summary>The kind's own settings (data.&lt;its section&gt;), a record of its <see cref="Sources.DatasetKind.OptionsType"/>,
    /// read and written by <see cref="EntrySections"/>; null for a kind without a section of its own.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    [Option("The kind's own settings (data.<its section>), a record of its OptionsType, read and written by EntrySections; null for a kind without a section of its own.")]
    public object? Options { get; init; }
}

public sealed record ImageDataConfig
{
    /// <summary>Colour that transparent pixels are blended over: "white", "black", "gray" or "#RRGGBB". Unset: the
    /// alpha is dropped as torchvision's loader does, and transparent pixels keep their stored colour (often black).</summary>
    [Option("Colour that transparent pixels are blended over: \"white\", \"black\", \"gray\" or \"#RRGGBB\". Unset: the alpha is dropped as torchvision's loader does, and transparent pixels keep their stored colour (often black).")]
    public string? Background { get; init; }
}

public sealed record SyntheticConfig
{
    /// <summary>Where the generated dataset is written (reused when it already matches).</summary>
    [Option("Where the generated dataset is written (reused when it already matches).")]
    public string Root { get; init; } = "data/synthetic-images";
    [Option("How many shape classes are generated.", Min = 2, Max = 10)]
    public int Classes { get; init; } = 10;
    [Option("Training images per class.", Min = 1)]
    public int TrainPerClass { get; init; } = 200;
    [Option("Held-out images per class.", Min = 1)]
    public int ValPerClass { get; init; } = 50;
    [Option("Side of the generated images, in pixels.", Min = 16)]
    public int Size { get; init; } = 64;
    /// <summary>Distractors, pixel noise and small shapes (true, the default); false: clean shapes filling 50–90% of the side.</summary>
    [Option("Distractors, pixel noise and small shapes (true, the default); false: clean shapes filling 50–90% of the side.")]
    public bool Clutter { get; init; } = true;
    /// <summary>Null: lossless PNG files; 1–100: 4:2:0 JPEG files at that quality, so that data.decode takes part.</summary>
    [Option("Null: lossless PNG files (the default); 1–100: 4:2:0 JPEG files at that quality, as photographs are stored, so that JPEG decoding (data.decode) takes part.", Min = 1, Max = 100)]
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public int? JpegQuality { get; init; }
}

public sealed record BranchConfig
{
    [Option("The backbone, a name of the encoder catalog; its input decides the branch's modality.")]
    public string Encoder { get; init; } = EncoderCatalog.Default(Modalities.Image, EncoderDefault.Paper);
    [Option("The expander MLP's widths, e.g. \"8192-8192-8192\".")]
    public string Expander { get; init; } = "8192-8192-8192";
    [Option("Input channels of an image branch (3: RGB, 1: luma).", Min = 1)]
    public int InChannels { get; init; } = 3;
    [Option("ResNet stem: imagenet (7×7 conv and max-pool) or small (3×3 conv, for small images).")]
    public ResNetStem Stem { get; init; } = ResNetStem.ImageNet;
    /// <summary>Width of the ResNet stem; null: the architecture's own (64 as in torchvision and the paper, 48 for
    /// resnet1d18 so that it returns 384 features). Smaller for cheap CPU runs.</summary>
    [Option("Width of the ResNet stem; null: the architecture's own (64 as in torchvision and the paper, 48 for resnet1d18 so that it returns 384 features). Smaller for cheap CPU runs.", Min = 1)]
    public int? BaseWidth { get; init; }
    [Option("Start each residual block's last BatchNorm at zero.")]
    public bool ZeroInitResidual { get; init; } = true;
    /// <summary>Log-mel front end of a spectrogram-* encoder (its sample_rate must equal data.audio.sample_rate).</summary>
    [Option("Log-mel front end of a spectrogram-* encoder (its sample_rate must equal data.audio.sample_rate).")]
    public LogMelOptions? Mel { get; init; }
    /// <summary>SpecAugment masks of a spectrogram-* encoder (training only; off by default).</summary>
    [Option("SpecAugment masks of a spectrogram-* encoder (training only; off by default).")]
    public SpecAugmentOptions? SpecAugment { get; init; }
    /// <summary>Optional predictor MLP on the embedding (BYOL, SimSiam), a spec like the expander's ending in its width.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    [Option("Optional predictor MLP on the embedding (BYOL, SimSiam), a spec like the expander's ending in its width.")]
    public string? Predictor { get; init; }
    /// <summary>BatchNorm in the expander's hidden layers (the paper's default; Table 8 removes it).</summary>
    [Option("BatchNorm in the expander's hidden layers (the paper's default; Table 8 removes it).")]
    public bool ExpanderBatchNorm { get; init; } = true;
    /// <summary>ℓ2-normalise the embedding (Table 8's variant; off in VICReg).</summary>
    [Option("ℓ2-normalise the embedding (Table 8's variant; off in VICReg).")]
    public bool NormalizeEmbedding { get; init; }
    /// <summary>This branch's own view settings (the `view` section): a record of the branch's modality (its
    /// <see cref="Sources.ModalityEntry.ViewOptionsType"/>, such as <see cref="Sources.ImageViewOptions"/>), read and
    /// written by <see cref="EntrySections"/>; null: the modality's defaults, which follow the data section.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    [Option("This branch's own view settings (the `view` section): a record of the branch's modality (its ViewOptionsType, such as ImageViewOptions), read and written by EntrySections; null: the modality's defaults, which follow the data section.")]
    public object? View { get; init; }
}

public sealed record ModelConfig
{
    /// <summary>One branch for both views (true) or two independent ones (false).</summary>
    [Option("One branch for both views (true) or two independent ones (false).")]
    public bool Shared { get; init; } = true;
    [Option("Branch A: encoder, expander and view settings.")]
    public BranchConfig BranchA { get; init; } = new();
    /// <summary>Required when unshared; when absent with shared = false, a copy of branch_a with its own weights.</summary>
    [Option("Required when unshared; when absent with shared = false, a copy of branch_a with its own weights.")]
    public BranchConfig? BranchB { get; init; }

    /// <summary>The settings of branch B: its own, or branch A's (shared, or the same architecture with other weights).</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public BranchConfig EffectiveB => BranchB ?? BranchA;
}

public sealed record LossConfig
{
    [Option("λ, the weight of the invariance term.", Min = 0)]
    public double Sim { get; init; } = 25.0;
    [Option("μ, the weight of the variance term.", Min = 0)]
    public double Std { get; init; } = 25.0;
    [Option("ν, the weight of the covariance term.", Min = 0)]
    public double Cov { get; init; } = 1.0;
    [Option("γ, the target standard deviation of the variance hinge.", Min = 0, MinExclusive = true)]
    public double Gamma { get; init; } = 1.0;
    [Option("ε added to the variance before its square root.", Min = 0, MinExclusive = true)]
    public double Eps { get; init; } = 1e-4;
    [Option("How the covariance term is computed: auto, gram or feature (D×D).")]
    public CovarianceForm CovarianceForm { get; init; } = CovarianceForm.Auto;

    public VicRegOptions ToOptions() => new(Sim, Std, Cov, Gamma, Eps, CovarianceForm);
}

public sealed record OptimConfig
{
    /// <summary>"lars" (images, the paper) or "adamw" (the audio experiment).</summary>
    [Option("\"lars\" (images, the paper) or \"adamw\" (the audio experiment).", Values = new[] { "lars", "adamw" })]
    public string Name { get; init; } = "lars";
    [Option("Base learning rate (scaled by batch/256 when scale_lr_with_batch).", Min = 0, MinExclusive = true)]
    public double BaseLr { get; init; } = 0.2;
    [Option("Weight decay.", Min = 0)]
    public double WeightDecay { get; init; } = 1e-6;
    [Option("Momentum of LARS (β₁ of AdamW).", Min = 0, Max = 1, MaxExclusive = true)]
    public double Momentum { get; init; } = 0.9;
    [Option("LARS's trust coefficient η.")]
    public double Eta { get; init; } = 0.001;
    [Option("Samples per step (the global batch).", Min = 2)]
    public int BatchSize { get; init; } = 2048;
    [Option("Pretraining epochs.", Min = 1)]
    public int Epochs { get; init; } = 1000;
    [Option("Epochs of linear warm-up (clamped to optim.epochs, with a warning).", Min = 0)]
    public int WarmupEpochs { get; init; } = 10;
    [Option("The cosine schedule's final learning rate, as a fraction of the peak.", Min = 0, Max = 1)]
    public double EndLrRatio { get; init; } = 0.001;
    /// <summary>Scale base_lr by batch/256 (the paper's rule). AdamW runs usually turn this off.</summary>
    [Option("Scale base_lr by batch/256 (the paper's rule). AdamW runs usually turn this off.")]
    public bool ScaleLrWithBatch { get; init; } = true;
}

public sealed record EvalConfig
{
    /// <summary>Run a linear probe on frozen backbone features when pretraining ends (needs data.val).</summary>
    [Option("Run a linear probe on frozen backbone features when pretraining ends (needs data.val).")]
    public bool LinearProbe { get; init; }
    /// <summary>Also probe the same architecture at its random initialisation, for comparison.</summary>
    [Option("Also probe the same architecture at its random initialisation, for comparison.")]
    public bool CompareRandomInit { get; init; }
    /// <summary>Also fit a linear model on the raw pixels of the evaluation views (image data), the floor a backbone should clear.</summary>
    [Option("Also fit a linear model on the raw pixels of the evaluation views (image data), the floor a backbone should clear.")]
    public bool CompareRawPixels { get; init; }
    [Option("Epochs of the linear probe.", Min = 1)]
    public int Epochs { get; init; } = 100;
    [Option("Learning rate of the linear probe.", Min = 0, MinExclusive = true)]
    public double Lr { get; init; } = 0.02;
    [Option("Weight decay of the linear probe.")]
    public double WeightDecay { get; init; } = 1e-6;
    [Option("Batch size of feature extraction and of the probe.", Min = 1)]
    public int BatchSize { get; init; } = 256;
    /// <summary>Collapse diagnostics of the embeddings at every epoch end (diagnostics.csv, TensorBoard).</summary>
    [Option("Collapse diagnostics of the embeddings at every epoch end (diagnostics.csv, TensorBoard).")]
    public bool Diagnostics { get; init; } = true;
    /// <summary>How many fixed training images (centre views) the diagnostics embed.</summary>
    [Option("How many fixed training images (centre views) the diagnostics embed.", Min = 2)]
    public int DiagnosticsSamples { get; init; } = 256;
    /// <summary>Online kNN accuracy on data.val every this many epochs (0: off).</summary>
    [Option("Online kNN accuracy on data.val every this many epochs (0: off).", Min = 0)]
    public int KnnEvery { get; init; }
    [Option("k of the online kNN.", Min = 1)]
    public int KnnK { get; init; } = 20;
    [Option("Temperature of the online kNN's weights.", Min = 0, MinExclusive = true)]
    public double KnnTemperature { get; init; } = 0.07;
    /// <summary>Cross-modal retrieval between the two branches' embeddings of the held-out pairs when pretraining ends
    /// (unshared models; eval/retrieval.csv), with the random-init model too when compare_random_init is set.</summary>
    [Option("Cross-modal retrieval between the two branches' embeddings of the held-out pairs when pretraining ends (unshared models; eval/retrieval.csv), with the random-init model too when compare_random_init is set.")]
    public bool Retrieval { get; init; }
    /// <summary>Online retrieval on the held-out pairs every this many epochs (0: off; retrieval.csv, TensorBoard).</summary>
    [Option("Online retrieval on the held-out pairs every this many epochs (0: off; retrieval.csv, TensorBoard).", Min = 0)]
    public int RetrievalEvery { get; init; }
}

public sealed record OutputConfig
{
    [Option("The folder that holds run folders.")]
    public string RunsDir { get; init; } = "runs";
    /// <summary>How many checkpoints to keep.</summary>
    [Option("How many checkpoints to keep.", Min = 1)]
    public int KeepCheckpoints { get; init; } = 2;
    /// <summary>Also checkpoint every this many steps inside an epoch (0: at epoch ends only).</summary>
    [Option("Also checkpoint every this many steps inside an epoch (0: at epoch ends only).", Min = 0)]
    public int CheckpointEverySteps { get; init; }
    /// <summary>TensorBoard event files in the run folder (next to stats.csv).</summary>
    [Option("TensorBoard event files in the run folder (next to stats.csv).")]
    public bool Tensorboard { get; init; } = true;
    /// <summary>PNG plots in runs/&lt;name&gt;/plots/ when the run ends.</summary>
    [Option("PNG plots in runs/<name>/plots/ when the run ends.")]
    public bool Plots { get; init; } = true;
}
