using System.Diagnostics;
using System.Runtime.InteropServices;
using TorchSharp;
using static TorchSharp.torch;

namespace Vicreg.Core.Distributed;

/// <summary>
/// Collectives for CUDA tensors through libnccl.so.2's C API (a PyTorch install ships it). The communicator is
/// bootstrapped over MPI: rank 0 creates the unique id and <paramref name="bootstrap"/> broadcasts it. Operations
/// are queued on CUDA's legacy default stream (stream 0), the stream libtorch's work runs on unless told
/// otherwise, so they are ordered with the forward and backward around them. Each call then synchronises that
/// stream (cudaStreamSynchronize), so the transfer has finished when it returns: its measured time is the
/// transfer's, and a host read that follows sees the result (no overlap with compute yet). The device is set
/// (cudaSetDevice) before any other CUDA or NCCL call, so each rank creates its context on its own GPU.
/// The call sequence is tested against a host-memory stand-in of libcudart and libnccl under mpirun (no GPU); it
/// has not run on a GPU here.
/// </summary>
public sealed unsafe class NcclCollectives : ICollectives
{
    [StructLayout(LayoutKind.Sequential, Size = 128)]
    private struct UniqueId { private fixed byte bytes[128]; }

    // ncclDataType_t and ncclRedOp_t values from nccl.h.
    private const int NcclInt8 = 0, NcclInt64 = 4, NcclFloat16 = 6, NcclFloat32 = 7, NcclFloat64 = 8, NcclBfloat16 = 9, NcclSum = 0;

    private readonly delegate* unmanaged<UniqueId*, int> getUniqueId;
    private readonly delegate* unmanaged<nint*, int, UniqueId, int, int> commInitRank;
    private readonly delegate* unmanaged<nint, nint, nuint, int, int, nint, nint, int> allReduce;
    private readonly delegate* unmanaged<nint, nint, nuint, int, nint, nint, int> allGather;
    private readonly delegate* unmanaged<nint, nint, nuint, int, int, nint, nint, int> broadcast;
    private readonly delegate* unmanaged<nint, int> commDestroy;
    private readonly delegate* unmanaged<int, nint> getErrorString;
    private readonly ICollectives bootstrap;
    private readonly DeviceType tensorDevice;
    private nint comm;

    /// <param name="bootstrap">The MPI group of the same ranks (for the unique id, barriers and aborts).</param>
    /// <param name="cudaDevice">The GPU this rank drives (usually its local rank).</param>
    /// <param name="hostBuffers">The tensors live in host memory: only for a host-memory stand-in of libnccl and
    /// libcudart (the tests' check of the call sequence on a machine without a GPU).</param>
    public NcclCollectives(ICollectives bootstrap, int cudaDevice, bool hostBuffers = false)
    {
        this.bootstrap = bootstrap;
        // First of all: NCCL binds the communicator to the current device, and any CUDA call before this one would
        // create a context on GPU 0 for every rank.
        CudaRuntime.SetDevice(cudaDevice);
        tensorDevice = hostBuffers ? DeviceType.CPU : DeviceType.CUDA;
        var (nccl, name) = NativeLoader.OpenGlobal("libnccl.so.2",
            "NCCL comes with PyTorch's CUDA wheels (nvidia/nccl/lib) or NVIDIA's packages; put its folder on LD_LIBRARY_PATH",
            "libnccl.so.2", "libnccl.so");
        nint S(string symbol) => NativeLoader.Symbol(nccl, name, symbol);
        getUniqueId = (delegate* unmanaged<UniqueId*, int>)S("ncclGetUniqueId");
        commInitRank = (delegate* unmanaged<nint*, int, UniqueId, int, int>)S("ncclCommInitRank");
        allReduce = (delegate* unmanaged<nint, nint, nuint, int, int, nint, nint, int>)S("ncclAllReduce");
        allGather = (delegate* unmanaged<nint, nint, nuint, int, nint, nint, int>)S("ncclAllGather");
        broadcast = (delegate* unmanaged<nint, nint, nuint, int, int, nint, nint, int>)S("ncclBroadcast");
        commDestroy = (delegate* unmanaged<nint, int>)S("ncclCommDestroy");
        getErrorString = (delegate* unmanaged<int, nint>)S("ncclGetErrorString");

        UniqueId id = default;
        if (bootstrap.Rank == 0) Check(getUniqueId(&id), "ncclGetUniqueId");
        using (var wire = zeros(128, ScalarType.Byte))
        {
            var span = new Span<byte>((void*)TensorMemory.Address(wire), 128);
            if (bootstrap.Rank == 0) new ReadOnlySpan<byte>(&id, 128).CopyTo(span);
            bootstrap.Broadcast(wire, 0);
            span.CopyTo(new Span<byte>(&id, 128));
        }
        nint c = 0;
        Check(commInitRank(&c, bootstrap.World, id, bootstrap.Rank), "ncclCommInitRank");
        comm = c;
        Description = $"NCCL on cuda:{cudaDevice} (bootstrapped over {bootstrap.Description})";
    }

    /// <summary>The MPI group the communicator was bootstrapped over: for host values (flags, fingerprints), which
    /// need no device memory and no synchronisation of the GPU.</summary>
    public ICollectives Bootstrap => bootstrap;

    public int Rank => bootstrap.Rank;
    public int World => bootstrap.World;
    public string Description { get; }
    public CollectiveTraffic Traffic { get; } = new();

    public void AllReduceSum(Tensor tensor)
    {
        Require(tensor);
        var clock = Stopwatch.StartNew();
        Check(allReduce(TensorMemory.Address(tensor), TensorMemory.Address(tensor), (nuint)tensor.numel(), Type(tensor.dtype), NcclSum, comm, 0), "ncclAllReduce");
        CudaRuntime.SynchronizeDefaultStream();
        Traffic.Add(tensor.numel() * tensor.ElementSize, clock.Elapsed.TotalSeconds);
    }

    public Tensor AllGather(Tensor tensor)
    {
        Require(tensor);
        var shape = tensor.shape.ToArray();
        shape[0] *= World;
        var output = empty(shape, tensor.dtype, tensor.device);
        var clock = Stopwatch.StartNew();
        Check(allGather(TensorMemory.Address(tensor), TensorMemory.Address(output), (nuint)tensor.numel(), Type(tensor.dtype), comm, 0), "ncclAllGather");
        CudaRuntime.SynchronizeDefaultStream();
        Traffic.Add(output.numel() * output.ElementSize, clock.Elapsed.TotalSeconds);
        return output;
    }

    public void Broadcast(Tensor tensor, int root = 0)
    {
        Require(tensor);
        var clock = Stopwatch.StartNew();
        Check(broadcast(TensorMemory.Address(tensor), TensorMemory.Address(tensor), (nuint)(tensor.numel() * tensor.ElementSize), NcclInt8, root, comm, 0), "ncclBroadcast");
        CudaRuntime.SynchronizeDefaultStream();
        Traffic.Add(tensor.numel() * tensor.ElementSize, clock.Elapsed.TotalSeconds);
    }

    public void Barrier() => bootstrap.Barrier();

    public void Abort(int exitCode) => bootstrap.Abort(exitCode);

    public void Dispose()
    {
        if (comm == 0) return;
        commDestroy(comm);
        comm = 0;
    }

    private void Require(Tensor t)
    {
        if (t.device_type != tensorDevice) throw new ArgumentException($"NCCL takes CUDA tensors (got {t.device}); CPU tensors go through MPI");
        if (!t.is_contiguous()) throw new ArgumentException("NCCL needs a contiguous tensor");
    }

    private static int Type(ScalarType dtype) => dtype switch
    {
        ScalarType.Float32 => NcclFloat32,
        ScalarType.Float64 => NcclFloat64,
        ScalarType.Float16 => NcclFloat16,
        ScalarType.BFloat16 => NcclBfloat16,
        ScalarType.Int64 => NcclInt64,
        _ => throw new ArgumentException($"NCCL all-reduce of {dtype} is not supported"),
    };

    private void Check(int result, string call)
    {
        if (result != 0)
            throw new InvalidOperationException($"{call} failed: {Marshal.PtrToStringUTF8(getErrorString(result))} (NCCL error {result}); NCCL_DEBUG=INFO says more");
    }
}
