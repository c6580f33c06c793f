namespace Vicreg.Training.Optim;

/// <summary>What the trainer needs of an optimizer: a step at a given lr, and a state it can checkpoint.</summary>
public interface IStepOptimizer : IDisposable
{
    void ZeroGrad();
    void Step(double lr);
    void Save(string path);
    void Load(string path);
}
