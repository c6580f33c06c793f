using System.CommandLine;
using Vicreg.Tooling.Init;
using Vicreg.Training.Config;

namespace Vicreg.Cli.Commands;

/// <summary>vicreg init --data DIR [--out config.json] [--minutes M]: inspects the data, prints a short report and
/// writes a starting config fitted to it and to the time budget.</summary>
internal static class InitCommand
{
    public static Command Create()
    {
        var data = new Option<string>("--data") { Description = "A folder with one subfolder per class (images or .wav), train/ and val/ (or test/) folders holding those, or a CSV of path,label", Required = true };
        var output = new Option<FileInfo>("--out", "-o") { Description = "Config file to write", DefaultValueFactory = _ => new FileInfo("config.json") };
        var minutes = new Option<double>("--minutes") { Description = "Time budget of the whole run (pretraining and probes) on this machine, in minutes", DefaultValueFactory = _ => 10 };
        var name = new Option<string?>("--name") { Description = "The run's name (default: the data folder's name)" };
        var force = new Option<bool>("--force") { Description = "Overwrite an existing config file" };
        var command = new Command("init", "Inspect a data folder or manifest and write a starting config for it (view size, crop length, batch, epochs for a time budget).")
            { data, output, minutes, name, force };
        command.SetAction(parse => Output.Guard(() =>
        {
            string path = parse.GetValue(data)!;
            string outPath = parse.GetValue(output)!.ToString();
            double budget = parse.GetValue(minutes);
            if (budget <= 0) return Output.Fail($"--minutes: must be > 0; got {budget}");
            if (File.Exists(outPath) && !parse.GetValue(force)) return Output.Fail($"--out: {outPath} exists; give another path, or --force to overwrite it");
            var report = DataInspection.Inspect(path);
            foreach (var line in report.Lines()) Console.WriteLine(line);
            if (report.Classes.Count < 2) return Output.Fail($"--data: {report.Train} has {report.Classes.Count} class; the probes need at least two");
            string runName = parse.GetValue(name) ?? SafeName(Path.GetFileNameWithoutExtension(Path.TrimEndingDirectorySeparator(Path.GetFullPath(path))));
            (string, string)? lists = null;
            if (StarterConfig.NeedsHoldOutLists(report))
                lists = StarterConfig.HoldOutLists(report, Path.Combine(Path.GetDirectoryName(Path.GetFullPath(outPath))!, Path.GetFileNameWithoutExtension(outPath)));
            Console.WriteLine("measuring a training step on this machine …");
            var choice = StarterConfig.Build(report, runName, budget, lists, c => StepTimer.SecondsPerStep(c));
            File.WriteAllText(outPath, choice.Json);
            ConfigLoader.LoadFile(outPath); // the written file must load as it is
            Console.WriteLine("choices:");
            foreach (var reason in choice.Reasons) Console.WriteLine($"  - {reason}");
            Console.WriteLine($"wrote {outPath}; about {choice.EstimatedMinutes:0.#} min here. Next:");
            Console.WriteLine($"  vicreg preview --config {outPath}     (look at the views first)");
            Console.WriteLine($"  vicreg pretrain --config {outPath}");
            return 0;
        }));
        return command;
    }

    private static string SafeName(string s)
    {
        var cleaned = new string(s.Select(ch => char.IsLetterOrDigit(ch) || ch is '-' or '_' or '.' ? ch : '-').ToArray()).Trim('-', '.');
        return cleaned.Length == 0 ? "my-data" : cleaned;
    }
}
