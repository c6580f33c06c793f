using System.Runtime.InteropServices;

namespace Vicreg.Core.Distributed;

/// <summary>
/// The dozen entry points of libmpi's C API that the collectives use, bound by dlsym. Handles follow Open MPI's
/// ABI, where MPI_Comm, MPI_Datatype and MPI_Op are addresses of exported globals (ompi_mpi_comm_world,
/// ompi_mpi_float, ompi_mpi_op_sum, …) and MPI_IN_PLACE is (void*)1. MPICH-family libraries encode handles as
/// integers instead; they are refused with a clear line rather than called with wrong handles.
/// </summary>
internal sealed unsafe class OpenMpi
{
    public const int ThreadSerialized = 2;
    public static readonly nint InPlace = 1;

    private readonly nint lib;
    public readonly string LibraryName;

    public readonly delegate* unmanaged<int*, nint, int, int*, int> InitThread;
    public readonly delegate* unmanaged<int*, int> Initialized;
    public readonly delegate* unmanaged<int*, int> Finalized;
    public readonly delegate* unmanaged<int> Finalize;
    public readonly delegate* unmanaged<nint, int*, int> CommRank;
    public readonly delegate* unmanaged<nint, int*, int> CommSize;
    public readonly delegate* unmanaged<nint, nint, int, nint, nint, nint, int> Allreduce;
    public readonly delegate* unmanaged<nint, int, nint, nint, int, nint, nint, int> Allgather;
    public readonly delegate* unmanaged<nint, int, nint, int, nint, int> Bcast;
    public readonly delegate* unmanaged<nint, int> BarrierCall;
    public readonly delegate* unmanaged<nint, int, int> AbortCall;
    public readonly delegate* unmanaged<byte*, int*, int> GetLibraryVersion;

    public readonly nint CommWorld, Float, Double, Int64, Byte, Sum;

    public OpenMpi()
    {
        (lib, LibraryName) = NativeLoader.OpenGlobal("libmpi (Open MPI)",
            "install Open MPI (Debian/Ubuntu: apt-get install openmpi-bin libopenmpi-dev) and launch with mpirun",
            "libmpi.so.40", "libmpi.so");
        nint S(string name) => NativeLoader.Symbol(lib, LibraryName, name);
        if (!TryHas("ompi_mpi_comm_world"))
            throw new InvalidOperationException($"{LibraryName} is not Open MPI (no ompi_mpi_comm_world); only Open MPI's ABI is bound");
        InitThread = (delegate* unmanaged<int*, nint, int, int*, int>)S("MPI_Init_thread");
        Initialized = (delegate* unmanaged<int*, int>)S("MPI_Initialized");
        Finalized = (delegate* unmanaged<int*, int>)S("MPI_Finalized");
        Finalize = (delegate* unmanaged<int>)S("MPI_Finalize");
        CommRank = (delegate* unmanaged<nint, int*, int>)S("MPI_Comm_rank");
        CommSize = (delegate* unmanaged<nint, int*, int>)S("MPI_Comm_size");
        Allreduce = (delegate* unmanaged<nint, nint, int, nint, nint, nint, int>)S("MPI_Allreduce");
        Allgather = (delegate* unmanaged<nint, int, nint, nint, int, nint, nint, int>)S("MPI_Allgather");
        Bcast = (delegate* unmanaged<nint, int, nint, int, nint, int>)S("MPI_Bcast");
        BarrierCall = (delegate* unmanaged<nint, int>)S("MPI_Barrier");
        AbortCall = (delegate* unmanaged<nint, int, int>)S("MPI_Abort");
        GetLibraryVersion = (delegate* unmanaged<byte*, int*, int>)S("MPI_Get_library_version");
        CommWorld = S("ompi_mpi_comm_world");
        Float = S("ompi_mpi_float");
        Double = S("ompi_mpi_double");
        Int64 = S("ompi_mpi_int64_t");
        Byte = S("ompi_mpi_byte");
        Sum = S("ompi_mpi_op_sum");
    }

    private bool TryHas(string symbol)
    {
        try { NativeLoader.Symbol(lib, LibraryName, symbol); return true; }
        catch (InvalidOperationException) { return false; }
    }

    /// <summary>The library's own version line, e.g. "Open MPI v4.1.4, …".</summary>
    public string Version()
    {
        var buffer = new byte[8192];
        int length = 0;
        fixed (byte* b = buffer) GetLibraryVersion(b, &length);
        var text = System.Text.Encoding.ASCII.GetString(buffer, 0, Math.Max(0, length));
        int cut = text.IndexOfAny(new[] { ',', '\n' });
        return cut > 0 ? text[..cut] : text.Trim();
    }

    /// <summary>MPI calls return MPI_SUCCESS (0); the default error handler aborts the job before a failure
    /// could return, so this is a second line of defence.</summary>
    public static void Check(int code, string call)
    {
        if (code != 0) throw new InvalidOperationException($"{call} failed with MPI error {code}");
    }
}
