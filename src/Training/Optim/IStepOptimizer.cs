using static TorchSharp.torch;

namespace Vicreg.Training.Optim;

/// <summary>What the trainer needs of an optimizer: a step at a given lr, and a state it can checkpoint.</summary>
public interface IStepOptimizer : IDisposable
{
    void ZeroGrad();
    void Step(double lr);
    void Save(string path);
    void Load(string path);
    /// <summary>The tensors it updates, in order: they must be the model's own (Module.to replaces them).</summary>
    IReadOnlyList<Tensor> Parameters { get; }
    /// <summary>The tensors it keeps across steps (momentum, moments): they must live where the parameters do.</summary>
    IReadOnlyList<Tensor> State { get; }
}
