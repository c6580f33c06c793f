using System.Text.Json;
using System.Text.Json.Nodes;
using Vicreg.Training.Config;
using Vicreg.Training.Sources;

namespace Vicreg.Tooling.Ablations;

/// <summary>One value of an axis: a label for the table and the config fields it sets.</summary>
public sealed record AxisValue(string Label, IReadOnlyDictionary<string, JsonNode?> Set);

/// <summary>One dimension of the grid ("method", "setting", "coefficients", …).</summary>
public sealed record AblationAxis(string Name, IReadOnlyList<AxisValue> Values);

/// <summary>One experiment of the grid: a label per axis and the --set overrides they add up to.</summary>
public sealed record AblationPoint(IReadOnlyList<string> Labels, IReadOnlyList<string> Overrides)
{
    /// <summary>Stable key of the point in results.csv ("VICReg / SW").</summary>
    public string Key => string.Join(" / ", Labels);

    /// <summary>A folder-safe run name suffix.</summary>
    public string Slug => string.Concat(string.Join("-", Labels).Select(ch => char.IsLetterOrDigit(ch) || ch is '.' or '_' ? char.ToLowerInvariant(ch) : '-'))
        .Replace("--", "-").Trim('-');
}

/// <summary>
/// A grid file (experiments/ablations/*.json): a base experiment (inline <c>base</c> or <c>base_file</c>,
/// relative to the grid file) and axes whose values set config fields; the grid is their cartesian product.
/// The first axis gives the table's rows, the second its columns (as the paper lays out Tables 4 and 5).
/// A grid-level <c>set</c> changes the base for this grid only (two grids can share a base file and differ
/// in, say, the number of epochs).
/// </summary>
public sealed record AblationGrid(string Name, string Title, string Source, JsonObject Base, IReadOnlyList<AblationAxis> Axes,
    string RunsDir, string? Paper)
{
    /// <summary>Name of the implicit last axis that <c>seeds: [...]</c> adds: each point runs once per seed.</summary>
    public const string SeedAxis = "seed";

    /// <summary>The grid-level <c>set</c> as --set overrides, applied to every point before the point's own.</summary>
    public IReadOnlyList<string> Overrides { get; init; } = Array.Empty<string>();

    /// <summary>Whether the grid repeats its points over seeds (the last axis is <see cref="SeedAxis"/>).</summary>
    public bool HasSeeds => Axes.Count > 0 && Axes[^1].Name == SeedAxis;

    /// <summary>The axes that define a point, without the seed axis.</summary>
    public IReadOnlyList<AblationAxis> PointAxes => HasSeeds ? Axes.Take(Axes.Count - 1).ToList() : Axes;

    /// <summary>Chance level in percent known before any run: 100 / the class count for a kind that generates its data
    /// (data.synthetic.classes for generated shapes), which the config sets; NaN for every other kind (real data: the runs record their own class count, see
    /// <see cref="AblationSummary.ChancePercent"/>).</summary>
    public double ChancePercent
    {
        get
        {
            try
            {
                var data = ConfigLoader.Parse(Base.ToJsonString(), Source, Overrides, overridesSource: Source).Data;
                return DatasetCatalog.TryGet(data.Kind, out var kind) && kind.GeneratedClasses is { } classes ? 100.0 / classes(data) : double.NaN;
            }
            catch (ConfigException) { return double.NaN; }
        }
    }

    public static AblationGrid Load(string path)
    {
        if (!File.Exists(path)) throw new ConfigException(path, "(file)", "no such file");
        JsonObject root;
        try
        {
            root = JsonNode.Parse(File.ReadAllText(path), documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true }) as JsonObject
                ?? throw new ConfigException(path, "(root)", "must be a JSON object");
        }
        catch (JsonException e) { throw new ConfigException(path, $"line {e.LineNumber + 1}", "not valid JSON"); }

        var known = new[] { "name", "title", "base", "base_file", "set", "axes", "runs_dir", "paper", "seeds" };
        foreach (var key in root.Select(p => p.Key))
            if (!known.Contains(key)) throw new ConfigException(path, key, $"unknown field; known: {string.Join(", ", known)}");

        string name = root["name"]?.GetValue<string>() ?? Path.GetFileNameWithoutExtension(path);
        string folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        JsonObject baseConfig;
        if (root["base"] is JsonObject inline) baseConfig = ConfigInheritance.Resolve((JsonObject)inline.DeepClone(), path, folder).Tree;
        else if (root["base_file"]?.GetValue<string>() is { } file)
        {
            var full = Path.Combine(folder, file);
            if (!File.Exists(full)) throw new ConfigException(path, "base_file", $"no such file: {full}");
            baseConfig = ConfigInheritance.Read(full).Tree;
        }
        else throw new ConfigException(path, "base", "give the base experiment inline (base) or as a file (base_file)");

        if (root["set"] is JsonNode gridSet && gridSet is not JsonObject)
            throw new ConfigException(path, "set", "must be an object of config fields, e.g. { \"optim.epochs\": 12 }");
        var gridOverrides = root["set"] is JsonObject gs ? AsOverrides(gs.ToDictionary(p => p.Key, p => p.Value)) : new List<string>();

        if (root["axes"] is not JsonArray axesNode || axesNode.Count == 0)
            throw new ConfigException(path, "axes", $"must be a non-empty list of axes, each {AxisShape}");
        var axes = new List<AblationAxis>();
        for (int i = 0; i < axesNode.Count; i++)
        {
            string field = $"axes[{i}]";
            // Two spellings: {"name": …, "values": [{"label": …, "set": {…}}, …]}, or the bare list of values (named axis1, axis2, …).
            JsonArray? values;
            string axisName;
            if (axesNode[i] is JsonArray bare) (axisName, values) = ($"axis{i + 1}", bare);
            else if (axesNode[i] is JsonObject axis)
            {
                axisName = axis["name"]?.GetValue<string>() ?? throw new ConfigException(path, $"{field}.name", "is required");
                values = axis["values"] as JsonArray;
            }
            else throw new ConfigException(path, field, $"must be an object {AxisShape} or a list of values [{ValueShape}, …]");
            if (values is null || values.Count == 0) throw new ConfigException(path, $"{field}.values", $"must be a non-empty list of {ValueShape}");
            var list = new List<AxisValue>();
            for (int j = 0; j < values.Count; j++)
            {
                if (values[j] is not JsonObject v) throw new ConfigException(path, $"{field}.values[{j}]", "must be an object");
                string label = v["label"]?.GetValue<string>() ?? throw new ConfigException(path, $"{field}.values[{j}].label", "is required");
                var set = v["set"] as JsonObject ?? new JsonObject();
                list.Add(new AxisValue(label, set.ToDictionary(p => p.Key, p => p.Value?.DeepClone())));
            }
            if (list.Select(v => v.Label).Distinct().Count() != list.Count) throw new ConfigException(path, $"{field}.values", "labels must be distinct");
            axes.Add(new AblationAxis(axisName, list));
        }
        if (root["seeds"] is JsonNode seedsNode)
        {
            if (seedsNode is not JsonArray seeds || seeds.Count == 0)
                throw new ConfigException(path, "seeds", "must be a non-empty list of whole numbers, e.g. [0, 1, 2]");
            var values = new List<AxisValue>();
            for (int i = 0; i < seeds.Count; i++)
            {
                if (seeds[i] is not JsonValue v || !v.TryGetValue<int>(out int seed))
                    throw new ConfigException(path, $"seeds[{i}]", "must be a whole number");
                values.Add(new AxisValue(seed.ToString(System.Globalization.CultureInfo.InvariantCulture), new Dictionary<string, JsonNode?> { ["seed"] = JsonValue.Create(seed) }));
            }
            if (values.Select(v => v.Label).Distinct().Count() != values.Count) throw new ConfigException(path, "seeds", "must be distinct");
            if (axes.Any(a => a.Name == SeedAxis)) throw new ConfigException(path, "seeds", $"an axis is already named \"{SeedAxis}\"; use one or the other");
            axes.Add(new AblationAxis(SeedAxis, values));
        }
        // Without its own runs_dir the grid goes under the base's output.runs_dir, as the base's runs would.
        string runsDir = root["runs_dir"]?.GetValue<string>()
            ?? Path.Combine((baseConfig["output"] as JsonObject)?["runs_dir"] is JsonValue baseRunsNode && baseRunsNode.TryGetValue<string>(out var baseRuns) ? baseRuns : "runs", "ablations");
        return new AblationGrid(name, root["title"]?.GetValue<string>() ?? name, path, baseConfig, axes, runsDir, root["paper"]?.ToJsonString())
            { Overrides = gridOverrides };
    }

    const string ValueShape = "{\"label\": …, \"set\": {\"config.path\": value}}";
    const string AxisShape = "{\"name\": …, \"values\": [" + ValueShape + ", …]}";

    /// <summary>Config fields and values as --set overrides ("optim.epochs=12").</summary>
    static List<string> AsOverrides(IEnumerable<KeyValuePair<string, JsonNode?>> set) =>
        set.Select(s => $"{s.Key}={(s.Value is null ? "null" : s.Value.ToJsonString())}").ToList();

    /// <summary>The folder holding the grid's runs, results.csv, results.md and results.png.</summary>
    public string Folder => Path.Combine(RunsDir, Name);

    /// <summary>The cartesian product of the axes, first axis outermost.</summary>
    public IReadOnlyList<AblationPoint> Points()
    {
        IEnumerable<(List<string> Labels, List<string> Sets)> acc = new[] { (new List<string>(), new List<string>()) };
        foreach (var axis in Axes)
            acc = acc.SelectMany(p => axis.Values.Select(v => (
                p.Labels.Append(v.Label).ToList(),
                p.Sets.Concat(AsOverrides(v.Set)).ToList())));
        return acc.Select(p => new AblationPoint(p.Labels, p.Sets)).ToList();
    }

    /// <summary>The experiment of one point: the base, the point's settings, then the run's name and folder.
    /// Throws <see cref="ConfigException"/> when the combination cannot work (the runner records it as refused).</summary>
    public ExperimentConfig ConfigOf(AblationPoint point) =>
        ConfigLoader.Parse(Base.ToJsonString(), $"{Source} [{point.Key}]", Overrides.Concat(point.Overrides).Concat(new[]
        {
            $"name={Name}-{point.Slug}",
            $"output.runs_dir={JsonValue.Create(Folder)!.ToJsonString()}",
            "eval.linear_probe=true",
        }), overridesSource: $"{Source} [{point.Key}]");
}
