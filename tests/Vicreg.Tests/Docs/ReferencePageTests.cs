using Vicreg.Cli;
using Vicreg.Cli.Reference;
using Vicreg.Training.Config;

namespace Vicreg.Tests.Docs;

/// <summary>
/// docs/config.md and docs/commands.md are what `vicreg reference config` and `vicreg reference commands` write now:
/// a default, a field, an option or a description changed in code without regenerating the page fails here.
/// </summary>
public class ReferencePageTests
{
    [Fact]
    public void Config_md_is_the_generated_config_reference()
    {
        AssertCurrent("docs/config.md", ConfigReference.Markdown(), "vicreg reference config --out docs/config.md");
    }

    [Fact]
    public void Commands_md_is_the_generated_command_reference()
    {
        AssertCurrent("docs/commands.md", CommandReference.Markdown(App.Build()), "vicreg reference commands --out docs/commands.md");
    }

    [Fact]
    public void The_config_reference_states_the_defaults_of_the_code()
    {
        Vicreg.Training.Methods.MethodCatalog.Register(Vicreg.Tests.Training.Methods.ToyAlignSpread.Entry); // whatever ran before
        string page = ConfigReference.Markdown();
        var optim = new OptimConfig();
        Assert.Contains($"| `batch_size` | integer | `{optim.BatchSize}` |", page);
        Assert.Contains($"| `base_lr` | number | `{optim.BaseLr.ToString(System.Globalization.CultureInfo.InvariantCulture)}` |", page);
        Assert.Contains("| `covariance_form` | string | `\"auto\"` | one of auto, gram, feature |", page);
        // The library's methods are listed; one this test assembly registered (the toy method) is not.
        foreach (var method in Vicreg.Training.Methods.MethodCatalog.All)
        {
            if (method.OptionsType.Assembly == typeof(ReferencePageTests).Assembly) Assert.DoesNotContain($"## method: {method.Name}", page);
            else Assert.Contains($"## method: {method.Name}", page);
        }
    }

    private static void AssertCurrent(string page, string generated, string command)
    {
        string committed = File.ReadAllText(RepoFiles.PathOf(page)).ReplaceLineEndings("\n");
        if (committed == generated) return;
        var a = committed.Split('\n');
        var b = generated.Split('\n');
        var differing = Enumerable.Range(0, Math.Max(a.Length, b.Length))
            .Where(i => i >= a.Length || i >= b.Length || a[i] != b[i]).Take(5)
            .Select(i => $"  line {i + 1}\n    committed: {(i < a.Length ? a[i] : "(end of file)")}\n    generated: {(i < b.Length ? b[i] : "(end of file)")}");
        Assert.Fail($"{page} differs from the code; regenerate it with `{command}`.\n{string.Join('\n', differing)}");
    }
}
