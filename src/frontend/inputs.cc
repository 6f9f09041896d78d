#include "frontend/inputs.h"

#include <algorithm>
#include <cctype>

#include "reuselens/error.h"

namespace reuselens::frontend {

bool is_batch_name(const std::string& name) {
  std::string lower = name;
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return lower == "n" || lower == "b" || lower == "bs" || lower.find("batch") != std::string::npos;
}

std::string declared_shape_text(const DeclaredInput& in) {
  if (in.dims.empty()) return "no shape";
  std::string out;
  for (size_t d = 0; d < in.dims.size(); ++d) {
    if (d) out += 'x';
    const std::string& name = d < in.dim_names.size() ? in.dim_names[d] : std::string();
    out += in.dims[d] >= 0 ? std::to_string(in.dims[d]) : (name.empty() ? "?" : name);
  }
  return out;
}

InputResolver::InputResolver(const LoadOptions& options, std::string model,
                             std::vector<DeclaredInput> declared)
    : options_(options), model_(std::move(model)), declared_(std::move(declared)) {
  for (DeclaredInput& in : declared_) {
    in.dim_names.resize(in.dims.size());
    for (size_t d = 0; d < in.dims.size(); ++d) {
      if (in.dims[d] < 0 && is_batch_name(in.dim_names[d])) model_names_batch_ = true;
    }
  }
}

std::string InputResolver::input_list() const {
  std::string out;
  for (const DeclaredInput& in : declared_) {
    out += (out.empty() ? "" : ", ") + in.name + " " + declared_shape_text(in);
  }
  return out;
}

bool InputResolver::is_batch_dim(const DeclaredInput& in, size_t d) const {
  if (model_names_batch_) return in.dims[d] < 0 && is_batch_name(in.dim_names[d]);
  return d == 0 && (in.dims.size() >= 2 || in.dims[0] < 0);
}

std::vector<int64_t> InputResolver::apply_user_shape(const DeclaredInput& in,
                                                     std::vector<int64_t> user) {
  const std::string flag = "--input " + in.name + "=" + shape_to_string(user);
  const size_t rank = in.dims.size();
  if (rank != 0 && user.size() + 1 == rank && is_batch_dim(in, 0)) {
    // Without the batch: it comes from --batch, the model, or 1.
    const int64_t batch = options_.batch > 0 ? options_.batch : (in.dims[0] > 0 ? in.dims[0] : 1);
    user.insert(user.begin(), batch);
    return user;
  }
  if (rank == 0 && user.size() == 3) {  // a Caffe input without a shape: CxHxW
    user.insert(user.begin(), options_.batch > 0 ? options_.batch : 1);
    return user;
  }
  if (rank != 0 && user.size() != rank) {
    throw_error(ErrorCode::kUsage, flag + ": input '" + in.name + "' of " + model_ + " has " +
                                       std::to_string(rank) + " dimensions (" +
                                       declared_shape_text(in) + "), the shape gives " +
                                       std::to_string(user.size()));
  }
  if (options_.batch > 0 && rank != 0 && is_batch_dim(in, 0) && user[0] != options_.batch) {
    throw_error(ErrorCode::kUsage, flag + " gives batch " + std::to_string(user[0]) +
                                       " and --batch " + std::to_string(options_.batch) +
                                       ": give the batch once");
  }
  return user;
}

std::vector<std::vector<int64_t>> InputResolver::resolve() {
  if (options_.batch < 0) {
    throw_error(ErrorCode::kUsage, "batch " + std::to_string(options_.batch) + " is not >= 1");
  }
  for (const auto& named : options_.named_input_shapes) {
    const std::string& name = named.first;
    const bool found = std::any_of(declared_.begin(), declared_.end(),
                                   [&](const DeclaredInput& in) { return in.name == name; });
    if (!found) {
      throw_error(ErrorCode::kUsage, "--input names '" + name + "', which is not an input of " +
                                         model_ + " (its inputs: " + input_list() + ")");
    }
  }
  if (!options_.input_shape.empty() && declared_.size() != 1) {
    throw_error(ErrorCode::kUsage,
                model_ + " has " + std::to_string(declared_.size()) + " inputs (" + input_list() +
                    "): name the one --input sets, e.g. --input " +
                    (declared_.empty() ? std::string("NAME") : declared_[0].name) + "=SHAPE");
  }
  std::set<std::string> symbolic;
  for (const DeclaredInput& in : declared_) {
    for (size_t d = 0; d < in.dims.size(); ++d) {
      if (in.dims[d] < 0 && !in.dim_names[d].empty()) symbolic.insert(in.dim_names[d]);
    }
  }
  for (const auto& [name, value] : options_.dims) {
    if (!symbolic.count(name)) {
      std::string known;
      for (const std::string& s : symbolic) known += (known.empty() ? "" : ", ") + s;
      throw_error(ErrorCode::kUsage,
                  "--dim " + name + "=" + std::to_string(value) + ": no input of " + model_ +
                      " has a dimension named '" + name +
                      "' (named dims: " + (known.empty() ? "none" : known) + ")");
    }
    if (value < 1) {
      throw_error(ErrorCode::kUsage,
                  "--dim " + name + "=" + std::to_string(value) + ": a dimension must be >= 1");
    }
  }

  std::vector<std::vector<int64_t>> shapes;
  std::string open;
  for (const DeclaredInput& in : declared_) {
    auto named = options_.named_input_shapes.find(in.name);
    if (named != options_.named_input_shapes.end()) {
      shapes.push_back(apply_user_shape(in, named->second));
      continue;
    }
    if (!options_.input_shape.empty()) {
      shapes.push_back(apply_user_shape(in, options_.input_shape));
      continue;
    }
    std::vector<int64_t> dims = in.dims;
    for (size_t d = 0; d < dims.size(); ++d) {
      const std::string& name = in.dim_names[d];
      auto bound = name.empty() ? options_.dims.end() : options_.dims.find(name);
      if (dims[d] < 0 && bound != options_.dims.end()) {
        dims[d] = bound->second;
        continue;
      }
      if (!is_batch_dim(in, d)) continue;
      if (options_.batch > 0) {
        dims[d] = options_.batch;
      } else if (dims[d] < 0) {
        dims[d] = 1;
        notes_.push_back("input '" + in.name + "' dim " + std::to_string(d) +
                         (name.empty() ? "" : " ('" + name + "')") +
                         " = 1: the batch, not given (--batch)");
      }
    }
    for (size_t d = 0; d < dims.size(); ++d) {
      if (dims[d] >= 0) continue;
      const std::string& name = in.dim_names[d];
      open += (open.empty() ? "" : "; ") + in.name + " dim " + std::to_string(d) +
              (name.empty() ? "" : " ('" + name + "'): --dim " + name + "=N or");
      open += " --input " + in.name + "=" + declared_shape_text(in);
    }
    shapes.push_back(std::move(dims));
  }
  if (!open.empty()) {
    throw_error(ErrorCode::kInvalidModel,
                model_ + ": input dimensions are open, give them: " + open);
  }
  for (size_t i = 0; i < shapes.size(); ++i) {
    for (int64_t d : shapes[i]) {
      if (d <= 0) {
        throw_error(ErrorCode::kInvalidModel, model_ + ": input '" + declared_[i].name +
                                                  "' has dimension " + std::to_string(d) +
                                                  ", not positive");
      }
    }
    try {
      element_count(shapes[i]);
    } catch (const Error& e) {
      throw e.with_context(model_ + ": input '" + declared_[i].name + "'");
    }
  }
  return shapes;
}

}  // namespace reuselens::frontend
