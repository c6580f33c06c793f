// Search images by sound and sounds by image with the two branches of an audio-visual run, exported by
//   vicreg export --run runs/audio-image-quickstart --branch a --format onnx --with-expander --out image.onnx
//   vicreg export --run runs/audio-image-quickstart --branch b --format onnx --with-expander --out audio.onnx
// Only ONNX Runtime is referenced: the input preparation comes from each model's metadata (view size, mean and std;
// sample rate and crop length; the audio model computes its log-mel itself from raw samples).
//
//   VicregSearch --image-model image.onnx --audio-model audio.onnx --images DIR --sounds DIR [--query FILE]... [--evaluate]
//
// --query a .wav prints the 5 nearest images, a .png the 5 nearest sounds. --evaluate takes each file's class from its
// folder's name and prints, each way and both together, how often the nearest file has the query's class, against
// chance; it exits with 3 when both ways together are not above chance.

var options = Options.Parse(args);
if (options is null)
{
    Console.Error.WriteLine("usage: VicregSearch --image-model IMAGE.onnx --audio-model AUDIO.onnx --images DIR --sounds DIR [--query FILE.wav|FILE.png]... [--evaluate]");
    return 2;
}
using var imageModel = new OnnxEncoder(options.ImageModel);
using var audioModel = new OnnxEncoder(options.AudioModel);
if (imageModel.Modality != "image" || audioModel.Modality != "audio")
{
    Console.Error.WriteLine($"error: {options.ImageModel} takes {imageModel.Modality} and {options.AudioModel} takes {audioModel.Modality}; expected image and audio");
    return 2;
}

int viewSize = imageModel.GetInt("view_size");
float[] mean = imageModel.Get("mean"), std = imageModel.Get("std");
int sampleRate = audioModel.GetInt("sample_rate"), cropSamples = audioModel.GetInt("crop_samples");
float[] PrepareImage(string f) => ImageInput.Prepare(Png.Read(f), viewSize, mean, std);
float[] PrepareSound(string f) => SoundInput.Prepare(f, sampleRate, cropSamples);

var watch = System.Diagnostics.Stopwatch.StartNew();
var images = Index.Build(options.Images, ".png", PrepareImage, imageModel);
var sounds = Index.Build(options.Sounds, ".wav", PrepareSound, audioModel);
Console.WriteLine($"indexed {images.Count} images ({viewSize} px, {options.ImageModel}) and {sounds.Count} sounds ({cropSamples} samples at {sampleRate} Hz, {options.AudioModel}) in {watch.Elapsed.TotalSeconds:F1} s");

foreach (var query in options.Queries)
{
    bool isSound = query.EndsWith(".wav", StringComparison.OrdinalIgnoreCase);
    var (target, model, prepare) = isSound ? (images, audioModel, (Func<string, float[]>)PrepareSound) : (sounds, imageModel, PrepareImage);
    float[] embedding;
    try { embedding = model.Embed(new[] { prepare(query) })[0]; }
    catch (Exception e) when (e is InvalidDataException or IOException or EndOfStreamException)
    {
        Console.Error.WriteLine($"skipped query {query}: {e.Message}");
        continue;
    }
    Console.WriteLine($"nearest {(isSound ? "images" : "sounds")} to {query}:");
    foreach (var (file, score, rank) in target.Nearest(embedding, 5).Select((h, i) => (h.File, h.Score, i + 1)))
        Console.WriteLine($"  {rank}. {file}  cosine {score:F3}");
}

if (!options.Evaluate) return 0;
double hits = 0, expected = 0;
int total = 0;
foreach (var (name, queries, target) in new[] { ("audio -> image", sounds, images), ("image -> audio", images, sounds) })
{
    var (rate, chance) = queries.TopOneClassHitRate(target);
    Console.WriteLine($"{name}: top-1 class hit rate {100 * rate:F1}% over {queries.Count} held-out queries (chance {100 * chance:F1}%, {rate / chance:F1}x)");
    (hits, expected, total) = (hits + rate * queries.Count, expected + chance * queries.Count, total + queries.Count);
}
bool above = hits > expected;
Console.WriteLine($"both ways: top-1 class hit rate {100 * hits / total:F1}% (chance {100 * expected / total:F1}%): {(above ? "above chance" : "NOT above chance")}");
return above ? 0 : 3;

/// <summary>The command line.</summary>
sealed record Options(string ImageModel, string AudioModel, string Images, string Sounds, List<string> Queries, bool Evaluate)
{
    public static Options? Parse(string[] args)
    {
        string? image = null, audio = null, images = null, sounds = null;
        var queries = new List<string>();
        bool evaluate = false;
        for (int i = 0; i < args.Length; i++)
        {
            string? Next() => i + 1 < args.Length ? args[++i] : null;
            switch (args[i])
            {
                case "--image-model": image = Next(); break;
                case "--audio-model": audio = Next(); break;
                case "--images": images = Next(); break;
                case "--sounds": sounds = Next(); break;
                case "--query": if (Next() is { } q) queries.Add(q); break;
                case "--evaluate": evaluate = true; break;
                default: return null;
            }
        }
        return image is null || audio is null || images is null || sounds is null ? null : new Options(image, audio, images, sounds, queries, evaluate);
    }
}
