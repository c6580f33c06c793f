namespace Vicreg.Training.Config;

/// <summary>A config problem, always naming the file and the field, so the CLI can print one clear line.</summary>
public sealed class ConfigException : Exception
{
    public ConfigException(string file, string field, string problem)
        : base($"{file}: {field}: {problem}")
    {
        File = file;
        Field = field;
        Problem = problem;
    }

    public string File { get; }
    public string Field { get; }
    public string Problem { get; }
}
