using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Vicreg.Training.Methods;

namespace Vicreg.Training.Config;

/// <summary>
/// Reads the flat `method` section: <c>name</c> picks the catalog entry, and the other fields deserialise into
/// that entry's options record. A field the method does not have is refused ("method.tau: unknown field for
/// method simclr"), except the fields that existing runs' config.json files hold for every method at their defaults
/// (<see cref="MethodDefaults.Legacy"/>), so that those files still load. Writes the name then
/// the options' fields.
/// </summary>
public sealed class MethodConfigJson : JsonConverter<MethodConfig>
{
    public const string Section = "method";

    /// <summary>So that <c>"method": null</c> is refused here rather than becoming a null section.</summary>
    public override bool HandleNull => true;

    public override MethodConfig Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.Null || JsonNode.Parse(ref reader) is not JsonObject node)
            throw Error("", "must be an object, e.g. {\"name\": \"vicreg\"}");
        string name = "vicreg";
        if (node["name"] is JsonNode nameNode)
        {
            if (nameNode.GetValueKind() != JsonValueKind.String) throw Error("name", "must be a string");
            name = nameNode.GetValue<string>();
        }
        if (!MethodCatalog.TryGet(name, out var entry))
            throw Error("name", $"must be one of {string.Join(", ", MethodCatalog.Names)}; got \"{name}\"");

        var known = options.GetTypeInfo(entry.OptionsType).Properties.Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
        var fields = new JsonObject();
        foreach (var (key, value) in node)
        {
            if (key == "name") continue;
            if (known.Contains(key)) fields[key] = value?.DeepClone();
            else if (!MethodDefaults.IsLegacyDefault(key, value))
                throw Error(key, $"unknown field for method {name}" + (known.Count > 0 ? $" (its fields: {string.Join(", ", known)})" : " (it has no fields besides name)"));
        }
        MethodOptions parsed;
        try
        {
            parsed = (MethodOptions)(fields.Deserialize(entry.OptionsType, options) ?? entry.DefaultOptions);
        }
        catch (JsonException e)
        {
            string field = (e.Path ?? "").TrimStart('$', '.');
            string message = e.Message;
            int cut = message.IndexOf(" Path:", StringComparison.Ordinal);
            throw Error(field, (cut > 0 ? message[..cut] : message).Trim());
        }
        return new MethodConfig(name, parsed);
    }

    public override void Write(Utf8JsonWriter writer, MethodConfig value, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        writer.WriteString("name", value.Name);
        if (JsonSerializer.SerializeToNode(value.Options, value.Options.GetType(), options) is JsonObject fields)
            foreach (var (key, field) in fields)
            {
                writer.WritePropertyName(key);
                if (field is null) writer.WriteNullValue();
                else field.WriteTo(writer, options);
            }
        writer.WriteEndObject();
    }

    /// <summary>A JsonException whose path names the field, which <see cref="ConfigLoader"/> reports with the file.</summary>
    private static JsonException Error(string field, string problem) =>
        new(problem, field.Length == 0 ? $"$.{Section}" : $"$.{Section}.{field}", null, null);
}
