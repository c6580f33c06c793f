using Spectre.Console;
using Vicreg.Training.Config;

namespace Vicreg.Cli;

/// <summary>Console conventions: one clear red line for an error, never a stack trace.</summary>
internal static class Output
{
    public static bool Interactive => AnsiConsole.Profile.Capabilities.Interactive && !Console.IsOutputRedirected;

    /// <summary>One line on stderr, never wrapped, so logs and scripts can grep it.</summary>
    public static int Fail(string message)
    {
        bool colour = !Console.IsErrorRedirected;
        Console.Error.WriteLine(colour ? $"\u001b[31merror:\u001b[0m {message}" : $"error: {message}");
        return 2;
    }

    /// <summary>Redirected output (CI logs, files) is not wrapped at 80 columns.</summary>
    public static void ConfigureConsole()
    {
        if (Console.IsOutputRedirected) AnsiConsole.Profile.Width = 200;
    }

    /// <summary>Runs a command body, turning the errors a user can cause into one line and exit code 2.</summary>
    public static int Guard(Func<int> body)
    {
        try { return body(); }
        catch (ConfigException e) { return Fail(e.Message); }
        catch (Vicreg.Training.TrainingStoppedException e)
        {
            if (Vicreg.Core.Distributed.MpiCollectives.Current is not { Rank: > 0 }) Console.Error.WriteLine(e.Message); // rank 0 speaks for all
            return 130;
        }
        catch (OperationCanceledException) { return Fail("stopped; run the same command again to resume from the last checkpoint"); }
        catch (Exception e) when (e is ArgumentException or InvalidDataException or IOException or InvalidOperationException
                                   or UnauthorizedAccessException or Vicreg.Training.TrainingDivergedException
                                   or Vicreg.Training.Interop.Onnx.OnnxExportException)
        {
            return Fail(e.Message);
        }
    }
}
