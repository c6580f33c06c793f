using System.Runtime.InteropServices;

namespace Vicreg.Cli;

/// <summary>
/// SIGINT (Ctrl+C) and SIGTERM ask training to stop: the step in progress finishes, a checkpoint is
/// written, and the command exits with 130 and a line saying how to resume. A second signal ends the
/// process at once (the last checkpoint is still there). In a multi-process run every rank stops after the
/// same step (the executor agrees on it); SIGTERM there comes from the launcher tearing the job down and ends
/// the rank at once. Once training is finished (its last checkpoint written), a signal during the evaluation
/// that follows ends the process at once, saying so: there is no step left to finish, and the evaluation can be
/// run again from the run folder.
/// </summary>
internal static class StopSignals
{
    public static IDisposable Register(CancellationTokenSource stop, Action<string> info, Func<bool>? trainingDone = null, string? runFolder = null)
    {
        void Handle(PosixSignalContext context)
        {
            if (stop.IsCancellationRequested) return; // second signal: default action, the process ends
            if (trainingDone?.Invoke() == true)
            {
                info($"{context.Signal} during the evaluation: training is finished and its checkpoint is kept; stopping now" +
                     (runFolder is null ? "" : $" (evaluate later with: vicreg linear-eval --run {runFolder})"));
                return; // default action: the process ends
            }
            if (context.Signal == PosixSignal.SIGTERM && Vicreg.Core.Distributed.MpiCollectives.Current is { } group)
            {
                // The launcher ends every rank this way when one failed (its own line names that rank); a peer may be
                // gone, so no step can finish: end now, the last checkpoint stays.
                info($"rank {group.Rank}: SIGTERM from the launcher: stopping now; run the same command again to resume from the last checkpoint");
                return;
            }
            context.Cancel = true;
            info($"{context.Signal}: finishing this step and writing a checkpoint (send it again to quit now)");
            stop.Cancel();
        }
        var registrations = new[]
        {
            PosixSignalRegistration.Create(PosixSignal.SIGINT, Handle),
            PosixSignalRegistration.Create(PosixSignal.SIGTERM, Handle),
        };
        return new Registrations(registrations);
    }

    private sealed class Registrations(PosixSignalRegistration[] items) : IDisposable
    {
        public void Dispose()
        {
            foreach (var r in items) r.Dispose();
        }
    }
}
