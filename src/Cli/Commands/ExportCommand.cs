using System.CommandLine;
using Vicreg.Encoders;
using Vicreg.Data.Views;
using Vicreg.Training.Config;
using Vicreg.Training.Interop;
using Vicreg.Training.Interop.Onnx;
using Vicreg.Training.Model;
using Vicreg.Training.Runs;
using Vicreg.Training.Sources;
using static TorchSharp.torch;

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
            Encoder encoder;
            IDisposable owner;
            Branch? exportedBranch = null;
            IViewRecipe recipe;
            var metadata = new List<KeyValuePair<string, string>>();
            if (dir is not null)
            {
                var opened = EvalCommandSupport.Open(dir, null, out int failure);
                if (opened is null) return failure;
                var (run, c) = opened.Value;
                manual_seed(c.Seed);
                var model = ModelFactory.Build(c.Model, c.Method);
                owner = model;
                var state = Checkpoints.TryRestoreLatest(run, model);
                if (state is null) { model.Dispose(); return Output.Fail($"{run.CheckpointsDir}: no complete checkpoint to export"); }
                exportedBranch = branch == "a" ? model.A : model.B;
                encoder = exportedBranch.Encoder;
                recipe = ModalityCatalog.RecipeFor(c, branch == "a" ? BranchSide.A : BranchSide.B);
                metadata.Add(new("branch", branch));
                metadata.Add(new("run", Path.GetFileName(run.Root.TrimEnd('/', '\\'))));
                metadata.Add(new("step", state.GlobalStep.ToString(System.Globalization.CultureInfo.InvariantCulture)));
                EvalCommandSupport.Info($"exporting branch {branch}'s backbone ({encoder.GetName()}) from step {state.GlobalStep} of {run.Root}");
            }
            else
            {
                manual_seed(0);
                encoder = EncoderCatalog.Create(name!);
                owner = encoder;
                // The default config's views for this encoder's modality (224-px images, 16-kHz sounds); a synthetic data kind
                // of that modality only so that the config needs no data folder.
                string kind = EncoderCatalog.InputOf(name!) == EncoderCatalog.Audio ? "synthetic-audio" : "synthetic-images";
                recipe = ModalityCatalog.RecipeFor(ConfigLoader.Parse("{}", "export", new[] { $"data.kind={kind}", $"model.branch_a.encoder={name}" }), BranchSide.A);
            }
            using (owner)
            {
                if (format == "onnx")
                {
                    string file = parse.GetValue(outOption)!.FullName;
                    var model = exportedBranch is not null && withExpander
                        ? OnnxExporter.Build(exportedBranch, true, recipe, metadata)
                        : OnnxExporter.Build(encoder, null, false, recipe, metadata);
                    OnnxExporter.Save(model, file);
                    string Shape(Onnx.ValueInfoProto v) => string.Join(", ", v.Type.TensorType.Shape.Dim.Select(d => d.DimParam is { Length: > 0 } p ? p : d.DimValue.ToString()));
                    Console.WriteLine($"wrote {file}: ONNX opset {OnnxGraph.Opset}, {model.Graph.Node.Count} nodes; input "
                        + string.Join(", ", model.Graph.Input.Select(i => $"{i.Name} [{Shape(i)}]")) + "; outputs "
                        + string.Join(", ", model.Graph.Output.Select(o => $"{o.Name} [{Shape(o)}]")));
                    return 0;
                }
                string path = parse.GetValue(outOption)!.FullName;
                var differences = TorchvisionLayout.Differences(encoder);
                int classes = parse.GetValue(classesOption) ?? TorchvisionLayout.DefaultClasses(encoder);
                if (classes < 0) return Output.Fail("--classes must be ≥ 0");
                BackboneWeights.Export(encoder, path, classes);
                Console.WriteLine($"wrote {path}: {encoder.state_dict().Count} backbone tensors" + (classes > 0 ? $" + fc ({classes} classes, zeros)" : " (backbone only, no fc)"));
                if (differences.Count == 0)
                    Console.WriteLine($"load it with torchvision.models.{encoder.GetName()}(num_classes={(classes > 0 ? classes : 1000)}).load_state_dict(torch.load(\"{Path.GetFileName(path)}\"), strict={(classes > 0 ? "True" : "False")})");
                else if (encoder is ResNet resnet)
                {
                    string module = Path.ChangeExtension(path, ".py");
                    File.WriteAllText(module, TorchvisionLayout.PythonModule(resnet, Path.GetFileName(path), classes));
                    Console.WriteLine($"note: torchvision.models.{encoder.GetName()}() cannot load this backbone: {string.Join("; ", differences)}.");
                    Console.WriteLine($"wrote {module}: a PyTorch module that builds this network from torchvision's blocks; build().load_state_dict(torch.load(\"{Path.GetFileName(path)}\"), strict=True) loads it (see its first lines)");
                }
                else
                    Console.WriteLine($"note: {string.Join("; ", differences)}: the file holds this project's parameter names; load it into the same architecture");
                if (parse.GetValue(sampleOption))
                {
                    string sample = Path.ChangeExtension(path, null) + ".sample.pt";
                    encoder.eval();
                    using var noGrad = no_grad();
                    var g = new Generator().manual_seed(0);
                    using var x = randn(new long[] { 2, 3, 224, 224 }, generator: g);
                    using var y = encoder.call(x);
                    PyTorchFiles.WriteStateDict(sample, new[] { new KeyValuePair<string, Tensor>("input", x), new KeyValuePair<string, Tensor>("features", y) });
                    Console.WriteLine($"wrote {sample}: input [2, 3, 224, 224] and features [{string.Join(", ", y.shape)}]");
                }
            }
            return 0;
        }));
        return command;
    }
}
