#include <filesystem>
#include <sstream>

#include "frontend/inputs.h"
#include "ir/files.h"
#include "ir/parse.h"
#include "reuselens/error.h"
#include "reuselens/llm.h"
#include "reuselens/model.h"
#include "reuselens/zoo.h"

namespace reuselens {

namespace {

bool is_caffe_path(const std::string& spec) {
  return spec.ends_with(".prototxt") || spec.ends_with(".pt") || spec.ends_with(".txt");
}

// The zoo builds a CxSxS image input named "data"; every input option goes
// through the shared rules, then must leave a square image of its channels.
Graph load_zoo(const ZooEntry& entry, const LoadOptions& options) {
  frontend::DeclaredInput data{"data", {1, entry.channels, entry.image_size, entry.image_size}, {}};
  frontend::InputResolver resolver(options, "zoo:" + entry.name, {data});
  const std::vector<int64_t> shape = resolver.resolve().front();
  if (shape[1] != entry.channels || shape[2] != shape[3]) {
    throw_error(ErrorCode::kUsage, "zoo:" + entry.name + " takes a " +
                                       std::to_string(entry.channels) + "xSxS image input, not " +
                                       shape_to_string(shape));
  }
  return entry.build(shape[0], shape[3]);
}

// "zoo:alexnet@3x227x227" or "m.onnx@ids=1x128,mask=1x128": a model with its
// own input shapes, for commands that take several models. The part after
// the last '@' counts only when it reads as shapes.
struct SpecWithInputs {
  std::string model;
  std::string shapes;  // "" when none
};

SpecWithInputs split_inputs(const std::string& spec) {
  const size_t at = spec.rfind('@');
  if (at == std::string::npos || at == 0 || at + 1 == spec.size()) return {spec, ""};
  const std::string tail = spec.substr(at + 1);
  if (tail.find_first_not_of(
          "0123456789x,=_-.:/ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwyz") !=
          std::string::npos ||
      tail.find_first_of("0123456789") == std::string::npos) {
    return {spec, ""};
  }
  return {spec.substr(0, at), tail};
}

// The per-model shapes replace the command's --input for that model.
LoadOptions with_model_inputs(const LoadOptions& options, const std::string& shapes) {
  if (shapes.empty()) return options;
  LoadOptions out = options;
  out.input_shape.clear();
  out.named_input_shapes.clear();
  std::stringstream ss(shapes);
  for (std::string item; std::getline(ss, item, ',');) {
    const auto eq = item.find('=');
    if (eq == std::string::npos) {
      if (!out.input_shape.empty())
        throw_error(ErrorCode::kUsage, "'@" + shapes + "': one unnamed shape at most");
      out.input_shape = parse_shape(item, /*any_rank=*/true);
    } else {
      out.named_input_shapes[item.substr(0, eq)] =
          parse_shape(item.substr(eq + 1), /*any_rank=*/true);
    }
  }
  return out;
}

}  // namespace

std::vector<int64_t> parse_shape(const std::string& text, bool any_rank) {
  std::vector<int64_t> dims;
  std::stringstream ss(text);
  std::string part;
  while (std::getline(ss, part, 'x')) {
    const std::optional<int64_t> v = parse_integer(part);
    if (!v || *v <= 0) {
      std::string message = "shape '";
      message.append(text).append("': '").append(part).append("' is not a positive integer");
      throw_error(ErrorCode::kUsage, message);
    }
    dims.push_back(*v);
  }
  if (any_rank ? (dims.empty() || dims.size() > 8) : (dims.size() < 3 || dims.size() > 4)) {
    throw_error(ErrorCode::kUsage, "shape '" + text + "' must be CxHxW or NxCxHxW");
  }
  element_count(dims);
  return dims;
}

std::string canonical_model_spec(const std::string& given) {
  const SpecWithInputs split = split_inputs(given);
  if (!split.shapes.empty()) return canonical_model_spec(split.model) + "@" + split.shapes;
  const std::string& spec = given;
  if (spec.rfind("zoo:", 0) == 0) {
    if (const LlmZooEntry* e = find_llm_zoo_entry(spec)) return "zoo:" + e->name;
    return "zoo:" + zoo_entry(spec.substr(4)).name;
  }
  if (is_caffe_path(spec) || spec.ends_with(".onnx") || spec.ends_with(".json")) return spec;
  std::error_code ec;
  if (std::filesystem::exists(spec, ec)) return spec;
  if (const ZooEntry* e = find_zoo_entry(spec)) return "zoo:" + e->name;
  if (const LlmZooEntry* e = find_llm_zoo_entry(spec)) return "zoo:" + e->name;
  if (spec.find('/') == std::string::npos && spec.find('.') == std::string::npos) {
    zoo_entry(spec);  // throws kUnknownModel with the nearest names
  }
  throw_error(ErrorCode::kUsage, "'" + spec +
                                     "' is neither zoo:NAME, a .prototxt, an .onnx file, a "
                                     "config.json nor a zoo model");
}

std::string model_display_name(const std::string& spec, const std::string& fallback) {
  const std::string model = split_inputs(spec).model;
  if (model.rfind("zoo:", 0) != 0) return fallback;
  if (const LlmZooEntry* e = find_llm_zoo_entry(model)) return e->display_name;
  const ZooEntry* e = find_zoo_entry(model.substr(4));
  return e ? e->display_name : fallback;
}

Graph load_model(const std::string& given_spec, const LoadOptions& given_options) {
  const SpecWithInputs split = split_inputs(canonical_model_spec(given_spec));
  const std::string& spec = split.model;
  const LoadOptions options = with_model_inputs(given_options, split.shapes);
  if (is_llm_spec(spec)) {
    throw_error(ErrorCode::kUsage,
                spec +
                    " is a language-model config: analyze, compare, rank, roofline and report "
                    "take it; this command needs a layer graph (an ONNX export of the model)");
  }
  if (spec.rfind("zoo:", 0) == 0) return load_zoo(zoo_entry(spec.substr(4)), options);
  if (is_caffe_path(spec)) return import_caffe_prototxt(read_text_file(spec), spec, options);
  if (spec.ends_with(".onnx")) return import_onnx(spec, options);
  throw_error(ErrorCode::kUsage, "'" + spec + "': unknown model file type (.prototxt, .onnx)");
}

std::vector<std::string> expand_model_specs(const std::vector<std::string>& specs) {
  std::vector<std::string> out;
  for (const std::string& s : specs) {
    const std::vector<std::string> collection = zoo_collection(s);
    if (!collection.empty()) {
      out.insert(out.end(), collection.begin(), collection.end());
    } else {
      out.push_back(canonical_model_spec(s));
    }
  }
  return out;
}

}  // namespace reuselens
