using Vicreg.Tests.Data.Audio;
using Vicreg.Data;
using Vicreg.Data.Audio;
using Vicreg.Data.Views;
using static TorchSharp.torch;

namespace Vicreg.Tests.Data;

/// <summary>The two-view pipeline on audio: waveform views of the same clips, one crop per branch.</summary>
public class TwoViewBatchesAudioTests
{
    private static TwoViewBatches Make(AudioLoader loader, IReadOnlyList<Sample> samples, AudioViewAugmentation a, AudioViewAugmentation b,
        int batchSize, int seed, int workers) =>
        new(samples, new BranchInput(loader, new AudioViewRecipe(a, 8000, 1.0)), new BranchInput(loader, new AudioViewRecipe(b, 8000, 1.0)), batchSize, seed, workers);

    private static (AudioLoader Loader, List<Sample> Samples) Clips(TempDir dir, int count, double seconds = 1.0)
    {
        var samples = new List<Sample>();
        for (int i = 0; i < count; i++)
        {
            string path = dir.Combine($"{i}.wav");
            AudioDatasetTests.WriteTone(path, 200 + 37 * i, i == 0 ? 0.1 : seconds);
            samples.Add(new Sample(path, i % 3));
        }
        return (new AudioLoader(samples, 8000), samples);
    }

    private static readonly AudioViewAugmentation ViewA = new() { CropSeconds = 0.25 };
    private static readonly AudioViewAugmentation ViewB = new() { CropSeconds = 0.5, GainDb = 3, NoiseLevel = 0.2 };

    [Fact]
    public void Batches_do_not_depend_on_the_worker_count_and_differ_between_epochs()
    {
        using var dir = new TempDir();
        var (loader, samples) = Clips(dir, 12);
        var one = Make(loader, samples, ViewA, ViewB, 4, seed: 7, workers: 1).Epoch(1).ToList();
        var four = Make(loader, samples, ViewA, ViewB, 4, seed: 7, workers: 4).Epoch(1).ToList();
        var other = Make(loader, samples, ViewA, ViewB, 4, seed: 7, workers: 4).Epoch(2).ToList();
        Assert.Equal(3, one.Count);
        for (int b = 0; b < 3; b++)
        {
            Assert.Equal(new long[] { 4, 1, 2000 }, one[b].ViewA.shape);
            Assert.Equal(new long[] { 4, 1, 4000 }, one[b].ViewB.shape);
            Assert.True(one[b].ViewA.equal(four[b].ViewA).all().item<bool>());
            Assert.True(one[b].ViewB.equal(four[b].ViewB).all().item<bool>());
            Assert.Equal(one[b].Indices, four[b].Indices);
        }
        Assert.NotEqual(one.SelectMany(b => b.Indices), other.SelectMany(b => b.Indices));
        foreach (var b in one.Concat(four).Concat(other)) b.Dispose();
    }

    [Fact]
    public void Resumed_epochs_equal_the_tail_of_an_uninterrupted_epoch()
    {
        using var dir = new TempDir();
        var (loader, samples) = Clips(dir, 12);
        var batches = Make(loader, samples, ViewA, ViewB, 4, seed: 3, workers: 2);
        var full = batches.Epoch(0).ToList();
        var tail = batches.Epoch(0, skipBatches: 2).ToList();
        Assert.Single(tail);
        Assert.True(full[2].ViewB.equal(tail[0].ViewB).all().item<bool>());
        foreach (var b in full.Concat(tail)) b.Dispose();
    }

    [Fact]
    public void A_clip_shorter_than_the_crop_is_zero_padded_and_counted()
    {
        using var dir = new TempDir();
        var (loader, samples) = Clips(dir, 4); // clip 0 lasts 0.1 s, crops are 0.25 and 0.5 s
        var batches = Make(loader, samples, ViewA with { ShiftSeconds = 0 }, ViewB with { ShiftSeconds = 0, NoiseLevel = 0 }, 4, seed: 1, workers: 1);
        using var batch = batches.Epoch(0).Single();
        Assert.Equal(1, batch.Padded);
        Assert.Equal(1, batches.PaddedSamples);
        int k = Array.IndexOf(batch.Indices, 0);
        var viewB = batch.ViewB[k, 0];
        Assert.True(viewB.narrow(0, 0, 800).abs().max().item<float>() > 0.1f);      // the 0.1 s of audio
        Assert.Equal(0f, viewB.narrow(0, 800, 3200).abs().max().item<float>());     // then zeros
    }

    [Fact]
    public void The_two_views_of_a_clip_are_different_crops()
    {
        using var dir = new TempDir();
        var (loader, samples) = Clips(dir, 4, seconds: 2.0);
        var same = new AudioViewAugmentation { CropSeconds = 0.5, GainDb = 0, NoiseLevel = 0, ShiftSeconds = 0 };
        using var batch = Make(loader, samples, same, same, 4, seed: 5, workers: 1).Epoch(0).Single();
        Assert.False(batch.ViewA.equal(batch.ViewB).all().item<bool>());
    }
}
