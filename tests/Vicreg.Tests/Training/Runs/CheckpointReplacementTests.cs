using Vicreg.Training.Config;
using Vicreg.Training.Model;
using Vicreg.Training.Optim;
using Vicreg.Training.Runs;
using static TorchSharp.torch;

namespace Vicreg.Tests.Training.Runs;

/// <summary>Rewriting a step's checkpoint with keep_checkpoints 1: a crash after any step of the replacement leaves
/// a checkpoint of that step that loads, the old one until the new one is in place, the new one after.</summary>
public class CheckpointReplacementTests
{
    private static JointEmbedding Model(int seed)
    {
        manual_seed(seed);
        return ModelFactory.Build(new ModelConfig { BranchA = new BranchConfig { Encoder = "resnet18", BaseWidth = 4, Expander = "8-8" } });
    }

    private static float Fingerprint(JointEmbedding model) => model.parameters().Select(p => p.abs().sum().item<float>()).Sum();

    [Fact]
    public void A_crash_at_any_point_of_rewriting_a_step_leaves_a_loadable_checkpoint()
    {
        using var temp = new TempDir();
        using var oldModel = Model(1);
        using var newModel = Model(2);
        using var optimizer = new Lars(oldModel.parameters());
        var state = new CheckpointState(0, 3, 3, 0, "hash", 0.1, DateTime.UtcNow);
        // The new checkpoint as Save writes it before it is moved into place.
        var staging = new RunFolder(Path.Combine(temp.Path, "staging"));
        string written = Checkpoints.Save(staging, newModel, optimizer, state, keep: 1);

        int count = CheckpointReplacement.Steps("a", "b").Count;
        Assert.True(count >= 4);
        for (int crashAfter = 0; crashAfter <= count; crashAfter++)
        {
            var run = new RunFolder(Path.Combine(temp.Path, $"crash-after-{crashAfter}"));
            string final = Checkpoints.Save(run, oldModel, optimizer, state, keep: 1);
            string tmp = final + CheckpointReplacement.TempSuffix;
            CopyFolder(written, tmp);
            var steps = CheckpointReplacement.Steps(tmp, final);
            bool newInPlace = false;
            foreach (var (name, step) in steps.Take(crashAfter))
            {
                step();
                newInPlace |= name == "move the new folder in";
            }

            using var restored = Model(3);
            var resumed = Checkpoints.TryRestoreLatest(run, restored);
            Assert.True(resumed is not null, $"no loadable checkpoint after a crash following step {crashAfter} ({string.Join(", ", Directory.GetDirectories(run.CheckpointsDir).Select(Path.GetFileName))})");
            Assert.Equal(3, resumed!.GlobalStep);
            Assert.Equal(Fingerprint(newInPlace ? newModel : oldModel), Fingerprint(restored));
            Assert.Single(Checkpoints.Complete(run));
        }
    }

    [Fact]
    public void Save_rewrites_a_step_in_place_and_leaves_nothing_aside()
    {
        using var temp = new TempDir();
        var run = new RunFolder(temp.Path);
        using var oldModel = Model(1);
        using var newModel = Model(2);
        using var optimizer = new Lars(oldModel.parameters());
        var state = new CheckpointState(0, 3, 3, 0, "hash", 0.1, DateTime.UtcNow);
        Checkpoints.Save(run, oldModel, optimizer, state, keep: 1);
        string final = Checkpoints.Save(run, newModel, optimizer, state, keep: 1);
        Assert.Equal(new[] { Path.GetFileName(final) }, Directory.GetDirectories(run.CheckpointsDir).Select(Path.GetFileName));
        using var restored = Model(3);
        Checkpoints.TryRestoreLatest(run, restored);
        Assert.Equal(Fingerprint(newModel), Fingerprint(restored));
    }

    private static void CopyFolder(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.GetFiles(from)) File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
    }
}
