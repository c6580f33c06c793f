using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Vicreg.Training.Config;

namespace Vicreg.Tests.Training.Config;

/// <summary>Config errors in the file's own words: the source (here the --set that gave the value), the JSON path, the nearest known field, the
/// expected type as JSON says it (number, string, true/false, list, object), for every section.</summary>
public class ConfigWordingTests
{
    private static ConfigException ErrorOf(params string[] overrides) =>
        Assert.Throws<ConfigException>(() => ConfigLoader.Parse("{}", "experiments/x.json", overrides.Prepend("data.kind=synthetic-images")));

    /// <summary>The error's message, or what was set when nothing was refused (so a failure names the field).</summary>
    private static string MessageOf(string change)
    {
        try { ConfigLoader.Parse("{}", "experiments/x.json", new[] { "data.kind=synthetic-images", change }); }
        catch (ConfigException e) { return e.Message; }
        return $"(no error for {change})";
    }

    private static ConfigException AudioErrorOf(string change) =>
        Assert.Throws<ConfigException>(() => ConfigLoader.LoadFile(RepoFiles.PathOf("experiments/audio/quickstart.json"), new[] { change }));

    /// <summary>Every record-valued section reachable from the root, with its JSON path, found from the serializer's contract.</summary>
    public static IEnumerable<(string Path, JsonTypeInfo Info)> Sections()
    {
        var pending = new Queue<(string, Type)>(new[] { ("", typeof(ExperimentConfig)) });
        while (pending.Count > 0)
        {
            var (path, type) = pending.Dequeue();
            var info = ConfigLoader.Json.GetTypeInfo(type);
            yield return (path, info);
            // Derived (get-only) sections such as model.effective_b are written out but never read.
            foreach (var p in info.Properties.Where(p => p.Set is not null || p.AssociatedParameter is not null))
            {
                var t = Nullable.GetUnderlyingType(p.PropertyType) ?? p.PropertyType;
                if (ConfigLoader.Json.GetTypeInfo(t).Kind == JsonTypeInfoKind.Object) pending.Enqueue((Join(path, p.Name), t));
            }
        }
    }

    private static string Join(string path, string name) => path.Length == 0 ? name : $"{path}.{name}";

    private static bool ReadByBuiltInConverter(Type t) =>
        ConfigLoader.Json.GetTypeInfo(Nullable.GetUnderlyingType(t) ?? t).Converter.GetType().Assembly == typeof(JsonSerializer).Assembly;

    [Fact]
    public void TheSectionWalkReachesTheNestedSections()
    {
        var paths = Sections().Select(s => s.Path).ToList();
        foreach (var expected in new[] { "", "optim", "data.synthetic", "data.audio.view_a", "data.audio.synthetic", "model.branch_a.mel", "model.branch_b.spec_augment", "parallel", "output" })
            Assert.Contains(expected, paths);
    }

    [Theory]
    [InlineData("optim.batchsize=3", "--set optim.batchsize=3: optim.batchsize: unknown field; did you mean batch_size?")]
    [InlineData("optim.batch_sise=3", "--set optim.batch_sise=3: optim.batch_sise: unknown field; did you mean batch_size?")]
    [InlineData("seeds=3", "--set seeds=3: seeds: unknown field; did you mean seed?")]
    [InlineData("data.synthetic.clases=3", "--set data.synthetic.clases=3: data.synthetic.clases: unknown field; did you mean classes?")]
    [InlineData("data.audio.view_a.gain=3", "--set data.audio.view_a.gain=3: data.audio.view_a.gain: unknown field; did you mean gain_db?")]
    [InlineData("model.branch_a.mel.nmels=3", "--set model.branch_a.mel.nmels=3: model.branch_a.mel.nmels: unknown field; did you mean n_mels?")]
    [InlineData("model.branch_b.specaugment={}", "--set model.branch_b.specaugment={}: model.branch_b.specaugment: unknown field; did you mean spec_augment?")]
    [InlineData("optim.zzzzzzzz=1", "--set optim.zzzzzzzz=1: optim.zzzzzzzz: unknown field; known: name, base_lr, weight_decay, momentum, eta, batch_size, epochs, warmup_epochs, end_lr_ratio, scale_lr_with_batch")]
    public void AnUnknownFieldNamesThePathAndTheNearestKnownName(string change, string message) =>
        Assert.Equal(message, ErrorOf(change).Message);

    [Fact]
    public void AnUnknownFieldInEverySectionSuggestsTheFieldItMisspells()
    {
        foreach (var (path, info) in Sections())
        {
            // The longest name with its middle letter dropped: one edit from it, further from every other.
            string name = info.Properties.Select(p => p.Name).OrderByDescending(n => n.Length).First();
            string typo = name.Remove(name.Length / 2, 1);
            Assert.Equal($"--set {Join(path, typo)}=1: {Join(path, typo)}: unknown field; did you mean {name}?", MessageOf($"{Join(path, typo)}=1"));
        }
    }

    [Theory]
    [InlineData("experiments/quickstart.json")]
    [InlineData("experiments/audio/quickstart.json")]
    [InlineData("experiments/audio/esc50-wave-spec.json")]
    public void AResolvedConfigAsARunWritesItLoadsAgain(string file)
    {
        // config.json holds every field, derived ones (mel.upper_frequency) included.
        var c = ConfigLoader.LoadFile(RepoFiles.PathOf(file));
        var again = ConfigLoader.Parse(ConfigLoader.Serialize(c), "config.json");
        Assert.Equal(ConfigLoader.Serialize(c), ConfigLoader.Serialize(again));
    }

    [Theory]
    [InlineData("optim.batch_size=\"many\"", "optim.batch_size: expected a number, got the string \"many\"")]
    [InlineData("optim.epochs=2.5", "optim.epochs: expected a whole number, got 2.5")]
    [InlineData("optim.epochs=1e12", "optim.epochs: expected a whole number between -2147483648 and 2147483647, got 1e12")]
    [InlineData("model.shared=1", "model.shared: expected true/false, got the number 1")]
    [InlineData("name=3", "name: expected a string, got the number 3")]
    [InlineData("parallel.devices=\"cuda\"", "parallel.devices: expected a list, got the string \"cuda\"")]
    [InlineData("parallel.devices=[\"cpu\", 3]", "parallel.devices[1]: expected a string, got the number 3")]
    [InlineData("data.synthetic=5", "data.synthetic: expected an object, got the number 5")]
    [InlineData("model.branch_a=null", "model.branch_a: expected an object, got null")]
    [InlineData("loss.covariance_form=gramm", "loss.covariance_form: unknown value \"gramm\"; did you mean gram? (one of auto, gram, feature)")]
    [InlineData("loss.covariance_form=2", "loss.covariance_form: expected a string (one of auto, gram, feature), got the number 2")]
    [InlineData("model.branch_a.mel.n_mels=true", "model.branch_a.mel.n_mels: expected a number, got true")]
    [InlineData("data.audio.view_a.crop_seconds=\"2s\"", "data.audio.view_a.crop_seconds: expected a number, got the string \"2s\"")]
    public void AWrongTypeNamesTheExpectedTypeInJsonWords(string change, string problem) =>
        Assert.Equal($"--set {change}: {problem}", ErrorOf(change).Message);

    [Fact]
    public void AWrongTypeInEveryFieldOfEverySectionSaysWhatWasExpected()
    {
        foreach (var (path, info) in Sections())
            foreach (var p in info.Properties.Where(p => p.Set is not null && ReadByBuiltInConverter(p.PropertyType)))
            {
                var t = Nullable.GetUnderlyingType(p.PropertyType) ?? p.PropertyType;
                bool isRecord = ConfigLoader.Json.GetTypeInfo(t).Kind == JsonTypeInfoKind.Object;
                // A record gets a number; anything else gets an object.
                string expected = JsonWords.Expected(p.PropertyType, ConfigLoader.Json);
                string change = $"{Join(path, p.Name)}={(isRecord ? "5" : "{}")}";
                Assert.Equal($"--set {change}: {Join(path, p.Name)}: expected {expected}, got {(isRecord ? "the number 5" : "an object")}", MessageOf(change));
            }
    }

    [Theory]
    [InlineData("name=\"a/b\"", "name", "usable folder name")]
    [InlineData("device=tpu", "device", "must be auto, cpu, cuda or cuda:N")]
    [InlineData("precision=fp16", "precision", "must be fp32 or bf16")]
    [InlineData("parallel.devices=[\"auto\"]", "parallel.devices[0]", "must be cpu, cuda or cuda:N")]
    [InlineData("data.prefetch=0", "data.prefetch", "must be ≥ 1")]
    [InlineData("data.crop_scale_min=1.5", "data.crop_scale_min", "must be in (0, 1]")]
    [InlineData("data.synthetic.classes=11", "data.synthetic.classes", "between 2 and 10")]
    [InlineData("model.branch_a.in_channels=0", "model.branch_a.in_channels", "must be ≥ 1")]
    [InlineData("model.branch_b={}", "model.branch_b", "model.shared is true")]
    [InlineData("loss.gamma=0", "loss.gamma", "must be > 0")]
    [InlineData("method={\"name\": \"byol\", \"tau\": 1}", "method.tau", "must be in [0, 1)")] // tau is BYOL's own field
    [InlineData("optim.momentum=1", "optim.momentum", "must be in [0, 1)")]
    [InlineData("eval.knn_k=0", "eval.knn_k", "must be ≥ 1")]
    [InlineData("output.keep_checkpoints=0", "output.keep_checkpoints", "must be ≥ 1")]
    public void AnOutOfRangeValueNamesTheFieldAndTheRange(string change, string field, string problem)
    {
        var ex = ErrorOf(change);
        Assert.StartsWith($"--set {change}: {field}: ", ex.Message);
        Assert.Contains(problem, ex.Message);
    }

    [Theory]
    [InlineData("data.audio.sample_rate=100", "data.audio.sample_rate", "between 4000 and 192000")]
    [InlineData("data.audio.view_b.noise_level=-1", "data.audio.view_b", "noise_level must be ≥ 0")]
    [InlineData("data.audio.synthetic.seconds=0", "data.audio.synthetic.seconds", "must be > 0")]
    [InlineData("model.branch_b.mel.n_mels=0", "model.branch_b.mel", "n_mels")]
    [InlineData("model.branch_b.spec_augment.time_masks=-1", "model.branch_b.spec_augment", "must be ≥ 0")]
    public void AnOutOfRangeAudioValueNamesTheFieldAndTheRange(string change, string field, string problem)
    {
        var ex = AudioErrorOf(change);
        Assert.Equal($"--set {change}: {field}: {ex.Problem}", ex.Message);
        Assert.Equal(field, ex.Field);
        Assert.Contains(problem, ex.Problem);
    }
}
