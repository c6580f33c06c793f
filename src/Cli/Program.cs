// Both must happen before anything touches TorchSharp: libgomp reads OMP_WAIT_POLICY when libtorch loads
// (PASSIVE unless the user set it, so that its threads sleep instead of spinning on a shared machine), and an
// installed libtorch (VICREG_LIBTORCH_DIR) must be loaded first.
Vicreg.Core.SharedMachine.Prepare();
try { Vicreg.Core.LibTorchPreload.FromEnvironment(); }
catch (InvalidOperationException e) { return Vicreg.Cli.Output.Fail(e.Message); }
// The command line trains one model at a time, so each run may choose its own CPU convolution kernels.
Vicreg.Core.CpuConvolutions.ChoosePerRun();
int exitCode = Vicreg.Cli.App.Run(args);
if (Environment.GetEnvironmentVariable(Vicreg.Core.ProcessMemory.ReportVariable) == "1" && Vicreg.Core.ProcessMemory.PeakLine() is { } peak)
    Console.Error.WriteLine(peak);
// A rank of a multi-process run: finalise MPI, or abort every rank when this one failed (its peers would wait for it).
Vicreg.Core.Distributed.ProcessGroup.Leave(exitCode);
return exitCode;
