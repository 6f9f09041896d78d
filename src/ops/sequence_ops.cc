// Recurrent layers (LSTM, GRU, RNN), general contractions (Einsum) and
// Fourier transforms (DFT, STFT).
//
// A recurrent layer runs its gates once per time step: per step, batch row
// and direction, each gate is a matrix product of the input (I) and the
// hidden state (H) with its weights, so
//   MACs = seq x batch x directions x gates x H x (I + H)
// with 4 gates for LSTM (input, output, forget, cell), 3 for GRU (update,
// reset, hidden), 1 for RNN. The weights are counted where they are stored:
// constant W, R, B and P inputs of the node (an exporter may compute them
// from constants upstream, where they are then counted).
#include <algorithm>
#include <cctype>
#include <cmath>
#include <map>

#include "ops/op_helpers.h"
#include "ops/registry_families.h"

namespace reuselens {
namespace {

struct RnnShape {
  int64_t seq, batch, input, hidden, directions;
};

RnnShape rnn_shape(const OpContext& ctx) {
  const auto& x = ops::input_shape(ctx, 0);
  if (x.size() != 3) ops::fail("recurrent input X must be 3-D, got " + shape_to_string(x));
  const bool batch_first = ctx.node.attr_int("layout", 0) == 1;
  const int64_t hidden = ctx.node.attr_int("hidden_size", 0);
  if (hidden <= 0) ops::fail("hidden_size is missing or not positive");
  const int64_t dirs = ctx.node.attr_string("direction", "forward") == "bidirectional" ? 2 : 1;
  return {batch_first ? x[1] : x[0], batch_first ? x[0] : x[1], x[2], hidden, dirs};
}

std::vector<std::vector<int64_t>> rnn_infer(const OpContext& ctx) {
  const RnnShape s = rnn_shape(ctx);
  const bool batch_first = ctx.node.attr_int("layout", 0) == 1;
  std::vector<int64_t> y = batch_first
                               ? std::vector<int64_t>{s.batch, s.seq, s.directions, s.hidden}
                               : std::vector<int64_t>{s.seq, s.directions, s.batch, s.hidden};
  std::vector<int64_t> h = batch_first ? std::vector<int64_t>{s.batch, s.directions, s.hidden}
                                       : std::vector<int64_t>{s.directions, s.batch, s.hidden};
  return {y, h, h};  // Y, Y_h, and Y_c for LSTM (extra outputs are ignored)
}

// Per unit and step, besides the products: bias adds and the gates'
// non-linearities and updates (documented in the formula strings).
std::function<OpCost(const OpContext&)> rnn_cost(int64_t gates, int64_t elementwise_flops) {
  return [gates, elementwise_flops](const OpContext& ctx) {
    const RnnShape s = rnn_shape(ctx);
    const int64_t runs = checked_mul(checked_mul(s.seq, s.batch, "MACs"), s.directions, "MACs");
    OpCost c;
    c.macs = checked_mul(checked_mul(runs, gates * s.hidden, "MACs"), s.input + s.hidden, "MACs");
    c.flops = checked_add(checked_mul(2, c.macs, "FLOPs"),
                          checked_mul(runs, elementwise_flops * s.hidden, "FLOPs"), "FLOPs");
    // Inputs 1 and 2 are W and R, 3 the biases, 7 LSTM's peepholes; constant
    // initial states (5, 6) are not parameters.
    c.kernel_params = ops::sum_params(ctx, {1, 2});
    c.bias_params = ops::sum_params(ctx, {3, 7});
    return c;
  };
}

// Einsum "ij,jk->ik" (or with "..."): every label's extent from the
// operands; a naive evaluation multiplies over every label once per
// operand pair. Ellipsis dims are labels of their own.
std::map<char, int64_t> einsum_extents(const OpContext& ctx, std::vector<std::string>* terms) {
  const std::string eq = ctx.node.attr_string("equation", "");
  if (eq.empty()) ops::fail("Einsum without an equation");
  const std::string lhs = eq.substr(0, eq.find("->"));
  std::vector<std::string> parts;
  for (size_t start = 0;;) {
    const size_t comma = lhs.find(',', start);
    std::string term =
        lhs.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    term.erase(std::remove(term.begin(), term.end(), ' '), term.end());
    parts.push_back(term);
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  std::vector<const std::vector<int64_t>*> operands(ctx.inputs.begin(), ctx.inputs.end());
  operands.insert(operands.end(), ctx.params.begin(), ctx.params.end());
  if (parts.size() != operands.size()) {
    ops::fail("Einsum equation '" + eq + "' has " + std::to_string(parts.size()) +
              " operands, the node " + std::to_string(operands.size()));
  }
  std::map<char, int64_t> extent;
  for (size_t i = 0; i < parts.size(); ++i) {
    const std::vector<int64_t>& shape = *operands[i];
    const std::string& term = parts[i];
    const size_t dots = term.find("...");
    const size_t named = term.size() - (dots == std::string::npos ? 0 : 3);
    for (size_t c = 0; c < term.size(); ++c) {
      // Digits are the ellipsis dims' labels here, so only letters may label.
      if (c == dots)
        c += 2;
      else if (!std::isalpha(static_cast<unsigned char>(term[c]))) {
        ops::fail("Einsum equation '" + eq + "': '" + std::string(1, term[c]) +
                  "' is not a label (letters and one '...' per term)");
      }
    }
    const size_t ellipsis = shape.size() >= named ? shape.size() - named : 0;
    size_t d = 0;
    for (size_t c = 0; c < term.size(); ++c) {
      if (c == dots) {
        for (size_t e = 0; e < ellipsis; ++e) {  // '0' + e stands for ellipsis dim e
          const char label = static_cast<char>('0' + (ellipsis - 1 - e));
          extent[label] = std::max(extent[label], shape.at(d++));
        }
        c += 2;
        continue;
      }
      if (d >= shape.size()) ops::fail("Einsum term '" + term + "' has more labels than dims");
      extent[term[c]] = std::max(extent[term[c]], shape[d++]);
    }
  }
  if (terms) *terms = parts;
  return extent;
}

OpCost einsum_cost(const OpContext& ctx) {
  std::vector<std::string> terms;
  const auto extent = einsum_extents(ctx, &terms);
  int64_t all = 1;
  for (const auto& [label, n] : extent) all = checked_mul(all, n, "MACs");
  OpCost c;
  if (terms.size() >= 2) {
    c.macs = checked_mul(all, static_cast<int64_t>(terms.size()) - 1, "MACs");
    c.flops = checked_mul(2, c.macs, "FLOPs");
  } else {
    c.flops = all;  // a sum or a transpose of one operand
  }
  for (const auto* p : ctx.params)
    c.kernel_params = checked_add(c.kernel_params, element_count(*p), "W");
  return c;
}

std::vector<std::vector<int64_t>> einsum_infer(const OpContext& ctx) {
  const std::string eq = ctx.node.attr_string("equation", "");
  const size_t arrow = eq.find("->");
  if (arrow == std::string::npos) ops::fail("Einsum without an explicit output ('->')");
  const auto extent = einsum_extents(ctx, nullptr);
  std::vector<int64_t> out;
  const std::string rhs = eq.substr(arrow + 2);
  for (size_t c = 0; c < rhs.size(); ++c) {
    if (rhs.compare(c, 3, "...") == 0) {
      for (const auto& [label, n] : extent) {
        if (label >= '0' && label <= '9') out.push_back(n);
      }
      c += 2;
    } else if (rhs[c] != ' ') {
      const auto it = extent.find(rhs[c]);
      if (it == extent.end() || !std::isalpha(static_cast<unsigned char>(rhs[c]))) {
        ops::fail("Einsum equation '" + eq + "': output label '" + std::string(1, rhs[c]) +
                  "' is in no operand");
      }
      out.push_back(it->second);
    }
  }
  return ops::one_shape(std::move(out));
}

// A complex FFT of N points counts 5 N log2 N FLOPs (the conventional
// count for radix-2); a real input halves it. No MACs: not a weight layer.
int64_t fft_flops(int64_t n, bool real) {
  if (n <= 1) return 0;
  const double f =
      5.0 * static_cast<double>(n) * std::log2(static_cast<double>(n)) * (real ? 0.5 : 1);
  return static_cast<int64_t>(std::llround(f));
}

OpCost dft_cost(const OpContext& ctx) {
  const auto& x = ops::input_shape(ctx, 0);
  if (x.size() < 2) ops::fail("DFT input must have a trailing complex dim");
  int64_t axis = ctx.node.attr_int("axis", 1);
  if (axis < 0) axis += static_cast<int64_t>(x.size());
  if (axis < 0 || axis >= static_cast<int64_t>(x.size()) - 1) ops::fail("DFT axis out of range");
  const int64_t n = x[axis];
  const int64_t transforms = n * x.back() == 0 ? 0 : element_count(x) / (n * x.back());
  OpCost c;
  c.flops = checked_mul(transforms, fft_flops(n, x.back() == 1), "FLOPs");
  return c;
}

OpCost stft_cost(const OpContext& ctx) {
  const auto& out = ops::output_shape(ctx, 0);  // [batch, frames, bins, 2]
  if (out.size() != 4) ops::fail("STFT output must be 4-D");
  const int64_t bins = out[2];
  const bool onesided = ctx.node.attr_int("onesided", 1) != 0;
  const int64_t n = onesided ? 2 * (bins - 1) : bins;
  const int64_t frames = checked_mul(out[0], out[1], "frames");
  OpCost c;
  // The window's multiply, then one transform per frame.
  c.flops = checked_mul(frames, checked_add(n, fft_flops(n, true), "FLOPs"), "FLOPs");
  return c;
}

std::vector<std::vector<int64_t>> from_onnx(const OpContext& ctx) {
  ops::fail(ctx.node.op_type + ": output shapes come from ONNX shape inference");
}

}  // namespace

void register_sequence_ops(OpRegistry& r) {
  r.add({.domain = "",
         .op_type = "LSTM",
         .kind = OpKind::kRecurrent,
         .min_inputs = 1,
         .max_inputs = -1,
         .formula = "MACs = seq x batch x directions x 4 gates (input, output, forget, cell) x H "
                    "x (input size + H); FLOPs = 2 x MACs + 17 per unit and step (8 bias adds, "
                    "3 sigmoids, 2 tanh, 4 for the cell and hidden updates); W = constant W, R "
                    "(kernel) and B, P (bias)",
         .infer = rnn_infer,
         .cost = rnn_cost(4, 17)});
  r.add({.domain = "",
         .op_type = "GRU",
         .kind = OpKind::kRecurrent,
         .min_inputs = 1,
         .max_inputs = -1,
         .formula = "MACs = seq x batch x directions x 3 gates (update, reset, hidden) x H x "
                    "(input size + H); FLOPs = 2 x MACs + 14 per unit and step (6 bias adds, 2 "
                    "sigmoids, 1 tanh, 1 reset product, 4 for the interpolation); W as LSTM",
         .infer = rnn_infer,
         .cost = rnn_cost(3, 14)});
  r.add({.domain = "",
         .op_type = "RNN",
         .kind = OpKind::kRecurrent,
         .min_inputs = 1,
         .max_inputs = -1,
         .formula = "MACs = seq x batch x directions x H x (input size + H); FLOPs = 2 x MACs + "
                    "3 per unit and step (2 bias adds, the activation); W as LSTM",
         .infer = rnn_infer,
         .cost = rnn_cost(1, 3)});
  r.add({.domain = "",
         .op_type = "Einsum",
         .kind = OpKind::kFullyConnected,
         .min_inputs = 1,
         .max_inputs = -1,
         .formula = "MACs = product of every label's extent x (operands - 1), the naive "
                    "contraction (ellipsis dims are labels); one operand: FLOPs = its elements; "
                    "constant operands count as weights",
         .infer = einsum_infer,
         .cost = einsum_cost});
  r.add({.domain = "",
         .op_type = "DFT",
         .since_version = 17,
         .kind = OpKind::kActivation,
         .min_inputs = 1,
         .max_inputs = -1,
         .formula = "no MACs; FLOPs = 5 N log2 N per transform of N points (radix-2 FFT), half "
                    "for a real input",
         .infer = from_onnx,
         .cost = dft_cost});
  r.add({.domain = "",
         .op_type = "STFT",
         .since_version = 17,
         .kind = OpKind::kActivation,
         .min_inputs = 1,
         .max_inputs = -1,
         .formula = "no MACs; FLOPs per frame = N (window) + 2.5 N log2 N (a real FFT of N "
                    "points)",
         .infer = from_onnx,
         .cost = stft_cost});
}

}  // namespace reuselens
