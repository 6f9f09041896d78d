/* The executor plugin interface: how `reuselens bench` runs a network.
 *
 * A plugin is a shared library that executes a reuselens graph on some
 * runtime (LibTorch in plugins/torch). reuselens loads it with dlopen, so the
 * CLI neither links nor loads a heavy runtime unless `bench` runs, and a
 * plugin built on another machine (against the LibTorch inside a CUDA PyTorch
 * installation) works with a reuselens binary built on Debian.
 *
 * The boundary is plain C: no C++ type crosses it, so the plugin and
 * reuselens may use different C++ standard library ABIs. The graph crosses as
 * program text (docs/bench.md, "Program format").
 */
#ifndef REUSELENS_EXECUTOR_PLUGIN_H_
#define REUSELENS_EXECUTOR_PLUGIN_H_

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define REUSELENS_EXECUTOR_ABI_VERSION 1

typedef struct reuselens_executor reuselens_executor;

typedef struct reuselens_executor_api {
  int abi_version; /* REUSELENS_EXECUTOR_ABI_VERSION */
  /* The runtime and what it can run on, e.g. "LibTorch 1.13.1 (CUDA: no)". */
  const char* (*runtime)(void);
  /* Builds the program for `device` ("cpu", "cuda:0") with random weights
   * and inputs. Returns NULL and writes a one-line reason into `error` when
   * an op is unsupported, a shape disagrees or the device is missing. */
  reuselens_executor* (*create)(const char* program, const char* device, char* error,
                                size_t error_size);
  /* Runs `iterations` inferences and waits for the device to finish them.
   * Returns 0, or non-zero with a reason in `error`. */
  int (*run)(reuselens_executor* executor, int64_t iterations, char* error, size_t error_size);
  /* Runs `iterations` inferences, waiting for the device before and after
   * every node, and writes each node's mean seconds per inference into
   * `node_seconds` (`node_count` entries, the program's node order). */
  int (*profile)(reuselens_executor* executor, int64_t iterations, double* node_seconds,
                 size_t node_count, char* error, size_t error_size);
  /* What runs where, e.g. "NVIDIA H100 80GB HBM3, 4 threads". */
  const char* (*describe)(reuselens_executor* executor);
  void (*destroy)(reuselens_executor* executor);
} reuselens_executor_api;

/* The one symbol a plugin exports. */
const reuselens_executor_api* reuselens_executor_plugin(void);

#ifdef __cplusplus
}
#endif

#endif /* REUSELENS_EXECUTOR_PLUGIN_H_ */
