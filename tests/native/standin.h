/* Shared by the host-memory stand-ins of libcudart and libnccl (see cudart_standin.c). */
#ifndef VICREG_STANDIN_H
#define VICREG_STANDIN_H
#include <stddef.h>

/* A collective queued on "stream 0"; it runs (on host memory, over the MPI job that the caller started)
 * only when the stream is synchronised, as a GPU transfer completes only later. */
enum standin_kind { STANDIN_ALLREDUCE, STANDIN_ALLGATHER, STANDIN_BROADCAST };

void standin_log(const char *format, ...);
int standin_current_device(void);
int standin_enqueue(enum standin_kind kind, const void *send, void *recv, size_t count, int nccl_type, int root);
#endif
