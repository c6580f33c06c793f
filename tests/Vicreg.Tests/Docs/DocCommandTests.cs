using System.CommandLine;
using System.Text.RegularExpressions;
using Vicreg.Cli;
using Vicreg.Cli.Reference;

namespace Vicreg.Tests.Docs;

/// <summary>Every vicreg command line in the README and docs/ parses with the real parser (nothing runs), and every
/// usage line names commands and options the parser has, with the defaults it has.</summary>
public partial class DocCommandTests
{
    public static TheoryData<string> Pages() => new(Markdown.Pages());

    [Theory]
    [MemberData(nameof(Pages))]
    public void Every_command_line_parses(string page)
    {
        var root = App.Build();
        var failures = new List<string>();
        foreach (var line in CommandLines.In(page).Where(l => !l.Usage))
        {
            var result = root.Parse(CommandLines.Words(line.Text));
            if (result.Errors.Count > 0)
                failures.Add($"{line.File}:{line.Number}: vicreg {line.Text}: {string.Join("; ", result.Errors.Select(e => e.Message))}");
            else if (result.CommandResult.Command == root && line.Text.Length > 0)
                failures.Add($"{line.File}:{line.Number}: vicreg {line.Text}: names no command");
        }
        Assert.True(failures.Count == 0, string.Join('\n', failures));
    }

    [Theory]
    [MemberData(nameof(Pages))]
    public void Every_usage_line_names_options_the_parser_has_with_its_defaults(string page)
    {
        var root = App.Build();
        var failures = new List<string>();
        foreach (var line in CommandLines.In(page).Where(l => l.Usage))
        {
            var words = CommandLines.Words(line.Text.Replace("\\|", "|"));
            var (command, used) = CommandLines.Resolve(root, words);
            string where = $"{line.File}:{line.Number}: vicreg {line.Text}";
            if (used == 0) { failures.Add($"{where}: no such command"); continue; }
            for (int i = used; i < words.Length; i++)
            {
                var name = OptionName().Match(words[i]);
                if (!name.Success) continue;
                var option = command.Options.FirstOrDefault(o => o.Name == name.Groups[1].Value || o.Aliases.Contains(name.Groups[1].Value));
                if (option is null) { failures.Add($"{where}: vicreg {string.Join(' ', words[..used])} has no option {name.Groups[1].Value}"); continue; }
                // "[--k 20 …]": a literal value inside brackets is the default the docs promise.
                bool bracketed = words[i].StartsWith('[') || Opened(words, i);
                if (bracketed && i + 1 < words.Length && StatedDefault(words[i + 1]) is { } stated
                    && option.ValueType != typeof(bool) && CommandReference.DefaultText(option) != stated)
                    failures.Add($"{where}: {option.Name} defaults to {CommandReference.DefaultText(option) ?? "nothing"}, the docs say {stated}");
            }
        }
        Assert.True(failures.Count == 0, string.Join('\n', failures));
    }

    [Fact]
    public void The_manual_has_command_lines_and_usage_lines_to_test()
    {
        var lines = Markdown.Pages().SelectMany(CommandLines.In).ToList();
        Assert.True(lines.Count(l => !l.Usage) >= 20, $"{lines.Count(l => !l.Usage)} command lines");
        Assert.True(lines.Count(l => l.Usage) >= 10, $"{lines.Count(l => l.Usage)} usage lines");
    }

    [Fact]
    public void A_misspelt_option_fails_to_parse()
    {
        var words = CommandLines.Words(CommandLines.Invocation("dotnet run --project src/Cli -c Release -- knn --run runs/x --neighbours 5")!);
        Assert.NotEmpty(App.Build().Parse(words).Errors);
    }

    /// <summary>Whether word i sits inside a bracket opened earlier and not yet closed.</summary>
    private static bool Opened(string[] words, int i)
    {
        int depth = 0;
        for (int j = 0; j < i; j++) depth += words[j].Count(c => c == '[') - words[j].Count(c => c == ']');
        return depth > 0;
    }

    /// <summary>A literal value (20, 0.07, views.png), not a placeholder (F, DIR, runs/NAME) or another option.</summary>
    private static string? StatedDefault(string word)
    {
        string value = word.TrimEnd(']').TrimStart('[');
        if (value.Length == 0 || value.StartsWith('-') || value.Contains('|') || value.Contains('…') || value.Contains('=')) return null;
        if (Placeholder().IsMatch(value)) return null;
        return value;
    }

    [GeneratedRegex(@"^\[?(--?[a-z][\w-]*)\]?$")]
    private static partial Regex OptionName();
    [GeneratedRegex(@"[A-Z]{1,}|^[a-z]$")]
    private static partial Regex Placeholder();
}
