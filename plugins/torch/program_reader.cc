#include "program_reader.h"

#include <sstream>
#include <stdexcept>

namespace reuselens_plugin {

namespace {

class LineReader {
 public:
  LineReader(const std::string& line, int number) : in_(line), number_(number) {}

  std::string token() {
    std::string t;
    if (!(in_ >> t)) fail("line ends early");
    return t;
  }
  int64_t integer() {
    const std::string t = token();
    size_t used = 0;
    int64_t v = 0;
    try {
      v = std::stoll(t, &used);
    } catch (const std::exception&) {
      used = 0;
    }
    if (used != t.size() || t.empty()) fail("'" + t + "' is not an integer");
    return v;
  }
  double real() {
    const std::string t = token();
    size_t used = 0;
    double v = 0;
    try {
      v = std::stod(t, &used);
    } catch (const std::exception&) {
      used = 0;
    }
    if (used != t.size() || t.empty()) fail("'" + t + "' is not a number");
    return v;
  }
  int index(size_t limit) {
    const int64_t v = integer();
    if (v < 0 || static_cast<size_t>(v) >= limit)
      fail("tensor index " + std::to_string(v) + " out of range");
    return static_cast<int>(v);
  }
  std::vector<int> indices(size_t limit) {
    const int64_t n = integer();
    if (n < 0 || n > 100000) fail("bad count " + std::to_string(n));
    std::vector<int> out;
    for (int64_t i = 0; i < n; ++i) out.push_back(index(limit));
    return out;
  }
  [[noreturn]] void fail(const std::string& why) const {
    throw std::runtime_error("program line " + std::to_string(number_) + ": " + why);
  }

 private:
  std::istringstream in_;
  int number_;
};

}  // namespace

std::string unescape_program_token(const std::string& token) {
  if (token == "~") return "";
  std::string out;
  for (size_t i = 0; i < token.size(); ++i) {
    if (token[i] == '%') {
      size_t used = 0;
      int code = -1;
      if (i + 2 < token.size()) {
        try {
          code = std::stoi(token.substr(i + 1, 2), &used, 16);
        } catch (const std::exception&) {
          used = 0;
        }
      }
      if (used != 2) throw std::runtime_error("program: bad escape in '" + token + "'");
      out += static_cast<char>(code);
      i += 2;
    } else {
      out += token[i];
    }
  }
  return out;
}

int64_t ProgramNode::get_int(const std::string& key, int64_t fallback) const {
  auto it = attrs.find(key);
  if (it == attrs.end()) return fallback;
  if (const auto* v = std::get_if<int64_t>(&it->second)) return *v;
  if (const auto* v = std::get_if<double>(&it->second)) return static_cast<int64_t>(*v);
  return fallback;
}

double ProgramNode::get_float(const std::string& key, double fallback) const {
  auto it = attrs.find(key);
  if (it == attrs.end()) return fallback;
  if (const auto* v = std::get_if<double>(&it->second)) return *v;
  if (const auto* v = std::get_if<int64_t>(&it->second)) return static_cast<double>(*v);
  return fallback;
}

std::vector<int64_t> ProgramNode::get_ints(const std::string& key) const {
  auto it = attrs.find(key);
  if (it == attrs.end()) return {};
  if (const auto* v = std::get_if<std::vector<int64_t>>(&it->second)) return *v;
  if (const auto* v = std::get_if<int64_t>(&it->second)) return {*v};
  return {};
}

Program read_program(const std::string& text) {
  Program p;
  std::istringstream in(text);
  std::string line;
  int number = 0;
  bool header = false, ended = false;
  while (std::getline(in, line)) {
    ++number;
    if (line.empty()) continue;
    LineReader r(line, number);
    const std::string kind = r.token();
    if (!header) {
      if (kind != "reuselens-program" || r.integer() != 1) r.fail("expected 'reuselens-program 1'");
      header = true;
    } else if (kind == "name") {
      p.name = unescape_program_token(r.token());
    } else if (kind == "tensor") {
      if (r.integer() != static_cast<int64_t>(p.tensors.size())) r.fail("tensors out of order");
      ProgramTensor t;
      t.name = unescape_program_token(r.token());
      t.role = r.token();
      t.type = r.token();
      const int64_t rank = r.integer();
      if (rank < 0 || rank > 16) r.fail("bad rank");
      for (int64_t i = 0; i < rank; ++i) {
        const int64_t d = r.integer();
        if (d < 0) r.fail("negative dimension");
        t.shape.push_back(d);
      }
      p.tensors.push_back(std::move(t));
    } else if (kind == "node") {
      ProgramNode n;
      n.domain = unescape_program_token(r.token());
      n.op_type = unescape_program_token(r.token());
      n.name = unescape_program_token(r.token());
      n.inputs = r.indices(p.tensors.size());
      n.weights = r.indices(p.tensors.size());
      n.outputs = r.indices(p.tensors.size());
      const int64_t attrs = r.integer();
      for (int64_t a = 0; a < attrs; ++a) {
        const std::string key = unescape_program_token(r.token());
        const std::string type = r.token();
        if (type == "i") {
          n.attrs[key] = r.integer();
        } else if (type == "f") {
          n.attrs[key] = r.real();
        } else if (type == "s") {
          n.attrs[key] = unescape_program_token(r.token());
        } else if (type == "v") {
          const int64_t count = r.integer();
          if (count < 0 || count > 4096) r.fail("bad list length");
          std::vector<int64_t> values;
          for (int64_t i = 0; i < count; ++i) values.push_back(r.integer());
          n.attrs[key] = std::move(values);
        } else {
          r.fail("unknown attribute type '" + type + "'");
        }
      }
      p.nodes.push_back(std::move(n));
    } else if (kind == "input") {
      p.inputs.push_back(r.index(p.tensors.size()));
    } else if (kind == "output") {
      p.outputs.push_back(r.index(p.tensors.size()));
    } else if (kind == "end") {
      ended = true;
      break;
    } else {
      r.fail("unknown record '" + kind + "'");
    }
  }
  if (!header) throw std::runtime_error("program: empty text");
  if (!ended) throw std::runtime_error("program: truncated (no 'end' line)");
  return p;
}

}  // namespace reuselens_plugin
