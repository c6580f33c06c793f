using TorchSharp;

namespace Vicreg.Training.Logging;

/// <summary>
/// TensorBoard event files written by TorchSharp's SummaryWriter (torch.utils.tensorboard): one
/// events.out.tfevents.* file per process in <see cref="Directory"/> (the run folder, next to stats.csv).
/// Each event is appended and the file closed at once, so a crash loses nothing already logged.
/// View with <c>tensorboard --logdir runs/</c>.
/// </summary>
public sealed class TensorBoardLog : IScalarLog
{
    private readonly TorchSharp.Modules.SummaryWriter writer;
    private readonly object gate = new();

    public TensorBoardLog(string directory)
    {
        Directory = Path.GetFullPath(directory);
        writer = torch.utils.tensorboard.SummaryWriter(Directory);
    }

    public string Directory { get; }

    public void Scalar(string tag, double value, long step)
    {
        if (!double.IsFinite(value)) return;
        lock (gate) writer.add_scalar(tag, (float)value, (int)Math.Min(step, int.MaxValue));
    }

    public void Dispose() { }
}
