#include <algorithm>
#include <stdexcept>

#include "ir/checked.h"
#include "ops/registry_families.h"
#include "reuselens/error.h"
#include "reuselens/ops.h"

namespace reuselens {

int64_t LoopNest::macs() const {
  int64_t m = 1;
  for (int64_t d : {n, k, c, p, q, r, s}) m = checked_mul(m, d, "MACs");
  return m;
}

int64_t LoopNest::weight_elements() const {
  return checked_mul(checked_mul(k, c, "weights"), checked_mul(r, s, "weights"), "weights");
}

int64_t LoopNest::input_elements() const {
  const int64_t channels = checked_mul(c, groups, "input channels");
  return checked_mul(checked_mul(n, channels, "inputs"), checked_mul(input_h, input_w, "inputs"),
                     "inputs");
}

int64_t LoopNest::output_elements() const {
  return checked_mul(checked_mul(n, k, "outputs"), checked_mul(p, q, "outputs"), "outputs");
}

const char* op_kind_name(OpKind kind) {
  switch (kind) {
    case OpKind::kConv:
      return "conv";
    case OpKind::kFullyConnected:
      return "fc";
    case OpKind::kPool:
      return "pool";
    case OpKind::kNormalization:
      return "norm";
    case OpKind::kActivation:
      return "activation";
    case OpKind::kElementwise:
      return "eltwise";
    case OpKind::kDataMovement:
      return "data";
    case OpKind::kSoftmax:
      return "softmax";
    case OpKind::kRecurrent:
      return "rnn";
  }
  return "?";
}

bool is_mac_layer(OpKind kind) { return kind == OpKind::kConv || kind == OpKind::kFullyConnected; }

namespace {
std::string registry_key(const std::string& domain, const std::string& op_type) {
  std::string key;
  key.reserve(domain.size() + op_type.size() + 1);
  key.append(domain).push_back('\0');
  key.append(op_type);
  return key;
}
}  // namespace

void OpRegistry::add(OpSchema schema) {
  by_name_[registry_key(schema.domain, schema.op_type)].push_back(schemas_.size());
  schemas_.push_back(std::move(schema));
}

const OpSchema* OpRegistry::find(const std::string& domain, const std::string& op_type,
                                 int version) const {
  // The key on the stack: domain, a NUL, op_type (the registry's own are short).
  char buffer[128];
  const size_t length = domain.size() + 1 + op_type.size();
  std::string fallback;
  std::string_view key;
  if (length <= sizeof(buffer)) {
    std::copy(domain.begin(), domain.end(), buffer);
    buffer[domain.size()] = '\0';
    std::copy(op_type.begin(), op_type.end(), buffer + domain.size() + 1);
    key = std::string_view(buffer, length);
  } else {
    fallback = registry_key(domain, op_type);
    key = fallback;
  }
  auto it = by_name_.find(key);
  if (it == by_name_.end()) return nullptr;
  const OpSchema* best = nullptr;
  for (size_t i : it->second) {
    const OpSchema& s = schemas_[i];
    if (s.since_version <= version && (!best || s.since_version > best->since_version)) best = &s;
  }
  return best;
}

const OpRegistry& builtin_ops() {
  static const OpRegistry registry = [] {
    OpRegistry r;
    register_conv_ops(r);
    register_pool_ops(r);
    register_norm_ops(r);
    register_math_ops(r);
    register_tensor_ops(r);
    register_onnx_ops(r);
    register_sequence_ops(r);
    register_recent_ops(r);
    register_contrib_ops(r);
    return r;
  }();
  return registry;
}

namespace {

OpContext make_context(const Graph& graph, const Node& node, bool with_outputs) {
  OpContext ctx{node, {}, {}, {}};
  for (int i : node.inputs) ctx.inputs.push_back(&graph.tensor(i).shape);
  for (int w : node.weights) ctx.params.push_back(&graph.tensor(w).shape);
  if (with_outputs) {
    for (int o : node.outputs) ctx.outputs.push_back(&graph.tensor(o).shape);
  }
  return ctx;
}

std::string node_context(const Node& node) {
  std::string where = node.source.empty() ? "" : node.source + ": ";
  return where + "node '" + node.name + "' (" + node.op_type + ")";
}

void check_arity(const OpSchema& schema, const Node& node) {
  const int n = static_cast<int>(node.inputs.size());
  if (n < schema.min_inputs || (schema.max_inputs >= 0 && n > schema.max_inputs)) {
    throw_error(
        ErrorCode::kInvalidModel,
        node_context(node) + ": has " + std::to_string(n) + " inputs; expected " +
            std::to_string(schema.min_inputs) +
            (schema.max_inputs < 0 ? " or more" : " to " + std::to_string(schema.max_inputs)));
  }
}

}  // namespace

std::vector<std::vector<int64_t>> infer_output_shapes(const OpSchema& schema, const Graph& graph,
                                                      const Node& node) {
  check_arity(schema, node);
  try {
    auto shapes = schema.infer(make_context(graph, node, false));
    for (const auto& shape : shapes) element_count(shape);  // rejects <= 0 and overflow
    return shapes;
  } catch (const Error& e) {
    throw e.with_context(node_context(node));
  }
}

OpCost cost_node(const OpSchema& schema, const Graph& graph, const Node& node) {
  try {
    const OpContext ctx = make_context(graph, node, true);
    OpCost cost = schema.cost(ctx);
    // Constant operands an op does not classify itself (a bias added by Add,
    // an embedding table read by Gather, the weight of a MatMul) are
    // parameters: they count as weights, never silently as nothing.
    if (cost.kernel_params + cost.bias_params + cost.affine_params + cost.statistic_params == 0) {
      for (const auto* p : ctx.params)
        cost.kernel_params = checked_add(cost.kernel_params, element_count(*p), "params");
    }
    return cost;
  } catch (const Error& e) {
    throw e.with_context(node_context(node));
  }
}

std::string ops_markdown(const OpRegistry& registry) {
  std::vector<const OpSchema*> sorted;
  for (const OpSchema& s : registry.all()) sorted.push_back(&s);
  std::sort(sorted.begin(), sorted.end(), [](const OpSchema* a, const OpSchema* b) {
    return std::tie(a->domain, a->op_type, a->since_version) <
           std::tie(b->domain, b->op_type, b->since_version);
  });
  std::string out =
      "# Operators reuselens counts\n\n"
      "Generated by `reuselens ops --format markdown` from the cost registry; do not edit by "
      "hand.\n"
      "Conventions (which counts make up Mc, W and A) are in metrics.md.\n\n"
      "| domain | op | since | kind | counted as |\n| --- | --- | --- | --- | --- |\n";
  for (const OpSchema* s : sorted) {
    out += "| " + (s->domain.empty() ? std::string("(canonical)") : s->domain) + " | " +
           s->op_type + " | " + std::to_string(s->since_version) + " | " + op_kind_name(s->kind) +
           " | " + s->formula + " |\n";
  }
  return out;
}

}  // namespace reuselens
