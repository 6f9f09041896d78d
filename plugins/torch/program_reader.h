// Reads reuselens program text (docs/bench.md, "Program format") with the
// C++ standard library alone, so a plugin builds without reuselens's
// dependencies.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <variant>
#include <vector>

namespace reuselens_plugin {

struct ProgramTensor {
  std::string name;
  std::string role;  // activation, weight, statistic, bound
  std::string type;  // float32, ...
  std::vector<int64_t> shape;
};

using ProgramAttr = std::variant<int64_t, double, std::string, std::vector<int64_t>>;

struct ProgramNode {
  std::string domain, op_type, name;
  std::vector<int> inputs, weights, outputs;
  std::map<std::string, ProgramAttr> attrs;

  int64_t get_int(const std::string& key, int64_t fallback) const;
  double get_float(const std::string& key, double fallback) const;
  std::vector<int64_t> get_ints(const std::string& key) const;  // empty when absent
};

struct Program {
  std::string name;
  std::vector<ProgramTensor> tensors;
  std::vector<ProgramNode> nodes;
  std::vector<int> inputs, outputs;
};

// Throws std::runtime_error("program line N: ...") on malformed text.
Program read_program(const std::string& text);

std::string unescape_program_token(const std::string& token);

}  // namespace reuselens_plugin
