using Vicreg.Data.Views;

namespace Vicreg.Data;

/// <summary>
/// One sample of an epoch drawn again by <see cref="TwoViewBatches.Replay"/>: its slot in the epoch's order, the
/// dataset index and label used (after substitution of unreadable files), both views exactly as the batch at that
/// slot holds them (TrainShape floats of each branch, normalised), and what each view drew.
/// </summary>
public sealed record ReplayedSample(int Position, int Index, long Label, float[] ViewA, float[] ViewB, DrawnView? DrawnA, DrawnView? DrawnB, bool Padded);
