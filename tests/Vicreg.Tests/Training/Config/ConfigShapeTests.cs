using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Vicreg.Training.Config;

namespace Vicreg.Tests.Training.Config;

/// <summary>The shape check on records it was not written for: a section read by its own JsonConverter (as
/// per-method options chosen by name are), lists of records, dictionaries and required fields.</summary>
public class ConfigShapeTests
{
    public sealed record ShapeRoot
    {
        public PickedOptions Method { get; init; } = new FastOptions();
        public IReadOnlyList<Item> Items { get; init; } = Array.Empty<Item>();
        public Dictionary<string, int> Counts { get; init; } = new();
    }

    public sealed record Item
    {
        public required string Label { get; init; }
        public double? Weight { get; init; }
    }

    [JsonConverter(typeof(PickedOptionsConverter))]
    public abstract record PickedOptions { public string Name { get; init; } = ""; }
    public sealed record FastOptions : PickedOptions { public double Temperature { get; init; } = 0.1; }
    public sealed record SlowOptions : PickedOptions { public int Patience { get; init; } = 3; }

    /// <summary>Picks the options record from the section's "name", the way a per-method converter does.</summary>
    public sealed class PickedOptionsConverter : JsonConverter<PickedOptions>
    {
        public override PickedOptions? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            var element = JsonElement.ParseValue(ref reader);
            string name = element.TryGetProperty("name", out var n) ? n.GetString() ?? "" : "fast";
            return name == "slow" ? element.Deserialize<SlowOptions>(options) : element.Deserialize<FastOptions>(options);
        }

        public override void Write(Utf8JsonWriter writer, PickedOptions value, JsonSerializerOptions options) =>
            JsonSerializer.Serialize(writer, value, value.GetType(), options);
    }

    private static string ErrorOf(string json)
    {
        var ex = Assert.Throws<ConfigException>(() => ConfigShape.Check(JsonNode.Parse(json), typeof(ShapeRoot), ConfigLoader.Json, "f.json"));
        return ex.Message;
    }

    [Theory]
    [InlineData("{\"method\": {\"name\": \"fast\", \"temperatur\": 1}}", "f.json: method.temperatur: unknown field; did you mean temperature?")]
    [InlineData("{\"method\": {\"name\": \"slow\", \"patiense\": 1}}", "f.json: method.patiense: unknown field; did you mean patience?")]
    [InlineData("{\"method\": {\"name\": \"slow\", \"patience\": \"long\"}}", "f.json: method.patience: expected a number")]
    [InlineData("{\"items\": [{\"label\": \"a\"}, {\"label\": \"b\", \"weigth\": 2}]}", "f.json: items[1].weigth: unknown field; did you mean weight?")]
    [InlineData("{\"items\": [{\"weight\": 2}]}", "f.json: items[0].label: is required")]
    [InlineData("{\"items\": [{\"label\": \"a\", \"weight\": null}, {\"label\": null}]}", "f.json: items[1].label: expected a string, got null")]
    [InlineData("{\"counts\": {\"x\": 1, \"y\": \"two\"}}", "f.json: counts.y: expected a number, got the string \"two\"")]
    public void SectionsItWasNotWrittenForAreCheckedInTheSameWords(string json, string message) =>
        Assert.Equal(message, ErrorOf(json));

    [Fact]
    public void AWellFormedTreePasses() =>
        ConfigShape.Check(JsonNode.Parse("{\"method\": {\"name\": \"slow\", \"patience\": 4}, \"items\": [{\"label\": \"a\", \"weight\": null}], \"counts\": {\"x\": 1}}"),
            typeof(ShapeRoot), ConfigLoader.Json, "f.json");
}
