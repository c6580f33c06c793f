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

    public void Dispose() => temp.Dispose();
}
