using Vicreg.Core;

namespace Vicreg.Tooling.Init;

/// <summary>The modalities <c>vicreg init</c> writes starters for, images first (the choice when no modality's files are the majority).</summary>
public static class StarterModalities
{
    private static readonly Catalog<StarterModality> Entries = new("modality", s => s.Modality, new StarterModality[] { new ImageStarter(), new AudioStarter() });

    public static IReadOnlyList<StarterModality> All => Entries.All;

    /// <summary>Adds or replaces a starter (a plug-in modality's).</summary>
    public static void Register(StarterModality starter) => Entries.Register(starter);

    public static StarterModality Get(string modality) => Entries.Get(modality);
}
