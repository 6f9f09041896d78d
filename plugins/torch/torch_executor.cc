// The LibTorch executor plugin: runs a reuselens program with ATen
// operators, float32, random weights and inputs, inference mode.
//
// Why the graph and not a TorchScript export: the zoo networks exist as
// reuselens graphs (from the Caffe definitions behind the paper), so running
// that very graph measures exactly the network whose Mc, W and A are
// reported, with Caffe's pooling and LRN semantics, and every output shape is
// checked against reuselens's own shape inference before anything is timed.
#include <ATen/ATen.h>
#include <ATen/Parallel.h>
#include <c10/core/InferenceMode.h>
#include <torch/cuda.h>
#include <torch/version.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstring>
#include <fstream>
#include <functional>
#include <memory>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "program_reader.h"
#include "reuselens/executor_plugin.h"

using reuselens_plugin::Program;
using reuselens_plugin::ProgramNode;

struct reuselens_executor {
  Program program;
  at::Device device{at::kCPU};
  std::vector<at::Tensor> values;  // by tensor index; weights stay, activations come and go
  std::vector<size_t> last_use;    // node after which an activation is dropped
  std::vector<at::Tensor (*)(reuselens_executor&, const reuselens_plugin::ProgramNode&)>
      handlers;  // one per node
  std::string description;
};

namespace {

[[noreturn]] void fail_node(const ProgramNode& node, const std::string& why) {
  throw std::runtime_error("node '" + node.name + "' (" + node.op_type + "): " + why);
}

std::string shape_text(at::IntArrayRef shape) {
  std::string s;
  for (size_t i = 0; i < shape.size(); ++i) s += (i ? "x" : "") + std::to_string(shape[i]);
  return s.empty() ? "scalar" : s;
}

std::string cpu_model_name() {
  std::ifstream in("/proc/cpuinfo");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("model name", 0) == 0) {
      const auto colon = line.find(':');
      if (colon != std::string::npos) return line.substr(line.find_first_not_of(' ', colon + 1));
    }
  }
  return "CPU";
}

// Pairs of ONNX-style begin/end pads as one symmetric padding per spatial
// axis, or explicit zero padding in front when they differ.
struct Padding {
  std::vector<int64_t> symmetric;
  std::vector<int64_t> extra;  // constant_pad_nd layout (last axis first), empty when symmetric
};

Padding split_pads(const std::vector<int64_t>& pads, size_t spatial) {
  Padding p;
  p.symmetric.assign(spatial, 0);
  if (pads.empty()) return p;
  if (pads.size() != 2 * spatial) throw std::runtime_error("pads do not match the kernel rank");
  bool asymmetric = false;
  for (size_t i = 0; i < spatial; ++i) asymmetric |= pads[i] != pads[i + spatial];
  if (!asymmetric) {
    for (size_t i = 0; i < spatial; ++i) p.symmetric[i] = pads[i];
    return p;
  }
  for (size_t i = spatial; i-- > 0;) {
    p.extra.push_back(pads[i]);
    p.extra.push_back(pads[i + spatial]);
  }
  return p;
}

std::vector<int64_t> ints_or(const ProgramNode& n, const char* key, size_t count, int64_t fill) {
  std::vector<int64_t> v = n.get_ints(key);
  if (v.empty()) v.assign(count, fill);
  return v;
}

at::Tensor weight(reuselens_executor& e, const ProgramNode& n, size_t i) {
  if (i >= n.weights.size()) fail_node(n, "missing parameter " + std::to_string(i));
  return e.values[n.weights[i]];
}

at::Tensor input(reuselens_executor& e, const ProgramNode& n, size_t i) {
  if (i >= n.inputs.size()) fail_node(n, "missing input " + std::to_string(i));
  const at::Tensor& t = e.values[n.inputs[i]];
  if (!t.defined()) fail_node(n, "input " + std::to_string(i) + " has no value");
  return t;
}

at::Tensor conv(reuselens_executor& e, const ProgramNode& n) {
  at::Tensor x = input(e, n, 0);
  const at::Tensor w = weight(e, n, 0);
  const at::Tensor b = n.weights.size() > 1 ? weight(e, n, 1) : at::Tensor();
  const size_t spatial = static_cast<size_t>(w.dim() - 2);
  const Padding pad = split_pads(n.get_ints("pads"), spatial);
  if (!pad.extra.empty()) x = at::constant_pad_nd(x, pad.extra, 0);
  return at::convolution(x, w, b, ints_or(n, "strides", spatial, 1), pad.symmetric,
                         ints_or(n, "dilations", spatial, 1), false,
                         std::vector<int64_t>(spatial, 0), n.get_int("group", 1));
}

at::Tensor gemm(reuselens_executor& e, const ProgramNode& n) {
  at::Tensor x = input(e, n, 0);
  if (x.dim() > 2) x = x.flatten(1);
  if (n.get_int("transA", 0) != 0) x = x.t();
  at::Tensor w = weight(e, n, 0);
  if (n.get_int("transB", 0) == 0) w = w.t();  // linear() wants (out, in)
  const at::Tensor b = n.weights.size() > 1 ? weight(e, n, 1) : at::Tensor();
  return at::linear(x, w, b);
}

at::Tensor pool(reuselens_executor& e, const ProgramNode& n, bool max) {
  at::Tensor x = input(e, n, 0);
  const std::vector<int64_t> kernel = n.get_ints("kernel_shape");
  if (kernel.size() != 2) fail_node(n, "only 2-D pooling runs");
  const Padding pad = split_pads(n.get_ints("pads"), 2);
  if (!pad.extra.empty()) fail_node(n, "asymmetric pooling pads do not run");
  const bool ceil = n.get_int("ceil_mode", 0) != 0;
  const std::vector<int64_t> strides = ints_or(n, "strides", 2, 1);
  if (max) return at::max_pool2d(x, kernel, strides, pad.symmetric, {1, 1}, ceil);
  // Caffe divides by the window including its padding; ONNX says per attribute.
  const bool include_pad = n.domain == "caffe" || n.get_int("count_include_pad", 1) != 0;
  return at::avg_pool2d(x, kernel, strides, pad.symmetric, ceil, include_pad);
}

// Across-channel LRN: x / (k + alpha / size * sum of squares over the
// channel window) ^ beta, the window summed by a 3-D average pool.
at::Tensor lrn(reuselens_executor& e, const ProgramNode& n) {
  const at::Tensor x = input(e, n, 0);
  const int64_t size = n.get_int("size", 5);
  const double alpha = n.get_float("alpha", 1e-4);
  const double beta = n.get_float("beta", 0.75);
  const double k = n.get_float("bias", 1.0);
  at::Tensor sq = x.mul(x).unsqueeze(1);
  sq = at::constant_pad_nd(sq, {0, 0, 0, 0, size / 2, (size - 1) / 2}, 0);
  sq = at::avg_pool3d(sq, {size, 1, 1}, {1, 1, 1}).squeeze(1);
  return x.div(sq.mul(alpha).add(k).pow(beta));
}

at::Tensor channel_affine(const at::Tensor& x, const at::Tensor& scale, const at::Tensor& shift) {
  std::vector<int64_t> view(static_cast<size_t>(x.dim()), 1);
  view[1] = -1;
  at::Tensor y = x.mul(scale.reshape(view));
  return shift.defined() ? y.add(shift.reshape(view)) : y;
}

at::Tensor binary(reuselens_executor& e, const ProgramNode& n,
                  const std::function<at::Tensor(const at::Tensor&, const at::Tensor&)>& op) {
  std::vector<at::Tensor> operands;
  for (int i : n.inputs) operands.push_back(e.values[i]);
  for (int w : n.weights) operands.push_back(e.values[w]);
  if (operands.size() < 2) fail_node(n, "needs two operands");
  at::Tensor y = op(operands[0], operands[1]);
  for (size_t i = 2; i < operands.size(); ++i) y = op(y, operands[i]);
  return y;
}

// The output shape reuselens inferred: views take it from there.
std::vector<int64_t> recorded_shape(const reuselens_executor& e, const ProgramNode& n) {
  return e.program.tensors[n.outputs.at(0)].shape;
}

// Pad's amounts are an input tensor in ONNX, which reaches the program as a
// shape only: the growth of each axis, split evenly between its two ends.
// Where the split lies does not change the work.
at::Tensor pad(reuselens_executor& e, const ProgramNode& n) {
  const at::Tensor x = input(e, n, 0);
  const std::vector<int64_t> out = recorded_shape(e, n);
  if (static_cast<int64_t>(out.size()) != x.dim()) fail_node(n, "rank changes");
  std::vector<int64_t> pads;  // constant_pad_nd: last axis first
  for (int64_t d = x.dim() - 1; d >= 0; --d) {
    const int64_t grow = out[static_cast<size_t>(d)] - x.size(d);
    pads.push_back(grow / 2);
    pads.push_back(grow - grow / 2);
  }
  return at::constant_pad_nd(x, pads, 0);
}

at::Tensor layer_norm(reuselens_executor& e, const ProgramNode& n) {
  const at::Tensor x = input(e, n, 0);
  int64_t axis = n.get_int("axis", -1);
  if (axis < 0) axis += x.dim();
  const std::vector<int64_t> normalized(x.sizes().begin() + axis, x.sizes().end());
  return at::layer_norm(x, normalized, n.weights.empty() ? at::Tensor() : weight(e, n, 0),
                        n.weights.size() > 1 ? weight(e, n, 1) : at::Tensor(),
                        n.get_float("epsilon", 1e-5));
}

at::Tensor global_average_pool(reuselens_executor& e, const ProgramNode& n) {
  const at::Tensor x = input(e, n, 0);
  std::vector<int64_t> axes;
  for (int64_t d = 2; d < x.dim(); ++d) axes.push_back(d);
  return x.mean(axes, true);
}

at::Tensor transpose(reuselens_executor& e, const ProgramNode& n) {
  std::vector<int64_t> perm = n.get_ints("perm");
  const at::Tensor x = input(e, n, 0);
  if (perm.empty()) {
    for (int64_t d = x.dim() - 1; d >= 0; --d) perm.push_back(d);
  }
  return x.permute(perm);
}

at::Tensor concat(reuselens_executor& e, const ProgramNode& n) {
  std::vector<at::Tensor> xs;
  for (size_t i = 0; i < n.inputs.size(); ++i) xs.push_back(input(e, n, i));
  return at::cat(xs, n.get_int("axis", 1));
}

using NodeFn = at::Tensor (*)(reuselens_executor&, const ProgramNode&);
using NodeRef = const ProgramNode&;
using ExecRef = reuselens_executor&;

// Chosen once per node when the program is built, so an inference does no
// string matching.
NodeFn handler_for(const ProgramNode& node) {
  const std::string& op = node.op_type;
  const bool caffe = node.domain == "caffe";
  if (op == "Conv") return conv;
  if (op == "Gemm") return gemm;
  if (op == "MatMul")
    return [](ExecRef e, NodeRef n) {
      return binary(e, n, [](auto& a, auto& b) { return at::matmul(a, b); });
    };
  if (op == "MaxPool") return [](ExecRef e, NodeRef n) { return pool(e, n, true); };
  if (op == "AveragePool") return [](ExecRef e, NodeRef n) { return pool(e, n, false); };
  if (op == "GlobalAveragePool") return global_average_pool;
  if (op == "LRN") return lrn;
  if (op == "Relu") return [](ExecRef e, NodeRef n) { return at::relu(input(e, n, 0)); };
  if (op == "Sigmoid") return [](ExecRef e, NodeRef n) { return at::sigmoid(input(e, n, 0)); };
  if (op == "Tanh") return [](ExecRef e, NodeRef n) { return at::tanh(input(e, n, 0)); };
  if (op == "Dropout" || op == "Identity")
    return [](ExecRef e, NodeRef n) { return input(e, n, 0); };
  // Clip's bounds are constant inputs the program does not carry; they do
  // not change the work, so ReLU6's are used.
  if (op == "Clip") return [](ExecRef e, NodeRef n) { return at::clamp(input(e, n, 0), 0.0, 6.0); };
  if (op == "Erf") return [](ExecRef e, NodeRef n) { return at::erf(input(e, n, 0)); };
  if (op == "Pad") return pad;
  if (op == "LayerNormalization") return layer_norm;
  if (op == "Transpose") return transpose;
  if (op == "BatchNorm" && caffe) {
    return [](ExecRef e, NodeRef n) {
      return at::batch_norm(input(e, n, 0), {}, {}, weight(e, n, 0), weight(e, n, 1), false, 0,
                            n.get_float("eps", 1e-5), true);
    };
  }
  if (op == "BatchNormalization") {
    return [](ExecRef e, NodeRef n) {
      return at::batch_norm(input(e, n, 0), weight(e, n, 0), weight(e, n, 1), weight(e, n, 2),
                            weight(e, n, 3), false, 0, n.get_float("epsilon", 1e-5), true);
    };
  }
  if (op == "Scale" && caffe) {
    return [](ExecRef e, NodeRef n) {
      return channel_affine(input(e, n, 0), weight(e, n, 0),
                            n.weights.size() > 1 ? weight(e, n, 1) : at::Tensor());
    };
  }
  if (op == "Concat") return concat;
  if (op == "Add" || op == "Sum")
    return [](ExecRef e, NodeRef n) {
      return binary(e, n, [](auto& a, auto& b) { return a.add(b); });
    };
  if (op == "Mul")
    return [](ExecRef e, NodeRef n) {
      return binary(e, n, [](auto& a, auto& b) { return a.mul(b); });
    };
  if (op == "Sub")
    return [](ExecRef e, NodeRef n) {
      return binary(e, n, [](auto& a, auto& b) { return a.sub(b); });
    };
  if (op == "Div")
    return [](ExecRef e, NodeRef n) {
      return binary(e, n, [](auto& a, auto& b) { return a.div(b); });
    };
  if (op == "Softmax")
    return [](ExecRef e, NodeRef n) { return at::softmax(input(e, n, 0), n.get_int("axis", 1)); };
  if (op == "Flatten" || op == "Reshape" || op == "Squeeze" || op == "Unsqueeze")
    return [](ExecRef e, NodeRef n) { return input(e, n, 0).reshape(recorded_shape(e, n)); };
  fail_node(node, "no LibTorch implementation in the bench plugin (docs/bench.md lists the ops)");
}

// Weights scaled by fan-in (He initialisation) keep activations finite:
// NaNs and denormals change how fast some kernels run.
void initialise(reuselens_executor& e) {
  const auto options = at::TensorOptions().dtype(at::kFloat).device(e.device);
  e.values.assign(e.program.tensors.size(), at::Tensor());
  for (const ProgramNode& n : e.program.nodes) {
    for (size_t i = 0; i < n.weights.size(); ++i) {
      const auto& t = e.program.tensors[n.weights[i]];
      at::Tensor& value = e.values[n.weights[i]];
      if (value.defined()) continue;
      const bool kernel = i == 0 && (n.op_type == "Conv" || n.op_type == "Gemm");
      if (kernel) {
        int64_t fan_in = 1;
        for (size_t d = 1; d < t.shape.size(); ++d) fan_in *= t.shape[d];
        if (n.op_type == "Gemm" && n.get_int("transB", 0) == 0) fan_in = t.shape.at(0);
        value = at::randn(t.shape, options).mul(std::sqrt(2.0 / std::max<int64_t>(fan_in, 1)));
      } else if (t.role == "statistic") {
        value = at::ones(t.shape, options);  // running variances must be positive
      } else {
        value = at::randn(t.shape, options).mul(0.1);
      }
    }
  }
  for (int i : e.program.inputs) e.values[i] = at::randn(e.program.tensors[i].shape, options);
  e.handlers.clear();
  for (const ProgramNode& n : e.program.nodes) e.handlers.push_back(handler_for(n));
  // An activation is dropped after its last reader, as an inference runtime would.
  e.last_use.assign(e.program.tensors.size(), 0);
  for (size_t k = 0; k < e.program.nodes.size(); ++k) {
    for (int i : e.program.nodes[k].inputs) e.last_use[i] = k;
  }
  for (int o : e.program.outputs) e.last_use[o] = e.program.nodes.size();
}

bool is_weight(const reuselens_executor& e, int index) {
  return e.program.tensors[index].role != "activation";
}

bool is_input(const reuselens_executor& e, int index) {
  return std::find(e.program.inputs.begin(), e.program.inputs.end(), index) !=
         e.program.inputs.end();
}

void wait_for_device(const reuselens_executor& e) {
  if (e.device.is_cuda()) torch::cuda::synchronize(e.device.index());
}

// One inference; `check` compares every output shape with the program's;
// `node_seconds`, when given, accumulates each node's time, the device
// drained before and after it so the time is the node's alone.
void infer(reuselens_executor& e, bool check, double* node_seconds = nullptr) {
  for (size_t k = 0; k < e.program.nodes.size(); ++k) {
    const ProgramNode& n = e.program.nodes[k];
    std::chrono::steady_clock::time_point start;
    if (node_seconds) {
      wait_for_device(e);
      start = std::chrono::steady_clock::now();
    }
    at::Tensor y = e.handlers[k](e, n);
    if (node_seconds) {
      wait_for_device(e);
      node_seconds[k] +=
          std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    }
    if (n.outputs.empty()) fail_node(n, "no output");
    if (check) {
      const auto& expected = e.program.tensors[n.outputs[0]].shape;
      if (y.sizes().vec() != expected) {
        fail_node(n, "LibTorch computes shape " + shape_text(y.sizes()) + ", reuselens " +
                         shape_text(expected));
      }
    }
    e.values[n.outputs[0]] = std::move(y);
    for (int i : n.inputs) {
      if (e.last_use[i] == k && !is_weight(e, i) && !is_input(e, i)) e.values[i] = at::Tensor();
    }
  }
  // Reading one number of each output back waits for the device to finish.
  for (int o : e.program.outputs) {
    if (e.values[o].defined()) (void)e.values[o].sum().item<float>();
  }
}

void copy_error(const std::string& text, char* error, size_t size) {
  if (error == nullptr || size == 0) return;
  std::snprintf(error, size, "%s", text.c_str());
}

const char* runtime() {
  static const std::string text = std::string("LibTorch ") + TORCH_VERSION +
                                  " (CUDA: " + (torch::cuda::is_available() ? "yes" : "no") + ")";
  return text.c_str();
}

reuselens_executor* create(const char* program, const char* device, char* error, size_t size) {
  try {
    auto e = std::make_unique<reuselens_executor>();
    e->program = reuselens_plugin::read_program(program);
    const std::string dev = device ? device : "cpu";
    e->device = at::Device(dev);  // throws on malformed names
    if (e->device.is_cuda()) {
      if (!torch::cuda::is_available()) {
        throw std::runtime_error("device " + dev + ": this LibTorch has no CUDA (" +
                                 std::string(runtime()) + "); see docs/measurements/README.md");
      }
      if (e->device.index() >= static_cast<int>(torch::cuda::device_count()))
        throw std::runtime_error("device " + dev + ": no such CUDA device");
    } else if (!e->device.is_cpu()) {
      throw std::runtime_error("device " + dev + ": only cpu and cuda:N run");
    } else {
      at::globalContext().setFlushDenormal(true);
    }
    c10::InferenceMode guard;
    initialise(*e);
    infer(*e, true);
    std::ostringstream d;
    if (e->device.is_cpu()) {
      const int threads = at::get_num_threads();
      d << cpu_model_name() << ", " << threads << (threads == 1 ? " thread" : " threads");
    } else {
      // TF32 changes both speed and energy on Ampere and newer: say what ran.
      const auto& ctx = at::globalContext();
      d << dev << ", TF32 convolutions " << (ctx.allowTF32CuDNN() ? "on" : "off")
        << ", TF32 matmuls " << (ctx.allowTF32CuBLAS() ? "on" : "off") << ", cuDNN benchmark "
        << (ctx.benchmarkCuDNN() ? "on" : "off");
    }
    d << ", float32, " << runtime();
    e->description = d.str();
    return e.release();
  } catch (const std::exception& ex) {
    copy_error(ex.what(), error, size);
    return nullptr;
  }
}

int run(reuselens_executor* e, int64_t iterations, char* error, size_t size) {
  try {
    c10::InferenceMode guard;
    for (int64_t i = 0; i < iterations; ++i) infer(*e, false);
    wait_for_device(*e);
    return 0;
  } catch (const std::exception& ex) {
    copy_error(ex.what(), error, size);
    return 1;
  }
}

int profile(reuselens_executor* e, int64_t iterations, double* node_seconds, size_t count,
            char* error, size_t size) {
  try {
    if (count != e->program.nodes.size() || iterations < 1)
      throw std::runtime_error("profile: expected one slot per node and iterations >= 1");
    std::fill(node_seconds, node_seconds + count, 0.0);
    c10::InferenceMode guard;
    for (int64_t i = 0; i < iterations; ++i) infer(*e, false, node_seconds);
    for (size_t k = 0; k < count; ++k) node_seconds[k] /= static_cast<double>(iterations);
    return 0;
  } catch (const std::exception& ex) {
    copy_error(ex.what(), error, size);
    return 1;
  }
}

const char* describe(reuselens_executor* e) { return e->description.c_str(); }

void destroy(reuselens_executor* e) { delete e; }

}  // namespace

extern "C" __attribute__((visibility("default"))) const reuselens_executor_api*
reuselens_executor_plugin(void) {
  static const reuselens_executor_api api{
      REUSELENS_EXECUTOR_ABI_VERSION, runtime, create, run, profile, describe, destroy};
  return &api;
}
