#include <algorithm>
#include <map>
#include <sstream>

#include "dataflow/tiles.h"
#include "ir/checked.h"
#include "reuselens/dataflow.h"
#include "reuselens/error.h"

namespace reuselens {

int64_t ConvProblem::macs() const {
  int64_t m = groups;
  for (int64_t d : {k, c, p, q, r, s}) m = checked_mul(m, d, "MACs");
  return m;
}

int64_t ConvProblem::touched_rows() const { return dataflow::touched(0, p, stride_h, pad_h, r, h); }
int64_t ConvProblem::touched_cols() const { return dataflow::touched(0, q, stride_w, pad_w, s, w); }

namespace {

void check(const ConvProblem& x) {
  for (const auto& [name, v] :
       std::vector<std::pair<const char*, int64_t>>{{"p (output maps)", x.k},
                                                    {"q (input maps)", x.c},
                                                    {"groups", x.groups},
                                                    {"n (input height)", x.h},
                                                    {"n (input width)", x.w},
                                                    {"m (output height)", x.p},
                                                    {"m (output width)", x.q},
                                                    {"r (kernel height)", x.r},
                                                    {"r (kernel width)", x.s},
                                                    {"s (stride)", x.stride_h},
                                                    {"s (stride)", x.stride_w}}) {
    if (v <= 0)
      throw_error(ErrorCode::kUsage,
                  std::string(name) + " must be positive, got " + std::to_string(v));
  }
  if (x.pad_h < 0 || x.pad_w < 0) throw_error(ErrorCode::kUsage, "pad must not be negative");
}

}  // namespace

ConvProblem problem_from_loop_nest(const LoopNest& n) {
  if (n.dilation_h != 1 || n.dilation_w != 1) {
    throw_error(ErrorCode::kInvalidModel,
                "dilation " + std::to_string(std::max(n.dilation_h, n.dilation_w)) +
                    ": the dataflow model covers undilated convolutions only");
  }
  ConvProblem x;
  x.k = n.k / n.groups;
  x.c = n.c;
  x.groups = n.groups;
  x.h = n.input_h;
  x.w = n.input_w;
  x.p = n.p;
  x.q = n.q;
  x.r = n.r;
  x.s = n.s;
  x.stride_h = n.stride_h;
  x.stride_w = n.stride_w;
  x.pad_h = n.pad_h;
  x.pad_w = n.pad_w;
  return x;  // checked where it is used (validate_problem)
}

ConvProblem parse_problem(const std::string& spec) {
  std::map<std::string, int64_t> f;
  std::stringstream ss(spec);
  std::string item;
  while (std::getline(ss, item, ',')) {
    const auto eq = item.find('=');
    if (eq == std::string::npos)
      throw_error(ErrorCode::kUsage, "--layer: '" + item + "' is not key=value");
    const std::string key = item.substr(0, eq), value = item.substr(eq + 1);
    static const std::vector<std::string> keys = {"p",   "q",   "n",     "n_h",   "n_w",
                                                  "r",   "r_h", "r_w",   "s",     "s_h",
                                                  "s_w", "pad", "pad_h", "pad_w", "g"};
    if (std::find(keys.begin(), keys.end(), key) == keys.end()) {
      throw_error(ErrorCode::kUsage,
                  "--layer: unknown field '" + key + "' (p, q, n, r, s, pad, g and _h/_w forms)");
    }
    try {
      size_t used = 0;
      f[key] = std::stoll(value, &used);
      if (used != value.size()) throw std::invalid_argument(value);
    } catch (const std::exception&) {
      throw_error(ErrorCode::kUsage,
                  "--layer: field '" + key + "': '" + value + "' is not an integer");
    }
  }
  for (const char* required : {"p", "q", "r"}) {
    if (!f.count(required))
      throw_error(ErrorCode::kUsage, std::string("--layer: field '") + required + "' is missing");
  }
  if (!f.count("n") && !(f.count("n_h") && f.count("n_w"))) {
    throw_error(ErrorCode::kUsage, "--layer: field 'n' (input size) is missing");
  }
  const auto get = [&](const char* k, const char* fallback_key, int64_t fallback) {
    if (f.count(k)) return f[k];
    if (f.count(fallback_key)) return f[fallback_key];
    return fallback;
  };
  ConvProblem x;
  x.k = f["p"];
  x.c = f["q"];
  x.groups = get("g", "g", 1);
  x.h = get("n_h", "n", 0);
  x.w = get("n_w", "n", 0);
  x.r = get("r_h", "r", 0);
  x.s = get("r_w", "r", 0);
  x.stride_h = get("s_h", "s", 1);
  x.stride_w = get("s_w", "s", 1);
  x.pad_h = get("pad_h", "pad", 0);
  x.pad_w = get("pad_w", "pad", 0);
  check(x);
  const int64_t span_h = x.h + 2 * x.pad_h - x.r, span_w = x.w + 2 * x.pad_w - x.s;
  if (span_h < 0 || span_w < 0)
    throw_error(ErrorCode::kUsage, "--layer: the kernel is larger than the padded input");
  x.p = span_h / x.stride_h + 1;
  x.q = span_w / x.stride_w + 1;
  return x;
}

void validate_problem(const ConvProblem& x) { check(x); }

std::string closed_forms_not_applicable(const ConvProblem& x) {
  if (x.stride_h > x.r || x.stride_w > x.s) {
    return "stride " + std::to_string(std::max(x.stride_h, x.stride_w)) + " > kernel " +
           std::to_string(std::min(x.r, x.s)) +
           ": inputs between windows are never read, the slides' closed forms count them";
  }
  if (x.pad_h >= x.r || x.pad_w >= x.s) {
    return "pad " + std::to_string(std::max(x.pad_h, x.pad_w)) + " >= kernel " +
           std::to_string(std::min(x.r, x.s)) +
           ": some windows hold only padding, outside the slides' unpadded model";
  }
  return "";
}

}  // namespace reuselens
