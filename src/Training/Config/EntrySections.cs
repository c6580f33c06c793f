using System.Text.Json;
using System.Text.Json.Nodes;
using Vicreg.Encoders;
using Vicreg.Training.Sources;

namespace Vicreg.Training.Config;

/// <summary>
/// The parts of the envelope whose shape belongs to a catalog entry rather than to <see cref="ExperimentConfig"/>: each
/// branch's `view` (the record of the modality its encoder takes) and the dataset kind's own section
/// (data.&lt;the kind's section&gt;). They are taken out of the tree before the envelope is read, each read by
/// <see cref="EntrySection"/> into its entry's record, and written back in the same places. (The `method` section is
/// read the same way, by its converter <see cref="MethodConfigJson"/>, since its name sits inside it.)
/// </summary>
public static class EntrySections
{
    /// <summary>The entries' sections of one config, read.</summary>
    public sealed record Taken(object? ViewA, object? ViewB, object? KindOptions);

    private static readonly string[] Branches = { "branch_a", "branch_b" };

    /// <summary>Takes the entries' sections out of <paramref name="root"/> and reads them. A section whose entry is
    /// unknown (an unknown encoder or data.kind) is dropped: the validator refuses the name itself. Throws a
    /// <see cref="JsonException"/> with the field's path (<see cref="ConfigShape.Explain"/> words it).</summary>
    public static Taken TakeOut(JsonObject root, JsonSerializerOptions options)
    {
        var data = root["data"] as JsonObject;
        string kindName = data?["kind"] is JsonValue k && k.TryGetValue<string>(out var named) ? named : new DataConfig().Kind;
        DatasetCatalog.TryGet(kindName, out var kind);
        var views = new object?[2];
        if (root["model"] is JsonObject model)
            for (int i = 0; i < Branches.Length; i++)
                if (model[Branches[i]] is JsonObject branch && branch.ContainsKey("view"))
                {
                    var node = branch["view"];
                    branch.Remove("view");
                    // A branch whose modality the data does not carry is refused for its encoder first, by the validator.
                    if (node is not null && ModalityOf(branch) is { } entry && (kind is null || kind.Modalities.Contains(entry.Name)))
                        views[i] = EntrySection.Read(node, entry.ViewOptionsType, $"model.{Branches[i]}.view", options,
                            skip: LegacyViewFields.IsUnset, unknown: (key, _, _) => OtherModalitysField(key, entry, branch, options));
                }
        object? kindOptions = null;
        if (kind is not null && kind.Section is { } section && kind.OptionsType is { } type)
        {
            JsonNode? node = null;
            if (data is not null && data.ContainsKey(section))
            {
                node = data[section];
                data.Remove(section);
            }
            kindOptions = EntrySection.Read(node, type, $"data.{section}", options);
        }
        return new Taken(views[0], views[1], kindOptions);
    }

    /// <summary>The config with the entries' sections in place.</summary>
    public static ExperimentConfig PutIn(ExperimentConfig c, Taken taken) => c with
    {
        Data = c.Data with { Options = taken.KindOptions },
        Model = c.Model with
        {
            BranchA = c.Model.BranchA with { View = taken.ViewA },
            BranchB = c.Model.BranchB is { } b ? b with { View = taken.ViewB } : null,
        },
    };

    /// <summary>Writes the entries' sections of <paramref name="c"/> into its serialised envelope <paramref name="root"/>;
    /// a branch's view goes last in the branch, where the record's field stood.</summary>
    public static void WriteBack(JsonObject root, ExperimentConfig c, JsonSerializerOptions options)
    {
        if (root["model"] is JsonObject model)
        {
            if (c.Model.BranchA.View is { } a && model["branch_a"] is JsonObject branchA) branchA["view"] = EntrySection.Write(a, options);
            if (c.Model.BranchB?.View is { } b && model["branch_b"] is JsonObject branchB) branchB["view"] = EntrySection.Write(b, options);
        }
        if (c.Data.Options is { } o && root["data"] is JsonObject data && DatasetCatalog.TryGet(c.Data.Kind, out var kind) && kind.Section is { } section)
            data[section] = EntrySection.Write(o, options);
    }

    private static ModalityEntry? ModalityOf(JsonObject branch)
    {
        string encoder = branch["encoder"] is JsonValue e && e.TryGetValue<string>(out var name) ? name : new BranchConfig().Encoder;
        return EncoderCatalog.Contains(encoder) && ModalityCatalog.TryGet(EncoderCatalog.InputOf(encoder), out var entry) ? entry : null;
    }

    /// <summary>A view field that another modality has: "is an audio setting, but "resnet34" takes images"; null
    /// when no registered modality has it (then the usual "unknown field; did you mean …?").</summary>
    private static string? OtherModalitysField(string key, ModalityEntry entry, JsonObject branch, JsonSerializerOptions options)
    {
        var owner = ModalityCatalog.All.FirstOrDefault(m => m.Name != entry.Name
            && options.GetTypeInfo(m.ViewOptionsType).Properties.Any(p => p.Name == key));
        if (owner is null) return null;
        string article = "aeiou".Contains(char.ToLowerInvariant(owner.Name[0])) ? "an" : "a";
        string encoder = branch["encoder"]?.GetValue<string>() ?? new BranchConfig().Encoder;
        return $"is {article} {owner.Name} setting, but \"{encoder}\" takes {entry.Noun ?? entry.Name}";
    }
}
