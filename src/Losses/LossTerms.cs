using Vicreg.Core;
using static TorchSharp.torch;

namespace Vicreg.Losses;

/// <summary>
/// What every loss returns: the total to minimise and the loss's named terms, each a float32 scalar tensor. A
/// single-term loss may report its total as its term (SimCLR's nt_xent). Disposing it frees every tensor once.
/// The trainer logs whatever terms it gets (stats.csv, TensorBoard), so a loss is free to name its own.
/// </summary>
public sealed class LossTerms : IDisposable
{
    public LossTerms(Tensor total, params (string Name, Tensor Value)[] terms)
    {
        Total = total;
        Terms = terms;
        if (terms.Select(t => t.Name).Distinct(StringComparer.Ordinal).Count() != terms.Length)
            throw new ArgumentException($"loss terms must have distinct names; got {string.Join(", ", terms.Select(t => t.Name))}");
    }

    public Tensor Total { get; }
    public IReadOnlyList<(string Name, Tensor Value)> Terms { get; }

    /// <summary>The term called <paramref name="name"/>, or null.</summary>
    public Tensor? Term(string name) => Terms.FirstOrDefault(t => t.Name == name).Value;

    /// <summary>The total and the terms in one float64 vector on the loss's device: [total, term₁, …].</summary>
    public Tensor Stacked() =>
        cat(new[] { Total }.Concat(Terms.Select(t => t.Value)).Select(t => t.detach().to_type(ScalarType.Float64).reshape(1)).ToArray(), 0);

    /// <summary>Host copies of the total and the terms (one read-back, <see cref="HostReads"/>).</summary>
    public LossValues Values()
    {
        using var stacked = Stacked();
        return LossValues.From(this, HostReads.Doubles(stacked));
    }

    /// <summary>Moves every tensor to the enclosing dispose scope (for a loss computed inside a scope of its own).</summary>
    public LossTerms MoveToOuterScope()
    {
        foreach (var t in Distinct()) t.MoveToOuterDisposeScope();
        return this;
    }

    public void Dispose()
    {
        foreach (var t in Distinct()) t.Dispose();
    }

    private IEnumerable<Tensor> Distinct() =>
        new[] { Total }.Concat(Terms.Select(t => t.Value)).Distinct(ReferenceEqualityComparer.Instance).Cast<Tensor>();
}

/// <summary>Host values of one <see cref="LossTerms"/>: the total and each named term, in the loss's order.</summary>
public sealed record LossValues(double Total, IReadOnlyList<(string Name, double Value)> Terms)
{
    /// <summary>The value of <paramref name="name"/>; NaN when the loss has no such term.</summary>
    public double Term(string name)
    {
        foreach (var (n, v) in Terms) if (n == name) return v;
        return double.NaN;
    }

    /// <summary>Pairs the values read back from <see cref="LossTerms.Stacked"/> (at least 1 + terms long) with the names.</summary>
    public static LossValues From(LossTerms loss, IReadOnlyList<double> stacked) =>
        new(stacked[0], loss.Terms.Select((t, i) => (t.Name, stacked[i + 1])).ToArray());
}
