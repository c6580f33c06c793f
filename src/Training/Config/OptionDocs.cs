using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using Vicreg.Core;
using Vicreg.Training.Methods;
using Vicreg.Training.Sources;

namespace Vicreg.Training.Config;

/// <summary>One field of an options record as a config file sees it: its JSON name, the kind of value ("a number"),
/// its default as written in JSON, and its <see cref="OptionAttribute"/> (meaning, allowed values); Meaning is empty
/// when the record does not say.</summary>
public sealed record OptionDoc(string Field, string Expected, string Default, string Meaning, string? Allowed);

/// <summary>Where a catalog entry's options record sits in a config: "method" (for method simclr),
/// "model.branch_x.view" (for a branch taking modality image), "data.&lt;section&gt;" (for data.kind …).</summary>
public sealed record EntryOptionsSection(string Path, string Catalog, string Entry, Type OptionsType);

/// <summary>
/// The settings of options records read by reflection, in the config's words: what a generated config reference,
/// a listing or an error message needs. Everything comes from the records themselves (their JSON contract and
/// <see cref="OptionAttribute"/>s) and from the catalogs, so a plug-in's options are documented as the built-ins are.
/// </summary>
public static class OptionDocs
{
    /// <summary>The fields of <paramref name="optionsType"/> in the order they are written.</summary>
    public static IReadOnlyList<OptionDoc> Of(Type optionsType)
    {
        var json = ConfigLoader.Json;
        if (!json.IsReadOnly) json.MakeReadOnly(populateMissingResolver: true);
        var defaults = optionsType.GetConstructor(Type.EmptyTypes) is not null
            ? JsonSerializer.SerializeToNode(EntrySection.Defaults(optionsType), optionsType, json) as JsonObject : null;
        // Only what a file sets: derived values (get-only, written for the reader's information) are not settings.
        return json.GetTypeInfo(optionsType).Properties
            .Where(p => p.Set is not null || p.AssociatedParameter is not null)
            .Select(p =>
            {
                var option = (p.AttributeProvider as MemberInfo)?.GetCustomAttribute<OptionAttribute>(inherit: true);
                string shown = defaults is not null && defaults.TryGetPropertyValue(p.Name, out var d) ? d?.ToJsonString(json) ?? "null" : "";
                return new OptionDoc(p.Name, JsonWords.Expected(p.PropertyType, json), shown, option?.Meaning ?? "", option?.Allowed);
            })
            .ToList();
    }

    /// <summary>Every catalog entry that owns a section of the config, with its record: each method, each modality's
    /// branch view, each dataset kind with a section of its own.</summary>
    public static IReadOnlyList<EntryOptionsSection> Sections() =>
        MethodCatalog.All.Select(m => new EntryOptionsSection(MethodConfigJson.Section, "method", m.Name, m.OptionsType))
            .Concat(ModalityCatalog.All.Select(m => new EntryOptionsSection("model.branch_x.view", "modality", m.Name, m.ViewOptionsType)))
            .Concat(DatasetCatalog.All.Where(k => k.Section is not null && k.OptionsType is not null)
                .Select(k => new EntryOptionsSection($"data.{k.Section}", "dataset kind", k.Name, k.OptionsType!)))
            .ToList();
}
