using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using System.Text.RegularExpressions;

namespace Vicreg.Training.Config;

/// <summary>
/// Checks a config's JSON tree against the serializer's contract of the records it will be read into, before
/// System.Text.Json reads it, so that the first problem reads in the file's own terms:
/// <c>optim.batchsize: unknown field; did you mean batch_size?</c> or <c>optim.batch_size: expected a number, got
/// the string "many"</c>. It knows no record by name: any record, list, dictionary or enum reachable from the root
/// is checked from its contract (JSON names, types, nullability). A value whose type has its own JsonConverter
/// (a section whose shape depends on its content) is read by that converter alone, and what it throws is
/// translated by <see cref="Explain"/> with the section's path in front.
/// </summary>
public static partial class ConfigShape
{
    // One per thread: NullabilityInfoContext caches in a plain Dictionary, and configs are parsed on several threads at once
    // (test classes side by side, an ablation grid); a shared one threw "An item with the same key has already been added".
    private static readonly ThreadLocal<NullabilityInfoContext> Nullability = new(() => new());

    /// <summary>Throws a <see cref="ConfigException"/> for the first field of <paramref name="root"/> that cannot be read as <paramref name="type"/>.</summary>
    public static void Check(JsonNode? root, Type type, JsonSerializerOptions options, string source)
    {
        // The contract needs a resolver; serializing would install the same default on first use.
        if (!options.IsReadOnly) options.MakeReadOnly(populateMissingResolver: true);
        Visit(root, type, null, "", options, source);
    }

    private static void Visit(JsonNode? node, Type type, NullabilityInfo? nullability, string path, JsonSerializerOptions options, string source)
    {
        var underlying = Nullable.GetUnderlyingType(type);
        if (node is null)
        {
            bool mayBeNull = underlying is not null || (!type.IsValueType && nullability?.ReadState != NullabilityState.NotNull);
            if (!mayBeNull) Fail(source, path, $"expected {JsonWords.Expected(type, options)}, got null");
            return;
        }
        type = underlying ?? type;
        var info = options.GetTypeInfo(type);
        switch (info.Kind)
        {
            case JsonTypeInfoKind.Object:
                if (node is not JsonObject obj) { Fail(source, path, $"expected an object, got {JsonWords.Describe(node)}"); return; }
                VisitObject(obj, info, path, options, source);
                break;
            case JsonTypeInfoKind.Enumerable:
                if (node is not JsonArray list) { Fail(source, path, $"expected a list, got {JsonWords.Describe(node)}"); return; }
                var elementNullability = nullability?.ElementType ?? nullability?.GenericTypeArguments.LastOrDefault();
                for (int i = 0; i < list.Count; i++) Visit(list[i], info.ElementType!, elementNullability, $"{path}[{i}]", options, source);
                break;
            case JsonTypeInfoKind.Dictionary:
                if (node is not JsonObject map) { Fail(source, path, $"expected an object, got {JsonWords.Describe(node)}"); return; }
                var valueNullability = nullability?.GenericTypeArguments.LastOrDefault();
                foreach (var (key, value) in map) Visit(value, info.ElementType!, valueNullability, Join(path, key), options, source);
                break;
            default:
                if (IsBuiltIn(info.Converter)) VisitValue(node, type, path, options, source);
                else ReadWithOwnConverter(node, type, path, options, source);
                break;
        }
    }

    private static void VisitObject(JsonObject obj, JsonTypeInfo info, string path, JsonSerializerOptions options, string source)
    {
        var comparison = options.PropertyNameCaseInsensitive ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal;
        var known = info.Properties;
        bool disallowUnknown = (info.UnmappedMemberHandling ?? options.UnmappedMemberHandling) == JsonUnmappedMemberHandling.Disallow;
        foreach (var (name, value) in obj)
        {
            var property = known.FirstOrDefault(p => comparison.Equals(p.Name, name));
            if (property is null)
            {
                if (disallowUnknown) Fail(source, Join(path, name), "unknown field" + NearestName.Hint(name, known.Select(p => p.Name).ToList()));
                continue;
            }
            // A converter on the property itself reads the value its own way; the final read reports its errors.
            if (property.CustomConverter is not null) continue;
            // Derived values (get-only, such as mel.upper_frequency) are written into a run's config.json and
            // ignored on reading, as System.Text.Json does.
            if (property.Set is null && property.AssociatedParameter is null) continue;
            var nullability = property.AttributeProvider is PropertyInfo pi ? Nullability.Value!.Create(pi) : null;
            Visit(value, property.PropertyType, nullability, Join(path, name), options, source);
        }
        foreach (var required in known.Where(p => p.IsRequired && !obj.Any(kv => comparison.Equals(kv.Key, p.Name))))
            Fail(source, Join(path, required.Name), "is required");
    }

    private static void VisitValue(JsonNode node, Type type, string path, JsonSerializerOptions options, string source)
    {
        if (type == typeof(object) || typeof(JsonNode).IsAssignableFrom(type) || type == typeof(JsonElement)) return;
        var kind = node is JsonValue v ? v.GetValueKind() : node is JsonArray ? JsonValueKind.Array : JsonValueKind.Object;
        string wrong = $"expected {JsonWords.Expected(type, options)}, got {JsonWords.Describe(node)}";
        if (type == typeof(bool)) { if (kind is not (JsonValueKind.True or JsonValueKind.False)) Fail(source, path, wrong); }
        else if (JsonWords.IsNumber(type))
        {
            if (kind != JsonValueKind.Number) Fail(source, path, wrong);
            else if (JsonWords.NumberProblem((JsonValue)node, type) is { } problem) Fail(source, path, problem);
        }
        else if (type.IsEnum)
        {
            if (kind != JsonValueKind.String) { Fail(source, path, wrong); return; }
            string given = node.GetValue<string>();
            var names = JsonWords.EnumNames(type, options);
            if (!names.Contains(given, StringComparer.OrdinalIgnoreCase))
                Fail(source, path, $"unknown value \"{given}\"" + (NearestName.Of(given, names) is { } near ? $"; did you mean {near}?" : "") + $" (one of {string.Join(", ", names)})");
        }
        else if (type == typeof(string)) { if (kind != JsonValueKind.String) Fail(source, path, wrong); }
        else ReadWithOwnConverter(node, type, path, options, source);
    }

    private static void ReadWithOwnConverter(JsonNode node, Type type, string path, JsonSerializerOptions options, string source)
    {
        try { node.Deserialize(type, options); }
        catch (JsonException e) { throw Explain(e, source, path, options); }
    }

    /// <summary>A JsonException of System.Text.Json in the config's words; <paramref name="prefix"/> is the path of
    /// the section that was being read (its own paths are relative to it).</summary>
    public static ConfigException Explain(JsonException e, string source, string prefix, JsonSerializerOptions options)
    {
        string relative = string.IsNullOrEmpty(e.Path) || e.Path == "$" ? "" : e.Path.TrimStart('$', '.');
        // A section's own converter may already give the whole path (MethodConfigJson does): then it is not joined again.
        bool whole = relative == prefix || relative.StartsWith(prefix + ".", StringComparison.Ordinal);
        string path = whole ? relative : relative.Length == 0 ? prefix : relative.StartsWith('[') ? prefix + relative : Join(prefix, relative);
        string message = FirstSentence(e.Message);
        if (UnmappedMember().Match(message) is { Success: true } unmapped)
        {
            string name = unmapped.Groups[1].Value;
            if (!path.EndsWith(name, StringComparison.Ordinal)) path = Join(path, name);
            var record = FindType(unmapped.Groups[2].Value);
            var known = record is null ? new List<string>() : options.GetTypeInfo(record).Properties.Select(p => p.Name).ToList();
            return new ConfigException(source, Field(path), "unknown field" + (known.Count > 0 ? NearestName.Hint(name, known) : ""));
        }
        if (NotConvertible().Match(message) is { Success: true } wrongType && FindType(wrongType.Groups[1].Value) is { } target)
            return new ConfigException(source, Field(path), $"expected {JsonWords.Expected(target, options)}");
        return new ConfigException(source, Field(path), message);
    }

    /// <summary>System.Text.Json's message without its " Path: … | LineNumber: …" tail.</summary>
    public static string FirstSentence(string message)
    {
        int cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        // The parser quotes the offending token, which can span lines: one line, and not a page of it.
        string first = (cut > 0 ? message[..cut] : message).ReplaceLineEndings(" ").Trim();
        return first.Length <= 300 ? first : first[..300] + "…";
    }

    private static bool IsBuiltIn(JsonConverter converter) => converter.GetType().Assembly == typeof(JsonSerializer).Assembly;

    private static Type? FindType(string fullName) =>
        Type.GetType(fullName) ?? AppDomain.CurrentDomain.GetAssemblies().Select(a => a.GetType(fullName)).FirstOrDefault(t => t is not null);

    private static string Join(string path, string name) => path.Length == 0 ? name : $"{path}.{name}";

    private static string Field(string path) => path.Length == 0 ? "(root)" : path;

    private static void Fail(string source, string path, string problem) => throw new ConfigException(source, Field(path), problem);

    [GeneratedRegex(@"^The JSON property '(.+?)' could not be mapped to any \.NET member contained in type '(.+?)'")]
    private static partial Regex UnmappedMember();

    [GeneratedRegex(@"^The JSON value could not be converted to (\S+?)\.?$")]
    private static partial Regex NotConvertible();
}
