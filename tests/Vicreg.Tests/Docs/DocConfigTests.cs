using System.Text.Json;
using System.Text.Json.Nodes;
using Vicreg.Training.Config;

namespace Vicreg.Tests.Docs;

/// <summary>
/// Every config in the manual loads through the real loader: a block marked <c>```json config</c> (a whole file, or a
/// fragment of top-level fields such as <c>"model": {…}</c>), and any plain <c>```json</c> block whose fields are all
/// top-level config fields, so that an unmarked config is tested as well. A fragment without a `data` section is
/// loaded beside the generated images (<c>"data": {"kind": "synthetic-images"}</c>), since the default kind needs a
/// folder the fragment does not name.
/// </summary>
public class DocConfigTests
{
    public static TheoryData<string> Pages() => new(Markdown.Pages());

    [Theory]
    [MemberData(nameof(Pages))]
    public void Every_config_block_loads(string page)
    {
        var failures = new List<string>();
        foreach (var block in ConfigBlocks(page))
        {
            try
            {
                ConfigLoader.Parse(block.Json, $"{block.Block.File}:{block.Block.Line}", folder: RepoFiles.PathOf("."));
            }
            catch (ConfigException e)
            {
                failures.Add(e.Message);
            }
        }
        Assert.True(failures.Count == 0, string.Join('\n', failures));
    }

    [Fact]
    public void The_manual_has_config_blocks_to_test()
    {
        // The README's example, unshared branches, a data layout, multi-crop, several devices: at least these five.
        Assert.True(Markdown.Pages().Sum(p => ConfigBlocks(p).Count()) >= 5);
    }

    [Fact]
    public void A_broken_config_block_is_caught()
    {
        var broken = new Markdown.Block("docs/example.md", 3, "json config", "\"optim\": { \"batchsize\": 256 }");
        var e = Assert.Throws<ConfigException>(() => ConfigLoader.Parse(AsConfig(broken)!, "docs/example.md:3"));
        Assert.Contains("optim.batchsize: unknown field; did you mean batch_size?", e.Message);
    }

    internal sealed record ConfigBlock(Markdown.Block Block, string Json);

    internal static IEnumerable<ConfigBlock> ConfigBlocks(string page)
    {
        foreach (var block in Markdown.Blocks(page))
        {
            var words = block.Info.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (words is not ["json", ..]) continue;
            string? json = AsConfig(block);
            if (words.Contains("config"))
            {
                Assert.True(json is not null, $"{block.File}:{block.Line}: a block marked json config is not a JSON object or a fragment of one");
                yield return new ConfigBlock(block, json!);
            }
            else if (json is not null && LooksLikeConfig(json)) yield return new ConfigBlock(block, json);
        }
    }

    /// <summary>The block as a JSON object: as written, or wrapped in braces when it is a fragment of fields.</summary>
    private static string? AsConfig(Markdown.Block block)
    {
        string text = block.Text.Trim();
        if (!text.StartsWith('{'))
            text = "{" + text + (FragmentNames(text).Contains("data") ? "" : ", \"data\": { \"kind\": \"synthetic-images\" }") + "}";
        try
        {
            return JsonNode.Parse(text, documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true }) is JsonObject ? text : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static IEnumerable<string> FragmentNames(string fragment)
    {
        try
        {
            return JsonNode.Parse("{" + fragment + "}", documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true }) is JsonObject o
                ? o.Select(kv => kv.Key).ToList() : Array.Empty<string>();
        }
        catch (JsonException)
        {
            return Array.Empty<string>();
        }
    }

    private static bool LooksLikeConfig(string json)
    {
        var fields = typeof(ExperimentConfig).GetProperties().Select(p => JsonNamingPolicy.SnakeCaseLower.ConvertName(p.Name)).Append("extends").ToHashSet();
        var obj = (JsonObject)JsonNode.Parse(json, documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true })!;
        return obj.Count > 0 && obj.All(kv => fields.Contains(kv.Key));
    }
}
