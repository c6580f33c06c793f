namespace Vicreg.Training.Logging;

/// <summary>Named scalar series by step: TensorBoard, or nothing. Everything the run logs this way is also in
/// its CSV files, so turning the log off loses no data.</summary>
public interface IScalarLog : IDisposable
{
    void Scalar(string tag, double value, long step);
}

/// <summary>A log that drops everything (output.tensorboard = false).</summary>
public sealed class NullScalarLog : IScalarLog
{
    public static readonly NullScalarLog Instance = new();
    public void Scalar(string tag, double value, long step) { }
    public void Dispose() { }
}
