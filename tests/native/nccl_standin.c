/*
 * A stand-in for libnccl.so.2 on a machine without a GPU: the entry points Vicreg's NcclCollectives calls.
 * Collectives are checked and queued on the libcudart stand-in's stream; they run at its next synchronisation.
 * Every call is logged (see cudart_standin.c), with the device current at the time of the call.
 * Build: gcc -shared -fPIC -o libnccl.so.2 nccl_standin.c -L. -l:libcudart.so.13 -Wl,-rpath,'$ORIGIN'
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "standin.h"

typedef struct { char internal[128]; } ncclUniqueId;
struct comm { int nranks, rank, device; };
typedef struct comm *ncclComm_t;

static void hex(const ncclUniqueId *id, char *out)
{
    for (int i = 0; i < 16; i++) sprintf(out + 2 * i, "%02x", (unsigned char)id->internal[i]);
}

int ncclGetUniqueId(ncclUniqueId *id)
{
    memset(id, 0, sizeof *id);
    snprintf(id->internal, sizeof id->internal, "%08x%08x", (unsigned)getpid(), (unsigned)time(NULL));
    char h[33];
    hex(id, h);
    standin_log("ncclGetUniqueId device=%d id=%s", standin_current_device(), h);
    return 0;
}

int ncclCommInitRank(ncclComm_t *comm, int nranks, ncclUniqueId id, int rank)
{
    char h[33];
    hex(&id, h);
    standin_log("ncclCommInitRank device=%d nranks=%d rank=%d id=%s", standin_current_device(), nranks, rank, h);
    if (standin_current_device() < 0 || id.internal[0] == 0) return 4; /* ncclInvalidArgument */
    struct comm *c = malloc(sizeof *c);
    *c = (struct comm){ nranks, rank, standin_current_device() };
    *comm = c;
    return 0;
}

int ncclAllReduce(const void *send, void *recv, size_t count, int type, int op, ncclComm_t comm, void *stream)
{
    standin_log("ncclAllReduce device=%d send=%p recv=%p count=%zu type=%d op=%d stream=%p", standin_current_device(), send, recv, count, type, op, stream);
    if (!comm || op != 0 || !send || !recv) return 4;
    return standin_enqueue(STANDIN_ALLREDUCE, send, recv, count, type, 0) ? 5 : 0;
}

int ncclAllGather(const void *send, void *recv, size_t count, int type, ncclComm_t comm, void *stream)
{
    standin_log("ncclAllGather device=%d send=%p recv=%p count=%zu type=%d stream=%p", standin_current_device(), send, recv, count, type, stream);
    if (!comm || !send || !recv) return 4;
    return standin_enqueue(STANDIN_ALLGATHER, send, recv, count, type, 0) ? 5 : 0;
}

int ncclBroadcast(const void *send, void *recv, size_t count, int type, int root, ncclComm_t comm, void *stream)
{
    standin_log("ncclBroadcast device=%d send=%p recv=%p count=%zu type=%d root=%d stream=%p", standin_current_device(), send, recv, count, type, root, stream);
    if (!comm || !send || !recv) return 4;
    return standin_enqueue(STANDIN_BROADCAST, send, recv, count, type, root) ? 5 : 0;
}

int ncclCommDestroy(ncclComm_t comm)
{
    standin_log("ncclCommDestroy device=%d", standin_current_device());
    free(comm);
    return 0;
}

const char *ncclGetErrorString(int result)
{
    return result == 4 ? "invalid argument (stand-in)" : result == 5 ? "unsupported type or queue full (stand-in)" : "error (stand-in)";
}
