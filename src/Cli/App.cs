using System.CommandLine;
using Vicreg.Cli.Commands;

namespace Vicreg.Cli;

/// <summary>The command tree of the vicreg executable.</summary>
public static class App
{
    public static RootCommand Build()
    {
        var root = new RootCommand("vicreg: VICReg self-supervised pretraining with shared or unshared, multimodal branches.");
        root.Subcommands.Add(PretrainCommand.Create());
        root.Subcommands.Add(PretrainCommand.Create("quickstart", "The CPU quickstart: generate shapes, pretrain a ResNet-18, probe it against random init."));
        root.Subcommands.Add(LinearEvalCommand.Create());
        root.Subcommands.Add(KnnCommand.Create());
        root.Subcommands.Add(SemiSupervisedCommand.Create());
        root.Subcommands.Add(InitCommand.Create());
        root.Subcommands.Add(PreviewCommand.Create());
        root.Subcommands.Add(PlotCommand.Create());
        root.Subcommands.Add(ExportCommand.Create());
        root.Subcommands.Add(EmbedCommand.Create());
        root.Subcommands.Add(SynthCommand.Create());
        root.Subcommands.Add(IngestCommand.Create());
        root.Subcommands.Add(BenchCommand.Create());
        root.Subcommands.Add(DevicesCommand.Create());
        root.Subcommands.Add(SelfCheckCommand.Create());
        root.Subcommands.Add(AblateCommand.Create());
        root.Subcommands.Add(ReferenceCommand.Create());
        return root;
    }

    public static int Run(string[] args)
    {
        Output.ConfigureConsole();
        return Build().Parse(args).Invoke();
    }
}
