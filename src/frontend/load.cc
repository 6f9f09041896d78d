#include <fstream>
#include <sstream>

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

Graph load_model(const std::string& spec, const LoadOptions& options) {
  if (options.batch < 1) {
    throw_error(ErrorCode::kUsage, "batch " + std::to_string(options.batch) + " is not >= 1");
  }
  if (spec.rfind("zoo:", 0) == 0) {
    const ZooEntry& entry = zoo_entry(spec.substr(4));
    int64_t batch = options.batch;
    int64_t size = entry.image_size;
    if (!options.input_shape.empty()) {
      const auto& s = options.input_shape;
      if (s.size() == 4) batch = s[0];
      if (s[s.size() - 3] != 3 || s[s.size() - 2] != s[s.size() - 1]) {
        throw_error(ErrorCode::kUsage,
                    "zoo networks take a 3xSxS input, not " + shape_to_string(s));
      }
      size = s.back();
    }
    return entry.build(batch, size);
  }
  if (ends_with(spec, ".prototxt") || ends_with(spec, ".pt") || ends_with(spec, ".txt")) {
    return import_caffe_prototxt(read_text_file(spec), spec, options);
  }
  if (ends_with(spec, ".onnx")) return import_onnx(spec, options);
  throw_error(ErrorCode::kUsage,
              "'" + spec + "' is neither zoo:NAME, a .prototxt nor an .onnx file");
}

std::vector<std::string> expand_model_specs(const std::vector<std::string>& specs) {
  std::vector<std::string> out;
  for (const std::string& s : specs) {
    if (s == "zoo:all") {
      for (const ZooEntry& e : zoo()) out.push_back("zoo:" + e.name);
    } else {
      out.push_back(s);
    }
  }
  return out;
}

}  // namespace reuselens
