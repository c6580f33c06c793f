using Vicreg.Data;
using Vicreg.Data.Audio;
using Vicreg.Data.Paired;
using Vicreg.Data.Views;

namespace Vicreg.Tests.Data.Paired;

/// <summary>The video-frames layout: clip folders of frames and audio.wav, one frame per training draw with the
/// soundtrack's window centred on that frame's time, the middle frame for evaluation.</summary>
public class VideoFramesTests
{
    private const double Fps = 2;

    /// <summary>Two classes of clips of 5 frames (0–2 s at 2 fps) and 2.5 s of sound.</summary>
    private static SampleSet Clips(TempDir dir, int perClass = 4)
    {
        foreach (var cls in new[] { "bird", "car" })
            for (int i = 0; i < perClass; i++)
                VideoClipFolders.Write(dir.Combine("clips", cls, $"clip{i}"), frames: 5, seconds: 2.5);
        return VideoFrames.ScanClassFolders(dir.Combine("clips"), Fps, _ => { }).Set;
    }

    // Views that keep a frame's grey and a window's samples as they are: no colour, flip, blur, gain, noise or shift.
    private static readonly ViewAugmentation PlainImage = new(Size: 8, FlipP: 0, JitterP: 0, GrayscaleP: 0, BlurP: 0, SolarizeP: 0, Mean: [0, 0, 0], Std: [1, 1, 1]);
    private static readonly AudioViewAugmentation PlainSound = new() { CropSeconds = 0.5, GainDb = 0, NoiseLevel = 0, ShiftSeconds = 0 };

    private static TwoViewBatches Batches(IReadOnlyList<Sample> samples, int workers, Action<string>? log = null) =>
        new(samples,
            BranchInput.Create(new ImageLoader(samples), new ImageViewRecipe(PlainImage, 8)),
            BranchInput.Create(new AudioLoader(samples, VideoClipFolders.Rate, log), new AudioViewRecipe(PlainSound, VideoClipFolders.Rate, 1.0)),
            batchSize: 4, seed: 3, workers: workers);

    /// <summary>The frame number a plain view of a uniform frame shows.</summary>
    private static int FrameNumberOf(float grey) => (int)Math.Round(grey * 255 / 30);

    [Fact]
    public void Class_folders_of_clips_are_read_with_their_frames_in_time_order_and_the_middle_frame_as_the_image()
    {
        using var dir = new TempDir();
        var set = Clips(dir, perClass: 2);
        Assert.Equal(new[] { "bird", "car" }, set.Classes);
        Assert.Equal(4, set.Count);
        var clip = set[2];
        Assert.Equal((dir.Combine("clips", "car", "clip0"), 1), (clip.Path, clip.Label));
        Assert.Equal(Enumerable.Range(1, 5).Select(k => dir.Combine("clips", "car", "clip0", $"frame_{k:D4}.png")), clip.Frames!.Files);
        // ffmpeg's fps filter: frame_k at (k − 1)/fps.
        Assert.Equal(new[] { 0.0, 0.5, 1.0, 1.5, 2.0 }, clip.Frames.Seconds);
        Assert.Equal(2, clip.Frames.Middle);
        Assert.Equal(dir.Combine("clips", "car", "clip0", "frame_0003.png"), clip.FileFor("image"));
        Assert.Equal(dir.Combine("clips", "car", "clip0", "audio.wav"), clip.FileFor("audio"));
    }

    [Fact]
    public void Frames_are_ordered_by_number_not_by_name_and_other_files_are_ignored()
    {
        using var dir = new TempDir();
        string folder = VideoClipFolders.Write(dir.Combine("c", "x"), frames: 0, seconds: 1);
        foreach (var name in new[] { "frame_10.jpg", "frame_9.jpg", "frame_0001.JPG", "thumb.jpg", "frame_0.jpg", "frame_2.gif" }) dir.Touch("c", "x", name);
        var frames = VideoFrames.Frames(folder, fps: 4)!;
        Assert.Equal(new[] { "frame_0001.JPG", "frame_9.jpg", "frame_10.jpg" }, frames.Files.Select(Path.GetFileName));
        Assert.Equal(new[] { 0.0, 2.0, 2.25 }, frames.Seconds);
    }

    [Fact]
    public void A_clip_folder_without_frames_or_without_audio_is_one_line_naming_it_and_is_counted()
    {
        using var dir = new TempDir();
        VideoClipFolders.Write(dir.Combine("clips", "bird", "good"), frames: 3, seconds: 1);
        string silent = VideoClipFolders.Write(dir.Combine("clips", "bird", "silent"), frames: 3, seconds: 1, audio: false);
        string blind = VideoClipFolders.Write(dir.Combine("clips", "car", "blind"), frames: 0, seconds: 1);
        VideoClipFolders.Write(dir.Combine("clips", "car", "good"), frames: 2, seconds: 1, ext: "jpg");
        var log = new List<string>();
        var clips = VideoFrames.ScanClassFolders(dir.Combine("clips"), Fps, log.Add);
        Assert.Equal(2, clips.Set.Count);
        Assert.Equal(2, clips.LeftOut);
        Assert.Equal(new[] { $"skipped clip {silent}: no audio.wav", $"skipped clip {blind}: no frame_NNNN.jpg/.png files" }, log);
    }

    [Fact]
    public void A_labels_csv_gives_classes_and_folds_and_a_malformed_row_names_file_and_line()
    {
        using var dir = new TempDir();
        foreach (var clip in new[] { "a", "b", "c" }) VideoClipFolders.Write(dir.Combine("all", clip), frames: 2, seconds: 1);
        string csv = dir.Combine("labels.csv");
        File.WriteAllText(csv, "clip,label,fold\na,dog,1\nb,cat,2\nc,dog,2\nmissing,cat,1\n");
        var log = new List<string>();
        var clips = VideoFrames.ScanListed(dir.Combine("all"), csv, Fps, log.Add);
        Assert.Equal(new[] { "cat", "dog" }, clips.Set.Classes);
        Assert.Equal(new[] { (1, 1), (0, 2), (1, 2) }, clips.Set.Select(s => (s.Label, s.Fold)));
        Assert.Equal((1, $"skipped clip {dir.Combine("all", "missing")}: no such folder"), (clips.LeftOut, Assert.Single(log)));

        File.WriteAllText(csv, "clip,label,fold\na,dog,1\nb,cat,two\n");
        var e = Assert.Throws<InvalidDataException>(() => VideoFrames.ScanListed(dir.Combine("all"), csv, Fps, _ => { }));
        Assert.Equal($"{csv}:3: field 'fold': \"two\" is not an integer", e.Message);
        File.WriteAllText(csv, "clip,fold\na,1\n");
        e = Assert.Throws<InvalidDataException>(() => VideoFrames.ScanListed(dir.Combine("all"), csv, Fps, _ => { }));
        Assert.StartsWith($"{csv}:1: missing column 'label'", e.Message);
    }

    [Fact]
    public void Each_training_view_pairs_one_drawn_frame_with_the_sound_window_centred_on_its_time()
    {
        using var dir = new TempDir();
        var set = Clips(dir);
        var batches = Batches(set.Samples, workers: 2);
        int length = (int)Math.Round(2.5 * VideoClipFolders.Rate), crop = (int)Math.Round(0.5 * VideoClipFolders.Rate);
        var clip = WavDecoder.Decode(set[0].FileFor("audio"), VideoClipFolders.Rate).Samples;
        var seen = new HashSet<int>();
        for (int epoch = 0; epoch < 4; epoch++)
            foreach (var batch in batches.Epoch(epoch))
                using (batch)
                {
                    var images = batch.ViewA.data<float>().ToArray();
                    var sounds = batch.ViewB.data<float>().ToArray();
                    for (int slot = 0; slot < 4; slot++)
                    {
                        int frame = batches.FrameOf(epoch, batch.Indices[slot])!.Value;
                        Assert.Equal(frame + 1, FrameNumberOf(images[slot * 3 * 8 * 8]));
                        seen.Add(frame);
                        // The window centred on (k − 1)/fps, moved inside the clip near its start.
                        int centre = (int)Math.Round(frame / Fps * VideoClipFolders.Rate);
                        int start = Math.Clamp(centre - crop / 2, 0, length - crop);
                        Assert.Equal(clip.AsSpan(start, crop).ToArray(), sounds.AsSpan(slot * crop, crop).ToArray());
                        if (frame > 0) Assert.Equal(VideoClipFolders.Ramp(centre, length), sounds[slot * crop + crop / 2], 3);
                    }
                }
        Assert.Equal(new[] { 0, 1, 2, 3, 4 }, seen.Order()); // every frame is drawn
    }

    [Fact]
    public void Frame_draws_depend_on_seed_epoch_and_clip_only_and_batches_not_on_the_worker_count()
    {
        using var dir = new TempDir();
        var set = Clips(dir);
        var one = Batches(set.Samples, workers: 1);
        var three = Batches(set.Samples, workers: 3);
        Assert.NotEqual(Enumerable.Range(0, 8).Select(i => one.FrameOf(0, i)), Enumerable.Range(0, 8).Select(i => one.FrameOf(1, i)));
        for (int epoch = 0; epoch < 2; epoch++)
        {
            var a = one.Epoch(epoch).ToList();
            var b = three.Epoch(epoch).ToList();
            Assert.Equal(2, a.Count);
            for (int k = 0; k < a.Count; k++)
            {
                Assert.Equal(a[k].Indices, b[k].Indices);
                Assert.True(a[k].ViewA.equal(b[k].ViewA).all().item<bool>());
                Assert.True(a[k].ViewB.equal(b[k].ViewB).all().item<bool>());
            }
            foreach (var batch in a.Concat(b)) batch.Dispose();
        }
    }

    [Fact]
    public void Evaluation_reads_the_middle_frame_and_the_window_centred_on_its_time()
    {
        using var dir = new TempDir();
        var set = Clips(dir, perClass: 1);
        var image = new ImageViewRecipe(PlainImage, 8);
        var sound = new AudioViewRecipe(PlainSound, VideoClipFolders.Rate, 1.0);
        using var frame = ((ISampleReader)new ImageLoader(set.Samples)).TryDecode(0)!;
        using var clip = ((ISampleReader)new AudioLoader(set.Samples, VideoClipFolders.Rate)).TryDecode(0)!;
        var pixels = new float[3 * 8 * 8];
        image.CentreEval(frame, pixels);
        Assert.Equal(3, FrameNumberOf(pixels[0])); // frame_0003, at 1.0 s
        var window = new float[VideoClipFolders.Rate];
        sound.CentreEval(clip, window);
        int length = (int)Math.Round(2.5 * VideoClipFolders.Rate);
        Assert.Equal(VideoClipFolders.Ramp(VideoClipFolders.Rate, length), window[VideoClipFolders.Rate / 2], 3);
        Assert.Equal(VideoClipFolders.Ramp(VideoClipFolders.Rate / 2, length), window[0], 3); // 0.5 s … 1.5 s
    }

    [Fact]
    public void A_bad_frame_is_one_line_and_only_its_draws_take_another_clip()
    {
        using var dir = new TempDir();
        var set = Clips(dir);
        string bad = set[5].Frames!.Files[4];
        File.WriteAllText(bad, "not an image");
        var log = new List<string>();
        var images = new ImageLoader(set.Samples, log: new LineList(log));
        Assert.Null(images.TryLoad(5, 4));
        Assert.NotNull(images.TryLoad(5, 3));
        Assert.NotNull(images.TryLoad(5));
        var line = Assert.Single(log);
        Assert.StartsWith($"skipped frame {bad} of clip {set[5].Path}: ", line);
        Assert.EndsWith("(a draw of it takes the next readable clip)", line);
        Assert.Equal(new[] { bad }, images.SkippedFiles);
    }

    private sealed class LineList(List<string> lines) : TextWriter
    {
        public override System.Text.Encoding Encoding => System.Text.Encoding.UTF8;
        public override void WriteLine(string? value) { lock (lines) lines.Add(value ?? ""); }
    }
}
