#include "ir/json_fields.h"

#include <cmath>

#include "ir/checked.h"

namespace reuselens {

namespace {

using nlohmann::json;

// Python's non-finite literals become strings that start with a NUL, which
// no real field value does.
std::string python_literals_as_markers(const std::string& text) {
  static const char* const kLiterals[] = {"-Infinity", "Infinity", "NaN"};
  std::string out;
  out.reserve(text.size());
  bool in_string = false;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      out += c;
      if (c == '\\' && i + 1 < text.size()) {
        out += text[++i];
      } else if (c == '"') {
        in_string = false;
      }
      continue;
    }
    if (c == '"') {
      in_string = true;
      out += c;
      continue;
    }
    bool replaced = false;
    for (const char* literal : kLiterals) {
      const std::string l(literal);
      if (text.compare(i, l.size(), l) == 0) {
        out += "\"\\u0000" + l + "\"";
        i += l.size() - 1;
        replaced = true;
        break;
      }
    }
    if (!replaced) out += c;
  }
  return out;
}

bool is_marker(const json& v) {
  return v.is_string() && !v.get_ref<const std::string&>().empty() &&
         v.get_ref<const std::string&>()[0] == '\0';
}

const json& null_json() {
  static const json null;
  return null;
}

}  // namespace

std::string json_value_text(const json& value) {
  if (is_marker(value)) return value.get_ref<const std::string&>().substr(1);
  std::string text = value.dump();
  if (text.size() > 40) text = text.substr(0, 37) + "...";
  return text;
}

json parse_json_document(const std::string& text, const std::string& origin, JsonDialect dialect) {
  json doc;
  try {
    doc = json::parse(dialect == JsonDialect::kPython ? python_literals_as_markers(text) : text);
  } catch (const json::parse_error& e) {
    std::string hint;
    if (dialect == JsonDialect::kStrict &&
        (text.find("NaN") != std::string::npos || text.find("Infinity") != std::string::npos)) {
      hint = "; NaN and Infinity are not JSON";
    }
    throw_error(ErrorCode::kParse,
                origin + ": not valid JSON (byte " + std::to_string(e.byte) + hint + ")");
  } catch (const json::exception& e) {
    // out_of_range.406: a number past a double's range (1e400).
    std::string what = e.what();
    const size_t bracket = what.find("] ");
    if (bracket != std::string::npos) what = what.substr(bracket + 2);
    throw_error(ErrorCode::kParse, origin + ": not valid JSON (" + what + ")");
  }
  if (!doc.is_object()) throw_error(ErrorCode::kParse, origin + ": expected a JSON object");
  return doc;
}

JsonField::JsonField(const json& value, std::string origin, std::string path, ErrorCode code)
    : value_(&value), origin_(std::move(origin)), path_(std::move(path)), code_(code) {}

void JsonField::fail(const std::string& what) const {
  std::string where = origin_ + ": field '" + (path_.empty() ? "(document)" : path_) + "'";
  if (present()) where += " = " + json_value_text(*value_);
  throw_error(code_, where + ": " + what);
}

bool JsonField::has(const std::string& key) const {
  return value_->is_object() && value_->contains(key) && !(*value_)[key].is_null();
}

JsonField JsonField::operator[](const std::string& key) const {
  const std::string path = path_.empty() ? key : path_ + "." + key;
  if (!value_->is_object() || !value_->contains(key)) {
    return JsonField(null_json(), origin_, path, code_);
  }
  return JsonField((*value_)[key], origin_, path, code_);
}

std::vector<JsonField> JsonField::elements() const {
  if (!value_->is_array()) fail(present() ? "is not a list" : "is missing");
  std::vector<JsonField> out;
  for (size_t i = 0; i < value_->size(); ++i) {
    out.emplace_back((*value_)[i], origin_, path_ + "[" + std::to_string(i) + "]", code_);
  }
  return out;
}

std::vector<std::pair<std::string, JsonField>> JsonField::members() const {
  if (!value_->is_object()) fail(present() ? "is not an object" : "is missing");
  std::vector<std::pair<std::string, JsonField>> out;
  for (const auto& [key, v] : value_->items()) {
    out.emplace_back(key, JsonField(v, origin_, path_.empty() ? key : path_ + "." + key, code_));
  }
  return out;
}

std::string JsonField::text() const {
  if (!present()) fail("is missing");
  if (!value_->is_string() || is_marker(*value_)) fail("is not a string");
  return value_->get<std::string>();
}

bool JsonField::flag() const {
  if (!present()) fail("is missing");
  if (!value_->is_boolean()) fail("is not true or false");
  return value_->get<bool>();
}

double JsonField::number(double lo, double hi) const {
  if (!present()) fail("is missing");
  if (is_marker(*value_)) fail("is not a finite number");
  if (!value_->is_number()) fail("is not a number");
  const double v = value_->get<double>();
  if (!(std::isfinite(v) && v >= lo && v <= hi)) {
    fail("is not in [" + number_text(lo) + ", " + number_text(hi) + "]");
  }
  return v;
}

int64_t JsonField::integer(int64_t lo, int64_t hi) const {
  if (!present()) fail("is missing");
  if (!value_->is_number_integer()) {
    // 4.0 is an integer written as a float (Python writes such).
    if (value_->is_number_float()) {
      const double d = value_->get<double>();
      if (std::isfinite(d) && d == std::floor(d) && std::abs(d) < 9.0e15) {
        const auto v = static_cast<int64_t>(d);
        if (v >= lo && v <= hi) return v;
      }
    }
    fail(value_->is_number()
             ? "is not an integer in [" + std::to_string(lo) + ", " + std::to_string(hi) + "]"
             : "is not an integer");
  }
  if (value_->is_number_unsigned() && value_->get<uint64_t>() > static_cast<uint64_t>(INT64_MAX)) {
    fail("is not in [" + std::to_string(lo) + ", " + std::to_string(hi) + "]");
  }
  const int64_t v = value_->get<int64_t>();
  if (v < lo || v > hi) fail("is not in [" + std::to_string(lo) + ", " + std::to_string(hi) + "]");
  return v;
}

std::string JsonField::text_or(const std::string& key, const std::string& fallback) const {
  return has(key) ? (*this)[key].text() : fallback;
}

bool JsonField::flag_or(const std::string& key, bool fallback) const {
  return has(key) ? (*this)[key].flag() : fallback;
}

double JsonField::number_or(const std::string& key, double fallback, double lo, double hi) const {
  return has(key) ? (*this)[key].number(lo, hi) : fallback;
}

int64_t JsonField::integer_or(const std::string& key, int64_t fallback, int64_t lo,
                              int64_t hi) const {
  return has(key) ? (*this)[key].integer(lo, hi) : fallback;
}

void JsonField::only(const std::vector<std::string>& known) const {
  for (const auto& [key, field] : members()) {
    if (std::find(known.begin(), known.end(), key) != known.end()) continue;
    std::string list;
    for (const std::string& k : known) list += (list.empty() ? "" : ", ") + k;
    field.fail("is not a known field (known: " + list + ")");
  }
}

}  // namespace reuselens
