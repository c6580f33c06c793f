using TorchSharp;

namespace Vicreg.Core;

/// <summary>
/// A region in which libtorch autocasts eligible ops (convolutions, matrix products) to a lower precision,
/// with PyTorch's <c>torch.autocast</c> semantics: on entry it saves the device's enabled flag and dtype,
/// sets its own and increments the nesting depth; on exit it decrements the depth, clears the cast cache
/// when the outermost region ends, and restores what it saved. Regions nest, and an inner region may
/// disable autocast (<c>enabled: false</c>) for code that must run in full precision. Thread-bound, like
/// libtorch's state: dispose it on the thread that created it.
/// </summary>
public sealed class AutocastScope : IDisposable
{
    private readonly DeviceType device;
    private readonly bool previousEnabled;
    private readonly torch.ScalarType previousDtype;
    private readonly int threadId = Environment.CurrentManagedThreadId;
    private bool disposed;

    public AutocastScope(DeviceType device, torch.ScalarType dtype = torch.ScalarType.BFloat16, bool enabled = true)
    {
        if (dtype is not (torch.ScalarType.BFloat16 or torch.ScalarType.Float16))
            throw new ArgumentException($"autocast runs in bfloat16 or float16; got {dtype}", nameof(dtype));
        this.device = device;
        previousEnabled = Autocast.IsEnabled(device);
        previousDtype = Autocast.GetDtype(device);
        Autocast.SetEnabled(device, enabled);
        Autocast.SetDtype(device, dtype);
        Depth = Autocast.IncrementNesting();
    }

    /// <summary>The nesting depth right after entering (1 for an outermost region).</summary>
    public int Depth { get; }

    public void Dispose()
    {
        if (disposed) return;
        if (Environment.CurrentManagedThreadId != threadId)
            throw new InvalidOperationException("an autocast scope must be disposed on the thread that entered it (libtorch's autocast state is thread-local)");
        disposed = true;
        if (Autocast.DecrementNesting() == 0) Autocast.ClearCache();
        Autocast.SetEnabled(device, previousEnabled);
        Autocast.SetDtype(device, previousDtype);
    }
}
