using Vicreg.Training.Runs;

namespace Vicreg.Tests;

/// <summary>A fact that reports a skip, with its reason, where it cannot run (xunit 2's way of a dynamic skip: the
/// attribute decides when the tests are discovered). A test must never pass by returning early instead.</summary>
public sealed class LinuxFactAttribute : FactAttribute
{
    public LinuxFactAttribute()
    {
        if (!OperatingSystem.IsLinux()) Skip = "Linux only: it reads /proc and ELF files, or signals a child process";
    }
}

/// <summary>A fact about the behaviour without a GPU (what --device cuda says when there is none); skipped, visibly,
/// on a machine with one.</summary>
public sealed class NoGpuFactAttribute : FactAttribute
{
    public NoGpuFactAttribute()
    {
        if (DeviceResolver.CudaAvailable()) Skip = "a CUDA device is present: this checks the messages of a machine without one";
    }
}

/// <summary>A fact that needs libjpeg-turbo's TurboJPEG library (data.decode fast); skipped, visibly, without it
/// (.ci/run installs Debian's libturbojpeg0 when it can).</summary>
public sealed class TurboJpegFactAttribute : FactAttribute
{
    public TurboJpegFactAttribute()
    {
        if (!Vicreg.Data.Jpeg.TurboJpeg.Available) Skip = "libturbojpeg.so.0 is not installed (Debian/Ubuntu: apt-get install libturbojpeg0)";
    }
}

/// <summary>A long stress fact, run on demand only (VICREG_STRESS=1): it reports a skip otherwise, so the suite
/// stays within its time and a reader sees that it exists.</summary>
public sealed class StressFactAttribute : FactAttribute
{
    public StressFactAttribute()
    {
        if (Environment.GetEnvironmentVariable("VICREG_STRESS") != "1") Skip = "a stress run, on demand: VICREG_STRESS=1 dotnet test --filter GcPressure";
    }
}
