using System.CommandLine;
using System.Text;
using System.Text.RegularExpressions;

namespace Vicreg.Tests.Docs;

/// <summary>
/// The `vicreg …` command lines of the manual: in fenced blocks (shell lines, continuations joined, `dotnet run --project
/// src/Cli -c Release --` standing for vicreg, launchers such as mpirun in front), and in inline code. A usage line
/// (<c>vicreg knn --run runs/NAME [--k 20]</c>: brackets, alternatives, ellipses) is not parsed as a whole; its command and
/// option names are checked against the parser, and a bracketed literal after an option is the default it states.
/// </summary>
internal static partial class CommandLines
{
    public sealed record Line(string File, int Number, string Text, bool Usage);

    public static IEnumerable<Line> In(string page)
    {
        foreach (var block in Markdown.Blocks(page))
        {
            if (block.Info is not ("" or "sh" or "bash" or "console" or "shell")) continue;
            var lines = block.Text.Split('\n');
            for (int i = 0; i < lines.Length; i++)
            {
                int first = i;
                var joined = new StringBuilder(lines[i]);
                while (joined.ToString().TrimEnd().EndsWith('\\') && i + 1 < lines.Length)
                {
                    joined.Length = joined.ToString().TrimEnd().Length - 1;
                    joined.Append(' ').Append(lines[++i].Trim());
                }
                string shell = joined.ToString();
                if (Invocation(shell) is { } args && ShellPrefix().IsMatch(shell[..Start().Match(shell).Index]))
                    yield return new Line(page, block.Line + 1 + first, args, Usage: UsageMarks().IsMatch(args));
            }
        }
        // Inline code names a command and its options in prose or a table, often without its required options: its
        // names and stated defaults are checked, not the whole line.
        foreach (var span in Markdown.Spans(page))
            if (Invocation(span.Text) is { Length: > 0 } args && char.IsAsciiLetterLower(args[0]) && Start().Match(span.Text).Index == 0)
                yield return new Line(page, span.Line, args, Usage: true);
    }

    /// <summary>The arguments after vicreg in a shell line, up to a comment, pipe, redirection or next command; null
    /// when the line runs no vicreg command.</summary>
    public static string? Invocation(string shell)
    {
        var m = Start().Match(shell);
        if (!m.Success) return null;
        string rest = shell[(m.Index + m.Length)..];
        var end = End().Match(rest);
        if (end.Success) rest = rest[..end.Index];
        return rest.Trim();
    }

    /// <summary>Shell words (single and double quotes, no expansion).</summary>
    public static string[] Words(string args)
    {
        var words = new List<string>();
        var word = new StringBuilder();
        bool any = false;
        char quote = '\0';
        foreach (char c in args)
        {
            if (quote != '\0') { if (c == quote) quote = '\0'; else word.Append(c); continue; }
            if (c is '\'' or '"') { quote = c; any = true; continue; }
            if (char.IsWhiteSpace(c)) { if (any || word.Length > 0) words.Add(word.ToString()); word.Clear(); any = false; continue; }
            word.Append(c);
        }
        if (any || word.Length > 0) words.Add(word.ToString());
        return words.ToArray();
    }

    /// <summary>The subcommand a usage line names, and how many of its words that took.</summary>
    public static (Command Command, int Used) Resolve(RootCommand root, string[] words)
    {
        Command command = root;
        int used = 0;
        while (used < words.Length && command.Subcommands.FirstOrDefault(s => s.Name == words[used] || s.Aliases.Contains(words[used])) is { } sub)
        {
            command = sub;
            used++;
        }
        return (command, used);
    }

    // "vicreg " at a word start (also "…/vicreg", as in vicreg-ext/vicreg), or the dotnet run form of it.
    [GeneratedRegex(@"(?:dotnet run --project src/Cli(?: -c \w+)? --|(?<![\w.-])(?:[\w.-]+/)?vicreg)(?=\s|$)")]
    private static partial Regex Start();
    // What may stand before vicreg on a shell line: a prompt, environment assignments, a launcher, or an earlier command.
    [GeneratedRegex(@"^\s*(?:\$\s+)?(?:[A-Z_][A-Z0-9_]*=\S*\s+)*(?:(?:mpirun|srun|nice|time|/usr/bin/time)\b[^#]*\s)?$|(?:&&|;|\()\s*(?:[A-Z_][A-Z0-9_]*=\S*\s+)*$")]
    private static partial Regex ShellPrefix();
    [GeneratedRegex(@"\s(?:#|\||&&|;|\d?>|<)")]
    private static partial Regex End();
    [GeneratedRegex(@"[\[\]…]|\\\||(?<=\w)\|(?=\w)")]
    private static partial Regex UsageMarks();
}
