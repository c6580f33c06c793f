// An installed libtorch (VICREG_LIBTORCH_DIR) must be loaded before anything touches TorchSharp.
try { Vicreg.Core.LibTorchPreload.FromEnvironment(); }
catch (InvalidOperationException e) { return Vicreg.Cli.Output.Fail(e.Message); }
return Vicreg.Cli.App.Run(args);
