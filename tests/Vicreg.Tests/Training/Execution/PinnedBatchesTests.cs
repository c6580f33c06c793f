using Vicreg.Data;
using Vicreg.Training.Execution;
using static TorchSharp.torch;

namespace Vicreg.Tests.Training.Execution;

/// <summary>The GPU feed: the same batches in the same order, each copied (pinned) one batch ahead on another thread.</summary>
public class PinnedBatchesTests
{
    private sealed class Counting : IViewPairSource
    {
        public readonly List<TwoViewBatch> Made = new();
        public int BatchesPerEpoch => 4;
        public int SkippedFiles => 0;

        public IEnumerable<TwoViewBatch> Epoch(int epoch, int skipBatches = 0)
        {
            for (int b = skipBatches; b < BatchesPerEpoch; b++)
            {
                var pair = new TwoViewBatch(full(2, 3, (float)b), full(2, 3, (float)(10 + b)), tensor(new long[] { b, b }), new[] { b, b });
                lock (Made) Made.Add(pair);
                yield return pair;
            }
        }
    }

    [Fact]
    public void YieldsTheSameBatchesAndPinsTheNextOneWhileTheCurrentIsInUse()
    {
        var source = new Counting();
        int pinned = 0;
        var feed = new PinnedBatches(source, t => { Interlocked.Increment(ref pinned); return t.clone(); });
        var seen = new List<float>();
        foreach (var pair in feed.Epoch(0, skipBatches: 1))
            using (pair)
            {
                var deadline = DateTime.UtcNow.AddSeconds(30);
                while (Volatile.Read(ref pinned) < 2 * Math.Min(seen.Count + 2, 3) && DateTime.UtcNow < deadline) Thread.Sleep(5);
                Assert.True(Volatile.Read(ref pinned) >= 2 * Math.Min(seen.Count + 2, 3), "the next batch should be pinned while this one is in use");
                seen.Add(pair.ViewA[0, 0].item<float>());
                Assert.Equal(10 + seen[^1], pair.ViewB[0, 0].item<float>());
                Assert.Equal((long)seen[^1], pair.Labels[0].item<long>()); // labels and indices travel with the pinned views
                Assert.Equal((int)seen[^1], pair.Indices[0]);
            }
        Assert.Equal(new[] { 1f, 2f, 3f }, seen);
        Assert.All(source.Made, p => Assert.True(p.ViewA.IsInvalid && p.ViewB.IsInvalid && p.Labels.IsInvalid, "the unpinned originals are released"));
    }

    [Fact]
    public void OnTheCpuTheSourceIsUsedAsItIs()
    {
        var source = new Counting();
        Assert.Same(source, PinnedBatches.For(source, CPU));
    }
}
