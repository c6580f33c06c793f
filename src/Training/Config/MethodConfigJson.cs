using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Vicreg.Training.Methods;

namespace Vicreg.Training.Config;

/// <summary>
/// Reads the flat `method` section: <c>name</c> picks the catalog entry, and the other fields are that entry's
/// options record, read by <see cref="EntrySection"/> as every entry's section is. A field the method does not have is refused ("method.tau: unknown field for
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
        string name = new MethodConfig().Name;
        if (node["name"] is JsonNode nameNode)
        {
            if (nameNode.GetValueKind() != JsonValueKind.String) throw Error("name", "must be a string");
            name = nameNode.GetValue<string>();
        }
        if (!MethodCatalog.TryGet(name, out var entry))
            throw Error("name", $"must be one of {string.Join(", ", MethodCatalog.Names)}; got \"{name}\"");

        node.Remove("name");
        var parsed = (MethodOptions)EntrySection.Read(node, entry.OptionsType, Section, options,
            skip: MethodDefaults.IsLegacyDefault,
            unknown: (_, _, known) => $"unknown field for method {name}" + (known.Count > 0 ? $" (its fields: {string.Join(", ", known)})" : " (it has no fields besides name)"));
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

    private static JsonException Error(string field, string problem) => EntrySection.Error(Section, field, problem);
}
