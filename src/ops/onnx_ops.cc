// Operators that ONNX models use beyond the Caffe set: matrix products with
// both operands activations (attention), broadcasting arithmetic, more
// activations, reductions, quantized ops and shape manipulation. Their
// output shapes come from ONNX's own shape inference; the builder cannot
// create them (their infer functions say so).
#include "ops/op_helpers.h"
#include "ops/registry_families.h"

namespace reuselens {
namespace {

std::vector<std::vector<int64_t>> from_onnx(const OpContext& ctx) {
  ops::fail(ctx.node.op_type +
            ": output shapes come from ONNX shape inference; the builder cannot create it");
}

int64_t out_elements(const OpContext& ctx) { return ops::output_elements(ctx); }

// FLOPs per element of the first input (reductions read every input once).
OpCost per_input_element(const OpContext& ctx) {
  OpCost c;
  c.flops = element_count(ops::input_shape(ctx, 0));
  return c;
}

OpCost none(const OpContext&) { return {}; }

// The values of constant integer input `slot`, as the ONNX importer puts
// them on the node for shape functions ("reuselens.input<slot>").
std::vector<int64_t> const_input(const OpContext& ctx, int slot, const char* what) {
  const auto* v = ctx.node.attrs.find("reuselens.input" + std::to_string(slot));
  if (!v) ops::fail(ctx.node.op_type + ": " + what + " is not a constant");
  return std::get<IntList>(*v).to_vector();
}

int64_t axis_in(int64_t axis, size_t rank) {
  if (axis < 0) axis += static_cast<int64_t>(rank);
  if (axis < 0 || axis >= static_cast<int64_t>(rank)) ops::fail("axis out of range");
  return axis;
}

// Pad (any opset): pads from input 1, for every axis or those of input 3.
std::vector<std::vector<int64_t>> pad_infer(const OpContext& ctx) {
  std::vector<int64_t> out = ops::input_shape(ctx, 0);
  const std::vector<int64_t> pads = const_input(ctx, 1, "pads");
  std::vector<int64_t> axes;
  if (ctx.node.attrs.find("reuselens.input3")) axes = const_input(ctx, 3, "axes");
  if (axes.empty()) {
    for (size_t a = 0; a < out.size(); ++a) axes.push_back(static_cast<int64_t>(a));
  }
  if (pads.size() != 2 * axes.size()) ops::fail("Pad: pads do not match the axes");
  for (size_t i = 0; i < axes.size(); ++i) {
    out[axis_in(axes[i], out.size())] += pads[i] + pads[i + axes.size()];
  }
  return ops::one_shape(std::move(out));
}

// Reductions: axes as an attribute (opset < 18) or input 1 (18 and later).
std::vector<std::vector<int64_t>> reduce_infer(const OpContext& ctx) {
  std::vector<int64_t> in = ops::input_shape(ctx, 0);
  std::vector<int64_t> axes = ctx.node.attr_ints("axes");
  if (axes.empty() && ctx.node.attrs.find("reuselens.input1")) axes = const_input(ctx, 1, "axes");
  const bool keep = ctx.node.attr_int("keepdims", 1) != 0;
  if (axes.empty()) {
    if (ctx.node.attr_int("noop_with_empty_axes", 0)) return ops::one_shape(in);
    for (size_t a = 0; a < in.size(); ++a) axes.push_back(static_cast<int64_t>(a));
  }
  std::vector<bool> reduced(in.size(), false);
  for (int64_t a : axes) reduced[axis_in(a, in.size())] = true;
  std::vector<int64_t> out;
  for (size_t d = 0; d < in.size(); ++d) {
    if (!reduced[d]) {
      out.push_back(in[d]);
    } else if (keep) {
      out.push_back(1);
    }
  }
  return ops::one_shape(std::move(out));
}

// Split into the node's outputs: sizes from input 1 or the `split`
// attribute, else num_outputs (opset 18: the last part may be smaller).
std::vector<std::vector<int64_t>> split_infer(const OpContext& ctx) {
  const std::vector<int64_t>& in = ops::input_shape(ctx, 0);
  const int64_t axis = axis_in(ctx.node.attr_int("axis", 0), in.size());
  std::vector<int64_t> sizes = ctx.node.attr_ints("split");
  if (sizes.empty() && ctx.node.attrs.find("reuselens.input1"))
    sizes = const_input(ctx, 1, "split");
  if (sizes.empty()) {
    const int64_t parts = ctx.node.attr_int("num_outputs", 0);
    if (parts <= 0) ops::fail("Split: no split sizes and no num_outputs");
    const int64_t chunk = (in[axis] + parts - 1) / parts;
    for (int64_t p = 0, left = in[axis]; p < parts; ++p, left -= chunk) {
      sizes.push_back(std::min(chunk, left));
    }
  }
  std::vector<std::vector<int64_t>> outs;
  for (int64_t s : sizes) {
    std::vector<int64_t> o = in;
    o[axis] = s;
    outs.push_back(o);
  }
  return outs;
}

// MatMul with numpy semantics: MACs = output elements x shared dimension.
// Both operands may be activations (attention) or the second a weight.
int64_t shared_dim(const OpContext& ctx) {
  const auto& a = ops::input_shape(ctx, 0);
  if (a.empty()) ops::fail("MatMul operand is a scalar");
  return a.back();
}

// The product as a fully connected loop nest for the mapper: the output's
// rows (every leading dim) are N, its columns K, the shared dim C; a second
// operand with batch dims of its own (attention's per-head matrices) is one
// group per batch.
std::optional<LoopNest> matmul_nest(const OpContext& ctx, int64_t shared) {
  const std::vector<int64_t>* b = ctx.inputs.size() > 1 ? ctx.inputs[1]
                                  : !ctx.params.empty() ? ctx.params[0]
                                                        : nullptr;
  const auto& out = ops::output_shape(ctx, 0);
  if (!b || b->size() < 2 || out.empty()) return std::nullopt;
  int64_t rows = 1, groups = 1;
  for (size_t i = 0; i + 1 < out.size(); ++i) rows = checked_mul(rows, out[i], "rows");
  for (size_t i = 0; i + 2 < b->size(); ++i) groups = checked_mul(groups, (*b)[i], "batch");
  if (groups < 1 || rows % groups) return std::nullopt;
  LoopNest nest;
  nest.groups = groups;
  nest.n = rows / groups;
  nest.k = checked_mul(out.back(), groups, "columns");
  nest.c = shared;
  return nest;
}

OpCost matmul_cost(const OpContext& ctx) {
  OpCost c;
  const int64_t shared = shared_dim(ctx);
  c.macs = checked_mul(out_elements(ctx), shared, "MACs");
  c.flops = checked_mul(2, c.macs, "FLOPs");
  c.loop_nest = matmul_nest(ctx, shared);
  if (c.loop_nest && c.loop_nest->macs() != c.macs) c.loop_nest.reset();  // broadcast shapes
  return c;
}

// Quantized and transposed convolutions, rank-generic: the weight is the
// parameter of the output's rank; MACs = output (or input, for transposed)
// elements x the weight's elements per output (input) channel.
const std::vector<int64_t>* kernel_param(const OpContext& ctx) {
  const size_t rank = ops::output_shape(ctx, 0).size();
  for (const auto* p : ctx.params) {
    if (p->size() == rank) return p;
  }
  return nullptr;
}

int64_t per_channel(const std::vector<int64_t>& w) {
  int64_t n = 1;
  for (size_t i = 1; i < w.size(); ++i) n = checked_mul(n, w[i], "kernel");
  return n;
}

OpCost qconv_cost(const OpContext& ctx) {
  const auto* w = kernel_param(ctx);
  if (!w) ops::fail("no weight tensor of the output's rank among the constant inputs");
  OpCost c;
  c.macs = checked_mul(out_elements(ctx), per_channel(*w), "MACs");
  c.flops = checked_mul(2, c.macs, "FLOPs");
  c.kernel_params = element_count(*w);
  for (const auto* p : ctx.params) {
    if (p != w && p->size() == 1 && (*p)[0] == w->at(0)) c.bias_params += element_count(*p);
  }
  return c;
}

OpCost conv_transpose_cost(const OpContext& ctx) {
  if (ctx.params.empty()) ops::fail("ConvTranspose without a constant weight");
  const auto& w = *ctx.params[0];  // (C_in, K/group, kh, kw)
  OpCost c;
  c.macs = checked_mul(element_count(ops::input_shape(ctx, 0)), per_channel(w), "MACs");
  c.flops = checked_mul(2, c.macs, "FLOPs");
  c.kernel_params = element_count(w);
  if (ctx.params.size() > 1) c.bias_params = element_count(*ctx.params[1]);
  return c;
}

OpCost instance_norm_cost(const OpContext& ctx) {
  OpCost c;
  c.elementwise_macs = out_elements(ctx);
  c.flops = checked_mul(8, out_elements(ctx), "FLOPs");
  for (const auto* p : ctx.params) c.affine_params += element_count(*p);
  return c;
}

void add_simple(
    OpRegistry& r, const char* op, OpKind kind, const char* formula,
    std::function<OpCost(const OpContext&)> cost, int min_inputs = 1, int max_inputs = -1,
    std::function<std::vector<std::vector<int64_t>>(const OpContext&)> infer = from_onnx) {
  r.add({.domain = "",
         .op_type = op,
         .kind = kind,
         .min_inputs = min_inputs,
         .max_inputs = max_inputs,
         .formula = formula,
         .infer = std::move(infer),
         .cost = std::move(cost)});
}

}  // namespace

void register_onnx_ops(OpRegistry& r) {
  add_simple(
      r, "MatMul", OpKind::kFullyConnected,
      "MACs = output elements x shared dimension (numpy broadcasting; both operands may be "
      "activations, as in attention); FLOPs = 2 x MACs; a constant operand counts as weights",
      matmul_cost, 2, 2);
  add_simple(r, "MatMulInteger", OpKind::kFullyConnected, "as MatMul, on integers", matmul_cost, 2,
             2);
  add_simple(r, "QLinearMatMul", OpKind::kFullyConnected, "as MatMul, on quantized operands",
             matmul_cost, 1, -1);
  add_simple(r, "QLinearConv", OpKind::kConv,
             "MACs = output elements x weight elements per output channel; FLOPs = 2 x MACs",
             qconv_cost);
  add_simple(r, "ConvInteger", OpKind::kConv, "as QLinearConv", qconv_cost);
  add_simple(r, "ConvTranspose", OpKind::kConv,
             "MACs = input elements x weight elements per input channel (K/group x kernel area); "
             "FLOPs = 2 x MACs",
             conv_transpose_cost);
  add_simple(r, "InstanceNormalization", OpKind::kNormalization,
             "paper MACs = 1 per output element (affine); FLOPs = 8 per element; learnable 2C",
             instance_norm_cost);
  for (const char* op : {"QuantizeLinear", "DequantizeLinear", "DynamicQuantizeLinear"}) {
    add_simple(r, op, OpKind::kActivation, "FLOPs = 2 per output element (scale, shift)",
               ops::per_output_element(2), 1, -1, ops::same_as_input);
  }
  struct Unary {
    const char* op;
    int64_t flops;
    const char* formula;
  };
  for (const Unary& u : {Unary{"Clip", 2, "FLOPs = 2 per element (two compares)"},
                         Unary{"LeakyRelu", 2, "FLOPs = 2 per element"},
                         Unary{"PRelu", 2, "FLOPs = 2 per element"},
                         Unary{"Elu", 3, "FLOPs = 3 per element"},
                         Unary{"Selu", 4, "FLOPs = 4 per element"},
                         Unary{"HardSigmoid", 3, "FLOPs = 3 per element (multiply, add, clip)"},
                         Unary{"HardSwish", 4, "FLOPs = 4 per element"},
                         Unary{"Erf", 1, "FLOPs = 1 per element (one transcendental)"},
                         Unary{"Gelu", 8, "FLOPs = 8 per element (the erf form)"},
                         Unary{"Softplus", 3, "FLOPs = 3 per element"},
                         Unary{"Exp", 1, "FLOPs = 1 per element"},
                         Unary{"Log", 1, "FLOPs = 1 per element"},
                         Unary{"Sqrt", 1, "FLOPs = 1 per element"},
                         Unary{"Reciprocal", 1, "FLOPs = 1 per element"},
                         Unary{"Neg", 1, "FLOPs = 1 per element"},
                         Unary{"Abs", 1, "FLOPs = 1 per element"},
                         Unary{"Floor", 1, "FLOPs = 1 per element"},
                         Unary{"Ceil", 1, "FLOPs = 1 per element"},
                         Unary{"Not", 1, "FLOPs = 1 per element"},
                         Unary{"IsNaN", 1, "FLOPs = 1 per element"}}) {
    add_simple(r, u.op, OpKind::kActivation, u.formula, ops::per_output_element(u.flops), 1, -1,
               ops::same_as_input);
  }
  for (const char* op : {"Sub", "Div", "Pow", "Min", "Mean", "Sum", "Equal", "Less", "Greater",
                         "LessOrEqual", "GreaterOrEqual", "And", "Or", "Xor", "Mod", "BitShift"}) {
    add_simple(
        r, op, OpKind::kElementwise,
        "FLOPs = 1 per output element (numpy broadcasting); a constant operand counts as weights",
        ops::per_output_element(1), 1, -1, ops::broadcast_all);
  }
  add_simple(r, "Where", OpKind::kElementwise, "FLOPs = 1 per output element (select)",
             ops::per_output_element(1), 1, -1, ops::broadcast_all);
  add_simple(r, "LogSoftmax", OpKind::kSoftmax, "FLOPs = 6 per element (softmax + log)",
             ops::per_output_element(6));
  for (const char* op :
       {"ReduceMean", "ReduceSum", "ReduceMax", "ReduceMin", "ReduceProd", "ReduceL1", "ReduceL2",
        "ReduceSumSquare", "ReduceLogSum", "ReduceLogSumExp", "ArgMax", "ArgMin"}) {
    add_simple(r, op, OpKind::kPool, "FLOPs = 1 per input element", per_input_element, 1, -1,
               reduce_infer);
  }
  add_simple(r, "Pad", OpKind::kDataMovement, "no FLOPs: moves, copies or reinterprets data", none,
             0, -1, pad_infer);
  add_simple(r, "Split", OpKind::kDataMovement, "no FLOPs: moves, copies or reinterprets data",
             none, 0, -1, split_infer);
  add_simple(r, "Resize", OpKind::kDataMovement,
             "FLOPs = 4 per output element for linear modes (interpolation weights), 0 for nearest",
             [](const OpContext& ctx) {
               OpCost c;
               if (ctx.node.attr_string("mode", "nearest") != "nearest") {
                 c.flops = checked_mul(4, out_elements(ctx), "FLOPs");
               }
               return c;
             });
  for (const char* op :
       {"Slice",     "Gather",   "GatherElements", "GatherND",        "ScatterND",    "Reshape",
        "Transpose", "Squeeze",  "Unsqueeze",      "Expand",          "Shape",        "Size",
        "Cast",      "CastLike", "Tile",           "ConstantOfShape", "Constant",     "Range",
        "NonZero",   "TopK",     "OneHot",         "DepthToSpace",    "SpaceToDepth", "Upsample",
        "Trilu",     "CumSum"}) {
    add_simple(r, op, OpKind::kDataMovement, "no FLOPs: moves, copies or reinterprets data", none,
               0, -1);
  }
  for (const char* op : {"If", "Loop", "Scan"}) {
    add_simple(r, op, OpKind::kDataMovement,
               "no FLOPs itself: the nodes of the branch that runs (If; the costlier when the "
               "condition depends on input values), or of the body times its trip count (Loop) "
               "or sequence length (Scan), are counted as layers of their own",
               none, 0, -1);
  }
}

}  // namespace reuselens
