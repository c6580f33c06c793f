using Vicreg.Losses;
using Vicreg.Core;
using static TorchSharp.torch;

namespace Vicreg.Training.Methods;

/// <summary>
/// Multi-crop for a method that compares two embeddings (VICReg, Barlow Twins, SimCLR): each global view against
/// every other view (the other global view and each local view), as VICRegL's global loss and the multi-crop variants
/// of other methods in the SwAV paper pair them, with the method's own loss averaged over these 2(1 + V) ordered
/// pairs, and each logged term averaged the same way (stats.csv keeps the method's columns). The global pair is the
/// same loss either way round for these symmetric losses, so it is computed once and counted twice. Local views are
/// never paired with each other. Without local views it is the method's two-view loss, unchanged.
/// </summary>
public static class LocalViewPairs
{
    public static LossTerms Average(IPairwiseMethod method, Tensor globalA, Tensor globalB, IReadOnlyList<Tensor> locals)
    {
        if (locals.Count == 0) return method.Compute(globalA, globalB);
        using var scope = NewDisposeScope();
        var pairs = new List<(LossTerms Loss, double Weight)> { (method.Compute(globalA, globalB), 2) };
        foreach (var local in locals)
        {
            pairs.Add((method.Compute(globalA, local), 1));
            pairs.Add((method.Compute(globalB, local), 1));
        }
        double count = 2.0 * (1 + locals.Count);
        Tensor Mean(Func<LossTerms, Tensor> pick)
        {
            Tensor? sum = null;
            foreach (var (loss, weight) in pairs)
            {
                var t = weight == 1 ? pick(loss) : pick(loss).Times(weight);
                sum = sum is null ? t : sum.Plus(t);
            }
            return sum!.DividedBy(count);
        }
        var names = pairs[0].Loss.Terms.Select(t => t.Name).ToArray();
        var averaged = new LossTerms(Mean(l => l.Total), names.Select(n => (n, Mean(l => l.Term(n)!))).ToArray());
        return averaged.MoveToOuterScope();
    }
}
