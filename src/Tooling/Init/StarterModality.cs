using System.Text.Json.Nodes;
using Vicreg.Data;
using Vicreg.Training.Sources;

namespace Vicreg.Tooling.Init;

/// <summary>
/// What <c>vicreg init</c> knows of one modality: which files are its samples, how one file is measured from its header,
/// how a path,label list of them is read, and the starting config written for a report of them. The image and audio
/// starters are in <see cref="StarterModalities"/>; the dataset kinds and encoders they write are asked of the catalogs
/// (by layout and by default role), never named.
/// </summary>
public abstract class StarterModality
{
    /// <summary>The modality, a name of <see cref="ModalityCatalog"/>.</summary>
    public abstract string Modality { get; }

    /// <summary>The extensions of the files it inspects: its modality's sample files.</summary>
    public IReadOnlyList<string> Extensions => ModalityCatalog.Get(Modality).FileExtensions;

    /// <summary>The dataset kind of a folder with one subfolder of its files per class.</summary>
    public string FolderKind => KindWith(DataLayout.ClassFolders);

    /// <summary>The dataset kind of a CSV/TSV list of path,label rows of its files.</summary>
    public string ListKind => KindWith(DataLayout.FileList);

    /// <summary>The largest batch a starter config of this modality takes on a CPU.</summary>
    public abstract int BatchCap { get; }

    /// <summary>The samples a path,label list names.</summary>
    public abstract SampleSet ReadList(string list);

    /// <summary>Reads one file's header (not its pixels or samples) into <paramref name="into"/>; throws when it cannot be read.</summary>
    public abstract void Measure(string path, FileMeasures into);

    /// <summary>The files a config for <paramref name="r"/> trains on, when init writes no hold-out lists.</summary>
    public virtual int TrainCount(DataReport r) => r.TrainCount;

    /// <summary>Whether init writes lists holding out every 5th file, because the kind found would hold out nothing.</summary>
    public virtual bool WantsHoldOutLists(DataReport r) => false;

    /// <summary>The config (without eval and output), each choice explained in <paramref name="why"/>.</summary>
    public abstract JsonObject Config(DataReport r, string name, int width, int batch, double minutes, (string Train, string Val)? lists, List<string> why);

    private string KindWith(DataLayout layout) => DatasetCatalog.WithLayout(Modality, layout)?.Name
        ?? throw new InvalidOperationException($"no dataset kind reads {Modality} files laid out as {layout}");
}
