using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using Vicreg.Core;
using Vicreg.Data;
using Vicreg.Training.Config;
using Vicreg.Training.Sources;

namespace Vicreg.Tests.Training.Sources.NewModality;

/// <summary>The settings of the synthetic-accel-pairs kind (data.accel_pairs).</summary>
public sealed record AccelPairsOptions
{
    [Option("Where the generated recordings and pictures are written.")]
    public string Root { get; init; } = "data/accel-pairs";
    [Option("How many activities (classes).", Min = 2, Max = 6)]
    public int Classes { get; init; } = 3;
    [Option("Training recordings per class.", Min = 1)]
    public int TrainPerClass { get; init; } = 16;
    [Option("Held-out recordings per class.", Min = 1)]
    public int ValPerClass { get; init; } = 8;
    [Option("Length of each recording, in samples.", Min = 8)]
    public int Length { get; init; } = 96;
}

/// <summary>
/// A dataset kind the library does not know: an activity's accelerometer recording paired with a picture of it. Class c
/// moves at frequency c + 1 (with a random phase and noise on each axis) and its picture is a colour of its own with
/// noise, so both branches have something to learn and to agree on.
/// </summary>
public static class AccelPairsKind
{
    public const string Name = "synthetic-accel-pairs";
    public const string Section = "accel_pairs";

    public static readonly DatasetKind Entry = DatasetKind.Of<AccelPairsOptions>(Name, new[] { ImageModality.Entry.Name, AccelModality.Name }, Section,
        (o, _, require) =>
        {
            require(o.Classes is >= 2 and <= 6, $"data.{Section}.classes", $"must be between 2 and 6; got {o.Classes}");
            require(o.TrainPerClass >= 1, $"data.{Section}.train_per_class", $"must be ≥ 1; got {o.TrainPerClass}");
            require(o.ValPerClass >= 1, $"data.{Section}.val_per_class", $"must be ≥ 1; got {o.ValPerClass}");
            require(o.Length >= 8, $"data.{Section}.length", $"must be ≥ 8; got {o.Length}");
        },
        (o, request) =>
        {
            var classes = Enumerable.Range(0, o.Classes).Select(c => $"activity{c}").ToArray();
            var rng = new Random(request.Seed);
            return new DataSplits(Generate(o, "train", o.TrainPerClass, classes, rng), Generate(o, "val", o.ValPerClass, classes, rng));
        });

    private static SampleSet Generate(AccelPairsOptions o, string split, int perClass, string[] classes, Random rng)
    {
        var samples = new List<Sample>();
        for (int c = 0; c < classes.Length; c++)
        {
            string folder = Path.Combine(o.Root, split, classes[c]);
            Directory.CreateDirectory(folder);
            for (int i = 0; i < perClass; i++)
            {
                string accel = Path.Combine(folder, $"{i:000}.f32"), image = Path.Combine(folder, $"{i:000}.png");
                var values = new float[AccelModality.Axes * o.Length];
                for (int axis = 0; axis < AccelModality.Axes; axis++)
                {
                    double phase = 2 * Math.PI * rng.NextDouble();
                    for (int t = 0; t < o.Length; t++)
                        values[axis * o.Length + t] = (float)(Math.Sin(2 * Math.PI * (c + 1) * 4 * t / o.Length + phase) + 0.2 * (rng.NextDouble() - 0.5));
                }
                var bytes = new byte[values.Length * 4];
                Buffer.BlockCopy(values, 0, bytes, 0, bytes.Length);
                File.WriteAllBytes(accel, bytes);
                using (var picture = new Image<Rgb24>(24, 24))
                {
                    for (int y = 0; y < 24; y++)
                        for (int x = 0; x < 24; x++)
                            picture[x, y] = new Rgb24(Channel(c, 0, rng), Channel(c, 1, rng), Channel(c, 2, rng));
                    picture.SaveAsPng(image);
                }
                samples.Add(new Sample(accel, c) { Files = new Dictionary<string, string> { [ImageModality.Entry.Name] = image, [AccelModality.Name] = accel } });
            }
        }
        return new SampleSet(samples, classes, Path.Combine(o.Root, split));
    }

    /// <summary>Class c's colour (bit k of c + 1 lights channel k), with noise.</summary>
    private static byte Channel(int c, int k, Random rng) => (byte)Math.Clamp((((c + 1) >> k) & 1) * 160 + 40 + rng.Next(-30, 31), 0, 255);
}
