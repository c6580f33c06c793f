/*
 * A stand-in for libcudart.so.13 on a machine without a GPU: the entry points Vicreg's CudaRuntime calls
 * (cudaSetDevice, cudaStreamSynchronize), plus the queue of collectives that the libnccl stand-in fills.
 * "Device memory" is host memory. Queued collectives run at the next synchronisation, through the MPI library
 * the calling process has already loaded (Open MPI's ABI, symbols looked up at run time, no headers needed), so
 * a caller that reads a buffer before synchronising reads stale data, as it would on a GPU.
 * Every call is appended to $VICREG_STANDIN_LOG/rank-<OMPI_COMM_WORLD_RANK>.log, one line per call.
 * Build: gcc -shared -fPIC -Wl,-soname,libcudart.so.13 -o libcudart.so.13 cudart_standin.c -ldl
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "standin.h"

static int current_device = -1;

void standin_log(const char *format, ...)
{
    static FILE *log;
    if (!log) {
        const char *dir = getenv("VICREG_STANDIN_LOG"), *rank = getenv("OMPI_COMM_WORLD_RANK");
        char path[4096];
        snprintf(path, sizeof path, "%s/rank-%s.log", dir ? dir : ".", rank ? rank : "0");
        log = fopen(path, "a");
        if (!log) return;
    }
    va_list args;
    va_start(args, format);
    vfprintf(log, format, args);
    va_end(args);
    fputc('\n', log);
    fflush(log);
}

int standin_current_device(void) { return current_device; }

int cudaSetDevice(int device)
{
    standin_log("cudaSetDevice %d", device);
    current_device = device;
    return 0;
}

/* --- the queue and its execution over MPI --- */

struct op { enum standin_kind kind; const void *send; void *recv; size_t count; int type; int root; };
static struct op queue[1024];
static int queued;

static void *mpi(const char *symbol)
{
    void *p = dlsym(RTLD_DEFAULT, symbol);
    if (!p) { fprintf(stderr, "stand-in: %s not found (is libmpi loaded?)\n", symbol); abort(); }
    return p;
}

/* ncclDataType_t -> (Open MPI datatype symbol, element size) */
static const char *mpi_type(int nccl_type, size_t *size)
{
    switch (nccl_type) {
    case 0: *size = 1; return "ompi_mpi_byte";     /* ncclInt8 */
    case 4: *size = 8; return "ompi_mpi_int64_t";  /* ncclInt64 */
    case 7: *size = 4; return "ompi_mpi_float";    /* ncclFloat32 */
    case 8: *size = 8; return "ompi_mpi_double";   /* ncclFloat64 */
    default: return NULL;
    }
}

int standin_enqueue(enum standin_kind kind, const void *send, void *recv, size_t count, int nccl_type, int root)
{
    size_t size;
    if (!mpi_type(nccl_type, &size) || queued == (int)(sizeof queue / sizeof queue[0])) return 1;
    queue[queued++] = (struct op){ kind, send, recv, count, nccl_type, root };
    return 0;
}

static int run_queue(void)
{
    typedef int (*allreduce_t)(const void *, void *, int, void *, void *, void *);
    typedef int (*allgather_t)(const void *, int, void *, void *, int, void *, void *);
    typedef int (*bcast_t)(void *, int, void *, int, void *);
    void *world = mpi("ompi_mpi_comm_world"), *sum = mpi("ompi_mpi_op_sum");
    int ran = queued;
    for (int i = 0; i < queued; i++) {
        struct op *o = &queue[i];
        size_t size;
        void *type = mpi(mpi_type(o->type, &size));
        int rc;
        switch (o->kind) {
        case STANDIN_ALLREDUCE:
            rc = ((allreduce_t)mpi("MPI_Allreduce"))(o->send == o->recv ? (void *)1 : o->send, o->recv, (int)o->count, type, sum, world);
            break;
        case STANDIN_ALLGATHER:
            rc = ((allgather_t)mpi("MPI_Allgather"))(o->send, (int)o->count, type, o->recv, (int)o->count, type, world);
            break;
        default:
            if (o->send != o->recv) memcpy(o->recv, o->send, o->count * size);
            rc = ((bcast_t)mpi("MPI_Bcast"))(o->recv, (int)o->count, type, o->root, world);
            break;
        }
        if (rc != 0) return rc;
    }
    queued = 0;
    return ran;
}

int cudaStreamSynchronize(void *stream)
{
    int ran = run_queue();
    standin_log("cudaStreamSynchronize stream=%p device=%d ran=%d", stream, current_device, ran);
    return ran < 0 ? 1 : 0;
}

int cudaDeviceSynchronize(void)
{
    int ran = run_queue();
    standin_log("cudaDeviceSynchronize device=%d ran=%d", current_device, ran);
    return ran < 0 ? 1 : 0;
}
