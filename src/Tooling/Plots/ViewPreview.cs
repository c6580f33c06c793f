using System.Globalization;
using Vicreg.Data;
using Vicreg.Data.Audio;
using Vicreg.Data.Views;
using Vicreg.Encoders;
using Vicreg.Encoders.Audio;
using Vicreg.Training.Config;
using Vicreg.Training.Sources;
using static TorchSharp.torch;

namespace Vicreg.Tooling.Plots;

/// <summary>
/// What the first training batch feeds the two branches, before any training (<c>vicreg preview</c>): the first N
/// samples of epoch 0, drawn by the training pipeline itself (<see cref="PretrainData"/>, whose
/// <see cref="TwoViewBatches.Replay"/> runs the batches' own decode and random streams), with what each view drew
/// and, for display, the normalisation undone, the source each view was cut from, and the log-mel of audio views.
/// </summary>
public sealed class ViewPreview
{
    /// <summary>One branch as the preview describes it.</summary>
    public sealed record Branch(string Side, BranchConfig Config, IViewRecipe Recipe, LogMelOptions? Mel, string Summary);

    /// <summary>One sample: the replayed views (exactly the batch's rows) and their display panels.</summary>
    public sealed record Row(ReplayedSample Sample, string ClassName, Panel A, Panel B);

    /// <summary>A view ready to draw.</summary>
    public abstract record Panel(DrawnView? Drawn);

    /// <param name="View">The view's pixels with the normalisation undone, 8-bit RGB, row-major (luma views as grey).</param>
    /// <param name="Source">The decoded source image, 8-bit RGB, row-major, <paramref name="SourceWidth"/>×<paramref name="SourceHeight"/>.</param>
    public sealed record ImagePanel(byte[] View, int Size, bool Luma, byte[] Source, int SourceWidth, int SourceHeight, DrawnView? Drawn) : Panel(Drawn);

    /// <param name="View">The view's waveform as the branch gets it.</param>
    /// <param name="Clip">The decoded clip the view was cut from.</param>
    /// <param name="LogMel">The view's log-mel, band-major ([bands, frames]), as the spectrogram front end computes it.</param>
    public sealed record AudioPanel(float[] View, float[] Clip, float[] LogMel, int Bands, int Frames, int SampleRate, DrawnView? Drawn) : Panel(Drawn);

    private ViewPreview(string title, Branch a, Branch b, IReadOnlyList<Row> rows)
    {
        Title = title;
        A = a;
        B = b;
        Rows = rows;
    }

    public string Title { get; }
    public Branch A { get; }
    public Branch B { get; }
    public IReadOnlyList<Row> Rows { get; }

    /// <summary>The first <paramref name="samples"/> samples of epoch 0 of the run <paramref name="c"/> describes.</summary>
    /// <param name="source">The config's name for the title (its file).</param>
    public static ViewPreview Build(ExperimentConfig c, int samples, string source, Action<string> info)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(samples, 1);
        // The run's cached file index when pretraining already built one (the same list either way).
        string index = Path.Combine(c.Output.RunsDir, c.Name, "index");
        using var data = PretrainData.Prepare(c, info, Directory.Exists(index) ? index : null);
        var pairs = data.Pairs;
        var branchA = Describe(c, "A", c.Model.BranchA, data.Data.RecipeA, c.Model.Shared ? null : c.Model.EffectiveB);
        var branchB = Describe(c, "B", c.Model.EffectiveB, data.Data.RecipeB, c.Model.BranchA);
        var classes = data.Data.Splits.Classes;
        var rows = pairs.Replay(epoch: 0, samples).Select(s => new Row(s,
            s.Label >= 0 && s.Label < classes.Count ? classes[(int)s.Label] : $"class {s.Label}",
            PanelOf(pairs.A, branchA, s.Index, s.ViewA, s.DrawnA),
            PanelOf(pairs.B, branchB, s.Index, s.ViewB, s.DrawnB))).ToList();
        if (rows.Count < samples)
            info($"preview: an epoch has {rows.Count} training samples ({pairs.BatchesPerEpoch} batches of {pairs.BatchSize}); showing all of them");
        string title = $"{source}: the first {rows.Count} samples of the first training batch (seed {c.Seed}, epoch 0, batch size {pairs.BatchSize})";
        return new ViewPreview(title, branchA, branchB, rows);
    }

    private static Branch Describe(ExperimentConfig c, string side, BranchConfig branch, IViewRecipe recipe, BranchConfig? partner)
    {
        var inv = CultureInfo.InvariantCulture;
        LogMelOptions? mel = null;
        string summary;
        switch (recipe)
        {
            case ImageViewRecipe r:
            {
                var v = r.Train;
                string official = side == "A" ? "view 1" : "view 2";
                summary = $"{branch.Encoder}: {official}, {v.Size}×{v.Size} {(r.Channels == 1 ? "luma" : "RGB")}, crop area {v.ScaleMin.ToString("G3", inv)}–{v.ScaleMax.ToString("G3", inv)}; " +
                          $"p flip {P(v.FlipP)}, jitter {P(v.JitterP)}, gray {P(v.GrayscaleP)}, blur {P(v.BlurP)}, solarize {P(v.SolarizeP)}";
                break;
            }
            case AudioViewRecipe r:
            {
                var v = r.Train;
                bool spectrogram = EncoderCatalog.HasLogMel(branch.Encoder);
                // What the spectrogram front end computes; a waveform branch is shown with its partner's (or the default) settings.
                mel = spectrogram ? branch.Mel ?? new LogMelOptions()
                    : partner is { } p && EncoderCatalog.HasLogMel(p.Encoder) && p.Mel is { } pm ? pm
                    : new LogMelOptions { SampleRate = r.SampleRate };
                summary = $"{branch.Encoder}: {(spectrogram ? "log-mel of a " : "")}waveform crop of {v.CropSeconds.ToString("G3", inv)} s at {r.SampleRate} Hz; " +
                          $"gain ±{v.GainDb.ToString("G3", inv)} dB, noise ≤ {v.NoiseLevel.ToString("G3", inv)} × RMS, shift ±{(1000 * v.ShiftSeconds).ToString("G4", inv)} ms" +
                          (spectrogram ? $"; {mel.NMels} mel bands, hop {mel.HopLength}" + (branch.SpecAugment is null ? "" : " (SpecAugment masks, drawn on the device each step, not shown)") : "");
                break;
            }
            default:
                summary = $"{branch.Encoder}: {recipe.Modality} [{string.Join("×", recipe.TrainShape)}]";
                break;
        }
        return new Branch(side, branch, recipe, mel, summary);
    }

    private static string P(double p) => p.ToString("G2", CultureInfo.InvariantCulture);

    private static Panel PanelOf(BranchInput input, Branch branch, int index, float[] view, DrawnView? drawn)
    {
        using var decoded = input.Reader.TryDecode(index)
            ?? throw new InvalidDataException($"preview: sample {index} decoded for its views but not a second time");
        switch (branch.Recipe, decoded)
        {
            case (ImageViewRecipe r, DecodedImage image):
            {
                var src = image.Image;
                var pixels = new byte[3 * src.Width * src.Height];
                src.CopyPixelDataTo(pixels);
                var shown = r.Channels == 1 ? LumaForDisplay(view, r.Train) : RgbForDisplay(view, r.Train);
                return new ImagePanel(shown, r.Train.Size, r.Channels == 1, pixels, src.Width, src.Height, drawn);
            }
            case (AudioViewRecipe r, DecodedClip clip):
            {
                var mel = branch.Mel!;
                using var scope = NewDisposeScope();
                using var frontEnd = new LogMel(mel);
                var spec = frontEnd.call(tensor(view, new long[] { 1, view.Length })); // [1, 1, bands, frames]
                int bands = (int)spec.shape[2], frames = (int)spec.shape[3];
                return new AudioPanel(view, clip.Samples, spec.contiguous().data<float>().ToArray(), bands, frames, r.SampleRate, drawn);
            }
            default:
                throw new ArgumentException($"vicreg preview draws image and audio views; branch {branch.Side} takes {branch.Recipe.Modality}");
        }
    }

    /// <summary>Undoes Normalize: value·std + mean, on the 0–255 scale (the augmenter's 8-bit pixels, exactly).</summary>
    public static byte[] RgbForDisplay(float[] chw, ViewAugmentation v)
    {
        int plane = chw.Length / 3;
        var rgb = new byte[3 * plane];
        for (int c = 0; c < 3; c++)
            for (int i = 0; i < plane; i++)
                rgb[3 * i + c] = ToByte(chw[c * plane + i] * v.Std[c] + v.Mean[c]);
        return rgb;
    }

    /// <summary>A luma view is Σ w_c (x_c − m_c)/s_c of the normalised channels; for a grey pixel (x_c = g) that is
    /// g·Σ w_c/s_c − Σ w_c m_c/s_c, so g = (luma + Σ w_c m_c/s_c) / Σ w_c/s_c: exact for grey, close for colour.</summary>
    public static byte[] LumaForDisplay(float[] luma, ViewAugmentation v)
    {
        double[] w = [0.299, 0.587, 0.114];
        double scale = 0, offset = 0;
        for (int c = 0; c < 3; c++) { scale += w[c] / v.Std[c]; offset += w[c] * v.Mean[c] / v.Std[c]; }
        var rgb = new byte[3 * luma.Length];
        for (int i = 0; i < luma.Length; i++)
            rgb[3 * i] = rgb[3 * i + 1] = rgb[3 * i + 2] = ToByte((luma[i] + offset) / scale);
        return rgb;
    }

    private static byte ToByte(double unit) => (byte)Math.Clamp(Math.Round(unit * 255), 0, 255);
}
