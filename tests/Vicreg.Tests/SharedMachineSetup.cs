using System.Runtime.CompilerServices;

namespace Vicreg.Tests;

/// <summary>The test host is an entry point too: OMP_WAIT_POLICY must be in the native environment before
/// any test touches TorchSharp, or libtorch's threads spin and starve the machine's other jobs. The convolution
/// check runs here too, before tests run side by side: it fills fresh CPU memory with NaN while it runs.</summary>
internal static class SharedMachineSetup
{
#pragma warning disable CA2255 // a module initializer is exactly what a test host needs here
    [ModuleInitializer]
    internal static void BeforeAnyTest()
    {
        Vicreg.Core.SharedMachine.Prepare();
        Vicreg.Core.CpuConvolutions.Apply();
    }
#pragma warning restore CA2255
}
