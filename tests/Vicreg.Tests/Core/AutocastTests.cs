using TorchSharp;
using Vicreg.Core;
using static TorchSharp.torch;

namespace Vicreg.Tests.Core;

/// <summary>libtorch's autocast, reached through its mangled C++ entry points, on CPU in bfloat16.</summary>
public class AutocastTests
{
    [Fact]
    public void UnderAutocastConvAndMatmulRunInBf16AndOutsideInFp32()
    {
        using var scope = NewDisposeScope();
        var x = randn(2, 3, 8, 8);
        var w = randn(4, 3, 3, 3);
        var m = randn(5, 6);
        Assert.False(Autocast.IsEnabled(DeviceType.CPU));
        using (new AutocastScope(DeviceType.CPU, ScalarType.BFloat16))
        {
            Assert.True(Autocast.IsEnabled(DeviceType.CPU));
            Assert.Equal(ScalarType.BFloat16, Autocast.GetDtype(DeviceType.CPU));
            Assert.Equal(ScalarType.BFloat16, nn.functional.conv2d(x, w).dtype);
            Assert.Equal(ScalarType.BFloat16, m.matmul(m.t()).dtype);
            Assert.Equal(ScalarType.BFloat16, nn.functional.linear(m, randn(3, 6)).dtype);
            // ops outside autocast's lower-precision list keep their input type
            Assert.Equal(ScalarType.Float32, m.exp().dtype);
        }
        Assert.False(Autocast.IsEnabled(DeviceType.CPU));
        Assert.Equal(ScalarType.Float32, nn.functional.conv2d(x, w).dtype);
        Assert.Equal(ScalarType.Float32, m.matmul(m.t()).dtype);
    }

    [Fact]
    public void ScopesNestRestoreThePreviousStateAndCanDisableInside()
    {
        using var scope = NewDisposeScope();
        var m = randn(4, 4);
        var before = Autocast.GetDtype(DeviceType.CPU);
        using (var outer = new AutocastScope(DeviceType.CPU, ScalarType.BFloat16))
        {
            Assert.Equal(1, outer.Depth);
            using (var inner = new AutocastScope(DeviceType.CPU, ScalarType.BFloat16, enabled: false))
            {
                Assert.Equal(2, inner.Depth);
                Assert.False(Autocast.IsEnabled(DeviceType.CPU));
                Assert.Equal(ScalarType.Float32, m.matmul(m).dtype);
            }
            Assert.True(Autocast.IsEnabled(DeviceType.CPU)); // the outer region's state is back
            Assert.Equal(ScalarType.BFloat16, m.matmul(m).dtype);
            using (var again = new AutocastScope(DeviceType.CPU, ScalarType.Float16))
            {
                Assert.Equal(2, again.Depth);
                Assert.Equal(ScalarType.Float16, Autocast.GetDtype(DeviceType.CPU));
            }
            Assert.Equal(ScalarType.BFloat16, Autocast.GetDtype(DeviceType.CPU));
        }
        Assert.False(Autocast.IsEnabled(DeviceType.CPU));
        Assert.Equal(before, Autocast.GetDtype(DeviceType.CPU));
        // the nesting counter is back at zero: entering again gives depth 1
        using (var fresh = new AutocastScope(DeviceType.CPU)) Assert.Equal(1, fresh.Depth);
    }

    [Fact]
    public void TheStateIsPerThreadAndAScopeMustEndOnItsThread()
    {
        using var outer = new AutocastScope(DeviceType.CPU);
        bool otherThreadSawIt = true;
        AutocastScope? leaked = null;
        var t = new Thread(() =>
        {
            otherThreadSawIt = Autocast.IsEnabled(DeviceType.CPU);
            leaked = new AutocastScope(DeviceType.CPU);
        });
        t.Start();
        t.Join();
        Assert.False(otherThreadSawIt);
        Assert.Throws<InvalidOperationException>(() => leaked!.Dispose());
        Assert.True(Autocast.IsEnabled(DeviceType.CPU));
    }

    [Fact]
    public void OnlyLowPrecisionTypesAreAccepted() =>
        Assert.Throws<ArgumentException>(() => new AutocastScope(DeviceType.CPU, ScalarType.Float32));
}
