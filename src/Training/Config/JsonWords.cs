using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;

namespace Vicreg.Training.Config;

/// <summary>.NET types and JSON values described in the words of a JSON file (number, string, true/false,
/// list, object), so that a config error never shows a CLR type name.</summary>
public static class JsonWords
{
    public static bool IsWholeNumber(Type t) => WholeRanges.ContainsKey(t);

    private static readonly Dictionary<Type, (decimal Min, decimal Max)> WholeRanges = new()
    {
        [typeof(int)] = (int.MinValue, int.MaxValue), [typeof(long)] = (long.MinValue, long.MaxValue),
        [typeof(short)] = (short.MinValue, short.MaxValue), [typeof(byte)] = (byte.MinValue, byte.MaxValue),
        [typeof(sbyte)] = (sbyte.MinValue, sbyte.MaxValue), [typeof(uint)] = (uint.MinValue, uint.MaxValue),
        [typeof(ulong)] = (ulong.MinValue, ulong.MaxValue), [typeof(ushort)] = (ushort.MinValue, ushort.MaxValue),
    };

    public static bool IsNumber(Type t) => IsWholeNumber(t) || t == typeof(double) || t == typeof(float) || t == typeof(decimal);

    /// <summary>The names an enum is written with under <paramref name="options"/> (its naming policy included).</summary>
    public static IReadOnlyList<string> EnumNames(Type enumType, JsonSerializerOptions options) =>
        Enum.GetValues(enumType).Cast<object>().Select(v => JsonSerializer.Serialize(v, enumType, options).Trim('"')).ToList();

    /// <summary>"a number", "a string", "true/false", "a list", "an object", or "a string (one of a, b)".</summary>
    public static string Expected(Type type, JsonSerializerOptions options)
    {
        var t = Nullable.GetUnderlyingType(type) ?? type;
        if (t == typeof(bool)) return "true/false";
        if (IsNumber(t)) return "a number";
        if (t.IsEnum) return $"a string (one of {string.Join(", ", EnumNames(t, options))})";
        if (t == typeof(string) || t == typeof(char) || t == typeof(Guid) || t == typeof(DateTime) || t == typeof(TimeSpan)) return "a string";
        return options.GetTypeInfo(t).Kind switch
        {
            JsonTypeInfoKind.Enumerable => "a list",
            JsonTypeInfoKind.Object or JsonTypeInfoKind.Dictionary => "an object",
            _ => "a value",
        };
    }

    /// <summary>What a file holds, quoted: "the string \"many\"", "the number 0.5", "a list", "null".</summary>
    public static string Describe(JsonNode? node) => node switch
    {
        null => "null",
        JsonObject => "an object",
        JsonArray => "a list",
        JsonValue v => v.GetValueKind() switch
        {
            JsonValueKind.String => $"the string \"{v.GetValue<string>()}\"",
            JsonValueKind.Number => $"the number {v.ToJsonString()}",
            JsonValueKind.True => "true",
            JsonValueKind.False => "false",
            _ => v.ToJsonString(),
        },
        _ => node.ToJsonString(),
    };

    /// <summary>Null when the number fits <paramref name="numberType"/>; otherwise why not.</summary>
    public static string? NumberProblem(JsonValue value, Type numberType)
    {
        string raw = value.ToJsonString();
        if (!decimal.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out var d))
            return numberType == typeof(double) || numberType == typeof(float) ? null : $"{raw} is out of range";
        if (IsWholeNumber(numberType) && d != decimal.Truncate(d)) return $"expected a whole number, got {raw}";
        if (!IsWholeNumber(numberType)) return null;
        var (min, max) = WholeRanges[numberType];
        return d < min || d > max ? $"expected a whole number between {min} and {max}, got {raw}" : null;
    }
}
