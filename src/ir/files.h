// Reading project inputs: whole text files and JSON documents, with errors
// that name the file.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

namespace reuselens {

// Throws Error(kIo) "PATH: cannot open file" / "PATH: read failed".
std::string read_text_file(const std::string& path);

// Throws Error(kParse) "ORIGIN: not valid JSON (byte N)" or "expected a JSON object".
nlohmann::json parse_json_object(const std::string& text, const std::string& origin);

// A preset name has no '/' and no extension: "p100", "horowitz45".
bool is_preset_name(const std::string& name);

}  // namespace reuselens
