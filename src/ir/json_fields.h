// Internal: typed, range-checked reading of JSON documents (hardware,
// energy tables, architectures, mappings, model configs). Every error is one
// line naming the file, the field as a path (levels[0].keeps[1]) and the
// value found, under the category the caller gives (kInvalidModel for
// descriptions that parse but mean nothing).
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "reuselens/error.h"

namespace reuselens {

// Python's json module writes NaN, Infinity and -Infinity, and Hugging Face
// configs carry them (Mamba's time_step_limit). With kPython they parse, as
// markers that a number read refuses as "not finite" and that nothing else
// reads.
enum class JsonDialect { kStrict, kPython };

// Throws Error(kParse) "ORIGIN: not valid JSON (...)" for any parse failure,
// a number out of a double's range included, or "expected a JSON object".
nlohmann::json parse_json_document(const std::string& text, const std::string& origin,
                                   JsonDialect dialect = JsonDialect::kStrict);

class JsonField {
 public:
  JsonField(const nlohmann::json& value, std::string origin, std::string path = "",
            ErrorCode code = ErrorCode::kInvalidModel);

  const nlohmann::json& value() const { return *value_; }
  const std::string& path() const { return path_; }
  const std::string& origin() const { return origin_; }

  // Present and not null.
  bool has(const std::string& key) const;
  bool present() const { return !value_->is_null(); }
  bool is_object() const { return value_->is_object(); }
  bool is_array() const { return value_->is_array(); }
  bool is_string() const { return value_->is_string(); }
  bool is_number() const { return value_->is_number(); }

  // A member (null when absent: typed reads then say "is missing").
  JsonField operator[](const std::string& key) const;
  // An array's elements, or an object's members in key order (with keys).
  std::vector<JsonField> elements() const;
  std::vector<std::pair<std::string, JsonField>> members() const;

  std::string text() const;
  bool flag() const;
  double number(double lo, double hi) const;
  int64_t integer(int64_t lo, int64_t hi) const;
  std::string text_or(const std::string& key, const std::string& fallback) const;
  bool flag_or(const std::string& key, bool fallback) const;
  double number_or(const std::string& key, double fallback, double lo, double hi) const;
  int64_t integer_or(const std::string& key, int64_t fallback, int64_t lo, int64_t hi) const;

  // Refuses members other than `known` (a misspelt field is not ignored).
  void only(const std::vector<std::string>& known) const;

  [[noreturn]] void fail(const std::string& what) const;

 private:
  const nlohmann::json* value_;
  std::string origin_, path_;
  ErrorCode code_;
};

// The value as an error quotes it: compact JSON, at most 40 characters.
std::string json_value_text(const nlohmann::json& value);

}  // namespace reuselens
