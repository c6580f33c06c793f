using System.ComponentModel;
using System.Reflection;
using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace Vicreg.Training.Config;

/// <summary>
/// What the config reference says about one property: its meaning and allowed values. An options property says it
/// itself with an <c>[Option(meaning, Min, Max, Values)]</c> attribute (read by name, so that any assembly's attribute of
/// that shape counts); a property without one falls back to a <see cref="DescriptionAttribute"/>, then to its XML
/// documentation: the summary for the meaning, the <c>&lt;value&gt;</c> element for the allowed values. So the reference
/// never needs a second copy of what the code already says.
/// </summary>
public static partial class FieldDocs
{
    private static readonly Dictionary<Assembly, Dictionary<string, (string? Summary, string? Value)>?> Docs = new();

    /// <summary>The one-line meaning of <paramref name="property"/>; empty when the code says nothing.</summary>
    public static string Meaning(PropertyInfo property)
    {
        if (OptionAttribute(property) is { } option && option.GetType().GetProperty("Meaning")?.GetValue(option) is string meaning && meaning.Length > 0)
            return OneLine(meaning);
        if (property.GetCustomAttribute<DescriptionAttribute>() is { Description.Length: > 0 } description)
            return OneLine(description.Description);
        return Documented(property).Summary ?? "";
    }

    /// <summary>The allowed values or range an <c>[Option]</c> attribute states ("≥ 1", "one of a, b"), else the XML
    /// documentation's &lt;value&gt;, else null.</summary>
    public static string? Allowed(PropertyInfo property) =>
        OptionAttribute(property) is { } option
            ? option.GetType().GetProperty("Allowed")?.GetValue(option) as string
            : Documented(property).Value;

    /// <summary>A default that is not a constant (the machine's core count), as the property states it with
    /// <see cref="DefaultValueAttribute"/>; null: the record's own default is shown.</summary>
    public static string? DefaultText(PropertyInfo property) =>
        property.GetCustomAttribute<DefaultValueAttribute>()?.Value?.ToString();

    private static Attribute? OptionAttribute(PropertyInfo property) =>
        property.GetCustomAttributes(inherit: true).OfType<Attribute>().FirstOrDefault(a => a.GetType().Name == "OptionAttribute");

    private static (string? Summary, string? Value) Documented(PropertyInfo property)
    {
        var declaring = property.DeclaringType!;
        var docs = DocsOf(declaring.Assembly);
        return docs is not null && docs.TryGetValue($"P:{declaring.FullName!.Replace('+', '.')}.{property.Name}", out var found) ? found : (null, null);
    }

    /// <summary>The property docs of an assembly's XML documentation file (beside it), or null when it has none.</summary>
    private static Dictionary<string, (string? Summary, string? Value)>? DocsOf(Assembly assembly)
    {
        lock (Docs)
        {
            if (Docs.TryGetValue(assembly, out var cached)) return cached;
            string xml = Path.ChangeExtension(assembly.Location, ".xml");
            Dictionary<string, (string?, string?)>? read = null;
            if (File.Exists(xml))
                read = XDocument.Load(xml).Descendants("member")
                    .Where(m => ((string?)m.Attribute("name"))?.StartsWith("P:", StringComparison.Ordinal) == true)
                    .GroupBy(m => (string)m.Attribute("name")!)
                    .ToDictionary(g => g.Key, g => (Text(g.First().Element("summary")), Text(g.First().Element("value"))));
            Docs[assembly] = read;
            return read;
        }
    }

    private static string? Text(XElement? element) => element is null ? null : PlainText(element);

    /// <summary>A summary as one line of text: a cref as its last name, code as itself.</summary>
    private static string PlainText(XElement summary)
    {
        var text = string.Concat(summary.Nodes().Select(node => node switch
        {
            XText t => t.Value,
            XElement { Name.LocalName: "see" or "seealso" } e => (string?)e.Attribute("langword") ?? Last((string?)e.Attribute("cref") ?? e.Value),
            XElement { Name.LocalName: "paramref" or "typeparamref" } e => (string?)e.Attribute("name") ?? "",
            XElement e => e.Value,
            _ => "",
        }));
        return OneLine(text);
    }

    private static string Last(string cref)
    {
        int paren = cref.IndexOf('(');
        if (paren >= 0) cref = cref[..paren];
        return cref[(cref.LastIndexOfAny(new[] { '.', ':' }) + 1)..];
    }

    private static string OneLine(string text) => Spaces().Replace(text, " ").Trim();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();
}
