#include "frontend/onnx/shape_folding.h"

#include <algorithm>
#include <cstring>
#include <functional>
#include <numeric>
#include <optional>
#include <set>

namespace reuselens::onnx_import {

namespace {

constexpr int64_t kMaxElements = 4096;

struct IntTensor {
  std::vector<int64_t> dims;
  std::vector<int64_t> data;
  int type = onnx::TensorProto_DataType_INT64;  // what the value is in the model
};

int64_t count(const std::vector<int64_t>& dims) {
  int64_t n = 1;
  for (int64_t d : dims) n *= d;
  return n;
}

std::optional<IntTensor> from_proto(const onnx::TensorProto& t) {
  IntTensor r;
  r.dims.assign(t.dims().begin(), t.dims().end());
  r.type = t.data_type();
  const int64_t n = count(r.dims);
  if (n > kMaxElements) return std::nullopt;
  if (t.data_type() == onnx::TensorProto_DataType_INT64) {
    if (t.int64_data_size() == n) {
      r.data.assign(t.int64_data().begin(), t.int64_data().end());
    } else if (static_cast<int64_t>(t.raw_data().size()) == n * 8) {
      r.data.resize(n);
      std::memcpy(r.data.data(), t.raw_data().data(), n * 8);
    } else {
      return std::nullopt;
    }
  } else if (t.data_type() == onnx::TensorProto_DataType_INT32 ||
             t.data_type() == onnx::TensorProto_DataType_BOOL) {
    if (t.int32_data_size() == n) {
      r.data.assign(t.int32_data().begin(), t.int32_data().end());
    } else if (static_cast<int64_t>(t.raw_data().size()) == n * 4) {
      std::vector<int32_t> v(n);
      std::memcpy(v.data(), t.raw_data().data(), n * 4);
      r.data.assign(v.begin(), v.end());
    } else {
      return std::nullopt;
    }
  } else {
    return std::nullopt;
  }
  return r;
}

const onnx::AttributeProto* attr(const onnx::NodeProto& n, const std::string& name) {
  for (const auto& a : n.attribute()) {
    if (a.name() == name) return &a;
  }
  return nullptr;
}

int64_t at(const IntTensor& t, int64_t i) { return t.data.size() == 1 ? t.data[0] : t.data.at(i); }

// Elementwise with scalar or equal-length broadcasting only.
std::optional<IntTensor> binary(const IntTensor& a, const IntTensor& b,
                                const std::function<int64_t(int64_t, int64_t)>& f) {
  const IntTensor& big = a.data.size() >= b.data.size() ? a : b;
  if (a.data.size() != b.data.size() && a.data.size() != 1 && b.data.size() != 1)
    return std::nullopt;
  IntTensor r{big.dims, std::vector<int64_t>(big.data.size())};
  for (size_t i = 0; i < r.data.size(); ++i) r.data[i] = f(at(a, i), at(b, i));
  return r;
}

std::vector<int64_t> ints_input_or_attr(const onnx::NodeProto& n,
                                        const std::map<std::string, IntTensor>& known, int input,
                                        const char* name, bool* ok) {
  if (n.input_size() > input && !n.input(input).empty()) {
    auto it = known.find(n.input(input));
    if (it == known.end()) {
      *ok = false;
      return {};
    }
    return it->second.data;
  }
  if (const auto* a = attr(n, name)) return {a->ints().begin(), a->ints().end()};
  return {};
}

// Row-major strides of `dims`.
std::vector<int64_t> strides_of(const std::vector<int64_t>& dims) {
  std::vector<int64_t> st(dims.size(), 1);
  for (int i = static_cast<int>(dims.size()) - 2; i >= 0; --i) st[i] = st[i + 1] * dims[i + 1];
  return st;
}

// Slice of any rank and steps (PyTorch's pad exports reverse a 2-D pads
// tensor with step -1): starts/ends/axes/steps as inputs (opset >= 10) or
// attributes (before).
std::optional<IntTensor> slice(const onnx::NodeProto& n, const IntTensor& x,
                               const std::map<std::string, IntTensor>& known) {
  bool ok = true;
  const auto starts = ints_input_or_attr(n, known, 1, "starts", &ok);
  const auto ends = ints_input_or_attr(n, known, 2, "ends", &ok);
  auto axes = ints_input_or_attr(n, known, 3, "axes", &ok);
  auto steps = ints_input_or_attr(n, known, 4, "steps", &ok);
  const int64_t rank = static_cast<int64_t>(x.dims.size());
  if (!ok || starts.size() != ends.size() || starts.empty() || rank == 0) return std::nullopt;
  if (axes.empty()) {
    for (size_t i = 0; i < starts.size(); ++i) axes.push_back(static_cast<int64_t>(i));
  }
  if (steps.empty()) steps.assign(starts.size(), 1);
  if (axes.size() != starts.size() || steps.size() != starts.size()) return std::nullopt;
  std::vector<int64_t> lo(rank, 0), step(rank, 1), out_dims = x.dims;
  for (size_t i = 0; i < axes.size(); ++i) {
    int64_t a = axes[i] < 0 ? axes[i] + rank : axes[i];
    if (a < 0 || a >= rank || steps[i] == 0) return std::nullopt;
    const int64_t len = x.dims[a];
    int64_t s = starts[i], e = ends[i];
    if (s < 0) s += len;
    if (e < 0) e += len;
    if (steps[i] > 0) {
      s = std::clamp<int64_t>(s, 0, len);
      e = std::clamp<int64_t>(e, 0, len);
      out_dims[a] = std::max<int64_t>(0, (e - s + steps[i] - 1) / steps[i]);
    } else {
      s = std::clamp<int64_t>(s, -1, len - 1);
      e = std::clamp<int64_t>(e, -1, len - 1);
      out_dims[a] = std::max<int64_t>(0, (s - e + (-steps[i]) - 1) / (-steps[i]));
    }
    lo[a] = s;
    step[a] = steps[i];
  }
  const auto in_strides = strides_of(x.dims), out_strides = strides_of(out_dims);
  IntTensor r{out_dims, std::vector<int64_t>(count(out_dims)), x.type};
  for (int64_t o = 0; o < static_cast<int64_t>(r.data.size()); ++o) {
    int64_t rem = o, src = 0;
    for (int64_t d = 0; d < rank; ++d) {
      const int64_t idx = rem / out_strides[d];
      rem %= out_strides[d];
      src += (lo[d] + idx * step[d]) * in_strides[d];
    }
    r.data[o] = x.data.at(src);
  }
  return r;
}

std::optional<IntTensor> transpose(const onnx::NodeProto& n, const IntTensor& x) {
  const int64_t rank = static_cast<int64_t>(x.dims.size());
  std::vector<int64_t> perm;
  if (const auto* a = attr(n, "perm")) perm.assign(a->ints().begin(), a->ints().end());
  if (perm.empty()) {
    for (int64_t d = rank - 1; d >= 0; --d) perm.push_back(d);
  }
  if (static_cast<int64_t>(perm.size()) != rank) return std::nullopt;
  std::vector<int64_t> out_dims(rank);
  for (int64_t d = 0; d < rank; ++d) {
    if (perm[d] < 0 || perm[d] >= rank) return std::nullopt;
    out_dims[d] = x.dims[perm[d]];
  }
  const auto in_strides = strides_of(x.dims), out_strides = strides_of(out_dims);
  IntTensor r{out_dims, std::vector<int64_t>(x.data.size()), x.type};
  for (int64_t o = 0; o < static_cast<int64_t>(r.data.size()); ++o) {
    int64_t rem = o, src = 0;
    for (int64_t d = 0; d < rank; ++d) {
      src += (rem / out_strides[d]) * in_strides[perm[d]];
      rem %= out_strides[d];
    }
    r.data[o] = x.data.at(src);
  }
  return r;
}

std::optional<IntTensor> evaluate(const onnx::NodeProto& n,
                                  const std::map<std::string, IntTensor>& known,
                                  const std::map<std::string, std::vector<int64_t>>& shapes) {
  const std::string& op = n.op_type();
  std::vector<const IntTensor*> in;
  for (const auto& name : n.input()) {
    if (name.empty()) {
      in.push_back(nullptr);
      continue;
    }
    auto it = known.find(name);
    in.push_back(it == known.end() ? nullptr : &it->second);
  }
  const auto need = [&](size_t k) { return in.size() > k && in[k] != nullptr; };
  if (op == "Shape") {
    // The shape of a folded value is its dims; else what inference gave.
    auto it = shapes.find(n.input(0));
    if (!need(0) && it == shapes.end()) return std::nullopt;
    const std::vector<int64_t>& dims = need(0) ? in[0]->dims : it->second;
    IntTensor r{{static_cast<int64_t>(dims.size())}, dims};
    const int64_t rank = static_cast<int64_t>(r.data.size());
    int64_t start = attr(n, "start") ? attr(n, "start")->i() : 0,
            end = attr(n, "end") ? attr(n, "end")->i() : rank;
    if (start < 0) start += rank;
    if (end < 0) end += rank;
    start = std::clamp<int64_t>(start, 0, rank);
    end = std::clamp<int64_t>(end, start, rank);
    r.data = std::vector<int64_t>(r.data.begin() + start, r.data.begin() + end);
    r.dims = {end - start};
    return r;
  }
  if (op == "Size") {
    auto it = shapes.find(n.input(0));
    if (it != shapes.end()) return IntTensor{{}, {count(it->second)}};
    if (need(0)) return IntTensor{{}, {count(in[0]->dims)}};
    return std::nullopt;
  }
  if (op == "Constant") {
    if (const auto* a = attr(n, "value")) return from_proto(a->t());
    if (const auto* a = attr(n, "value_ints"))
      return IntTensor{{a->ints_size()}, {a->ints().begin(), a->ints().end()}};
    if (const auto* a = attr(n, "value_int")) return IntTensor{{}, {a->i()}};
    return std::nullopt;
  }
  if (op == "ConstantOfShape" && need(0)) {
    int64_t value = 0;
    if (const auto* a = attr(n, "value")) {
      const auto& t = a->t();
      if (t.data_type() == onnx::TensorProto_DataType_INT64) {
        auto v = from_proto(t);
        if (!v || v->data.empty()) return std::nullopt;
        value = v->data[0];
      } else {
        return std::nullopt;  // float fills are not shapes
      }
    }
    const IntTensor& shape = *in[0];
    if (count(shape.data) > kMaxElements) return std::nullopt;
    return IntTensor{shape.data, std::vector<int64_t>(count(shape.data), value)};
  }
  if ((op == "Identity" || op == "Cast") && need(0)) {
    IntTensor r = *in[0];
    if (op == "Cast" && attr(n, "to")) {
      const int64_t to = attr(n, "to")->i();
      if (to != onnx::TensorProto_DataType_INT64 && to != onnx::TensorProto_DataType_INT32 &&
          to != onnx::TensorProto_DataType_BOOL) {
        return std::nullopt;
      }
      r.type = static_cast<int>(to);
      if (to == onnx::TensorProto_DataType_BOOL) {
        for (int64_t& v : r.data) v = v != 0;
      }
    }
    return r;
  }
  if (op == "Not" && need(0)) {
    IntTensor r = *in[0];
    for (int64_t& v : r.data) v = !v;
    return r;
  }
  if ((op == "Add" || op == "Sub" || op == "Mul" || op == "Div" || op == "Equal") && need(0) &&
      need(1)) {
    static const std::map<std::string, std::function<int64_t(int64_t, int64_t)>> fs = {
        {"Add", std::plus<int64_t>()},
        {"Sub", std::minus<int64_t>()},
        {"Mul", std::multiplies<int64_t>()},
        {"Div", [](int64_t a, int64_t b) { return b ? a / b : 0; }},
        {"Equal", [](int64_t a, int64_t b) { return static_cast<int64_t>(a == b); }}};
    auto r = binary(*in[0], *in[1], fs.at(op));
    if (r && op == "Equal") r->type = onnx::TensorProto_DataType_BOOL;
    return r;
  }
  if ((op == "And" || op == "Or") && need(0) && need(1)) {
    return binary(*in[0], *in[1], [&op](int64_t a, int64_t b) {
      return static_cast<int64_t>(op == "And" ? (a && b) : (a || b));
    });
  }
  if (op == "Where" && need(0) && need(1) && need(2)) {
    const size_t len = std::max({in[0]->data.size(), in[1]->data.size(), in[2]->data.size()});
    IntTensor r{{static_cast<int64_t>(len)}, std::vector<int64_t>(len)};
    for (const IntTensor* t : {in[0], in[1], in[2]}) {
      if (t->data.size() != 1 && t->data.size() != len) return std::nullopt;
      if (t->data.size() == len) r.dims = t->dims;
    }
    for (size_t i = 0; i < len; ++i) r.data[i] = at(*in[0], i) ? at(*in[1], i) : at(*in[2], i);
    return r;
  }
  if (op == "Concat" && !in.empty()) {
    IntTensor r{{0}, {}};
    for (const IntTensor* t : in) {
      if (!t || t->dims.size() > 1) return std::nullopt;
      r.data.insert(r.data.end(), t->data.begin(), t->data.end());
    }
    r.dims = {static_cast<int64_t>(r.data.size())};
    return r;
  }
  if (op == "Gather" && need(0) && need(1) && in[0]->dims.size() == 1) {
    IntTensor r{in[1]->dims, {}};
    for (int64_t i : in[1]->data) {
      if (i < 0) i += static_cast<int64_t>(in[0]->data.size());
      if (i < 0 || i >= static_cast<int64_t>(in[0]->data.size())) return std::nullopt;
      r.data.push_back(in[0]->data[i]);
    }
    return r;
  }
  if ((op == "Unsqueeze" || op == "Squeeze") && need(0)) {
    bool ok = true;
    const auto axes = ints_input_or_attr(n, known, 1, "axes", &ok);
    if (!ok) return std::nullopt;
    IntTensor r = *in[0];
    if (op == "Unsqueeze") {
      if (r.dims.empty() && axes.size() == 1)
        r.dims = {1};
      else if (r.dims.size() == 1 && axes.size() == 1 && (axes[0] == 1 || axes[0] == -1))
        r.dims = {r.dims[0], 1};
      else
        return std::nullopt;
    } else {
      if (count(r.dims) == 1)
        r.dims = {};
      else
        r.dims = {count(r.dims)};
    }
    return r;
  }
  if (op == "Slice" && need(0)) return slice(n, *in[0], known);
  if (op == "Transpose" && need(0)) return transpose(n, *in[0]);
  if (op == "Range" && need(0) && need(1) && need(2)) {
    const int64_t start = in[0]->data.at(0), limit = in[1]->data.at(0), delta = in[2]->data.at(0);
    if (delta == 0) return std::nullopt;
    IntTensor r{{0}, {}};
    for (int64_t v = start;
         (delta > 0 ? v < limit : v > limit) && static_cast<int64_t>(r.data.size()) < kMaxElements;
         v += delta) {
      r.data.push_back(v);
    }
    r.dims = {static_cast<int64_t>(r.data.size())};
    return r;
  }
  if (op == "Expand" && need(0) && need(1) && in[0]->dims.size() <= 1) {
    // numpy broadcasting of a scalar or a vector to the shape.
    std::vector<int64_t> dims = in[1]->data;
    if (dims.empty()) dims = in[0]->dims;
    const int64_t n = in[0]->dims.empty() ? 1 : in[0]->dims[0];
    if (dims.empty() || (n != 1 && dims.back() != n && dims.back() != 1)) return std::nullopt;
    if (n != 1 && dims.back() == 1) dims.back() = n;
    if (in[0]->dims.size() > dims.size()) return std::nullopt;
    for (int64_t d : dims) {
      if (d < 0) return std::nullopt;
    }
    if (count(dims) > kMaxElements) return std::nullopt;
    IntTensor r{dims, std::vector<int64_t>(count(dims)), in[0]->type};
    for (size_t i = 0; i < r.data.size(); ++i) r.data[i] = in[0]->data.at(n == 1 ? 0 : i % n);
    return r;
  }
  if (op == "Reshape" && need(0) && need(1)) {
    IntTensor r = *in[0];
    r.dims = in[1]->data;
    int64_t known_product = 1, infer = -1;
    for (size_t i = 0; i < r.dims.size(); ++i) {
      if (r.dims[i] == -1)
        infer = static_cast<int64_t>(i);
      else
        known_product *= r.dims[i] == 0 ? in[0]->dims.at(i) : r.dims[i];
    }
    if (infer >= 0 && known_product > 0)
      r.dims[infer] = static_cast<int64_t>(r.data.size()) / known_product;
    return count(r.dims) == static_cast<int64_t>(r.data.size()) ? std::optional<IntTensor>(r)
                                                                : std::nullopt;
  }
  return std::nullopt;
}

// Split of a vector along its only axis into the node's outputs.
std::optional<std::vector<IntTensor>> evaluate_split(
    const onnx::NodeProto& n, const std::map<std::string, IntTensor>& known) {
  if (n.op_type() != "Split" || n.input_size() < 1) return std::nullopt;
  auto x = known.find(n.input(0));
  if (x == known.end() || x->second.dims.size() != 1) return std::nullopt;
  const int64_t length = x->second.dims[0];
  std::vector<int64_t> sizes;
  if (n.input_size() > 1 && !n.input(1).empty()) {
    auto it = known.find(n.input(1));
    if (it == known.end()) return std::nullopt;
    sizes = it->second.data;
  } else if (const auto* a = attr(n, "split")) {
    sizes.assign(a->ints().begin(), a->ints().end());
  } else {
    const int64_t parts = n.output_size();
    if (parts == 0 || length % parts) return std::nullopt;
    sizes.assign(parts, length / parts);
  }
  if (static_cast<int>(sizes.size()) != n.output_size() ||
      std::accumulate(sizes.begin(), sizes.end(), int64_t{0}) != length) {
    return std::nullopt;
  }
  std::vector<IntTensor> out;
  int64_t start = 0;
  for (int64_t size : sizes) {
    if (size < 0) return std::nullopt;
    IntTensor part{{size}, {}, x->second.type};
    part.data.assign(x->second.data.begin() + start, x->second.data.begin() + start + size);
    out.push_back(std::move(part));
    start += size;
  }
  return out;
}

}  // namespace

namespace {

// The names a node reads, its subgraphs' reads of outer values included.
void reads_of(const onnx::NodeProto& n, std::set<std::string>& out) {
  for (const auto& i : n.input()) out.insert(i);
  for (const auto& a : n.attribute()) {
    if (!a.has_g()) continue;
    for (const auto& sn : a.g().node()) reads_of(sn, out);
    for (const auto& o : a.g().output()) out.insert(o.name());
  }
}

void write_initializer(onnx::GraphProto& g, const std::string& name, const IntTensor& v) {
  auto* t = g.add_initializer();
  t->set_name(name);
  const bool narrow =
      v.type == onnx::TensorProto_DataType_INT32 || v.type == onnx::TensorProto_DataType_BOOL;
  t->set_data_type(narrow ? v.type : onnx::TensorProto_DataType_INT64);
  for (int64_t d : v.dims) t->add_dims(d);
  for (int64_t x : v.data) {
    if (narrow) {
      t->add_int32_data(static_cast<int32_t>(x));
    } else {
      t->add_int64_data(x);
    }
  }
}

// Folds one graph, then its subgraphs with what is known around them.
int fold_graph(onnx::GraphProto& g, std::map<std::string, IntTensor> known,
               const std::map<std::string, std::vector<int64_t>>& shapes) {
  std::set<std::string> initializers;
  for (const auto& init : g.initializer()) {
    initializers.insert(init.name());
    if (auto v = from_proto(init)) known[init.name()] = *v;
  }
  std::set<std::string> folded;
  for (const auto& n : g.node()) {
    if (n.output_size() > 1) {
      if (auto parts = evaluate_split(n, known)) {
        for (int i = 0; i < n.output_size(); ++i) {
          known[n.output(i)] = (*parts)[i];
          folded.insert(n.output(i));
        }
      }
      continue;
    }
    if (n.output_size() != 1 || known.count(n.output(0))) continue;
    if (auto v = evaluate(n, known, shapes)) {
      known[n.output(0)] = *v;
      if (n.op_type() != "Constant") folded.insert(n.output(0));
    }
  }
  // A node is dead once every output is folded.
  const auto all_folded = [&folded](const onnx::NodeProto& n) {
    if (n.output_size() == 0) return false;
    for (const auto& o : n.output()) {
      if (!folded.count(o)) return false;
    }
    return true;
  };
  // Inject folded values that non-folded nodes read, so inference sees them.
  std::set<std::string> reads, needed;
  for (const auto& n : g.node()) {
    if (all_folded(n)) continue;
    reads_of(n, reads);
  }
  for (const auto& o : g.output()) reads.insert(o.name());
  for (const std::string& name : reads) {
    if (folded.count(name) && !initializers.count(name)) needed.insert(name);
  }
  for (const std::string& name : needed) write_initializer(g, name, known[name]);
  int injected = static_cast<int>(needed.size());
  // Producers of injected tensors are now dead; drop them so the graph keeps
  // one definition per name.
  if (!folded.empty()) {
    auto* nodes = g.mutable_node();
    // Every folded node goes: its values that others read are initializers
    // now, and the rest fed only folded nodes. (libonnx cannot always
    // re-infer a folded node's shape: an Expand to a Where-computed shape.)
    nodes->erase(std::remove_if(nodes->begin(), nodes->end(), all_folded), nodes->end());
  }
  for (auto& n : *g.mutable_node()) {
    for (auto& a : *n.mutable_attribute()) {
      if (a.has_g()) injected += fold_graph(*a.mutable_g(), known, shapes);
    }
  }
  return injected;
}

}  // namespace

int fold_shape_subgraphs(onnx::ModelProto& model,
                         const std::map<std::string, std::vector<int64_t>>& shapes) {
  return fold_graph(*model.mutable_graph(), {}, shapes);
}

}  // namespace reuselens::onnx_import
