using Vicreg.Core;
using Vicreg.Training.Config;

namespace Vicreg.Training.Methods;

/// <summary>
/// Name → <see cref="MethodEntry"/>: the paper's VICReg and the methods of its comparisons (Tables 4 and 5).
/// Another method is its loss, its entry and a call to <see cref="Register"/>; nothing else matches method
/// names. Names are case-sensitive (the rule of every <see cref="Catalog{TEntry}"/>).
/// </summary>
public static class MethodCatalog
{
    private static readonly Catalog<MethodEntry> Entries = new("method", e => e.Name,
        new[] { VicRegMethod.Entry, BarlowTwinsMethod.Entry, SimClrMethod.Entry, ByolMethod.Entry, SimSiamMethod.Entry, SwavMethod.Entry });

    /// <summary>All registered names, in registration order (the paper's first).</summary>
    public static IReadOnlyList<string> Names => Entries.Names;

    public static IReadOnlyList<MethodEntry> All => Entries.All;

    /// <summary>Adds or replaces an entry.</summary>
    public static void Register(MethodEntry entry) => Entries.Register(entry);

    public static bool TryGet(string name, out MethodEntry entry) => Entries.TryGet(name, out entry);

    /// <summary>The entry of <paramref name="name"/>; an unknown name lists the known ones.</summary>
    public static MethodEntry Get(string name) => TryGet(name, out var entry) ? entry
        : throw new ArgumentException($"method.name: must be one of {string.Join(", ", Names)}; got \"{name}\"");

    /// <summary>The method an experiment's `method` section names (validated at load).</summary>
    public static IMethod Create(ExperimentConfig c) => c.Method.Entry.Create(c.Method.Options, MethodContext.Of(c));
}
