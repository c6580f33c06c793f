using Vicreg.Data.Views;
using Vicreg.Training.Config;

namespace Vicreg.Training.Sources;

/// <summary>
/// Before pretraining on audio: samples a few training clips and says when a large share of a branch's random crops
/// would be near-silent (see <see cref="Vicreg.Data.Audio.SilentCrops"/>), with what to change.
/// </summary>
public static class AudioCropCheck
{
    /// <summary>Above this share of silent crops the run gets the advice.</summary>
    public const double Threshold = 0.2;

    public static void Advise(int seed, RunData data, Action<string> info, int clips = 48)
    {
        var train = data.Splits.Train;
        if (train.Count == 0) return;
        foreach (var side in data.Shared ? new[] { BranchSide.A } : new[] { BranchSide.A, BranchSide.B })
        {
            // Waveform views are what can be silent: the recipe says so by its type, whatever the modality is called.
            if (data.Recipe(side) is not AudioViewRecipe recipe) continue;
            var view = recipe.Train;
            int crop = recipe.CropLength;
            var input = data.Input(side, train);
            var rng = new Random(seed);
            var fractions = new List<double>();
            var seconds = new List<double>();
            foreach (int i in PretrainData.FixedSample(train.Count, clips))
            {
                using var sample = input.Reader.TryDecode(i);
                if (sample is not DecodedClip clip) continue;
                fractions.Add(Vicreg.Data.Audio.SilentCrops.Fraction(clip.Samples, crop, 16, rng));
                seconds.Add(clip.Samples.Length / (double)recipe.SampleRate);
            }
            if (Note(side, view.CropSeconds, fractions, seconds) is { } line) info(line);
        }
    }

    /// <summary>The advice line, or null when few crops are silent.</summary>
    public static string? Note(BranchSide side, double cropSeconds, IReadOnlyList<double> silentFractions, IReadOnlyList<double> clipSeconds)
    {
        if (silentFractions.Count == 0) return null;
        double share = silentFractions.Average();
        if (share <= Threshold) return null;
        string field = side == BranchSide.A ? "data.audio.view_a.crop_seconds" : "data.audio.view_b.crop_seconds";
        double median = clipSeconds.OrderBy(s => s).ElementAt(clipSeconds.Count / 2);
        string longer = median > cropSeconds * 1.2
            ? $"raise {field} towards the clips' length ({median:0.##} s median) so that each crop keeps the sound, or trim the silence from the clips"
            : "trim the silence from the clips, or drop clips that are mostly silent";
        return $"note: about {100 * share:F0}% of branch {(side == BranchSide.A ? "A" : "B")}'s {cropSeconds:0.##}-s training crops are near-silent " +
               $"(30 dB below the clip's loudest part; {silentFractions.Count} clips sampled): the sound fills only part of each clip (decaying notes, pauses), " +
               $"and two silent views teach nothing; {longer}. vicreg preview shows the crops.";
    }
}
