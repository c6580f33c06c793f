using System.CommandLine;
using Vicreg.Cli.Reference;
using Vicreg.Training.Config;

namespace Vicreg.Cli.Commands;

/// <summary>vicreg reference config | commands: the manual's reference pages, written from the code (docs/config.md,
/// docs/commands.md), to stdout or to --out.</summary>
internal static class ReferenceCommand
{
    public static Command Create() =>
        new("reference", "Write a reference page of the manual from the code: every config field, or every command and option.")
        {
            Page("config", "Every field of the config envelope and of every catalog entry's options: type, default, allowed values, meaning (docs/config.md).",
                () => ConfigReference.Markdown()),
            Page("commands", "Every command and option with its default, as --help prints them (docs/commands.md).",
                () => CommandReference.Markdown(App.Build())),
        };

    private static Command Page(string name, string description, Func<string> render)
    {
        var output = new Option<FileInfo?>("--out") { Description = "Write the page to this file instead of the console" };
        var command = new Command(name, description) { output };
        command.SetAction(parse => Output.Guard(() =>
        {
            string text = render();
            if (parse.GetValue(output) is { } file)
            {
                File.WriteAllText(file.FullName, text);
                Console.WriteLine($"{file.FullName}: {text.Split('\n').Length - 1} lines");
            }
            else Console.Write(text);
            return 0;
        }));
        return command;
    }
}
