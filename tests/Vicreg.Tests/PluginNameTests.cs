using System.Reflection;
using System.Text.RegularExpressions;
using Vicreg.Encoders;
using Vicreg.Training.Methods;
using Vicreg.Training.Sources;

namespace Vicreg.Tests;

/// <summary>
/// A plug-in's name (a method, modality, dataset kind or encoder of the library's catalogs) is written as a string
/// literal only in the files of its own entry: everywhere else in src/, code asks the entries for what it needs
/// (capabilities, defaults) or enumerates the catalog. The names come from the catalogs themselves, so an entry is
/// covered as soon as the library registers it. Whole-line comments are not code and are left out, as the check
/// `grep -rnE "\"(names)\"" src | grep -vE ':\s*//'` does.
/// </summary>
public class PluginNameTests
{
    /// <summary>Where a literal name may stand: the files that register the built-in entries (any name of their catalog),
    /// and a few words that only share their spelling with a plug-in (each says why).</summary>
    private static readonly (string File, string Name, string Why)[] Allowed =
    {
        ("src/Core/Modalities.cs", Catalog.Modality, "the built-in modality names, defined once for every layer"),
        ("src/Encoders/EncoderCatalog.cs", Catalog.Encoder, "registers the built-in encoders"),
        ("src/Training/Methods/VicRegMethod.cs", "vicreg", "its entry"),
        ("src/Training/Methods/BarlowTwinsMethod.cs", "barlow-twins", "its entry"),
        ("src/Training/Methods/SimClrMethod.cs", "simclr", "its entry"),
        ("src/Training/Methods/ByolMethod.cs", "byol", "its entry"),
        ("src/Training/Methods/SimSiamMethod.cs", "simsiam", "its entry"),
        ("src/Training/Methods/SwavMethod.cs", "swav", "its entry"),
        ("src/Training/Sources/ImageDatasetKinds.cs", Catalog.Kind, "registers the image dataset kinds"),
        ("src/Training/Sources/AudioDatasetKinds.cs", Catalog.Kind, "registers the audio dataset kinds"),
        ("src/Training/Sources/PairedDatasetKinds.cs", Catalog.Kind, "registers the paired dataset kinds"),
        ("src/Data/Audio/Esc50Dataset.cs", "audio", "ESC-50's own folder of clips, read by the esc50 kind"),
        ("src/Data/Ingest/MediaIngest.cs", "audio", "ffprobe's word for a sound stream"),
        ("src/Cli/Commands/SynthCommand.cs", "audio", "the command `vicreg synth audio`"),
        ("src/Cli/Commands/IngestCommand.cs", "audio", "the command `vicreg ingest audio`"),
        ("src/Cli/Reference/CommandReference.cs", "vicreg", "the tool's name"),
        ("src/Training/Config/ExperimentConfig.cs", "vicreg", "the default run name, the tool's"),
    };

    /// <summary>An allowance for every name of one catalog.</summary>
    private static class Catalog
    {
        public const string Method = "<any method>", Modality = "<any modality>", Kind = "<any dataset kind>", Encoder = "<any encoder>";
    }

    /// <summary>The names of every entry the library registers (not those a test registers), each with its catalog.</summary>
    public static IReadOnlyDictionary<string, string> LibraryNames()
    {
        var tests = typeof(PluginNameTests).Assembly;
        bool Library(Assembly a) => a != tests;
        return MethodCatalog.All.Where(e => Library(e.OptionsType.Assembly)).Select(e => (e.Name, Catalog.Method))
            .Concat(ModalityCatalog.All.Where(e => Library(e.ViewOptionsType.Assembly)).Select(e => (e.Name, Catalog.Modality)))
            .Concat(DatasetCatalog.All.Where(k => Library(k.Prepare.Method.Module.Assembly)).Select(k => (k.Name, Catalog.Kind)))
            .Concat(EncoderCatalog.All.Where(e => Library(e.Create.Method.Module.Assembly)).Select(e => (e.Name, Catalog.Encoder)))
            .ToDictionary(p => p.Name, p => p.Item2, StringComparer.Ordinal);
    }

    [Fact]
    public void The_library_catalogs_hold_the_built_in_names()
    {
        var names = LibraryNames().Keys.ToList();
        // A sample of each catalog, so that an empty list (and a check that cannot fail) is caught.
        Assert.Contains("vicreg", names);
        Assert.Contains("swav", names);
        Assert.Contains("audio", names);
        Assert.Contains("video-frames", names);
        Assert.Contains("resnet50x2", names);
        Assert.Contains("spectrogram-resnet18", names);
        Assert.Contains("vit-tiny4", names);
    }

    [Fact]
    public void No_plugin_name_is_written_outside_its_entry()
    {
        string root = RepoFiles.PathOf("");
        var names = LibraryNames();
        var hits = Hits(root, "src", names).ToList();
        Assert.True(hits.Count > 10, $"only {hits.Count} literal names found in src/: is the check reading the files?");
        var outside = Outside(hits, names).Select(h => $"{h.File}:{h.Line}: \"{h.Name}\"").ToList();
        Assert.True(outside.Count == 0, $"{outside.Count} plug-in name(s) outside their entries; ask the entry for a capability or enumerate the catalog:\n" + string.Join("\n", outside));
        // An allowance no file needs any more is dropped, so that the list says what is still there.
        var unused = Allowed.Where(a => !hits.Any(h => h.File == a.File && Covers(a.Name, h.Name, names))).Select(a => $"{a.File} ({a.Name})").ToList();
        Assert.True(unused.Count == 0, "allowed but no longer there: " + string.Join(", ", unused));
    }

    [Fact]
    public void The_check_sees_a_name_outside_its_entry_but_not_in_a_comment()
    {
        using var dir = new TempDir();
        Directory.CreateDirectory(dir.Combine("src", "Tooling"));
        File.WriteAllText(dir.Combine("src", "Tooling", "Picks.cs"),
            "class Picks\n{\n    // defaults to \"simclr\"\n    string a = \"simclr\";\n    string b = \"simclr-like\";\n    string c = $\"method {\"byol\"}\";\n}\n");
        var names = new Dictionary<string, string> { ["simclr"] = Catalog.Method, ["byol"] = Catalog.Method };
        var hits = Hits(dir.Path, "src", names).ToList();
        Assert.Equal(new[] { "src/Tooling/Picks.cs:4: simclr", "src/Tooling/Picks.cs:6: byol" },
            Outside(hits, names).Select(h => $"{h.File}:{h.Line}: {h.Name}"));
        // In an entry's file, only that entry's name (or its catalog's, for a file that registers several) is allowed.
        var inSwav = new[] { new Hit("src/Training/Methods/SwavMethod.cs", 1, "simclr"), new Hit("src/Encoders/EncoderCatalog.cs", 1, "byol") };
        Assert.Equal(2, Outside(inSwav, names).Count());
    }

    private sealed record Hit(string File, int Line, string Name);

    /// <summary>Every <c>"name"</c> in the .cs files under <paramref name="tree"/>, outside whole-line comments.</summary>
    private static IEnumerable<Hit> Hits(string root, string tree, IReadOnlyDictionary<string, string> names)
    {
        var literal = new Regex("\"(" + string.Join("|", names.Keys.Select(Regex.Escape)) + ")\"", RegexOptions.CultureInvariant);
        var comment = new Regex(@"^\s*//");
        foreach (var file in Directory.EnumerateFiles(Path.Combine(root, tree), "*.cs", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            string relative = Path.GetRelativePath(root, file).Replace('\\', '/');
            if (relative.Split('/').Any(part => part is "bin" or "obj")) continue;
            var lines = File.ReadAllLines(file);
            for (int i = 0; i < lines.Length; i++)
            {
                if (comment.IsMatch(lines[i])) continue;
                foreach (Match m in literal.Matches(lines[i])) yield return new Hit(relative, i + 1, m.Groups[1].Value);
            }
        }
    }

    private static IEnumerable<Hit> Outside(IEnumerable<Hit> hits, IReadOnlyDictionary<string, string> names) =>
        hits.Where(h => !Allowed.Any(a => a.File == h.File && Covers(a.Name, h.Name, names)));

    /// <summary>Whether an allowance (a name, or a catalog's every name) covers <paramref name="name"/>.</summary>
    private static bool Covers(string allowed, string name, IReadOnlyDictionary<string, string> names) =>
        allowed == name || names.GetValueOrDefault(name) == allowed;
}
