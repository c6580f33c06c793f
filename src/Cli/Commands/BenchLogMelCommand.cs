using System.CommandLine;
using Vicreg.Tooling.Bench;

namespace Vicreg.Cli.Commands;

/// <summary>vicreg bench logmel --clips DIR: log-mel throughput (bench/logmel_vs_torchaudio.sh runs torchaudio beside it).</summary>
internal static class BenchLogMelCommand
{
    public static Command Create()
    {
        var clips = new Option<DirectoryInfo>("--clips") { Description = "Folder of WAV clips (e.g. from vicreg synth audio)", Required = true };
        var batch = new Option<int>("--batch") { Description = "Clips per batch", DefaultValueFactory = _ => 64 };
        var repeats = new Option<int>("--repeats") { Description = "Timed passes over all clips (median reported)", DefaultValueFactory = _ => 5 };
        var csv = new Option<FileInfo?>("--csv") { Description = "Also append the result to this CSV file" };
        var command = new Command("logmel", "Log-mel spectrogram throughput on WAV clips (decode excluded).") { clips, batch, repeats, csv };
        command.SetAction(parse => Output.Guard(() =>
        {
            var r = LogMelBenchmark.Run(parse.GetValue(clips)!.FullName, parse.GetValue(batch), parse.GetValue(repeats), Console.WriteLine);
            if (parse.GetValue(csv) is { } file) LogMelBenchmark.AppendCsv(file.FullName, r);
            return 0;
        }));
        return command;
    }
}
