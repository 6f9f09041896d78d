// A parser for protobuf text format as Caffe's .prototxt files use it:
// `name: value` fields, nested `name { ... }` or `name: { ... }` messages,
// repeated fields, quoted strings, enum identifiers and `#` comments.
// It builds a generic tree; the Caffe importer gives it meaning.
#pragma once

#include <memory>
#include <string>
#include <vector>

namespace reuselens::caffe {

struct Message;

struct Field {
  std::string name;
  int line = 0;
  std::string scalar;  // unquoted text of a scalar value
  bool quoted = false;
  std::shared_ptr<Message> message;  // set for nested messages
};

struct Message {
  std::vector<Field> fields;

  // First scalar field of that name, or nullptr.
  const Field* find(const std::string& name) const;
  std::vector<const Field*> all(const std::string& name) const;
};

// Throws Error(kParse) "origin:line:col: ..." on malformed text.
Message parse_prototxt(const std::string& text, const std::string& origin);

}  // namespace reuselens::caffe
