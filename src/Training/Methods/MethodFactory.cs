using Vicreg.Training.Config;

namespace Vicreg.Training.Methods;

/// <summary>The method an experiment's `method` section names (validated beforehand by <see cref="MethodValidator"/>).</summary>
public static class MethodFactory
{
    public static IMethod Create(ExperimentConfig c)
    {
        var m = c.Method;
        var added = new AddedTerms(m.VarCoeff, m.CovCoeff);
        return m.Name switch
        {
            "vicreg" => new VicRegMethod(c.Loss.ToOptions()),
            "barlow-twins" => new BarlowTwinsMethod(m.OffDiagonal, added),
            "simclr" => new SimClrMethod(m.Temperature, added),
            "byol" => new ByolMethod(m.Tau, added),
            "simsiam" => new SimSiamMethod(added),
            _ => throw new ArgumentException($"method.name: unknown method \"{m.Name}\""),
        };
    }
}
