using Vicreg.Training;
using Vicreg.Tooling.Ablations;

namespace Vicreg.Tests.Tooling.Ablations;

/// <summary>A real grid of tiny runs: VICReg and BYOL × shared/unshared. BYOL with unshared branches is a
/// refused row, not a crash; results.csv, results.md and results.png are written; a second call reruns nothing.</summary>
public class AblationRunnerTests
{
    [Fact]
    public void GridRunsRecordsRefusalsWritesTheReportAndResumes()
    {
        using var dir = new TempDir();
        string root = dir.Path.Replace("\\", "/");
        var path = Path.Combine(dir.Path, "grid.json");
        File.WriteAllText(path, $$"""
            {
              "name": "tiny-grid", "title": "tiny grid", "runs_dir": "{{root}}/runs",
              "base": {
                "device": "cpu", "seed": 3,
                "data": { "kind": "synthetic-images", "image_size": 16, "workers": 2, "cache_decoded": true,
                          "synthetic": { "root": "{{root}}/data", "classes": 2, "train_per_class": 16, "val_per_class": 4, "size": 24 } },
                "model": { "branch_a": { "encoder": "resnet18", "base_width": 8, "expander": "16-16" } },
                "optim": { "name": "adamw", "base_lr": 0.001, "scale_lr_with_batch": false, "batch_size": 8, "epochs": 1, "warmup_epochs": 0 },
                "eval": { "epochs": 3, "diagnostics_samples": 16, "knn_k": 5 },
                "output": { "tensorboard": false, "plots": false }
              },
              "axes": [
                { "name": "method", "values": [ { "label": "VICReg", "set": { "method.name": "vicreg" } },
                                                 { "label": "BYOL", "set": { "method.name": "byol", "model.branch_a.predictor": "32-16" } } ] },
                { "name": "setting", "values": [ { "label": "SW", "set": { "model.shared": true } },
                                                  { "label": "DW", "set": { "model.shared": false } } ] }
              ]
            }
            """);
        var grid = AblationGrid.Load(path);
        var lines = new List<string>();
        var results = AblationRunner.Run(grid, (_, _, _) => NullObserver.Instance, lines.Add);

        Assert.Equal(4, results.Count);
        var refused = Assert.Single(results, r => r.IsRefused);
        Assert.Equal("BYOL / DW", refused.Point);
        Assert.StartsWith("refused: model.shared: method byol needs shared weights", refused.Status);
        foreach (var r in results.Where(r => !r.IsRefused))
        {
            Assert.Equal("ok", r.Status);
            Assert.InRange(r.LinearTop1, 0, 100);
            Assert.InRange(r.KnnTop1, 0, 100);
            Assert.Contains(r.CollapseState, new[] { "none", "partial", "complete" });
            Assert.True(r.RankMe >= 1);
            Assert.Equal(2, r.Classes); // measured on the data, for the chance line
        }

        var csv = File.ReadAllLines(AblationRunner.ResultsCsv(grid));
        Assert.Equal(5, csv.Length);
        Assert.StartsWith("point,method,setting,status,linear_top1,knn_top1,collapse", csv[0]);
        var md = File.ReadAllText(AblationReport.MarkdownPath(grid));
        Assert.Contains("| method | SW | DW |", md);
        Assert.Matches(@"\| BYOL \| [0-9.]+( \(collapse\))? \| refused \|", md);
        var png = File.ReadAllBytes(AblationReport.ChartPath(grid));
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, png.Take(4));

        // Resuming: everything is in results.csv, so nothing runs again and the file is unchanged.
        lines.Clear();
        var again = AblationRunner.Run(grid, (_, _, _) => NullObserver.Instance, lines.Add);
        Assert.Equal(results.Select(r => r.ToCsv()), again.Select(r => r.ToCsv()));
        Assert.Equal(4, lines.Count(l => l.Contains("already in results.csv")));
        Assert.Equal(csv, File.ReadAllLines(AblationRunner.ResultsCsv(grid)));
    }
}
