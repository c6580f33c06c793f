using Vicreg.Data;
using Vicreg.Data.Jpeg;
using Vicreg.Data.Views;
using Vicreg.Tooling.Bench;
using Xunit;
using Xunit.Abstractions;

namespace Vicreg.Tests.Data;

/// <summary>data.decode fast: TurboJPEG at the smallest DCT scale that holds the crop, crops drawn from the full size,
/// the exact decoder for everything else.</summary>
public class FastDecodeTests(ITestOutputHelper output) : IDisposable
{
    private readonly TempDir dir = new();

    public void Dispose() => dir.Dispose();

    [TurboJpegFact]
    public void TheSmallestScaleThatHoldsTheCropAtTheViewSizeIsChosen()
    {
        // Only the scales that decode faster than the full size (TurboJPEG lists M/8 in lowest terms).
        Assert.Equal(new[] { (1, 8), (1, 4), (1, 2), (1, 1) }, TurboJpeg.Scales);
        var files = BenchJpegs.Ensure(dir.Path, 1);
        var bytes = File.ReadAllBytes(files[0]);
        using var jpeg = new DecodedJpeg(Rent(bytes), bytes.Length, 500, 375, (_, _) => throw new InvalidOperationException());
        Assert.Equal((1, 2), jpeg.ScaleFor(new CropBox(0, 0, 460, 450), 224)); // 450/2 = 225 ≥ 224
        Assert.Equal((1, 1), jpeg.ScaleFor(new CropBox(0, 0, 300, 300), 224)); // 1/2 gives 150; 3/4 would hold it but costs more than 1
        Assert.Equal((1, 1), jpeg.ScaleFor(new CropBox(0, 0, 120, 150), 224));  // smaller than the view: full size
        Assert.Equal((1, 8), jpeg.ScaleFor(new CropBox(0, 0, 400, 300), 32));
        var (pixels, w, h, crop) = jpeg.PixelsFor(new CropBox(100, 60, 400, 300), 32);
        Assert.Equal((63, 47), (w, h)); // ⌈500/8⌉, ⌈375/8⌉
        Assert.Equal(new CropBox(13, 8, 50, 37), crop);
        Assert.True(pixels.Length >= 3 * w * h);
    }

    /// <summary>Fast views against exact views of the same draws, on photo-like 500×375 JPEGs at 96 px (the official
    /// recipe's steps; at 96 px most crops decode at 1/2 or 1/4): close, not identical; the draws themselves are the same.</summary>
    [TurboJpegFact]
    public void FastViewsAreCloseToExactViewsWithTheSameDraws()
    {
        var files = BenchJpegs.Ensure(dir.Path, 3);
        var samples = files.Select(f => new Sample(f, 0)).ToArray();
        using var exact = new ImageLoader(samples);
        using var fast = new ImageLoader(samples, options: new ImageDecodeOptions(Fast: true));
        var recipe = new ImageViewRecipe(ViewAugmentation.OfficialViewA(96), 96);
        var (mean, max) = ViewDifference.Measure(exact, fast, recipe, samples.Length, draws: 12, seed: 1, (e, f) => Assert.Equal(e, f));
        output.WriteLine($"fast − exact views: mean {mean:F3} levels, max {max} levels");
        Assert.True(mean < 3, $"mean difference {mean:F3} levels");
        Assert.True(mean > 0, "fast decoding at reduced scales should not be identical");
    }

    /// <summary>At full scale TurboJPEG decodes as Pillow does (both libjpeg-turbo with its defaults: accurate integer
    /// DCT, "fancy" chroma upsampling), so a fast view whose crops need the full size is the PIL view; the exact decoder
    /// (ImageSharp) differs on 4:2:0 colour, see DecodeFidelityTests.</summary>
    [TurboJpegFact]
    public void FullScaleFastDecodeIsPillowsDecode()
    {
        using var file = File.OpenRead(Fixtures.PathOf(Path.Combine("bad", "decoded.json.gz")));
        using var gz = new System.IO.Compression.GZipStream(file, System.IO.Compression.CompressionMode.Decompress);
        using var doc = System.Text.Json.JsonDocument.Parse(gz);
        foreach (var name in new[] { "progressive.jpg", "grayscale.jpg" })
        {
            var fixture = doc.RootElement.GetProperty(name);
            int w = fixture.GetProperty("width").GetInt32(), h = fixture.GetProperty("height").GetInt32();
            var pil = Convert.FromBase64String(fixture.GetProperty("rgb").GetString()!);
            var decoded = new byte[3 * w * h];
            TurboJpeg.Decode(File.ReadAllBytes(Fixtures.PathOf(Path.Combine("bad", "images", name))), w, h, (1, 1), decoded);
            Assert.True(pil.AsSpan().SequenceEqual(decoded), $"{name}: TurboJPEG at full scale differs from Pillow 9.4");
        }
    }

    /// <summary>A TurboJPEG decompressor that failed inside a header is not reused: it would report the next good file
    /// as 0 pixels wide (a loader's threads share the pooled decompressors, so any later file could get it).</summary>
    [TurboJpegFact]
    public void AHeaderThatFailsDoesNotSpoilTheNextFile()
    {
        var truncated = File.ReadAllBytes(Fixtures.PathOf(Path.Combine("bad", "images", "truncated.jpg")));
        var good = File.ReadAllBytes(Fixtures.PathOf(Path.Combine("bad", "images", "grayscale.jpg")));
        for (int i = 0; i < 3; i++)
        {
            Assert.Null(TurboJpeg.Header(truncated));
            Assert.Equal((48, 40), TurboJpeg.Header(good));
        }
    }

    /// <summary>data.decode exact decodes JPEGs through TurboJPEG at full scale (Pillow's decoder; DecodeFidelityTests
    /// compares the pixels) and other files through ImageSharp; the tally says which.</summary>
    [TurboJpegFact]
    public void ExactDecodesJpegsThroughTurboJpegAtFullScale()
    {
        var names = new[] { "progressive.jpg", "grayscale.jpg", "palette.png" };
        using var loader = new ImageLoader(names.Select(n => new Sample(Fixtures.PathOf(Path.Combine("bad", "images", n)), 0)).ToList());
        for (int i = 0; i < names.Length; i++)
            using (var image = loader.TryLoad(i))
                Assert.NotNull(image);
        Assert.Equal(new[] { ((1, 1), 2L) }, loader.Decodes.Turbo);
        Assert.Equal(1, loader.Decodes.ImageSharp);
        Assert.Equal("image decodes: 2 by TurboJPEG (at scale 1/1: 2), 1 by ImageSharp", loader.Decodes.Summary());
    }

    [TurboJpegFact]
    public void FilesThatAreNotJpegsAreDecodedExactlyAndSaidOnce()
    {
        SyntheticImages.Generate(dir.Path, new SyntheticImageOptions(Classes: 2, TrainPerClass: 2, ValPerClass: 1, Size: 20, Seed: 3));
        var train = new ImageFolderDataset(Path.Combine(dir.Path, "train"));
        var log = new StringWriter();
        using var loader = new ImageLoader(train, log: log, options: new ImageDecodeOptions(Fast: true));
        ISampleReader reader = loader;
        for (int i = 0; i < train.Count; i++)
            using (var s = reader.TryDecode(i))
                Assert.IsType<DecodedImage>(s);
        var lines = log.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var line = Assert.Single(lines);
        Assert.StartsWith("data.decode fast: ", line);
        Assert.Contains("is not a JPEG", line);
    }

    [TurboJpegFact]
    public void AJpegIsReadButDecodedOnlyForItsViews()
    {
        var files = BenchJpegs.Ensure(dir.Path, 1);
        using var loader = new ImageLoader(new[] { new Sample(files[0], 0) }, options: new ImageDecodeOptions(Fast: true));
        using var sample = ((ISampleReader)loader).TryDecode(0);
        var jpeg = Assert.IsType<DecodedJpeg>(sample);
        Assert.Equal((500, 375), (jpeg.Width, jpeg.Height));
        Assert.Equal(new FileInfo(files[0]).Length, jpeg.Bytes); // nothing decoded yet
        var centre = new float[3 * 32 * 32];
        new ImageViewRecipe(ViewAugmentation.OfficialViewA(32), 32).CentreEval(jpeg, centre); // exact decoder for centred views
        using var exact = new ImageLoader(new[] { new Sample(files[0], 0) });
        using var exactSample = ((ISampleReader)exact).TryDecode(0);
        var expected = new float[3 * 32 * 32];
        new ImageViewRecipe(ViewAugmentation.OfficialViewA(32), 32).CentreEval(exactSample!, expected);
        Assert.Equal(expected, centre);
    }

    /// <summary>data.decode fast with data.augment_on device draws what host/exact draws: the loader's device-mode batches
    /// over JPEGs decoded at reduced scales carry, row by row, the draws that host/exact's preview replays (the crops
    /// are drawn from the full size in the header before any decode).</summary>
    [TurboJpegFact]
    public void FastDeviceBatchesDrawWhatHostExactDraws()
    {
        var samples = BenchJpegs.Ensure(dir.Path, 4).Select(f => new Sample(f, 0)).ToArray();
        TwoViewBatches Make(ImageLoader loader, bool onDevice) =>
            new(samples, new BranchInput(loader, new ImageViewRecipe(ViewAugmentation.OfficialViewA(64), 64) { OnDevice = onDevice }),
                new BranchInput(loader, new ImageViewRecipe(ViewAugmentation.OfficialViewB(64), 64) { OnDevice = onDevice }), 2, seed: 4, workers: 2);
        using var exact = new ImageLoader(samples);
        using var fast = new ImageLoader(samples, options: new ImageDecodeOptions(Fast: true));
        var replay = Make(exact, onDevice: false).Replay(1, 4);
        int row = 0;
        foreach (var batch in Make(fast, onDevice: true).Epoch(1))
            using (batch)
                for (int k = 0; k < batch.Count; k++, row++)
                {
                    Assert.Equal(replay[row].DrawnA, batch.StageA!.Drawn[k]);
                    Assert.Equal(replay[row].DrawnB, batch.StageB!.Drawn[k]);
                }
        Assert.Equal(4, row);
        Assert.Contains(fast.Decodes.Turbo, t => t.Scale != (1, 1)); // 64-px views of 500×375 files: reduced scales did run
    }

    private static byte[] Rent(byte[] b)
    {
        var r = System.Buffers.ArrayPool<byte>.Shared.Rent(b.Length);
        b.CopyTo(r, 0);
        return r;
    }
}
