#include "ir/files.h"

#include <fstream>
#include <sstream>

#include "reuselens/error.h"

namespace reuselens {

std::string read_text_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw_error(ErrorCode::kIo, path + ": cannot open file");
  std::ostringstream buffer;
  buffer << in.rdbuf();
  if (in.bad()) throw_error(ErrorCode::kIo, path + ": read failed");
  return buffer.str();
}

nlohmann::json parse_json_object(const std::string& text, const std::string& origin) {
  nlohmann::json doc;
  try {
    doc = nlohmann::json::parse(text);
  } catch (const nlohmann::json::parse_error& e) {
    throw_error(ErrorCode::kParse,
                origin + ": not valid JSON (byte " + std::to_string(e.byte) + ")");
  }
  if (!doc.is_object()) throw_error(ErrorCode::kParse, origin + ": expected a JSON object");
  return doc;
}

bool is_preset_name(const std::string& name) {
  return name.find('/') == std::string::npos && name.find('.') == std::string::npos;
}

}  // namespace reuselens
