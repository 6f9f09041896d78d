#include "reuselens/options.h"

#include "ir/parse.h"
#include "reuselens/dtype.h"
#include "reuselens/error.h"

namespace reuselens {

namespace {

// NAME=VALUE with VALUE >= 1 (--dim, --trip-count).
std::pair<std::string, int64_t> parse_count(const std::string& text, const std::string& flag) {
  const auto eq = text.find('=');
  const std::optional<int64_t> value =
      eq == std::string::npos || eq == 0 ? std::nullopt : parse_integer(text.substr(eq + 1));
  if (!value || *value < 1) {
    throw_error(ErrorCode::kUsage, flag + " '" + text + "': expected NAME=N with N>=1");
  }
  return {text.substr(0, eq), *value};
}

}  // namespace

LoadOptions load_options_from(const InputRequest& r) {
  LoadOptions load;
  if (r.batch < 0)
    throw_error(ErrorCode::kUsage, "batch " + std::to_string(r.batch) + " is not >= 1");
  load.batch = r.batch;
  for (const std::string& input : r.inputs) {
    const auto eq = input.find('=');
    if (eq != std::string::npos) {
      const std::string name = input.substr(0, eq);
      if (load.named_input_shapes.count(name))
        throw_error(ErrorCode::kUsage, "--input " + name + " is given twice");
      load.named_input_shapes[name] = parse_shape(input.substr(eq + 1), /*any_rank=*/true);
      continue;
    }
    if (!load.input_shape.empty())
      throw_error(ErrorCode::kUsage, "--input SHAPE is given twice; name the inputs (NAME=SHAPE)");
    load.input_shape = parse_shape(input, /*any_rank=*/true);
  }
  for (const std::string& dim : r.dims) {
    const auto [name, value] = parse_count(dim, "--dim");
    if (load.dims.count(name)) throw_error(ErrorCode::kUsage, "--dim " + name + " is given twice");
    load.dims[name] = value;
  }
  for (const std::string& v : r.values) {
    const auto eq = v.find('=');
    size_t used = 0;
    double value = 0;
    try {
      value = eq == std::string::npos ? 0 : std::stod(v.substr(eq + 1), &used);
    } catch (const std::exception&) {
      used = 0;
    }
    if (eq == std::string::npos || eq == 0 || used == 0 || used != v.size() - eq - 1) {
      throw_error(ErrorCode::kUsage, "--value '" + v + "': expected NAME=NUMBER");
    }
    load.values[v.substr(0, eq)] = value;
  }
  for (const std::string& t : r.trip_counts) {
    const auto eq = t.find('=');
    if (eq == std::string::npos) {
      load.trip_counts[""] = parse_count("loops=" + t, "--trip-count").second;
    } else {
      load.trip_counts[t.substr(0, eq)] = parse_count(t, "--trip-count").second;
    }
  }
  return load;
}

Shard parse_shard(const std::string& text) {
  const auto slash = text.find('/');
  Shard s;
  size_t used_i = 0, used_n = 0;
  try {
    if (slash != std::string::npos) {
      s.index = std::stoll(text.substr(0, slash), &used_i);
      s.count = std::stoll(text.substr(slash + 1), &used_n);
    }
  } catch (const std::exception&) {
    used_i = used_n = 0;
  }
  if (slash == std::string::npos || used_i != slash || used_n != text.size() - slash - 1 ||
      used_i == 0 || used_n == 0 || s.count < 1 || s.index < 0 || s.index >= s.count) {
    throw_error(ErrorCode::kUsage,
                "--shard '" + text + "': expected I/N with 0 <= I < N (slice I of N)");
  }
  return s;
}

void apply_types(const TypeRequest& p, AnalysisOptions& a) {
  std::string weight = p.dtype, act = p.dtype;
  if (p.weight_bits) weight = number_type_for_bits(p.weight_bits).name;
  if (p.act_bits) act = number_type_for_bits(p.act_bits).name;
  if (!p.weight_type.empty()) weight = p.weight_type;
  if (!p.act_type.empty()) act = p.act_type;
  // A language-model config keeps its own type for a class left out.
  a.llm.weight_type = weight.empty() ? "" : number_type(weight).name;
  a.llm.act_type = act.empty() ? "" : number_type(act).name;
  if (weight.empty() && act.empty()) return;  // the model's types, or fp32
  a.weight_type = number_type(weight.empty() ? "fp32" : weight).name;
  a.act_type = number_type(act.empty() ? "fp32" : act).name;
  a.use_tensor_types = false;
}

}  // namespace reuselens
