using System.Text.Json.Serialization.Metadata;
using Vicreg.Training.Config;
using Vicreg.Training.Sources;

namespace Vicreg.Tests.Training.Config;

/// <summary>Every setting says what it means, in a form a generator reads by reflection: the envelope's records, and the
/// options record of every built-in catalog entry.</summary>
public class OptionDocsTests
{
    [Fact]
    public void A_view_field_is_described_with_its_json_name_kind_default_and_range()
    {
        var scale = Assert.Single(OptionDocs.Of(typeof(ImageViewOptions)), d => d.Field == "crop_scale_min");
        Assert.Equal(("a number", "null", "in (0, 1]"), (scale.Expected, scale.Default, scale.Allowed));
        Assert.StartsWith("Smallest crop area", scale.Meaning);
        var decode = Assert.Single(OptionDocs.Of(typeof(DataConfig)), d => d.Field == "decode");
        Assert.Equal(("a string", "\"exact\"", "one of exact, fast"), (decode.Expected, decode.Default, decode.Allowed));
    }

    [Fact]
    public void Every_built_in_entry_names_its_section_and_every_field_has_a_meaning()
    {
        var library = typeof(ExperimentConfig).Assembly;
        var sections = OptionDocs.Sections().Where(s => s.OptionsType.Assembly == library).ToList();
        Assert.Contains(sections, s => s.Catalog == "method" && s.Entry == "simclr" && s.Path == "method");
        Assert.Contains(sections, s => s.Catalog == "modality" && s.OptionsType == typeof(AudioViewOptions) && s.Path == "model.branch_x.view");
        var silent = sections.SelectMany(s => OptionDocs.Of(s.OptionsType).Where(d => d.Meaning.Length == 0).Select(d => $"{s.Path} ({s.Entry}).{d.Field}")).ToList();
        Assert.True(silent.Count == 0, "no meaning: " + string.Join(", ", silent));
    }

    [Fact]
    public void Every_field_of_the_envelope_has_a_meaning()
    {
        var silent = new List<string>();
        var seen = new HashSet<Type>();
        void Walk(Type type, string path)
        {
            if (!seen.Add(type)) return;
            var info = ConfigLoader.Json.GetTypeInfo(type);
            foreach (var doc in OptionDocs.Of(type))
                if (doc.Meaning.Length == 0) silent.Add($"{path}{doc.Field}");
            foreach (var p in info.Properties)
                if (Nested(p.PropertyType) is { } inner) Walk(inner, $"{path}{p.Name}.");
        }
        Walk(typeof(ExperimentConfig), "");
        Assert.True(seen.Count > 15, $"walked {seen.Count} records");
        Assert.True(silent.Count == 0, "no meaning: " + string.Join(", ", silent));
    }

    /// <summary>The project's record a property holds (itself, or a list's element), or null.</summary>
    private static Type? Nested(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        var info = ConfigLoader.Json.GetTypeInfo(type);
        var candidate = info.Kind == JsonTypeInfoKind.Enumerable ? info.ElementType! : type;
        return candidate.Namespace?.StartsWith("Vicreg", StringComparison.Ordinal) == true
            && ConfigLoader.Json.GetTypeInfo(candidate).Kind == JsonTypeInfoKind.Object ? candidate : null;
    }
}
