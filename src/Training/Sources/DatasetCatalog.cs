namespace Vicreg.Training.Sources;

/// <summary>Dataset kinds by name (data.kind). The image, audio and paired layouts are registered here; a plug-in adds its
/// own with <see cref="Register"/>. Names are case-sensitive, as in the config.</summary>
public static class DatasetCatalog
{
    private static readonly Dictionary<string, DatasetKind> Kinds = new(StringComparer.Ordinal);

    static DatasetCatalog()
    {
        foreach (var kind in ImageDatasetKinds.All.Concat(AudioDatasetKinds.All).Concat(PairedDatasetKinds.All)) Register(kind);
    }

    /// <summary>Adds or replaces a kind.</summary>
    public static void Register(DatasetKind kind) => Kinds[kind.Name] = kind;

    public static IReadOnlyList<string> Names => Kinds.Keys.ToList();

    public static bool TryGet(string name, out DatasetKind kind) => Kinds.TryGetValue(name, out kind!);

    public static DatasetKind Get(string name) =>
        Kinds.TryGetValue(name, out var kind) ? kind : throw new ArgumentException($"data.kind: unknown dataset kind \"{name}\"; known: {string.Join(", ", Names)}");

    /// <summary>The train and held-out samples a data section points at; every path is checked first.</summary>
    public static DataSplits Prepare(DataRequest request)
    {
        var kind = Get(request.Data.Kind);
        DataPaths.Check(request.Data);
        return kind.Prepare(request);
    }
}
