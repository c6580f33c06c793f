// An installed libtorch (VICREG_LIBTORCH_DIR) must be loaded before anything touches TorchSharp.
try { Vicreg.Core.LibTorchPreload.FromEnvironment(); }
catch (InvalidOperationException e) { return Vicreg.Cli.Output.Fail(e.Message); }
int exitCode = Vicreg.Cli.App.Run(args);
// A rank of a multi-process run: finalise MPI, or abort every rank when this one failed (its peers would wait for it).
Vicreg.Core.Distributed.ProcessGroup.Leave(exitCode);
return exitCode;
