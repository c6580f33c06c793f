using System.Text.Json.Nodes;

namespace Vicreg.Runs;

/// <summary>The fields in which two serialised configs differ, as "optim.base_lr: 0.3 → 0.2": what a refused
/// start names, so that the user sees which change made it another run.</summary>
public static class ConfigDifference
{
    public static IReadOnlyList<string> Fields(string beforeJson, string afterJson, int max = 6)
    {
        var lines = new List<string>();
        Walk(JsonNode.Parse(beforeJson), JsonNode.Parse(afterJson), "", lines);
        return lines.Count <= max ? lines : lines.Take(max).Append($"and {lines.Count - max} more").ToList();
    }

    private static void Walk(JsonNode? before, JsonNode? after, string path, List<string> lines)
    {
        if (before is JsonObject a && after is JsonObject b)
        {
            foreach (var key in a.Select(p => p.Key).Union(b.Select(p => p.Key)).Order(StringComparer.Ordinal))
                Walk(a[key], b[key], path.Length == 0 ? key : $"{path}.{key}", lines);
            return;
        }
        string x = before?.ToJsonString() ?? "(unset)", y = after?.ToJsonString() ?? "(unset)";
        if (x != y) lines.Add($"{path}: {x} → {y}");
    }
}
