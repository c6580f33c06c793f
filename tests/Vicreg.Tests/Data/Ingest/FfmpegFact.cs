using Vicreg.Data.Ingest;

namespace Vicreg.Tests.Data.Ingest;

/// <summary>A fact that needs ffmpeg and ffprobe on PATH; reported as skipped where they are missing (.ci/run installs them).</summary>
public sealed class FfmpegFactAttribute : FactAttribute
{
    public FfmpegFactAttribute()
    {
        if (Ffmpeg.Find() is null) Skip = "ffmpeg/ffprobe are not on PATH: apt-get install ffmpeg (.ci/run does)";
    }
}
