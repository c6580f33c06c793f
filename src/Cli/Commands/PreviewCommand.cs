using System.CommandLine;
using Vicreg.Tooling.Plots;
using Vicreg.Training.Config;

namespace Vicreg.Cli.Commands;

/// <summary>vicreg preview --config F [--out views.png] [--samples 8]: draws what the first training batch feeds the
/// branches (the pipeline's own views, seed and epoch 0), before any training.</summary>
internal static class PreviewCommand
{
    public static Command Create()
    {
        var config = new Option<FileInfo?>("--config", "-c") { Description = "Experiment file (JSON). Without it, the embedded CPU quickstart." };
        var set = new Option<string[]>("--set") { Description = "Override a config field, e.g. --set data.image_size=32 (repeatable)", AllowMultipleArgumentsPerToken = true };
        var output = new Option<FileInfo>("--out", "-o") { Description = "PNG to write", DefaultValueFactory = _ => new FileInfo("views.png") };
        var samples = new Option<int>("--samples", "-n") { Description = "Samples of the first batch to draw, one row each", DefaultValueFactory = _ => 8 };
        var command = new Command("preview", "Draw the views the first training batch feeds each branch (crops, waveforms, log-mels) with the augmentation parameters drawn, before any training.")
            { config, set, output, samples };
        command.SetAction(parse => Output.Guard(() =>
        {
            int n = parse.GetValue(samples);
            if (n is < 1 or > 64) return Output.Fail($"--samples must be between 1 and 64 (got {n})");
            var file = parse.GetValue(config);
            var overrides = parse.GetValue(set);
            string source = file?.ToString() ?? "quickstart.json (embedded)";
            var experiment = file is null
                ? ConfigLoader.Parse(EmbeddedExperiments.Read(EmbeddedExperiments.Quickstart), source, overrides)
                : ConfigLoader.LoadFile(file.ToString(), overrides); // as typed, so errors name the file the way the user wrote it
            var preview = ViewPreview.Build(experiment, n, source, Console.Error.WriteLine);
            string path = parse.GetValue(output)!.ToString();
            var (width, height) = ViewPreviewPlot.Save(preview, path);
            foreach (var row in preview.Rows)
                Console.Error.WriteLine($"row {row.Sample.Position}: sample {row.Sample.Index} ({row.ClassName}); A: {Line(row.A)}; B: {Line(row.B)}");
            Console.WriteLine($"{path} ({width}×{height} px, {preview.Rows.Count} samples)");
            return 0;
        }));
        return command;
    }

    private static string Line(ViewPreview.Panel p) => p.Drawn is { } d ? string.Join(", ", d.Describe()) : "-";
}
