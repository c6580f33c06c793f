namespace Vicreg.Training.Optim;

/// <summary>
/// The official schedule: lr = base_lr × batch / 256, linear warm-up from 0 over the warm-up epochs,
/// (at most the whole run) then a cosine from that peak down to peak × <see cref="EndRatio"/> at the last step. With
/// <see cref="ScaleWithBatch"/> false (AdamW runs, the audio experiment) the peak is base_lr itself.
/// </summary>
public sealed record LrSchedule(double BaseLr, int BatchSize, int Epochs, int WarmupEpochs, int StepsPerEpoch, double EndRatio = 0.001,
    bool ScaleWithBatch = true)
{
    /// <summary>The linearly scaled peak: base_lr × batch / 256 (or base_lr when not scaling).</summary>
    public double PeakLr => ScaleWithBatch ? BaseLr * BatchSize / 256.0 : BaseLr;

    public long TotalSteps => (long)Epochs * StepsPerEpoch;

    public double At(long step)
    {
        // A warm-up longer than the run is clamped to the run (the config warns about it).
        long warmup = (long)Math.Min(WarmupEpochs, Epochs) * StepsPerEpoch;
        if (step < warmup) return PeakLr * step / warmup;
        double progress = (double)(step - warmup) / Math.Max(1, TotalSteps - warmup);
        double q = 0.5 * (1 + Math.Cos(Math.PI * progress));
        return PeakLr * q + PeakLr * EndRatio * (1 - q);
    }
}
