using System.Reflection;

namespace Vicreg.Cli;

/// <summary>Experiment files compiled into the executable, so the quickstart needs no file on disk.</summary>
internal static class EmbeddedExperiments
{
    public const string Quickstart = "quickstart.json";

    public static string Read(string name)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"embedded experiment {name} is missing from this build");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
