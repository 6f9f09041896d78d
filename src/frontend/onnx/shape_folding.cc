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
};

int64_t count(const std::vector<int64_t>& dims) {
  int64_t n = 1;
  for (int64_t d : dims) n *= d;
  return n;
}

std::optional<IntTensor> from_proto(const onnx::TensorProto& t) {
  IntTensor r;
  r.dims.assign(t.dims().begin(), t.dims().end());
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
  } else if (t.data_type() == onnx::TensorProto_DataType_INT32) {
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
    auto it = shapes.find(n.input(0));
    if (it == shapes.end()) return std::nullopt;
    IntTensor r{{static_cast<int64_t>(it->second.size())}, it->second};
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
    if (op == "Cast" && attr(n, "to") && attr(n, "to")->i() != onnx::TensorProto_DataType_INT64 &&
        attr(n, "to")->i() != onnx::TensorProto_DataType_INT32) {
      return std::nullopt;
    }
    return *in[0];
  }
  if ((op == "Add" || op == "Sub" || op == "Mul" || op == "Div" || op == "Equal") && need(0) &&
      need(1)) {
    static const std::map<std::string, std::function<int64_t(int64_t, int64_t)>> fs = {
        {"Add", std::plus<int64_t>()},
        {"Sub", std::minus<int64_t>()},
        {"Mul", std::multiplies<int64_t>()},
        {"Div", [](int64_t a, int64_t b) { return b ? a / b : 0; }},
        {"Equal", [](int64_t a, int64_t b) { return static_cast<int64_t>(a == b); }}};
    return binary(*in[0], *in[1], fs.at(op));
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
  if (op == "Slice" && need(0) && in[0]->dims.size() == 1 && need(1) && need(2)) {
    const int64_t len = static_cast<int64_t>(in[0]->data.size());
    int64_t start = in[1]->data.at(0), end = in[2]->data.at(0);
    const int64_t step = need(4) ? in[4]->data.at(0) : 1;
    if (step != 1) return std::nullopt;
    if (start < 0) start += len;
    if (end < 0) end += len;
    start = std::clamp<int64_t>(start, 0, len);
    end = std::clamp<int64_t>(end, start, len);
    return IntTensor{{end - start},
                     std::vector<int64_t>(in[0]->data.begin() + start, in[0]->data.begin() + end)};
  }
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

}  // namespace

int fold_shape_subgraphs(onnx::ModelProto& model,
                         const std::map<std::string, std::vector<int64_t>>& shapes) {
  std::map<std::string, IntTensor> known;
  std::set<std::string> initializers;
  for (const auto& init : model.graph().initializer()) {
    initializers.insert(init.name());
    if (auto v = from_proto(init)) known[init.name()] = *v;
  }
  std::set<std::string> folded;
  for (const auto& n : model.graph().node()) {
    if (n.output_size() != 1 || known.count(n.output(0))) continue;
    if (auto v = evaluate(n, known, shapes)) {
      known[n.output(0)] = *v;
      if (n.op_type() != "Constant") folded.insert(n.output(0));
    }
  }
  // Inject folded values that non-folded nodes read, so inference sees them.
  int injected = 0;
  std::set<std::string> needed;
  for (const auto& n : model.graph().node()) {
    if (n.output_size() == 1 && folded.count(n.output(0))) continue;
    for (const auto& i : n.input()) {
      if (folded.count(i) && !initializers.count(i)) needed.insert(i);
    }
  }
  for (const std::string& name : needed) {
    auto* t = model.mutable_graph()->add_initializer();
    t->set_name(name);
    t->set_data_type(onnx::TensorProto_DataType_INT64);
    for (int64_t d : known[name].dims) t->add_dims(d);
    for (int64_t v : known[name].data) t->add_int64_data(v);
    ++injected;
  }
  // Producers of injected tensors are now dead; drop them so the graph keeps
  // one definition per name.
  if (injected) {
    auto* nodes = model.mutable_graph()->mutable_node();
    nodes->erase(std::remove_if(nodes->begin(), nodes->end(),
                                [&](const onnx::NodeProto& n) {
                                  return n.output_size() == 1 && needed.count(n.output(0));
                                }),
                 nodes->end());
  }
  return injected;
}

}  // namespace reuselens::onnx_import
