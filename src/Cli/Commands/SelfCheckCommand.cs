using System.CommandLine;
using System.Globalization;
using Vicreg.Tooling.SelfCheck;
using Vicreg.Training.Runs;

namespace Vicreg.Cli.Commands;

/// <summary>vicreg selfcheck: the checks of <see cref="DeviceSelfCheck"/> on the chosen device (a GPU by default) against
/// the CPU. One line per check; --csv writes them; the exit code is 1 when any fails.</summary>
internal static class SelfCheckCommand
{
    public static Command Create()
    {
        var device = DeviceOptions.Device();
        var csv = new Option<FileInfo?>("--csv") { Description = "Write the checks to this CSV" };
        var command = new Command("selfcheck", "Check losses, gradients, autocast and one step of every method on a device (default cuda) against the CPU.") { device, csv };
        command.SetAction(parse => Output.Guard(() =>
        {
            var on = DeviceResolver.Resolve(parse.GetValue(device) ?? "cuda");
            Console.WriteLine($"self-checks on {on}");
            var rows = DeviceSelfCheck.Run(on, r =>
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{(r.Pass ? "PASS" : "FAIL")}  {r.Check,-28} {r.Value,10:G3}  (tolerance {r.Tolerance:G2}){(r.Note.Length > 0 ? "  " + r.Note : "")}")));
            if (parse.GetValue(csv) is { } file)
            {
                if (file.DirectoryName is { } dir) Directory.CreateDirectory(dir);
                File.WriteAllLines(file.FullName, new[] { "check,device,value,tolerance,pass,note" }.Concat(rows.Select(r => string.Create(CultureInfo.InvariantCulture,
                    $"{r.Check},{r.Device},{r.Value:G6},{r.Tolerance:G3},{(r.Pass ? "pass" : "fail")},\"{r.Note.Replace("\"", "'")}\""))));
            }
            int failed = rows.Count(r => !r.Pass);
            Console.WriteLine($"{rows.Count - failed} passed, {failed} failed");
            return failed == 0 ? 0 : 1;
        }));
        return command;
    }
}
