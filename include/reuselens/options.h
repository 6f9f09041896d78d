// Options as users write them (the CLI's flags, the Python module's keyword
// arguments) turned into LoadOptions and AnalysisOptions: one set of rules
// and messages for every front end (docs/cli.md, "Inputs" and "Flags").
#pragma once

#include <string>
#include <vector>

#include "reuselens/metrics.h"
#include "reuselens/model.h"

namespace reuselens {

// Model inputs in text: SHAPE or NAME=SHAPE, NAME=N dims, NAME=V values,
// N or NODE=N trip counts. Errors: kUsage, naming the flag and the text.
struct InputRequest {
  int64_t batch = 0;  // 0: not given
  std::vector<std::string> inputs, dims, values, trip_counts;
};
LoadOptions load_options_from(const InputRequest& request);

// Data types: dtype for every class, weight/act per class, bits as the old
// spelling. A layer graph counts at the named types (fp32 for a class left
// out) or, with none named, the model's own; a language-model config keeps
// its own type for every class left out.
struct TypeRequest {
  std::string dtype, weight_type, act_type;
  int weight_bits = 0, act_bits = 0;
};
void apply_types(const TypeRequest& request, AnalysisOptions& options);

// A slice of a sweep's items for one job of a batch-system array
// (--shard I/N): item j belongs to slice j mod N. Slices partition the items,
// so running every I from 0 to N - 1 covers the sweep once.
struct Shard {
  int64_t index = 0, count = 1;
  bool owns(int64_t item) const { return item % count == index; }
  bool whole() const { return count == 1; }
};
// "I/N" with 0 <= I < N. Throws Error(kUsage) naming the text.
Shard parse_shard(const std::string& text);

// The items of `items` the shard owns, in order.
template <typename T>
std::vector<T> shard_items(const std::vector<T>& items, const Shard& shard) {
  std::vector<T> out;
  for (size_t j = 0; j < items.size(); ++j) {
    if (shard.owns(static_cast<int64_t>(j))) out.push_back(items[j]);
  }
  return out;
}

}  // namespace reuselens
