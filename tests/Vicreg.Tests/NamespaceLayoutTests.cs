using System.Text.RegularExpressions;

namespace Vicreg.Tests;

/// <summary>
/// A file's namespace is its folder: src/Training/Methods/X.cs declares Vicreg.Training.Methods, and
/// tests/Vicreg.Tests/Training/Methods/XTests.cs declares Vicreg.Tests.Training.Methods, so that the tests mirror src/
/// and a reader finds a type where its namespace says. A file without a namespace (top-level statements, assembly
/// attributes) declares no type.
/// </summary>
public class NamespaceLayoutTests
{
    private static readonly Regex Namespace = new(@"^namespace\s+([A-Za-z0-9_.]+)\s*[;{]", RegexOptions.Multiline);
    private static readonly Regex TypeDeclaration = new(@"^\s*(?:(?:public|internal|sealed|static|abstract|partial|file)\s+)*(?:class|record|struct|interface|enum)\s+\w+", RegexOptions.Multiline);

    public static TheoryData<string, string> Trees() => new()
    {
        { "src", "Vicreg" },
        { "tests/Vicreg.Tests", "Vicreg.Tests" },
    };

    [Theory]
    [MemberData(nameof(Trees))]
    public void Every_namespace_matches_its_folder(string tree, string rootNamespace)
    {
        string root = RepoFiles.PathOf(tree);
        var files = SourceFiles(root).ToList();
        Assert.True(files.Count > 100, $"{root}: only {files.Count} source files found");
        var wrong = files.Select(f => Problem(root, rootNamespace, f)).OfType<string>().ToList();
        Assert.True(wrong.Count == 0, $"{wrong.Count} file(s) whose namespace is not their folder:\n" + string.Join("\n", wrong));
    }

    [Fact]
    public void The_check_sees_a_file_in_the_wrong_folder_and_a_type_outside_any_namespace()
    {
        using var dir = new TempDir();
        Directory.CreateDirectory(dir.Combine("Training", "Methods"));
        File.WriteAllText(dir.Combine("Training", "Methods", "Moved.cs"), "namespace Vicreg.Tests.Training;\n\npublic class Moved { }\n");
        File.WriteAllText(dir.Combine("Training", "Methods", "Right.cs"), "namespace Vicreg.Tests.Training.Methods;\n\npublic class Right { }\n");
        File.WriteAllText(dir.Combine("Loose.cs"), "public sealed class Loose { }\n");
        File.WriteAllText(dir.Combine("Program.cs"), "// top-level statements\nSystem.Console.WriteLine(1);\n");
        var problems = SourceFiles(dir.Path).Select(f => Problem(dir.Path, "Vicreg.Tests", f)).OfType<string>().Order().ToList();
        Assert.Equal(new[]
        {
            "Loose.cs: declares a type outside any namespace; expected namespace Vicreg.Tests",
            "Training/Methods/Moved.cs: namespace Vicreg.Tests.Training; expected Vicreg.Tests.Training.Methods",
        }, problems);
    }

    private static IEnumerable<string> SourceFiles(string root) =>
        Directory.EnumerateFiles(root, "*.cs", SearchOption.AllDirectories)
            .Where(f => !Path.GetRelativePath(root, f).Split(Path.DirectorySeparatorChar).Any(part => part is "bin" or "obj"));

    /// <summary>One line naming the file and what is wrong with its namespace, or null.</summary>
    private static string? Problem(string root, string rootNamespace, string file)
    {
        string relative = Path.GetRelativePath(root, file).Replace('\\', '/');
        string folder = Path.GetDirectoryName(relative)!.Replace('\\', '/');
        // A project folder under src/ is named after the project without "Vicreg.", so both trees map the same way.
        string expected = folder.Length == 0 ? rootNamespace : $"{rootNamespace}.{folder.Replace('/', '.')}";
        string text = File.ReadAllText(file);
        var declared = Namespace.Match(text);
        if (!declared.Success)
            return TypeDeclaration.IsMatch(text) ? $"{relative}: declares a type outside any namespace; expected namespace {expected}" : null;
        return declared.Groups[1].Value == expected ? null : $"{relative}: namespace {declared.Groups[1].Value}; expected {expected}";
    }
}
