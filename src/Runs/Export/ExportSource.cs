using Vicreg.Data.Views;
using Vicreg.Encoders;
using Vicreg.Training.Config;
using Vicreg.Training.Model;
using Vicreg.Training.Runs;
using Vicreg.Training.Sources;
using static TorchSharp.torch;

namespace Vicreg.Runs.Export;

/// <summary>
/// What <c>vicreg export</c> writes out: one branch of a run's newest checkpoint (its encoder, and its expander for
/// ONNX), or a freshly initialised encoder by name; with the view recipe that prepares its inputs and the metadata
/// an ONNX file carries.
/// </summary>
public sealed class ExportSource : IDisposable
{
    private readonly IDisposable owner;

    private ExportSource(Encoder encoder, Branch? branch, IViewRecipe recipe, IReadOnlyList<KeyValuePair<string, string>> metadata, IDisposable owner)
    {
        Encoder = encoder;
        Branch = branch;
        Recipe = recipe;
        Metadata = metadata;
        this.owner = owner;
    }

    public Encoder Encoder { get; }

    /// <summary>The run's branch (encoder and expander); null for a fresh encoder, which has no expander.</summary>
    public Branch? Branch { get; }

    public IViewRecipe Recipe { get; }
    public IReadOnlyList<KeyValuePair<string, string>> Metadata { get; }

    /// <summary>Branch <paramref name="side"/> of the newest complete checkpoint of <paramref name="run"/>.</summary>
    public static ExportSource FromRun(RunFolder run, ExperimentConfig c, BranchSide side, Action<string> info)
    {
        manual_seed(c.Seed);
        var model = ModelFactory.Build(c.Model, c.Method);
        var state = Checkpoints.TryRestoreLatest(run, model);
        if (state is null)
        {
            model.Dispose();
            throw new InvalidOperationException($"{run.CheckpointsDir}: no complete checkpoint to export");
        }
        var branch = side == BranchSide.A ? model.A : model.B;
        string letter = side == BranchSide.A ? "a" : "b";
        var metadata = new List<KeyValuePair<string, string>>
        {
            new("branch", letter),
            new("run", Path.GetFileName(run.Root.TrimEnd('/', '\\'))),
            new("step", state.GlobalStep.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        };
        info($"exporting branch {letter}'s backbone ({branch.Encoder.GetName()}) from step {state.GlobalStep} of {run.Root}");
        return new ExportSource(branch.Encoder, branch, ModalityCatalog.RecipeFor(c, side), metadata, model);
    }

    /// <summary>A freshly initialised encoder (seed 0), with the default config's views for its modality.</summary>
    public static ExportSource Fresh(string encoderName)
    {
        manual_seed(0);
        var encoder = EncoderCatalog.Create(encoderName);
        // The default config's views for this encoder's modality (224-px images, 16-kHz sounds); a data kind that
        // generates that modality only so that the config needs no data folder.
        string modality = EncoderCatalog.InputOf(encoderName);
        var kind = DatasetCatalog.GeneratedOf(modality)
            ?? throw new ArgumentException($"encoder {encoderName} takes {modality}, and no data kind generates {modality} alone, so it has no default views to export with");
        var recipe = ModalityCatalog.RecipeFor(ConfigLoader.Parse("{}", "export", new[] { $"data.kind={kind.Name}", $"model.branch_a.encoder={encoderName}" }), BranchSide.A);
        return new ExportSource(encoder, null, recipe, Array.Empty<KeyValuePair<string, string>>(), encoder);
    }

    public void Dispose() => owner.Dispose();
}
