using System.Text.Json.Nodes;
using Vicreg.Encoders;

namespace Vicreg.Training.Config;

/// <summary>
/// Fields whose default is another field, filled in the merged tree before it is read, so that a value is set once:
/// a spectrogram branch's mel.sample_rate follows data.audio.sample_rate unless it is given.
/// </summary>
public static class DerivedDefaults
{
    public static void Apply(JsonObject root)
    {
        // Malformed sections are left alone here: the shape check reports them.
        if ((root["data"] as JsonObject)?[ConfigLoader.FieldName(nameof(DataConfig.Audio))] is not JsonObject audio || audio["sample_rate"] is not JsonValue rate || !rate.TryGetValue<int>(out int sampleRate)) return;
        if (root["model"] is not JsonObject model) return;
        foreach (var name in new[] { "branch_a", "branch_b" })
        {
            if (model[name] is not JsonObject branch) continue;
            if (branch["encoder"] is not JsonValue e || !e.TryGetValue<string>(out var encoder) || !EncoderCatalog.HasLogMel(encoder)) continue;
            if (branch["mel"] is JsonObject mel) { if (!mel.ContainsKey("sample_rate")) mel["sample_rate"] = sampleRate; }
            // No mel section: the front end's defaults are 16 kHz ones, so only another rate needs a section.
            else if (branch["mel"] is null && !branch.ContainsKey("mel") && sampleRate != 16000) branch["mel"] = new JsonObject { ["sample_rate"] = sampleRate };
        }
    }
}
