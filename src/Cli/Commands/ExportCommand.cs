using System.CommandLine;
using Vicreg.Runs.Export;
using Vicreg.Training.Sources;

namespace Vicreg.Cli.Commands;

/// <summary>vicreg export: a backbone as a PyTorch state dict with torchvision's names, or a branch as an ONNX model
/// (--format onnx: the encoder, optionally with its expander, and the metadata a caller needs to prepare inputs).</summary>
internal static class ExportCommand
{
    public static Command Create()
    {
        var runOption = new Option<DirectoryInfo?>("--run") { Description = "Run folder whose newest checkpoint to export" };
        var encoderOption = new Option<string?>("--encoder") { Description = "Export a freshly initialised encoder instead (e.g. resnet50), for checks" };
        var outOption = new Option<FileInfo>("--out", "-o") { Description = "Output file (.pt, or .onnx with --format onnx)", Required = true };
        var formatOption = new Option<string>("--format") { Description = "pt (PyTorch state dict) or onnx (the eval-mode forward, for ONNX Runtime)", DefaultValueFactory = _ => "pt" };
        var expanderOption = new Option<bool>("--with-expander") { Description = "onnx: also output the expander's embedding (what the loss compares), beside the representation" };
        var branchOption = new Option<string>("--branch") { Description = "a or b (unshared runs)", DefaultValueFactory = _ => "a" };
        var classesOption = new Option<int?>("--classes") { Description = "Rows of the zero fc added so that torchvision's resnet loads it with strict=True (0: backbone only, as the official resnet50.pth). Default: 1000 for torchvision's architectures, 0 for others (a narrow or small-stem ResNet)" };
        var sampleOption = new Option<bool>("--with-sample") { Description = "Also write <out>.sample.pt: a fixed input and this backbone's eval-mode features, to compare in PyTorch" };
        var command = new Command("export", "Write a backbone as a PyTorch state dict (.pt): torchvision's ResNet loads it with strict=True, and a narrow or small-stem ResNet also gets a .py that builds it; or a branch as an ONNX model (--format onnx).")
            { runOption, encoderOption, outOption, formatOption, expanderOption, branchOption, classesOption, sampleOption };
        command.SetAction(parse => Output.Guard(() =>
        {
            var dir = parse.GetValue(runOption);
            var name = parse.GetValue(encoderOption);
            if ((dir is null) == (name is null)) return Output.Fail("give either --run runs/NAME or --encoder NAME");
            string branch = parse.GetValue(branchOption)!;
            if (branch is not ("a" or "b")) return Output.Fail($"--branch: \"{branch}\" is neither a nor b");
            string format = parse.GetValue(formatOption)!;
            if (format is not ("pt" or "onnx")) return Output.Fail($"--format: \"{format}\" is neither pt nor onnx");
            bool withExpander = parse.GetValue(expanderOption);
            if (withExpander && (format != "onnx" || dir is null)) return Output.Fail("--with-expander goes with --format onnx and --run (a fresh --encoder has no expander)");
            int? classes = parse.GetValue(classesOption);
            if (classes < 0) return Output.Fail("--classes must be ≥ 0");
            ExportSource source;
            if (dir is not null)
            {
                var opened = EvalCommandSupport.Open(dir, null, out int failure);
                if (opened is null) return failure;
                var (run, c) = opened.Value;
                source = ExportSource.FromRun(run, c, branch == "a" ? BranchSide.A : BranchSide.B, EvalCommandSupport.Info);
            }
            else
                source = ExportSource.Fresh(name!);
            using (source)
            {
                if (format == "onnx")
                    Console.WriteLine(BackboneExport.Onnx(source, parse.GetValue(outOption)!.FullName, withExpander));
                else
                    foreach (var line in BackboneExport.PyTorch(source, parse.GetValue(outOption)!.FullName, classes, parse.GetValue(sampleOption)))
                        Console.WriteLine(line);
            }
            return 0;
        }));
        return command;
    }
}
