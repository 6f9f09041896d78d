#include "test_util.h"

#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <vector>

namespace reuselens::testing {

CommandResult run_cli(const std::string& args) {
  return run_shell(std::string(REUSELENS_CLI) + " " + args);
}

CommandResult run_shell(const std::string& line, const std::string& directory) {
  char err_path[] = "/tmp/reuselens_test_stderr_XXXXXX";
  const int fd = mkstemp(err_path);
  if (fd < 0) throw std::runtime_error("mkstemp failed");
  close(fd);
  const std::string body = "{ " + line + "\n} 2>" + err_path;
  const std::string command = directory.empty() ? body : "cd '" + directory + "' && " + body;
  FILE* pipe = popen(command.c_str(), "r");
  if (!pipe) throw std::runtime_error("popen failed: " + command);
  CommandResult result;
  std::array<char, 4096> buffer{};
  size_t n = 0;
  while ((n = fread(buffer.data(), 1, buffer.size(), pipe)) > 0)
    result.out.append(buffer.data(), n);
  const int status = pclose(pipe);
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  result.err = read_text(err_path);
  std::remove(err_path);
  return result;
}

std::vector<std::vector<std::string>> parse_csv(const std::string& text) {
  std::vector<std::vector<std::string>> records;
  std::vector<std::string> record;
  std::string field;
  bool quoted = false, field_started = false;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
        field += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        field += c;
      }
      continue;
    }
    if (c == '"') {
      if (field_started) throw std::runtime_error("quote inside an unquoted field");
      quoted = field_started = true;
    } else if (c == ',') {
      record.push_back(field);
      field.clear();
      field_started = false;
    } else if (c == '\n' || c == '\r') {
      if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
      record.push_back(field);
      records.push_back(record);
      record.clear();
      field.clear();
      field_started = false;
    } else {
      field += c;
      field_started = true;
    }
  }
  if (quoted) throw std::runtime_error("unterminated quoted field");
  if (field_started || !record.empty()) {
    record.push_back(field);
    records.push_back(record);
  }
  return records;
}

std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string source_path(const std::string& relative) {
  return std::string(REUSELENS_SOURCE_DIR) + "/" + relative;
}

std::string xml_problem(const std::string& text) {
  std::vector<std::string> open;
  size_t i = 0;
  while ((i = text.find('<', i)) != std::string::npos) {
    const size_t end = text.find('>', i);
    if (end == std::string::npos) return "unterminated tag at " + std::to_string(i);
    std::string tag = text.substr(i + 1, end - i - 1);
    i = end + 1;
    if (tag.empty()) return "empty tag";
    if (tag[0] == '?' || tag[0] == '!') continue;  // declaration, comment, doctype
    if (std::count(tag.begin(), tag.end(), '"') % 2 != 0)
      return "unbalanced quotes in <" + tag + ">";
    const bool closing = tag[0] == '/';
    const bool self_closing = tag.back() == '/';
    std::string name = tag.substr(closing ? 1 : 0);
    name = name.substr(0, name.find_first_of(" \t\n/"));
    if (closing) {
      if (open.empty() || open.back() != name) {
        return "</" + name + "> closes <" + (open.empty() ? std::string("nothing") : open.back()) +
               ">";
      }
      open.pop_back();
    } else if (!self_closing) {
      open.push_back(name);
    }
  }
  return open.empty() ? "" : "<" + open.back() + "> never closed";
}

int count_tags(const std::string& text, const std::string& tag) {
  int n = 0;
  for (size_t i = 0; (i = text.find("<" + tag, i)) != std::string::npos; ++i) {
    const char next = text[i + 1 + tag.size()];
    if (next == ' ' || next == '>' || next == '/') ++n;
  }
  return n;
}

}  // namespace reuselens::testing
