using System.CommandLine;
using Vicreg.Tooling.Bench;

namespace Vicreg.Cli.Commands;

/// <summary>vicreg bench decode --files DIR: audio decode throughput per format on one thread (bench/decode_vs_ffmpeg.sh runs ffmpeg beside it).</summary>
internal static class BenchDecodeCommand
{
    public static Command Create()
    {
        var files = new Option<DirectoryInfo>("--files") { Description = "Folder of audio files (WAV, FLAC, Ogg Vorbis, Ogg Opus, MP3)", Required = true };
        var repeats = new Option<int>("--repeats") { Description = "Timed decodes of each file (median reported)", DefaultValueFactory = _ => 5 };
        var command = new Command("decode", "Audio decode throughput per file on one thread, to mono at the file's rate.") { files, repeats };
        command.SetAction(parse => Output.Guard(() =>
        {
            DecodeBenchmark.Run(parse.GetValue(files)!.FullName, Math.Max(1, parse.GetValue(repeats)), Console.WriteLine);
            return 0;
        }));
        return command;
    }
}
