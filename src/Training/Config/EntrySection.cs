using System.Text.Json;
using System.Text.Json.Nodes;

namespace Vicreg.Training.Config;

/// <summary>
/// Reads one catalog entry's own section of a config (a method's `method` fields, a modality's branch view, a dataset
/// kind's data section) into that entry's options record, in the config's words: a field the record lacks is
/// "unknown field; did you mean …?", a value of the wrong type "expected a number, got the string \"x\"", and every
/// path is the field's whole path in the file. The one mechanism behind every entry's options: an entry declares its
/// record, and never parses JSON itself.
/// </summary>
public static class EntrySection
{
    /// <summary>What to say about <c>key</c>, a field <paramref name="optionsType"/> lacks; null: the default wording.</summary>
    public delegate string? UnknownField(string key, JsonNode? value, IReadOnlyList<string> known);

    /// <summary>
    /// The options record of <paramref name="optionsType"/> read from <paramref name="section"/> (null or absent: its
    /// defaults). Throws a <see cref="JsonException"/> whose path is <c>$.</c> + the field's whole path, which
    /// <see cref="ConfigShape.Explain"/> turns into the config's one-line error with the file.
    /// </summary>
    /// <param name="path">Where the section sits in the file, e.g. "model.branch_a.view".</param>
    /// <param name="skip">Fields that are read as absent (values that existing runs' config.json files hold for every entry).</param>
    /// <param name="unknown">The entry's own words for an unknown field (e.g. "unknown field for method simclr").</param>
    public static object Read(JsonNode? section, Type optionsType, string path, JsonSerializerOptions options,
        Func<string, JsonNode?, bool>? skip = null, UnknownField? unknown = null)
    {
        if (section is null) return Defaults(optionsType);
        if (section is not JsonObject fields) throw Error(path, "", $"expected an object, got {JsonWords.Describe(section)}");
        if (!options.IsReadOnly) options.MakeReadOnly(populateMissingResolver: true);
        var known = options.GetTypeInfo(optionsType).Properties.Select(p => p.Name).ToList();
        var kept = new JsonObject();
        foreach (var (key, value) in fields)
        {
            if (known.Contains(key, StringComparer.Ordinal)) kept[key] = value?.DeepClone();
            else if (skip?.Invoke(key, value) != true)
                throw Error(path, key, unknown?.Invoke(key, value, known) ?? "unknown field" + NearestName.Hint(key, known));
        }
        try
        {
            ConfigShape.Check(kept, optionsType, options, source: "");
        }
        catch (ConfigException e)
        {
            throw Error(path, e.Field == "(root)" ? "" : e.Field, e.Problem);
        }
        try
        {
            return kept.Deserialize(optionsType, options) ?? Defaults(optionsType);
        }
        catch (JsonException e)
        {
            throw Error(path, (e.Path ?? "").TrimStart('$', '.'), ConfigShape.FirstSentence(e.Message));
        }
    }

    /// <summary>The section as it is written back into the config (its record's fields, snake_case).</summary>
    public static JsonObject Write(object value, JsonSerializerOptions options) =>
        JsonSerializer.SerializeToNode(value, value.GetType(), options) as JsonObject ?? new JsonObject();

    /// <summary>A record with every field at its default (the record's parameterless constructor).</summary>
    public static object Defaults(Type optionsType) =>
        Activator.CreateInstance(optionsType) ?? throw new ArgumentException($"{optionsType.Name} needs a parameterless constructor", nameof(optionsType));

    /// <summary>A JsonException whose path names the field, which <see cref="ConfigShape.Explain"/> reports with the file.</summary>
    public static JsonException Error(string path, string field, string problem)
    {
        string whole = field.Length == 0 ? path : path.Length == 0 ? field : field.StartsWith('[') ? path + field : $"{path}.{field}";
        return new JsonException(problem, whole.Length == 0 ? "$" : "$." + whole, null, null);
    }
}
