using System.CommandLine;
using Vicreg.Cli.Commands;

var root = new RootCommand("vicreg: VICReg self-supervised pretraining with shared or unshared, multimodal branches.");
root.Subcommands.Add(PretrainCommand.Create());
root.Subcommands.Add(PretrainCommand.Create("quickstart", "The CPU quickstart: generate shapes, pretrain a ResNet-18, probe it against random init."));
root.Subcommands.Add(LinearEvalCommand.Create());
root.Subcommands.Add(SynthCommand.Create());
root.Subcommands.Add(BenchCommand.Create());
return root.Parse(args).Invoke();
