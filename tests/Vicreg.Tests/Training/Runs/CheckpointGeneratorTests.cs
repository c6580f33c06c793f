using Vicreg.Training.Config;
using Vicreg.Training.Model;
using Vicreg.Training.Optim;
using Vicreg.Training.Runs;
using static TorchSharp.torch;

namespace Vicreg.Tests.Training.Runs;

/// <summary>Checkpoints carry the state of every generator in use, not only the CPU's: on a GPU, SpecAugment and
/// dropout draw from the device's generator, so without it a resume is not exact. A second CPU generator stands in
/// for a GPU's here (the mechanism is the same list; the GPU entry reads libtorch_cuda's default generator).</summary>
public class CheckpointGeneratorTests
{
    private static JointEmbedding Model() =>
        ModelFactory.Build(new ModelConfig { BranchA = new BranchConfig { Encoder = "resnet18", BaseWidth = 4, Expander = "8-8" } });

    private static CheckpointState State(long step) => new(0, (int)step, step, 0, "hash", 0.1, DateTime.UtcNow);

    [Fact]
    public void A_device_generator_is_saved_checksummed_and_restored_with_the_cpu_one()
    {
        using var temp = new TempDir();
        var run = new RunFolder(temp.Path);
        using var device = new Generator(7);
        var deviceEntry = new GeneratorState("rng-cuda0.bin", () => device.get_state(), s => device.set_state(s));
        var generators = new[] { GeneratorStates.Cpu, deviceEntry };
        manual_seed(5);
        using var model = Model();
        using var optimizer = new Lars(model.parameters());

        string folder = Checkpoints.Save(run, model, optimizer, State(3), keep: 2, generators);
        using var expectedCpu = rand(4);
        using var expectedDevice = rand(new long[] { 4 }, generator: device);
        manual_seed(99);
        using (var drift = rand(new long[] { 16 }, generator: device)) { } // both streams move on
        Assert.NotNull(Checkpoints.TryRestoreLatest(run, model, optimizer, generators: generators));
        using var cpu = rand(4);
        using var dev = rand(new long[] { 4 }, generator: device);
        Assert.Equal(expectedCpu.data<float>().ToArray(), cpu.data<float>().ToArray());
        Assert.Equal(expectedDevice.data<float>().ToArray(), dev.data<float>().ToArray());

        // The device file is covered by the checksums like the others.
        Assert.Null(Checkpoints.Damage(folder));
        var bytes = File.ReadAllBytes(Path.Combine(folder, "rng-cuda0.bin"));
        bytes[^1] ^= 0xFF;
        File.WriteAllBytes(Path.Combine(folder, "rng-cuda0.bin"), bytes);
        Assert.Equal("rng-cuda0.bin does not match its checksum", Checkpoints.Damage(folder));
    }

    [Fact]
    public void A_checkpoint_without_a_device_generator_resumes_with_a_warning()
    {
        using var temp = new TempDir();
        var run = new RunFolder(temp.Path);
        using var model = Model();
        using var optimizer = new Lars(model.parameters());
        Checkpoints.Save(run, model, optimizer, State(2), keep: 2); // the CPU generator only
        using var device = new Generator(7);
        var warnings = new List<string>();
        Assert.NotNull(Checkpoints.TryRestoreLatest(run, model, optimizer, warnings.Add,
            new[] { GeneratorStates.Cpu, new GeneratorState("rng-cuda0.bin", () => device.get_state(), s => device.set_state(s)) }));
        Assert.Contains(warnings, w => w.Contains("has no rng-cuda0.bin"));
    }

    [Fact]
    public void The_generators_in_use_are_the_cpu_one_and_one_per_gpu()
    {
        var files = GeneratorStates.For(new[] { CPU, new Device(TorchSharp.DeviceType.CUDA, 1), new Device(TorchSharp.DeviceType.CUDA, 0), new Device(TorchSharp.DeviceType.CUDA, 1) })
            .Select(g => g.File);
        Assert.Equal(new[] { "rng.bin", "rng-cuda0.bin", "rng-cuda1.bin" }, files);
        Assert.Equal(new[] { "rng.bin" }, GeneratorStates.For(new[] { CPU }).Select(g => g.File));
    }
}
