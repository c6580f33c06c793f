using System.Text.Json.Nodes;

namespace Vicreg.Training.Config;

/// <summary>
/// Before each modality had its own view record, a branch's `view` was one record with the image and the audio fields,
/// written with every field (null when unset). Runs' config.json files and training hashes hold that form: reading
/// skips its unset fields, and the hashed text writes a view in it again, so earlier runs still match their configs.
/// </summary>
public static class LegacyViewFields
{
    /// <summary>The fields of the shared view record, in its order; its local_crops came last and only when set.</summary>
    public static readonly IReadOnlyList<string> Fields = new[]
    {
        "size", "crop_scale_min", "flip_p", "jitter_p", "grayscale_p", "blur_p", "solarize_p",
        "crop_seconds", "gain_db", "noise_level", "shift_seconds",
    };

    /// <summary>A field of the shared record written unset (null), read as absent.</summary>
    public static bool IsUnset(string field, JsonNode? value) => value is null && Fields.Contains(field);

    /// <summary>Every branch view of a serialised config in the shared record's form, when it holds only that record's fields.</summary>
    public static void ToLegacyForm(JsonObject root)
    {
        if (root["model"] is not JsonObject model) return;
        foreach (var key in new[] { "branch_a", "branch_b" })
        {
            if (model[key] is not JsonObject branch || branch["view"] is not JsonObject view) continue;
            if (view.Any(f => !Fields.Contains(f.Key) && f.Key != "local_crops")) continue;
            var legacy = new JsonObject();
            foreach (var field in Fields) legacy[field] = view[field]?.DeepClone();
            if (view["local_crops"] is { } locals) legacy["local_crops"] = locals.DeepClone();
            branch["view"] = legacy;
        }
    }
}
