namespace Vicreg.Tests.Docs;

/// <summary>Every relative link of the README, docs/ and the other READMEs resolves: the file exists, and an anchor
/// names a heading of the page it points to.</summary>
public class DocLinkTests
{
    public static TheoryData<string> Pages() => new(Markdown.LinkedPages());

    [Theory]
    [MemberData(nameof(Pages))]
    public void Every_relative_link_resolves(string page)
    {
        var failures = new List<string>();
        foreach (var link in Markdown.Links(page))
        {
            if (link.Target.Contains("://") || link.Target.StartsWith("mailto:")) continue;
            string? problem = Problem(page, link.Target);
            if (problem is not null) failures.Add($"{link.File}:{link.Line}: ({link.Target}): {problem}");
        }
        Assert.True(failures.Count == 0, string.Join('\n', failures));
    }

    [Fact]
    public void A_broken_link_is_caught()
    {
        Assert.Equal("no such file: docs/no-such-page.md", Problem("README.md", "docs/no-such-page.md"));
        Assert.Equal("docs/training.md has no heading #no-such-heading", Problem("README.md", "docs/training.md#no-such-heading"));
        Assert.Null(Problem("README.md", "docs/training.md#the-config-file"));
    }

    private static string? Problem(string page, string target)
    {
        int hash = target.IndexOf('#');
        string file = hash >= 0 ? target[..hash] : target;
        string? anchor = hash >= 0 ? target[(hash + 1)..] : null;
        string folder = Path.GetDirectoryName(page) ?? "";
        string relative = file.Length == 0 ? page : Path.GetRelativePath(RepoFiles.PathOf("."), Path.GetFullPath(Path.Combine(RepoFiles.PathOf(folder), file)));
        string full = RepoFiles.PathOf(relative);
        if (!File.Exists(full) && !Directory.Exists(full)) return $"no such file: {relative}";
        if (anchor is not null && relative.EndsWith(".md") && !Markdown.Anchors(relative).Contains(anchor))
            return $"{relative} has no heading #{anchor}";
        return null;
    }
}
