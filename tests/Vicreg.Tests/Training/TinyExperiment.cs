using Vicreg.Training.Config;

namespace Vicreg.Tests.Training;

/// <summary>A seconds-long image experiment in a temp folder: 2 generated classes, 16 px, ResNet-18.</summary>
internal sealed class TinyExperiment : IDisposable
{
    private readonly TempDir temp = new();

    public string Root => temp.Path;

    public ExperimentConfig Config(string name, params string[] overrides) => ConfigLoader.Parse("{}", "tiny.json", Overrides(name, overrides));

    /// <summary>The settings as --set overrides, so a child vicreg process can run the same experiment.</summary>
    public string[] Overrides(string name, params string[] overrides) => new[]
    {
        $"name={name}", "device=cpu", "seed=3",
        "data.kind=synthetic-images", $"data.synthetic.root={Path.Combine(Root, "data").Replace("\\", "/")}",
        "data.synthetic.classes=2", "data.synthetic.train_per_class=16", "data.synthetic.val_per_class=4", "data.synthetic.size=24",
        "data.image_size=16", "data.workers=2", "data.cache_decoded=true",
        "model.branch_a.encoder=resnet18", "model.branch_a.expander=32-32",
        "optim.batch_size=8", "optim.epochs=3", "optim.warmup_epochs=1", "optim.base_lr=0.3",
        $"output.runs_dir={Path.Combine(Root, "runs").Replace("\\", "/")}",
    }.Concat(overrides).ToArray();

    /// <summary>The paired counterpart, as --set overrides: 2 classes of generated image–sound pairs, a 16-px image
    /// ResNet-18 against a 0.25-s waveform ResNet1d-18 (both base width 8), unshared.</summary>
    public string[] PairedOverrides(string name, params string[] overrides) => new[]
    {
        $"name={name}", "device=cpu", "seed=3",
        "data.kind=synthetic-paired", $"data.paired.synthetic.root={Path.Combine(Root, "pairs").Replace("\\", "/")}",
        "data.paired.synthetic.classes=2", "data.paired.synthetic.train_per_class=16", "data.paired.synthetic.val_per_class=4",
        "data.paired.synthetic.image_size=24", "data.paired.synthetic.seconds=0.5",
        "data.image_size=16", "data.workers=2", "data.cache_decoded=true",
        "data.audio.sample_rate=8000", "data.audio.view_b.crop_seconds=0.25", "data.audio.eval_seconds=0.5",
        "model.shared=false",
        "model.branch_a.encoder=resnet18", "model.branch_a.base_width=8", "model.branch_a.expander=32-32",
        "model.branch_b.encoder=resnet1d18", "model.branch_b.base_width=8", "model.branch_b.expander=32-32",
        "optim.name=adamw", "optim.base_lr=0.001", "optim.scale_lr_with_batch=false",
        "optim.batch_size=8", "optim.epochs=3", "optim.warmup_epochs=1", "eval.diagnostics_samples=16",
        $"output.runs_dir={Path.Combine(Root, "runs").Replace("\\", "/")}",
    }.Concat(overrides).ToArray();

    public ExperimentConfig PairedConfig(string name, params string[] overrides) => ConfigLoader.Parse("{}", "tiny-paired.json", PairedOverrides(name, overrides));

    public void Dispose() => temp.Dispose();
}
