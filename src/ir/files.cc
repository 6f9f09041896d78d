#include "ir/files.h"

#include <fstream>
#include <sstream>

#include "ir/json_fields.h"
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
  return parse_json_document(text, origin);
}

bool is_preset_name(const std::string& name) {
  return name.find('/') == std::string::npos && name.find('.') == std::string::npos;
}

}  // namespace reuselens
