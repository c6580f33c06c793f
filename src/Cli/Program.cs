return Vicreg.Cli.App.Run(args);
