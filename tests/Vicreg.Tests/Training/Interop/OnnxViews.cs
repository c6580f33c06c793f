using Vicreg.Data.Views;
using Vicreg.Training.Sources;

namespace Vicreg.Tests.Training.Interop;

/// <summary>A batch of real evaluation views of each modality, made by the training pipeline from a tiny generated set of
/// image–sound pairs (16-px images, 0.5-s sounds at 8 kHz): the readers and recipes of a run, the held-out samples.</summary>
public sealed class OnnxViews : IDisposable
{
    private readonly TinyExperiment tiny = new();
    public const int Batch = 4;

    public OnnxViews()
    {
        var c = tiny.PairedConfig("onnx-views");
        using var data = RunData.Prepare(c, _ => { });
        var held = data.Splits.HeldOut!.Take(Batch).ToList();
        Image = Views(data.Input(BranchSide.A, held));
        Audio = Views(data.Input(BranchSide.B, held));
    }

    /// <summary>The recipe and the views [Batch, ...EvalShape] as a flat array.</summary>
    public (IViewRecipe Recipe, float[] Values) Image { get; }
    public (IViewRecipe Recipe, float[] Values) Audio { get; }

    public (IViewRecipe Recipe, float[] Values) For(string modality) => modality == Vicreg.Encoders.EncoderCatalog.Audio ? Audio : Image;

    private static (IViewRecipe, float[]) Views(BranchInput input)
    {
        long per = ViewShapes.Elements(input.Recipe.EvalShape);
        var values = new float[Batch * per];
        for (int i = 0; i < Batch; i++)
        {
            using var sample = input.Reader.TryDecode(i) ?? throw new InvalidDataException($"generated sample {i} could not be read");
            input.Recipe.CentreEval(sample, values.AsSpan((int)(i * per), (int)per));
        }
        return (input.Recipe, values);
    }

    public void Dispose() => tiny.Dispose();
}
