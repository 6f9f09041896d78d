// Internal: the components of one LLM step and the parameter count, in
// closed form from the config (docs/llm.md has every formula).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "reuselens/llm.h"

namespace reuselens::llm {

// A weight matrix of a block: `per_layer` copies (experts) of in x out.
struct Matrix {
  std::string name;
  int64_t in = 0, out = 0;
  bool bias = false;
  int64_t per_layer = 1;
  bool quantised = true;  // projections; the MoE router stays unquantised
};

// The block's weight matrices, in execution order.
std::vector<Matrix> block_matrices(const LlmConfig& c);

// Storage widths of one step's data classes.
struct Storage {
  int act_bits = 16, kv_bits = 16;
  int weight_bits = 16;    // projections
  int plain_bits = 16;     // every other parameter
  bool quantised = false;  // weight type narrower than 16 bits
  bool integer = false;    // integer weight type: zero points stored
  int64_t group_size = 0;  // 0: per output channel
  // Bytes of an in x out projection, with its scales and zero points.
  int64_t matrix_bytes(int64_t in, int64_t out, bool quantisable = true) const;
  int64_t plain_bytes(int64_t elements) const;
};

Storage storage_for(const LlmConfig& c, const LlmWorkload& w);

LlmParameters count_parameters(const LlmConfig& c);
int64_t stored_weight_bytes(const LlmConfig& c, const Storage& s);

// The step's components, under the counting convention (Mc's element-wise
// work, W's affine parameters) and with bytes at the storage widths.
std::vector<LlmComponent> step_components(const LlmConfig& c, const LlmWorkload& w,
                                          const Convention& convention, const Storage& s,
                                          double* experts_read);

// Cache entries held per layer group after the step, summed over layers:
// batch x held length x 2 x kv heads x head dim.
int64_t kv_cache_elements(const LlmConfig& c, const LlmWorkload& w);

}  // namespace reuselens::llm
