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
    /// <summary>The run's name: its folder is output.runs_dir/name.</summary>
    /// <value>a file name</value>
    public string Name { get; init; } = "vicreg";
    /// <summary>Seeds weights, data order and augmentations; a run is reproducible from it.</summary>
    public int Seed { get; init; } = 0;
    /// <summary>"cpu", "cuda", "cuda:N" or "auto".</summary>
    /// <value>auto, cpu, cuda or cuda:N</value>
    public string Device { get; init; } = "auto";
    /// <summary>"fp32", or "bf16": forward under libtorch's autocast in bfloat16 (channels-last images), loss in fp32.</summary>
    /// <value>one of fp32, bf16</value>
    public string Precision { get; init; } = "fp32";
    /// <summary>libtorch's intra-op threads; 0: sized against data.workers (see Vicreg.Core.TorchThreads).
    /// The environment variable VICREG_TORCH_THREADS overrides it.</summary>
    /// <value>≥ 0</value>
    public int TorchThreads { get; init; }
    /// <summary>Data parallelism over several devices of this machine (empty: one device).</summary>
    public ParallelConfig Parallel { get; init; } = new();
    /// <summary>Where the samples come from and how views are made of them.</summary>
    public DataConfig Data { get; init; } = new();
    /// <summary>The two branches: encoders, expanders, views, and whether they share weights.</summary>
    public ModelConfig Model { get; init; } = new();
    /// <summary>VICReg's coefficients λ (sim), μ (std), ν (cov) and the variance target.</summary>
    public LossConfig Loss { get; init; } = new();
    /// <summary>Which method turns the embeddings into a loss (VICReg by default); see <see cref="MethodConfig"/>.</summary>
    public MethodConfig Method { get; init; } = new();
    /// <summary>Optimizer, learning-rate schedule, batch size and epochs.</summary>
    public OptimConfig Optim { get; init; } = new();
    /// <summary>Evaluations during and after pretraining: probes, kNN, retrieval, diagnostics.</summary>
    public EvalConfig Eval { get; init; } = new();
    /// <summary>Where the run is written, and its checkpoints, TensorBoard and plots.</summary>
    public OutputConfig Output { get; init; } = new();
}

public sealed record DataConfig
{
    /// <summary>A dataset kind of <see cref="Sources.DatasetCatalog"/>. Images: "image-folder" (class subfolders),
    /// "file-list" (CSV/TSV of path,label), "idx" (MNIST-format IDX files; data.train/data.val name the images files) or "synthetic-images" (generated, for the quickstart). Audio: "esc50",
    /// "audio-folder", "audio-manifest", "audioset" or "synthetic-audio" (see data.audio). Image + sound pairs:
    /// "paired-manifest", "video-frames" or "synthetic-paired" (see data.paired).</summary>
    /// <value>a dataset kind of the catalog</value>
    public string Kind { get; init; } = "image-folder";
    /// <summary>Training images: class subfolders. For the ImageNet layout, the train/ folder.</summary>
    public string? Train { get; init; }
    /// <summary>Held-out images for evaluation (ImageNet's val/ with class subfolders). Optional.</summary>
    public string? Val { get; init; }
    /// <summary>Side of the square crops fed to image branches (224 in the paper); a branch's view.size overrides it.</summary>
    /// <value>≥ 8</value>
    public int ImageSize { get; init; } = 224;
    /// <summary>Smallest crop area of RandomResizedCrop, as a fraction of the image (0.08 in the paper).</summary>
    /// <value>in (0, 1]</value>
    public double CropScaleMin { get; init; } = 0.08;
    /// <summary>Threads that decode and augment samples ahead of training.</summary>
    /// <value>≥ 1</value>
    [System.ComponentModel.DefaultValue("the number of cores")]
    public int Workers { get; init; } = Environment.ProcessorCount;
    /// <summary>Keep decoded images in memory between epochs (small datasets only).</summary>
    public bool CacheDecoded { get; init; }
    /// <summary>For kind file-list: CSV/TSV of training images, one "path,label" row each (paths relative to the list's folder).</summary>
    public string? TrainList { get; init; }
    /// <summary>For kind file-list: the held-out images, same format. Optional.</summary>
    public string? ValList { get; init; }
    /// <summary>Batches the loader workers prepare ahead of training (bounds the loader's memory).</summary>
    /// <value>≥ 1</value>
    public int Prefetch { get; init; } = 2;
    /// <summary>The generated shapes of kind synthetic-images.</summary>
    public SyntheticConfig Synthetic { get; init; } = new();
    /// <summary>Audio settings of the audio and paired kinds.</summary>
    public AudioDataConfig Audio { get; init; } = new();
    /// <summary>Class folders with no files: "refuse" (the default, as torchvision does: one line before training) or
    /// "ignore" (left out with a warning, labels renumbered).</summary>
    /// <value>one of refuse, ignore</value>
    public string EmptyClasses { get; init; } = "refuse";
    /// <summary>Image files that end early: "skip" (the default, as Pillow does: one line, counted and replaced) or
    /// "accept" (decoded as far as they go, the rest filled by the decoder; Pillow's LOAD_TRUNCATED_IMAGES).</summary>
    /// <value>one of skip, accept</value>
    public string TruncatedImages { get; init; } = "skip";
    /// <summary>Image decoding settings; absent from config.json and the training hash while unset.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public ImageDataConfig? Image { get; init; }
    /// <summary>JPEG decoding for training views: "exact" (the default: bit-exact to PIL) or "fast" (TurboJPEG at the
    /// smallest DCT scale that holds each crop; docs/feeding-a-gpu.md).</summary>
    /// <value>one of exact, fast</value>
    public string Decode { get; init; } = "exact";
    /// <summary>Where training views are finished: "host" (the default: the loader does every step) or "device" (the
    /// loader crops and resizes to bytes, the training device does the rest as batched tensor operations).</summary>
    /// <value>one of host, device</value>
    public string AugmentOn { get; init; } = "host";
    /// <summary>The paired kinds' settings (synthetic-paired, video-frames); absent from config.json and the training hash while unset.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public PairedDataConfig? Paired { get; init; }
}

public sealed record ImageDataConfig
{
    /// <summary>Colour that transparent pixels are blended over: "white", "black", "gray" or "#RRGGBB". Unset: the
    /// alpha is dropped as torchvision's loader does, and transparent pixels keep their stored colour (often black).</summary>
    /// <value>white, black, gray or #RRGGBB</value>
    public string? Background { get; init; }
}

public sealed record SyntheticConfig
{
    /// <summary>Where the generated dataset is written (reused when it already matches).</summary>
    public string Root { get; init; } = "data/synthetic-images";
    /// <summary>How many shape classes to generate.</summary>
    /// <value>in [2, 10]</value>
    public int Classes { get; init; } = 10;
    /// <summary>Training images per class.</summary>
    /// <value>≥ 1</value>
    public int TrainPerClass { get; init; } = 200;
    /// <summary>Held-out images per class.</summary>
    /// <value>≥ 1</value>
    public int ValPerClass { get; init; } = 50;
    /// <summary>Side of the generated images, in pixels.</summary>
    /// <value>≥ 16</value>
    public int Size { get; init; } = 64;
    /// <summary>Distractors, pixel noise and small shapes (true, the default); false: clean shapes filling 50–90% of the side.</summary>
    public bool Clutter { get; init; } = true;
}

public sealed record BranchConfig
{
    /// <summary>The backbone: an encoder of the catalog (resnet18 … resnet200, ×2/×4 widths, vit-s16, vit-tiny4, resnet1d18/34, spectrogram-resnet*).</summary>
    /// <value>an encoder of the catalog</value>
    public string Encoder { get; init; } = "resnet50";
    /// <summary>Widths of the expander MLP after the backbone, dash-separated; the last is the embedding width.</summary>
    /// <value>widths ≥ 1, e.g. 8192-8192-8192</value>
    public string Expander { get; init; } = "8192-8192-8192";
    /// <summary>Input channels of the encoder: 3 for RGB, 1 for luma or spectrograms.</summary>
    /// <value>≥ 1</value>
    public int InChannels { get; init; } = 3;
    /// <summary>ResNet stem: image_net (7×7 stride 2 and max-pool) or small (3×3 stride 1, for small CPU images).</summary>
    public ResNetStem Stem { get; init; } = ResNetStem.ImageNet;
    /// <summary>Width of the ResNet stem; null: the architecture's own (64 as in torchvision and the paper, 48 for
    /// resnet1d18 so that it returns 384 features). Smaller for cheap CPU runs.</summary>
    /// <value>≥ 1</value>
    public int? BaseWidth { get; init; }
    /// <summary>Start each residual block's last batch-norm scale at zero (torchvision's zero_init_residual).</summary>
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
    /// <summary>This branch's own view settings (size, crop scale, augmentation); unset fields follow the data section.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public ViewConfig? View { get; init; }
}

public sealed record ModelConfig
{
    /// <summary>One branch for both views (true) or two independent ones (false).</summary>
    public bool Shared { get; init; } = true;
    /// <summary>The branch of the first view (and of both when shared).</summary>
    public BranchConfig BranchA { get; init; } = new();
    /// <summary>Required when unshared; when absent with shared = false, a copy of branch_a with its own weights.</summary>
    public BranchConfig? BranchB { get; init; }

    /// <summary>The settings of branch B: its own, or branch A's (shared, or the same architecture with other weights).</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public BranchConfig EffectiveB => BranchB ?? BranchA;
}

public sealed record LossConfig
{
    /// <summary>λ: weight of the invariance term (mean squared error between the two embeddings).</summary>
    /// <value>≥ 0</value>
    public double Sim { get; init; } = 25.0;
    /// <summary>μ: weight of the variance term (hinge on each dimension's standard deviation).</summary>
    /// <value>≥ 0</value>
    public double Std { get; init; } = 25.0;
    /// <summary>ν: weight of the covariance term (off-diagonal covariances squared).</summary>
    /// <value>≥ 0</value>
    public double Cov { get; init; } = 1.0;
    /// <summary>γ: the standard deviation the variance term asks of each dimension.</summary>
    /// <value>&gt; 0</value>
    public double Gamma { get; init; } = 1.0;
    /// <summary>ε: added to the variance before its square root.</summary>
    /// <value>&gt; 0</value>
    public double Eps { get; init; } = 1e-4;
    /// <summary>How the covariance term is computed: auto picks the N×N Gram form when N &lt; D, else the D×D form; same value and gradient.</summary>
    public CovarianceForm CovarianceForm { get; init; } = CovarianceForm.Auto;

    public VicRegOptions ToOptions() => new(Sim, Std, Cov, Gamma, Eps, CovarianceForm);
}

public sealed record OptimConfig
{
    /// <summary>"lars" (images, the paper) or "adamw" (the audio experiment).</summary>
    /// <value>one of lars, adamw</value>
    public string Name { get; init; } = "lars";
    /// <summary>Learning rate at the end of warm-up (× batch/256 when scale_lr_with_batch).</summary>
    /// <value>&gt; 0</value>
    public double BaseLr { get; init; } = 0.2;
    /// <summary>Weight decay (LARS and SGD: biases and norms excluded; AdamW: decoupled).</summary>
    /// <value>≥ 0</value>
    public double WeightDecay { get; init; } = 1e-6;
    /// <summary>Momentum of LARS and SGD.</summary>
    /// <value>in [0, 1)</value>
    public double Momentum { get; init; } = 0.9;
    /// <summary>LARS trust coefficient η.</summary>
    public double Eta { get; init; } = 0.001;
    /// <summary>Global batch size: across devices and ranks together.</summary>
    /// <value>≥ 2</value>
    public int BatchSize { get; init; } = 2048;
    /// <summary>Pretraining epochs.</summary>
    /// <value>≥ 1</value>
    public int Epochs { get; init; } = 1000;
    /// <summary>Epochs of linear warm-up before the cosine decay.</summary>
    /// <value>≥ 0</value>
    public int WarmupEpochs { get; init; } = 10;
    /// <summary>Learning rate at the end of the cosine, as a fraction of the peak.</summary>
    /// <value>in [0, 1]</value>
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
    /// <summary>Epochs of the linear probe.</summary>
    /// <value>≥ 1</value>
    public int Epochs { get; init; } = 100;
    /// <summary>Learning rate of the linear probe (SGD, cosine).</summary>
    /// <value>&gt; 0</value>
    public double Lr { get; init; } = 0.02;
    /// <summary>Weight decay of the linear probe.</summary>
    public double WeightDecay { get; init; } = 1e-6;
    /// <summary>Batch size of the linear probe.</summary>
    /// <value>≥ 1</value>
    public int BatchSize { get; init; } = 256;
    /// <summary>Collapse diagnostics of the embeddings at every epoch end (diagnostics.csv, TensorBoard).</summary>
    public bool Diagnostics { get; init; } = true;
    /// <summary>How many fixed training images (centre views) the diagnostics embed.</summary>
    /// <value>≥ 2</value>
    public int DiagnosticsSamples { get; init; } = 256;
    /// <summary>Online kNN accuracy on data.val every this many epochs (0: off).</summary>
    /// <value>≥ 0</value>
    public int KnnEvery { get; init; }
    /// <summary>Neighbours of the kNN classifier.</summary>
    /// <value>≥ 1</value>
    public int KnnK { get; init; } = 20;
    /// <summary>Temperature T of the kNN vote weights exp(similarity / T).</summary>
    /// <value>&gt; 0</value>
    public double KnnTemperature { get; init; } = 0.07;
    /// <summary>Cross-modal retrieval between the two branches' embeddings of the held-out pairs when pretraining ends
    /// (unshared models; eval/retrieval.csv), with the random-init model too when compare_random_init is set.</summary>
    public bool Retrieval { get; init; }
    /// <summary>Online retrieval on the held-out pairs every this many epochs (0: off; retrieval.csv, TensorBoard).</summary>
    /// <value>≥ 0</value>
    public int RetrievalEvery { get; init; }
}

public sealed record OutputConfig
{
    /// <summary>Folder that holds the run folders.</summary>
    public string RunsDir { get; init; } = "runs";
    /// <summary>How many checkpoints to keep.</summary>
    /// <value>≥ 1</value>
    public int KeepCheckpoints { get; init; } = 2;
    /// <summary>Also checkpoint every this many steps inside an epoch (0: at epoch ends only).</summary>
    /// <value>≥ 0</value>
    public int CheckpointEverySteps { get; init; }
    /// <summary>TensorBoard event files in the run folder (next to stats.csv).</summary>
    public bool Tensorboard { get; init; } = true;
    /// <summary>PNG plots in runs/&lt;name&gt;/plots/ when the run ends.</summary>
    public bool Plots { get; init; } = true;
}
