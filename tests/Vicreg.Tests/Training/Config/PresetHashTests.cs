using System.Text.Json;
using Vicreg.Tooling.Ablations;
using Vicreg.Training.Config;

namespace Vicreg.Tests.Training.Config;

/// <summary>The training hash of every preset (each experiment file, and each point of each ablation grid) is pinned
/// in tests/fixtures/preset_training_hashes.json: a change to how configs are read or hashed that would make an
/// unchanged preset look like a new run (and refuse its checkpoints) fails here.</summary>
public class PresetHashTests
{
    private static bool IsGrid(string file) => File.ReadAllText(file).Contains("\"axes\"", StringComparison.Ordinal);

    /// <summary>Preset key (repository path, plus " [point]" for grid points) → training hash.</summary>
    private static SortedDictionary<string, string> CurrentHashes()
    {
        var root = RepoFiles.PathOf(".");
        var hashes = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var file in Directory.GetFiles(RepoFiles.PathOf("experiments"), "*.json", SearchOption.AllDirectories))
        {
            var key = Path.GetRelativePath(root, file).Replace('\\', '/');
            if (!IsGrid(file))
            {
                hashes[key] = ConfigHash.OfTraining(ConfigLoader.LoadFile(file));
                continue;
            }
            var grid = AblationGrid.Load(file);
            foreach (var point in grid.Points())
            {
                try { hashes[$"{key} [{point.Key}]"] = ConfigHash.OfTraining(grid.ConfigOf(point)); }
                catch (ConfigException e) { hashes[$"{key} [{point.Key}]"] = "refused: " + e.Field; }
            }
        }
        return hashes;
    }

    [Fact]
    public void EveryPresetKeepsItsTrainingHash()
    {
        var expected = JsonSerializer.Deserialize<SortedDictionary<string, string>>(File.ReadAllText(Fixtures.PathOf("preset_training_hashes.json")))!;
        var actual = CurrentHashes();
        Assert.True(expected.Count > 19, $"the fixture lists {expected.Count} presets");
        var differences = expected.Keys.Union(actual.Keys).Where(k => expected.GetValueOrDefault(k) != actual.GetValueOrDefault(k))
            .Select(k => $"{k}: pinned {expected.GetValueOrDefault(k) ?? "(none)"}, now {actual.GetValueOrDefault(k) ?? "(none)"}").ToList();
        Assert.True(differences.Count == 0, string.Join("\n", differences) + "\nnow:\n" + JsonSerializer.Serialize(actual, new JsonSerializerOptions { WriteIndented = true }));
    }
}
