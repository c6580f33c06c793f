using Vicreg.Losses;
using Vicreg.Training.Config;

namespace Vicreg.Tests.Training.Config;

public class ConfigLoaderTests
{
    private static string RepoFile(string relative) => RepoFiles.PathOf(relative);

    [Fact]
    public void TheImageNetPresetHasThePapersSettings()
    {
        var c = ConfigLoader.LoadFile(RepoFile("experiments/imagenet/vicreg-resnet50.json"));
        Assert.Equal("resnet50", c.Model.BranchA.Encoder);
        Assert.Equal("8192-8192-8192", c.Model.BranchA.Expander);
        Assert.Equal(("lars", 0.2, 2048, 1000, 10, 1e-6), (c.Optim.Name, c.Optim.BaseLr, c.Optim.BatchSize, c.Optim.Epochs, c.Optim.WarmupEpochs, c.Optim.WeightDecay));
        Assert.Equal((25.0, 25.0, 1.0), (c.Loss.Sim, c.Loss.Std, c.Loss.Cov));
        Assert.True(c.Model.Shared);
    }

    [Fact]
    public void TheQuickstartParses()
    {
        var c = ConfigLoader.LoadFile(RepoFile("experiments/quickstart.json"));
        Assert.Equal("synthetic-images", c.Data.Kind);
        Assert.True(c.Eval.LinearProbe && c.Eval.CompareRandomInit);
        Assert.True(c.Data.Synthetic.Classes * c.Data.Synthetic.ValPerClass >= 1000, "held-out set of at least 1,000, so the 95% interval is a few points wide");
    }

    [Fact]
    public void OverridesReachNestedFieldsWithTypedValues()
    {
        var c = ConfigLoader.Parse("{}", "t.json", new[] { "data.kind=synthetic-images", "optim.base_lr=0.3", "model.shared=false", "loss.covariance_form=gram", "name=abc" });
        Assert.Equal(0.3, c.Optim.BaseLr);
        Assert.False(c.Model.Shared);
        Assert.Equal(CovarianceForm.Gram, c.Loss.CovarianceForm);
        Assert.Equal("abc", c.Name);
    }

    [Theory]
    [InlineData("{\"optim\": {\"base_lr\": -1}}", "optim.base_lr")]
    [InlineData("{\"optim\": {\"batch_sise\": 4}}", "batch_sise")]
    [InlineData("{\"optim\": {\"batch_size\": \"many\"}}", "optim.batch_size")]
    [InlineData("{\"model\": {\"branch_a\": {\"encoder\": \"resnet51\"}}}", "model.branch_a.encoder")]
    [InlineData("{\"model\": {\"branch_a\": {\"expander\": \"8192-x\"}}}", "model.branch_a.expander")]
    [InlineData("{\"model\": {\"shared\": true, \"branch_b\": {}}}", "model.branch_b")]
    [InlineData("{\"data\": {\"kind\": \"image-folder\"}}", "data.train")]
    [InlineData("{\"device\": \"tpu\"}", "device")]
    [InlineData("{\"optim\": ", "line")]
    public void ErrorsNameTheFileAndTheField(string json, string field)
    {
        var ex = Assert.Throws<ConfigException>(() => ConfigLoader.Parse(json, "my.json", new[] { "data.kind=synthetic-images" }.Where(_ => !json.Contains("image-folder"))));
        Assert.StartsWith("my.json: ", ex.Message);
        Assert.Contains(field, ex.Message);
    }

    [Fact]
    public void TheTrainingHashIgnoresEvaluationOutputAndWorkersButNotTheModel()
    {
        var c = ConfigLoader.Parse("{}", "t.json", new[] { "data.kind=synthetic-images" });
        string h = ConfigHash.OfTraining(c);
        Assert.Equal(h, ConfigHash.OfTraining(c with { Eval = c.Eval with { Epochs = 5 }, Data = c.Data with { Workers = 7 } }));
        Assert.Equal(h, ConfigHash.OfTraining(c with { Output = c.Output with { KeepCheckpoints = 9 } }));
        Assert.NotEqual(h, ConfigHash.OfTraining(c with { Optim = c.Optim with { BaseLr = 0.3 } }));
        Assert.NotEqual(h, ConfigHash.OfTraining(c with { Model = c.Model with { Shared = false } }));
    }

    [Theory]
    [InlineData("{\"data\": {\"kind\": \"file-list\"}}", "data.train_list")]
    [InlineData("{\"data\": {\"kind\": \"file-list\", \"train_list\": \"t.csv\", \"prefetch\": 0}}", "data.prefetch")]
    public void FileListSettingsAreValidated(string json, string field)
    {
        var ex = Assert.Throws<ConfigException>(() => ConfigLoader.Parse(json, "my.json"));
        Assert.StartsWith("my.json: ", ex.Message);
        Assert.Contains(field, ex.Message);
        var ok = ConfigLoader.Parse("{\"data\": {\"kind\": \"file-list\", \"train_list\": \"t.csv\", \"val_list\": \"v.tsv\"}}", "ok.json");
        Assert.Equal(("t.csv", "v.tsv", 2), (ok.Data.TrainList, ok.Data.ValList, ok.Data.Prefetch));
    }

    [Fact]
    public void AMissingFileIsNamed()
    {
        var ex = Assert.Throws<ConfigException>(() => ConfigLoader.LoadFile("/nonexistent/x.json"));
        Assert.Contains("/nonexistent/x.json", ex.Message);
    }

    [Fact]
    public void AFieldGivenTwiceIsOneLineNamingTheFileAndTheLine()
    {
        var ex = Assert.Throws<ConfigException>(() => ConfigLoader.Parse("{\n \"data\": { \"workers\": 1,\n \"workers\": 2 } }", "twice.json"));
        Assert.StartsWith("twice.json: ", ex.Message);
        Assert.Contains("not valid JSON (Duplicate", ex.Message);
        Assert.Contains("workers", ex.Message);
        Assert.DoesNotContain('\n', ex.Message);
    }
}
