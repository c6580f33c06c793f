namespace Vicreg.Tests;

/// <summary>Files of the repository the tests run from (experiment presets, scripts).</summary>
internal static class RepoFiles
{
    public static string PathOf(string relative)
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Vicreg.Multimodal.sln"))) dir = dir.Parent;
        return Path.Combine(dir!.FullName, relative);
    }
}
