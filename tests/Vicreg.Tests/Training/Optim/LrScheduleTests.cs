using Vicreg.Training.Optim;

namespace Vicreg.Tests.Training.Optim;

/// <summary>Pinned to tests/fixtures/schedule.json, the official adjust_learning_rate. Tolerance 1e-12 relative.</summary>
public class LrScheduleTests
{
    [Fact]
    public void EveryStepMatchesTheOfficialSchedule()
    {
        var f = Fixtures.Load("schedule.json");
        var s = new LrSchedule(f.GetProperty("base_lr").GetDouble(), f.GetProperty("batch_size").GetInt32(),
            f.GetProperty("epochs").GetInt32(), f.GetProperty("warmup_epochs").GetInt32(), f.GetProperty("steps_per_epoch").GetInt32());
        var expected = Fixtures.Doubles(f.GetProperty("lr"));
        Assert.Equal(expected.Length, s.TotalSteps);
        for (int i = 0; i < expected.Length; i++)
            Close.Scalar(expected[i], s.At(i), 1e-12, $"lr at step {i}");
        Assert.Equal(1.6, s.PeakLr, 12); // 0.2 × 2048 / 256
    }
}
