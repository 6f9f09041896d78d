#include <filesystem>
#include <sstream>

#include "frontend/inputs.h"
#include "ir/files.h"
#include "reuselens/error.h"
#include "reuselens/model.h"
#include "reuselens/zoo.h"

namespace reuselens {

namespace {

bool ends_with(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() &&
         s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

bool is_caffe_path(const std::string& spec) {
  return ends_with(spec, ".prototxt") || ends_with(spec, ".pt") || ends_with(spec, ".txt");
}

// The zoo builds a 3xSxS image input named "data"; every input option goes
// through the shared rules, then must leave a square 3-channel image.
Graph load_zoo(const ZooEntry& entry, const LoadOptions& options) {
  frontend::DeclaredInput data{"data", {1, 3, entry.image_size, entry.image_size}, {}};
  frontend::InputResolver resolver(options, "zoo:" + entry.name, {data});
  const std::vector<int64_t> shape = resolver.resolve().front();
  if (shape[1] != 3 || shape[2] != shape[3]) {
    throw_error(ErrorCode::kUsage,
                "zoo:" + entry.name + " takes a 3xSxS image input, not " + shape_to_string(shape));
  }
  return entry.build(shape[0], shape[3]);
}

}  // namespace

std::vector<int64_t> parse_shape(const std::string& text, bool any_rank) {
  std::vector<int64_t> dims;
  std::stringstream ss(text);
  std::string part;
  while (std::getline(ss, part, 'x')) {
    size_t used = 0;
    long long v = 0;
    try {
      v = std::stoll(part, &used);
    } catch (const std::exception&) {
      used = 0;
    }
    if (used == 0 || used != part.size() || v <= 0) {
      std::string message = "shape '";
      message.append(text).append("': '").append(part).append("' is not a positive integer");
      throw_error(ErrorCode::kUsage, message);
    }
    dims.push_back(v);
  }
  if (any_rank ? (dims.empty() || dims.size() > 8) : (dims.size() < 3 || dims.size() > 4)) {
    throw_error(ErrorCode::kUsage, "shape '" + text + "' must be CxHxW or NxCxHxW");
  }
  element_count(dims);
  return dims;
}

std::string canonical_model_spec(const std::string& spec) {
  if (spec.rfind("zoo:", 0) == 0) return "zoo:" + zoo_entry(spec.substr(4)).name;
  if (is_caffe_path(spec) || ends_with(spec, ".onnx") || ends_with(spec, ".json")) return spec;
  std::error_code ec;
  if (std::filesystem::exists(spec, ec)) return spec;
  if (const ZooEntry* e = find_zoo_entry(spec)) return "zoo:" + e->name;
  if (spec.find('/') == std::string::npos && spec.find('.') == std::string::npos) {
    zoo_entry(spec);  // throws kUnknownModel with the nearest names
  }
  throw_error(ErrorCode::kUsage, "'" + spec +
                                     "' is neither zoo:NAME, a .prototxt, an .onnx file nor a "
                                     "zoo network");
}

Graph load_model(const std::string& given_spec, const LoadOptions& options) {
  const std::string spec = canonical_model_spec(given_spec);
  if (spec.rfind("zoo:", 0) == 0) return load_zoo(zoo_entry(spec.substr(4)), options);
  if (is_caffe_path(spec)) return import_caffe_prototxt(read_text_file(spec), spec, options);
  if (ends_with(spec, ".onnx")) return import_onnx(spec, options);
  throw_error(ErrorCode::kUsage, "'" + spec + "': unknown model file type (.prototxt, .onnx)");
}

std::vector<std::string> expand_model_specs(const std::vector<std::string>& specs) {
  std::vector<std::string> out;
  for (const std::string& s : specs) {
    if (s == "zoo:all") {
      for (const ZooEntry& e : zoo()) out.push_back("zoo:" + e.name);
    } else {
      out.push_back(canonical_model_spec(s));
    }
  }
  return out;
}

}  // namespace reuselens
