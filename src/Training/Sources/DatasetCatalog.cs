using Vicreg.Core;

namespace Vicreg.Training.Sources;

/// <summary>Dataset kinds by name (data.kind). The image, audio and paired layouts are registered here; a plug-in adds its
/// own with <see cref="Register"/>. Names are case-sensitive (the rule of every <see cref="Catalog{TEntry}"/>).</summary>
public static class DatasetCatalog
{
    private static readonly Catalog<DatasetKind> Kinds = new("dataset kind", k => k.Name,
        ImageDatasetKinds.All.Concat(AudioDatasetKinds.All).Concat(PairedDatasetKinds.All));

    /// <summary>Adds or replaces a kind (from any assembly or thread).</summary>
    public static void Register(DatasetKind kind) => Kinds.Register(kind);

    public static IReadOnlyList<string> Names => Kinds.Names;

    public static IReadOnlyList<DatasetKind> All => Kinds.All;

    public static bool TryGet(string name, out DatasetKind kind) => Kinds.TryGet(name, out kind);

    /// <summary>The first kind that generates samples of <paramref name="modality"/> alone and needs no files
    /// (<see cref="DatasetKind.GeneratedClasses"/>); null when none is registered.</summary>
    public static DatasetKind? GeneratedOf(string modality) =>
        All.FirstOrDefault(k => k.GeneratedClasses is not null && k.Modalities.Count == 1 && k.Modalities[0] == modality);

    /// <summary>The first kind of <paramref name="modality"/> alone whose files are laid out as <paramref name="layout"/>; null when none is registered.</summary>
    public static DatasetKind? WithLayout(string modality, DataLayout layout) =>
        All.FirstOrDefault(k => k.Layout == layout && k.Modalities.Count == 1 && k.Modalities[0] == modality);

    public static DatasetKind Get(string name) =>
        Kinds.TryGet(name, out var kind) ? kind : throw new ArgumentException("data.kind: " + Kinds.Unknown(name));

    /// <summary>The train and held-out samples a data section points at; every path is checked first.</summary>
    public static DataSplits Prepare(DataRequest request)
    {
        var kind = Get(request.Data.Kind);
        DataPaths.Check(request.Data);
        return kind.Prepare(request);
    }
}
