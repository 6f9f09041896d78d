// Folds small integer subgraphs that compute shapes (Shape, Gather, Concat,
// ConstantOfShape, Where ...) into initializers, so that ONNX's shape
// inference, whose data propagation does not cover them all, can resolve
// the reshapes and expands they feed. Only tensors of at most 4096 integers
// are evaluated; nothing here touches weights.
#pragma once

#include <onnx/onnx_pb.h>

#include <map>
#include <string>
#include <vector>

namespace reuselens::onnx_import {

// `static_shapes` maps tensor names to fully known shapes (from a previous
// shape-inference pass). Returns how many tensors were folded into new
// initializers of `model`.
int fold_shape_subgraphs(onnx::ModelProto& model,
                         const std::map<std::string, std::vector<int64_t>>& static_shapes);

}  // namespace reuselens::onnx_import
