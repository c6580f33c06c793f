using Spectre.Console;
using Vicreg.Training.Config;

namespace Vicreg.Cli;

/// <summary>Console conventions: one clear red line for an error, never a stack trace.</summary>
internal static class Output
{
    public static bool Interactive => AnsiConsole.Profile.Capabilities.Interactive && !Console.IsOutputRedirected;

    public static int Fail(string message)
    {
        AnsiConsole.MarkupLine($"[red]error:[/] {Markup.Escape(message)}");
        return 2;
    }

    /// <summary>Runs a command body, turning the errors a user can cause into one line and exit code 2.</summary>
    public static int Guard(Func<int> body)
    {
        try { return body(); }
        catch (ConfigException e) { return Fail(e.Message); }
        catch (OperationCanceledException) { return Fail("stopped; run the same command again to resume from the last checkpoint"); }
        catch (Exception e) when (e is ArgumentException or InvalidDataException or IOException or InvalidOperationException
                                   or UnauthorizedAccessException or Vicreg.Training.TrainingDivergedException)
        {
            return Fail(e.Message);
        }
    }
}
