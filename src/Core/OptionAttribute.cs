using System.Globalization;

namespace Vicreg.Core;

/// <summary>
/// What one setting of an options record means, and the values it may take, in a form that tools read by reflection
/// (the generated config reference, `vicreg` listings). Put it on the property (for a positional record:
/// <c>[property: Option(…)]</c>). <see cref="Min"/>/<see cref="Max"/> are inclusive unless <see cref="MinExclusive"/>/
/// <see cref="MaxExclusive"/> say otherwise; NaN means unbounded. <see cref="Values"/> lists the allowed words of a
/// string setting. The bounds describe; the entry's own validation enforces them with the config's wording.
/// </summary>
[AttributeUsage(AttributeTargets.Property, AllowMultiple = false, Inherited = true)]
public sealed class OptionAttribute(string meaning) : Attribute
{
    /// <summary>One line: what the setting changes.</summary>
    public string Meaning { get; } = meaning;
    public double Min { get; set; } = double.NaN;
    public double Max { get; set; } = double.NaN;
    public bool MinExclusive { get; set; }
    public bool MaxExclusive { get; set; }
    /// <summary>The allowed words of a string setting; null: any.</summary>
    public string[]? Values { get; set; }

    /// <summary>"≥ 1", "in (0, 1]", "one of host, device", or null when nothing is said.</summary>
    public string? Allowed
    {
        get
        {
            if (Values is { Length: > 0 }) return "one of " + string.Join(", ", Values);
            bool low = !double.IsNaN(Min), high = !double.IsNaN(Max);
            if (low && high) return $"in {(MinExclusive ? "(" : "[")}{Number(Min)}, {Number(Max)}{(MaxExclusive ? ")" : "]")}";
            if (low) return $"{(MinExclusive ? ">" : "≥")} {Number(Min)}";
            if (high) return $"{(MaxExclusive ? "<" : "≤")} {Number(Max)}";
            return null;
        }
    }

    private static string Number(double x) => x.ToString("R", CultureInfo.InvariantCulture);
}
