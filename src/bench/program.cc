#include "bench/program.h"

#include <fmt/format.h>

#include <variant>

namespace reuselens {

namespace {

const char* role_name(TensorRole role) {
  switch (role) {
    case TensorRole::kActivation:
      return "activation";
    case TensorRole::kWeight:
      return "weight";
    case TensorRole::kStatistic:
      return "statistic";
    case TensorRole::kBound:
      return "bound";  // executors fill it like a stored constant
  }
  return "activation";
}

void write_indices(std::string& out, std::span<const int> indices) {
  out += fmt::format(" {}", indices.size());
  for (int i : indices) out += fmt::format(" {}", i);
}

void write_attribute(std::string& out, const std::string& key, const AttrValue& value) {
  out += " " + escape_program_token(key);
  if (const auto* i = std::get_if<int64_t>(&value)) {
    out += fmt::format(" i {}", *i);
  } else if (const auto* f = std::get_if<double>(&value)) {
    out += fmt::format(" f {:.17g}", *f);
  } else if (const auto* s = std::get_if<std::string>(&value)) {
    out += " s " + escape_program_token(*s);
  } else {
    const auto& ints = std::get<IntList>(value);
    out += fmt::format(" v {}", ints.size());
    for (int64_t v : ints) out += fmt::format(" {}", v);
  }
}

}  // namespace

std::string escape_program_token(const std::string& text) {
  if (text.empty()) return "~";
  std::string out;
  out.reserve(text.size());
  for (unsigned char c : text) {
    if (c <= ' ' || c == '%' || c == '~' || c == 0x7f) {
      out += fmt::format("%{:02X}", c);
    } else {
      out += static_cast<char>(c);
    }
  }
  return out;
}

std::string write_program(const Graph& graph) {
  std::string out = "reuselens-program 1\n";
  out += "name " + escape_program_token(graph.name) + "\n";
  for (size_t t = 0; t < graph.tensors().size(); ++t) {
    const Tensor& tensor = graph.tensors()[t];
    out += fmt::format("tensor {} {} {} {} {}", t, escape_program_token(tensor.name),
                       role_name(tensor.role), data_type_name(tensor.type), tensor.shape.size());
    for (int64_t d : tensor.shape) out += fmt::format(" {}", d);
    out += "\n";
  }
  for (const Node& node : graph.nodes()) {
    out += "node " + escape_program_token(node.domain) + " " + escape_program_token(node.op_type) +
           " " + escape_program_token(node.name);
    write_indices(out, node.inputs);
    write_indices(out, node.weights);
    write_indices(out, node.outputs);
    out += fmt::format(" {}", node.attrs.size());
    for (const auto& [key, value] : node.attrs) write_attribute(out, key, value);
    out += "\n";
  }
  for (int i : graph.inputs) out += fmt::format("input {}\n", i);
  for (int o : graph.outputs) out += fmt::format("output {}\n", o);
  out += "end\n";
  return out;
}

}  // namespace reuselens
