using Vicreg.Core;
using Vicreg.Data;
using Vicreg.Data.Views;
using Vicreg.Training.Sources;

namespace Vicreg.Tests.Training.Sources.NewModality;

/// <summary>The accelerometer modality's view settings (model.branch_x.view of a branch whose encoder takes "accel").</summary>
public sealed record AccelViewOptions
{
    [Option("Length of the training and evaluation windows, in samples.", Min = 8)]
    public int Window { get; init; } = 48;
    [Option("Standard deviation of the Gaussian noise added to training windows.", Min = 0)]
    public double Jitter { get; init; } = 0.05;
    [Option("Largest random gain change of a training window, as a fraction.", Min = 0, Max = 1, MaxExclusive = true)]
    public double MaxGain { get; init; } = 0.2;
}

/// <summary>A three-axis signal of a recording, as its reader decodes it: [axis][time] flattened axis by axis.</summary>
public sealed class DecodedSignal(float[] values, int axes) : DecodedSample
{
    public float[] Values { get; } = values;
    public int Axes { get; } = axes;
    public int Length => Values.Length / Axes;
    public override long Bytes => 4L * Values.Length;
}

/// <summary>
/// A modality the library does not know: three-axis accelerometer recordings (raw float32, axis by axis) from which a
/// branch draws a window at a random offset, with a random gain and noise. Registered from the test assembly alone.
/// </summary>
public static class AccelModality
{
    public const string Name = "accel";
    public const int Axes = 3;

    public static readonly ModalityEntry Entry = ModalityEntry.Of<AccelViewOptions>(Name,
        recipe: (view, _) => new AccelViewRecipe(view),
        openReader: (_, samples, readers) => new AccelReader(samples, readers.Info),
        validate: (view, branch, require) =>
        {
            require(view.Window >= 8, $"{branch.Field}.view.window", $"must be ≥ 8; got {view.Window}");
            require(view.Jitter >= 0, $"{branch.Field}.view.jitter", $"must be ≥ 0; got {view.Jitter}");
            require(view.MaxGain is >= 0 and < 1, $"{branch.Field}.view.max_gain", $"must be in [0, 1); got {view.MaxGain}");
        },
        noun: "accelerometer recordings", examples: AccelNet.Name);
}

/// <summary>Windows of one branch: [3, window] floats.</summary>
public sealed record AccelViewRecipe(AccelViewOptions Options) : IViewRecipe
{
    public string Modality => AccelModality.Name;
    public long[] TrainShape => new long[] { AccelModality.Axes, Options.Window };
    public long[] EvalShape => TrainShape;
    // "ACPE" and "ACVI": this modality's own random streams.
    public (long Permutation, long Views) StreamTags => (0x4143_5045, 0x4143_5649);

    public bool Draw(DecodedSample sample, Random rng, Span<float> output, Action<DrawnView>? drawn = null)
    {
        var s = (DecodedSignal)sample;
        int offset = rng.Next(0, Math.Max(1, s.Length - Options.Window + 1));
        double gain = 1 + Options.MaxGain * (2 * rng.NextDouble() - 1);
        Copy(s, offset, output);
        for (int i = 0; i < output.Length; i++)
        {
            double noise = Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
            output[i] = (float)(gain * output[i] + Options.Jitter * noise);
        }
        return s.Length < Options.Window;
    }

    public void CentreTrain(DecodedSample sample, Span<float> output) => Centre((DecodedSignal)sample, output);

    public void CentreEval(DecodedSample sample, Span<float> output) => Centre((DecodedSignal)sample, output);

    private void Centre(DecodedSignal s, Span<float> output) => Copy(s, Math.Max(0, (s.Length - Options.Window) / 2), output);

    /// <summary>The window at <paramref name="offset"/> of every axis, zero-padded past the end.</summary>
    private void Copy(DecodedSignal s, int offset, Span<float> output)
    {
        output.Clear();
        int n = Math.Min(Options.Window, s.Length - offset);
        for (int axis = 0; axis < s.Axes; axis++)
            s.Values.AsSpan(axis * s.Length + offset, n).CopyTo(output.Slice(axis * Options.Window, n));
    }
}

/// <summary>Reads a sample's accel file (raw little-endian float32, axis by axis); an unreadable file is skipped with one line.</summary>
public sealed class AccelReader(IReadOnlyList<Sample> samples, Action<string> info) : ISampleReader
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, bool> skipped = new();

    public string Modality => AccelModality.Name;
    public int Count => samples.Count;
    public int SkippedCount => skipped.Count;
    public IReadOnlyCollection<string> SkippedFiles => skipped.Keys.ToArray();

    public DecodedSample? TryDecode(int index)
    {
        var sample = samples[index];
        string file = sample.FileFor(Modality);
        if (skipped.ContainsKey(file)) return null;
        try
        {
            var bytes = File.ReadAllBytes(file);
            if (bytes.Length == 0 || bytes.Length % (4 * AccelModality.Axes) != 0) throw new InvalidDataException($"{bytes.Length} bytes is not whole {AccelModality.Axes}-axis float32 frames");
            var values = new float[bytes.Length / 4];
            Buffer.BlockCopy(bytes, 0, values, 0, bytes.Length);
            return new DecodedSignal(values, AccelModality.Axes);
        }
        catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException)
        {
            if (skipped.TryAdd(file, true)) info(sample.SkipLine(file, e.Message));
            return null;
        }
    }
}
