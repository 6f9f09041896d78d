// One rule for the shapes of model inputs, whatever the frontend: what the
// model declares, then --input, --batch and --dim, each taking effect or
// refused with a reason (docs/cli.md, "Inputs").
//
//  - `--input SHAPE` sets the model's only input (several inputs: name it);
//    one dimension fewer than the input has means "without the batch".
//  - `--input NAME=SHAPE` sets that input; an unknown name lists the inputs.
//  - `--batch N` sets the batch dimension of every input it does not give
//    explicitly: dims named like a batch (batch, batch_size, N, ...) where
//    the model names any, else dim 0 of every input of rank >= 2 or with a
//    symbolic dim 0. A batch in --input that differs from --batch is refused.
//  - `--dim NAME=V` binds a named symbolic dimension wherever it appears.
//  - Batch dims left open are 1 (said in a note); any other open dim is an
//    error listing every open dim of every input and the flags that close it.
#pragma once

#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "reuselens/model.h"

namespace reuselens::frontend {

struct DeclaredInput {
  std::string name;
  // The model's dims: -1 where unknown (symbolic, or 0 in ONNX). Empty: the
  // model states no shape (a Caffe data layer without one).
  std::vector<int64_t> dims;
  std::vector<std::string> dim_names;  // symbolic names, "" where none; empty or dims' length
};

class InputResolver {
 public:
  // `model` names the model in errors.
  InputResolver(const LoadOptions& options, std::string model, std::vector<DeclaredInput> declared);

  // Every input's shape, in declaration order. Throws Error(kUsage) for an
  // option that cannot take effect and Error(kInvalidModel) when dims stay
  // open (one message naming all of them and the flags that close them).
  std::vector<std::vector<int64_t>> resolve();

  // Defaults applied ("input 'x' dim 0 ('batch') = 1: the batch"), for the graph's notes.
  const std::vector<std::string>& notes() const { return notes_; }

 private:
  bool is_batch_dim(const DeclaredInput& in, size_t d) const;
  std::vector<int64_t> apply_user_shape(const DeclaredInput& in, std::vector<int64_t> user);
  std::string input_list() const;

  const LoadOptions& options_;
  std::string model_;
  std::vector<DeclaredInput> declared_;
  bool model_names_batch_ = false;  // some input names a batch-like dim
  std::vector<std::string> notes_;
};

// True for symbolic dim names that stand for the batch: "batch", "batch_size",
// "N", "B", "bs", and names containing "batch" (case-insensitive).
bool is_batch_name(const std::string& name);

// "1x3x224x224"; unknown dims as their name or "?".
std::string declared_shape_text(const DeclaredInput& input);

}  // namespace reuselens::frontend
