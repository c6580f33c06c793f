using System.Diagnostics;
using TorchSharp;
using static TorchSharp.torch;

namespace Vicreg.Core.Distributed;

/// <summary>
/// Collectives over MPI_COMM_WORLD for CPU tensors, on libmpi's C API directly: the buffers are the tensors' own
/// memory (no copies, no serialisation). One instance per process; MPI is initialised once, on first use.
/// </summary>
public sealed unsafe class MpiCollectives : ICollectives
{
    private static MpiCollectives? instance;
    private readonly OpenMpi mpi;
    private bool finalized;

    private MpiCollectives()
    {
        // Open MPI reads its parameters from the native environment at MPI_Init. Waiting ranks yield the core
        // instead of spinning, which matters when ranks share cores (tests, oversubscribed nodes).
        NativeLoader.DefaultNativeEnvironment("OMPI_MCA_mpi_yield_when_idle", "1");
        mpi = new OpenMpi();
        int initialized = 0, provided = 0;
        OpenMpi.Check(mpi.Initialized(&initialized), "MPI_Initialized");
        if (initialized == 0)
            OpenMpi.Check(mpi.InitThread(null, 0, OpenMpi.ThreadSerialized, &provided), "MPI_Init_thread");
        int rank = 0, size = 0;
        OpenMpi.Check(mpi.CommRank(mpi.CommWorld, &rank), "MPI_Comm_rank");
        OpenMpi.Check(mpi.CommSize(mpi.CommWorld, &size), "MPI_Comm_size");
        Rank = rank;
        World = size;
        Description = $"MPI ({mpi.Version()}), {size} ranks";
    }

    /// <summary>The process's MPI group, initialising MPI on the first call.</summary>
    public static MpiCollectives Join() => instance ??= new MpiCollectives();

    /// <summary>The group when MPI was initialised in this process, else null.</summary>
    public static MpiCollectives? Current => instance;

    public int Rank { get; }
    public int World { get; }
    public string Description { get; }
    public CollectiveTraffic Traffic { get; } = new();

    public void AllReduceSum(Tensor tensor)
    {
        Require(tensor, nameof(AllReduceSum));
        var (type, size) = SumType(tensor.dtype);
        var clock = Stopwatch.StartNew();
        nint data = TensorMemory.Address(tensor);
        long count = tensor.numel();
        for (long done = 0; done < count;)
        {
            int n = (int)Math.Min(count - done, int.MaxValue / 2);
            OpenMpi.Check(mpi.Allreduce(OpenMpi.InPlace, data + (nint)(done * size), n, type, mpi.Sum, mpi.CommWorld), "MPI_Allreduce");
            done += n;
        }
        Traffic.Add(count * size, clock.Elapsed.TotalSeconds);
    }

    public Tensor AllGather(Tensor tensor)
    {
        Require(tensor, nameof(AllGather));
        long count = tensor.numel() * tensor.ElementSize;
        if (count > int.MaxValue) throw new ArgumentException($"an all-gather of {count} bytes per rank is over MPI's int count");
        var shape = tensor.shape.ToArray();
        shape[0] *= World;
        var output = empty(shape, tensor.dtype);
        var clock = Stopwatch.StartNew();
        OpenMpi.Check(mpi.Allgather(TensorMemory.Address(tensor), (int)count, mpi.Byte, TensorMemory.Address(output), (int)count, mpi.Byte, mpi.CommWorld), "MPI_Allgather");
        Traffic.Add(count * World, clock.Elapsed.TotalSeconds);
        return output;
    }

    public void Broadcast(Tensor tensor, int root = 0)
    {
        Require(tensor, nameof(Broadcast));
        long bytes = tensor.numel() * tensor.ElementSize;
        var clock = Stopwatch.StartNew();
        nint data = TensorMemory.Address(tensor);
        for (long done = 0; done < bytes;)
        {
            int n = (int)Math.Min(bytes - done, int.MaxValue / 2);
            OpenMpi.Check(mpi.Bcast(data + (nint)done, n, mpi.Byte, root, mpi.CommWorld), "MPI_Bcast");
            done += n;
        }
        Traffic.Add(bytes, clock.Elapsed.TotalSeconds);
    }

    public void Barrier() => OpenMpi.Check(mpi.BarrierCall(mpi.CommWorld), "MPI_Barrier");

    public void Abort(int exitCode)
    {
        Console.Out.Flush();
        Console.Error.Flush();
        mpi.AbortCall(mpi.CommWorld, exitCode);
        Environment.Exit(exitCode); // not reached: MPI_Abort ends the process
    }

    /// <summary>MPI_Finalize, once; every rank must call it (it waits for the others).</summary>
    public void Dispose()
    {
        if (finalized) return;
        finalized = true;
        int done = 0;
        mpi.Finalized(&done);
        if (done == 0) mpi.Finalize();
    }

    private static void Require(Tensor t, string op)
    {
        if (t.device_type != DeviceType.CPU) throw new ArgumentException($"MPI {op} takes CPU tensors (got {t.device}); CUDA tensors go through NCCL");
        if (!t.is_contiguous()) throw new ArgumentException($"MPI {op} needs a contiguous tensor");
    }

    private (nint Type, long Size) SumType(ScalarType dtype) => dtype switch
    {
        ScalarType.Float32 => (mpi.Float, 4),
        ScalarType.Float64 => (mpi.Double, 8),
        ScalarType.Int64 => (mpi.Int64, 8),
        _ => throw new ArgumentException($"MPI all-reduce of {dtype} is not supported; use float32, float64 or int64"),
    };
}
