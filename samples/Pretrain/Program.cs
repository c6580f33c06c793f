// Pretrains a ResNet-18 with VICReg on a small generated image set, using the packed Vicreg.* packages the
// way any application would (see ../README.md). Usage: dotnet run -- [epochs] (default 1: a few steps).
using Vicreg.Data;
using Vicreg.Encoders;
using Vicreg.Losses;
using Vicreg.Training;
using Vicreg.Training.Methods;
using Vicreg.Training.Model;
using Vicreg.Training.Optim;
using Vicreg.Data.Views;
using Vicreg.Training.Runs;
using static TorchSharp.torch;

int epochs = args.Length > 0 ? int.Parse(args[0]) : 1;
// Any folder with one subfolder of images per class will do; this one is generated (10 shapes, 8 images each).
SyntheticImages.Generate("data/shapes", new SyntheticImageOptions(Classes: 10, TrainPerClass: 8, ValPerClass: 2, Size: 32));

// The ten lines: a joint embedding from the catalogs, a data source, a method, a trainer, Fit.
var images = new ImageFolderDataset("data/shapes/train");
using var loader = new ImageLoader(images, cacheDecoded: true);
var viewA = BranchInput.Create(loader, new ImageViewRecipe(ViewAugmentation.OfficialViewA(32), EvalSize: 32));
var viewB = BranchInput.Create(loader, new ImageViewRecipe(ViewAugmentation.OfficialViewB(32), EvalSize: 32));
var pairs = new TwoViewBatches(images, viewA, viewB, batchSize: 16, seed: 0, workers: 2);   // any IViewPairSource
using var model = JointEmbedding.SharedBranch(new Branch(EncoderCatalog.Create("resnet18"), "512-512-512"));
var method = new VicRegMethod(new VicRegOptions());
var optimizer = new Lars(model.parameters(), weightDecay: 1e-6, momentum: 0.9, eta: 0.02);
var schedule = new LrSchedule(BaseLr: 0.3, BatchSize: 16, Epochs: epochs, WarmupEpochs: 0, StepsPerEpoch: pairs.BatchesPerEpoch);
var run = new RunFolder("runs/sample");
long steps = new Trainer(new TrainerParts(model, method, optimizer, schedule, CPU, run, Seed: 0, ConfigHash: "sample")).Fit(pairs);

var last = StatsLog.Read(run.StatsPath).LastOrDefault();
Console.WriteLine($"sample: {steps} steps trained, last loss {last?.Loss:F4} (invariance {last?.Invariance:F4}, variance {last?.Variance:F4}, covariance {last?.Covariance:F4}); run in {run.Root}");
