using System.CommandLine;
using Vicreg.Encoders;
using Vicreg.Training.Interop;
using Vicreg.Training.Model;
using Vicreg.Training.Runs;
using static TorchSharp.torch;

namespace Vicreg.Cli.Commands;

/// <summary>vicreg export: a backbone as a PyTorch state dict with torchvision's names.</summary>
internal static class ExportCommand
{
    public static Command Create()
    {
        var runOption = new Option<DirectoryInfo?>("--run") { Description = "Run folder whose newest checkpoint to export" };
        var encoderOption = new Option<string?>("--encoder") { Description = "Export a freshly initialised encoder instead (e.g. resnet50), for checks" };
        var outOption = new Option<FileInfo>("--out", "-o") { Description = "Output .pt file", Required = true };
        var branchOption = new Option<string>("--branch") { Description = "a or b (unshared runs)", DefaultValueFactory = _ => "a" };
        var classesOption = new Option<int?>("--classes") { Description = "Rows of the zero fc added so that torchvision's resnet loads it with strict=True (0: backbone only, as the official resnet50.pth). Default: 1000 for torchvision's architectures, 0 for others (a narrow or small-stem ResNet)" };
        var sampleOption = new Option<bool>("--with-sample") { Description = "Also write <out>.sample.pt: a fixed input and this backbone's eval-mode features, to compare in PyTorch" };
        var command = new Command("export", "Write a backbone as a PyTorch state dict (.pt): torchvision's ResNet loads it with strict=True; a narrow or small-stem ResNet also gets a .py that builds it.")
            { runOption, encoderOption, outOption, branchOption, classesOption, sampleOption };
        command.SetAction(parse => Output.Guard(() =>
        {
            var dir = parse.GetValue(runOption);
            var name = parse.GetValue(encoderOption);
            if ((dir is null) == (name is null)) return Output.Fail("give either --run runs/NAME or --encoder NAME");
            string branch = parse.GetValue(branchOption)!;
            if (branch is not ("a" or "b")) return Output.Fail($"--branch: \"{branch}\" is neither a nor b");
            Encoder encoder;
            IDisposable owner;
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
                encoder = branch == "a" ? model.A.Encoder : model.B.Encoder;
                EvalCommandSupport.Info($"exporting branch {branch}'s backbone ({encoder.GetName()}) from step {state.GlobalStep} of {run.Root}");
            }
            else
            {
                manual_seed(0);
                encoder = EncoderCatalog.Create(name!);
                owner = encoder;
            }
            using (owner)
            {
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
