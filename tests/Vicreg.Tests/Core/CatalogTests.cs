using Vicreg.Core;
using Vicreg.Encoders;
using Vicreg.Training.Methods;
using Vicreg.Training.Sources;

namespace Vicreg.Tests.Core;

/// <summary>The one catalog mechanism: case-sensitive names, registration order, replacement, and registration from
/// many threads at once.</summary>
public class CatalogTests
{
    private sealed record Entry(string Name, int Value);

    [Fact]
    public void NamesAreCaseSensitiveAndACaseSlipIsNamed()
    {
        var catalog = new Catalog<Entry>("widget", e => e.Name, new[] { new Entry("alpha", 1), new Entry("beta", 2) });
        Assert.True(catalog.Contains("alpha"));
        Assert.False(catalog.Contains("Alpha"));
        var slip = Assert.Throws<ArgumentException>(() => catalog.Get("Alpha"));
        Assert.Equal("unknown widget \"Alpha\"; names are case-sensitive: did you mean \"alpha\"?", slip.Message);
        var unknown = Assert.Throws<ArgumentException>(() => catalog.Get("gamma"));
        Assert.Equal("unknown widget \"gamma\"; known: alpha, beta", unknown.Message);
    }

    [Fact]
    public void RegisteringANameAgainReplacesItsEntryInPlace()
    {
        var catalog = new Catalog<Entry>("widget", e => e.Name, new[] { new Entry("alpha", 1), new Entry("beta", 2) });
        catalog.Register(new Entry("alpha", 3));
        Assert.Equal(new[] { "alpha", "beta" }, catalog.Names);
        Assert.Equal(3, catalog.Get("alpha").Value);
    }

    [Fact]
    public void ConcurrentRegistrationsAndReadsLoseNothing()
    {
        var catalog = new Catalog<Entry>("widget", e => e.Name);
        Parallel.For(0, 2000, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i =>
        {
            catalog.Register(new Entry($"w{i}", i));
            _ = catalog.Names.Count; // readers run while others register
            Assert.Equal(i, catalog.Get($"w{i}").Value);
        });
        Assert.Equal(2000, catalog.Names.Count);
        Assert.Equal(Enumerable.Range(0, 2000).Select(i => $"w{i}").Order(StringComparer.Ordinal), catalog.Names.Order(StringComparer.Ordinal));
    }

    /// <summary>The four plug-in catalogs follow the same case rule.</summary>
    [Fact]
    public void EveryPlugInCatalogIsCaseSensitive()
    {
        Assert.True(EncoderCatalog.Contains("resnet18"));
        Assert.False(EncoderCatalog.Contains("ResNet18"));
        Assert.Contains("did you mean \"resnet18\"", Assert.Throws<ArgumentException>(() => EncoderCatalog.Create("ResNet18")).Message);
        Assert.True(MethodCatalog.TryGet("vicreg", out _));
        Assert.False(MethodCatalog.TryGet("VICReg", out _));
        Assert.Contains("did you mean \"image\"", Assert.Throws<ArgumentException>(() => ModalityCatalog.Get("Image")).Message);
        Assert.True(DatasetCatalog.TryGet(DatasetCatalog.Names[0], out _));
        Assert.False(DatasetCatalog.TryGet(DatasetCatalog.Names[0].ToUpperInvariant(), out _));
    }
}
