using System.Text.RegularExpressions;

namespace Vicreg.Tests.Docs;

/// <summary>The manual as the doc tests read it: the README and docs/*.md, their fenced blocks, inline code spans and
/// links, each with the file and line it came from (so that a failure names where to fix).</summary>
internal static partial class Markdown
{
    public sealed record Block(string File, int Line, string Info, string Text);
    public sealed record Span(string File, int Line, string Text);
    public sealed record Link(string File, int Line, string Target);

    /// <summary>The pages whose snippets are tested, relative to the repository root.</summary>
    public static IReadOnlyList<string> Pages()
    {
        var pages = new List<string> { "README.md" };
        pages.AddRange(Directory.GetFiles(RepoFiles.PathOf("docs"), "*.md").Order(StringComparer.Ordinal)
            .Select(p => "docs/" + Path.GetFileName(p)));
        return pages;
    }

    /// <summary>Pages whose links are checked too: the manual plus the other READMEs it links to.</summary>
    public static IReadOnlyList<string> LinkedPages() => Pages().Concat(new[] { "experiments/README.md", "src/README.md" }).ToList();

    public static string[] Lines(string page) => File.ReadAllLines(RepoFiles.PathOf(page));

    public static IEnumerable<Block> Blocks(string page)
    {
        var lines = Lines(page);
        for (int i = 0; i < lines.Length; i++)
        {
            var open = Fence().Match(lines[i]);
            if (!open.Success) continue;
            string indent = open.Groups[1].Value, info = open.Groups[2].Value.Trim();
            int start = i;
            var body = new List<string>();
            for (i++; i < lines.Length && !(lines[i].Trim() == "```"); i++)
                body.Add(lines[i].StartsWith(indent, StringComparison.Ordinal) ? lines[i][indent.Length..] : lines[i]);
            yield return new Block(page, start + 1, info, string.Join('\n', body));
        }
    }

    /// <summary>Inline code spans outside fenced blocks.</summary>
    public static IEnumerable<Span> Spans(string page)
    {
        foreach (var (line, number) in ProseLines(page))
            foreach (Match m in InlineCode().Matches(line))
                yield return new Span(page, number, m.Groups[1].Value);
    }

    /// <summary>Markdown links and images outside fenced blocks and code spans.</summary>
    public static IEnumerable<Link> Links(string page)
    {
        foreach (var (line, number) in ProseLines(page))
            foreach (Match m in LinkTarget().Matches(InlineCode().Replace(line, "")))
                yield return new Link(page, number, m.Groups[1].Value);
    }

    /// <summary>The anchors GitHub gives the page's headings (lower case, punctuation dropped, spaces as hyphens,
    /// a repeated heading numbered -1, -2, …).</summary>
    public static HashSet<string> Anchors(string page)
    {
        var anchors = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (line, _) in ProseLines(page))
        {
            var heading = Heading().Match(line);
            if (!heading.Success) continue;
            string text = heading.Groups[1].Value.Replace("`", "");
            text = LinkTarget().Replace(text, "").Replace("[", "").Replace("]", "");
            string anchor = Vicreg.Training.Config.ConfigReference.Anchor(text.Trim());
            string unique = anchor;
            for (int n = 1; !anchors.Add(unique); n++) unique = $"{anchor}-{n}";
        }
        return anchors;
    }

    private static IEnumerable<(string Line, int Number)> ProseLines(string page)
    {
        var lines = Lines(page);
        bool inFence = false;
        for (int i = 0; i < lines.Length; i++)
        {
            if (Fence().IsMatch(lines[i]) || (inFence && lines[i].Trim() == "```")) { inFence = !inFence; continue; }
            if (!inFence) yield return (lines[i], i + 1);
        }
    }

    [GeneratedRegex(@"^(\s*)```(.*)$")]
    private static partial Regex Fence();
    [GeneratedRegex(@"`([^`]+)`")]
    private static partial Regex InlineCode();
    [GeneratedRegex(@"\]\(([^)\s]+)\)")]
    private static partial Regex LinkTarget();
    [GeneratedRegex(@"^#{1,6}\s+(.*?)\s*$")]
    private static partial Regex Heading();
}
