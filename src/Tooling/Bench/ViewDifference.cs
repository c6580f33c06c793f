using Vicreg.Data;
using Vicreg.Data.Views;

namespace Vicreg.Tooling.Bench;

/// <summary>How far the views of one reader are from another's on the same draws (data.decode fast against exact), in
/// 8-bit levels: each normalised value mapped back to 0..255 by the recipe's mean and std.</summary>
public static class ViewDifference
{
    /// <param name="sameDraws">Called with both views' draws (a test asserts they are equal).</param>
    public static (double Mean, double Max) Measure(ISampleReader reference, ISampleReader other, ImageViewRecipe recipe, int files, int draws, int seed,
        Action<DrawnView?, DrawnView?>? sameDraws = null)
    {
        int n = (int)ViewShapes.Elements(recipe.TrainShape), plane = n / recipe.Channels;
        var a = new float[n];
        var b = new float[n];
        double sum = 0, max = 0;
        long count = 0;
        for (int f = 0; f < files; f++)
        {
            using var ra = reference.TryDecode(f);
            if (ra is null) continue;
            for (int k = 0; k < draws; k++)
            {
                // A fresh sample per draw, as the loader decodes one per pair: a fast decode keeps the largest scale asked of it.
                using var rb = other.TryDecode(f);
                if (rb is null) break;
                DrawnView? da = null, db = null;
                recipe.Draw(ra, SeedMix.Rng(seed, f, k), a, d => da = d);
                var rng = SeedMix.Rng(seed, f, k);
                recipe.Plan(rb, SeedMix.Rng(seed, f, k));
                recipe.Draw(rb, rng, b, d => db = d);
                sameDraws?.Invoke(da, db);
                for (int i = 0; i < n; i++)
                {
                    int c = recipe.Channels == 3 ? i / plane : 0;
                    double levels = Math.Abs(a[i] - b[i]) * recipe.Train.Std[c] * 255;
                    sum += levels;
                    max = Math.Max(max, levels);
                    count++;
                }
            }
        }
        return (count == 0 ? 0 : sum / count, Math.Round(max, 3));
    }
}
