using Vicreg.Core;
using Vicreg.Losses;
using Vicreg.Training.Methods;
using static TorchSharp.torch;

namespace Vicreg.Training;

/// <summary>
/// The one host read of a training step: the logged loss values and, reduced on the device into one flag,
/// whether every gradient is finite, copied to the host together. Only when a check fails is more read, to
/// name the first non-finite term or parameter. Before this, a step read the loss values, then the gradient
/// flag, then every loss input's finite check (two more per loss call); on a GPU each was a synchronisation.
/// </summary>
public sealed class StepGuard
{
    private readonly (string Name, Tensor Parameter)[] parameters;

    public StepGuard(IEnumerable<(string Name, Tensor Parameter)> parameters) => this.parameters = parameters.ToArray();

    /// <summary>The region of a step's forward and backward: the losses' per-input finite checks are left to
    /// <see cref="Check"/> (a NaN or Inf embedding makes the loss or a gradient non-finite).</summary>
    public static IDisposable Step() => EmbeddingChecks.DeferFiniteChecks();

    /// <summary>The loss values of step <paramref name="step"/>; throws <see cref="TrainingDivergedException"/> naming
    /// the first bad term when the loss is not finite, or the first bad parameter when a gradient is not.</summary>
    public LossValues Check(long step, LossTerms loss)
    {
        using var scope = NewDisposeScope();
        var values = loss.Stacked();
        var flags = parameters.Where(x => x.Parameter.grad is not null).Select(x => x.Parameter.grad!.isfinite().all().reshape(1)).ToArray();
        var gradientsFinite = flags.Length == 0 ? ones(1, ScalarType.Float64, values.device)
            : cat(flags, 0).all().to_type(ScalarType.Float64).reshape(1).to(values.device);
        var host = HostReads.Doubles(cat(new[] { values, gradientsFinite }, 0));
        var v = LossValues.From(loss, host);
        if (!double.IsFinite(v.Total))
        {
            var (term, value) = v.Terms.FirstOrDefault(t => !double.IsFinite(t.Value));
            throw term is null ? new TrainingDivergedException(step, "loss", v.Total) : new TrainingDivergedException(step, term, value);
        }
        if (host[^1] != 1) throw new TrainingDivergedException(step, $"the gradient of {FirstNonFinite()}", double.NaN);
        return v;
    }

    /// <summary>Failure path only: one read per parameter until the bad one.</summary>
    private string FirstNonFinite()
    {
        foreach (var (name, parameter) in parameters)
        {
            if (parameter.grad is null) continue;
            using var finite = parameter.grad.isfinite().all();
            if (!finite.item<bool>()) return name; // host read: only after the check failed
        }
        return "a parameter";
    }
}
