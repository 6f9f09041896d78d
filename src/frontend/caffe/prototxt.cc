#include "frontend/caffe/prototxt.h"

#include <cctype>

#include "reuselens/error.h"

namespace reuselens::caffe {

const Field* Message::find(const std::string& name) const {
  for (const Field& f : fields) {
    if (f.name == name) return &f;
  }
  return nullptr;
}

std::vector<const Field*> Message::all(const std::string& name) const {
  std::vector<const Field*> out;
  for (const Field& f : fields) {
    if (f.name == name) out.push_back(&f);
  }
  return out;
}

namespace {

class Parser {
 public:
  Parser(const std::string& text, const std::string& origin) : text_(text), origin_(origin) {}

  Message parse_top() {
    Message m = parse_fields(/*nested=*/false, "", 0);
    return m;
  }

 private:
  [[noreturn]] void fail(const std::string& what) const {
    throw_error(ErrorCode::kParse, origin_ + ":" + std::to_string(line_) + ":" +
                                       std::to_string(pos_ - line_start_ + 1) + ": " + what);
  }

  void skip_space() {
    while (pos_ < text_.size()) {
      const char c = text_[pos_];
      if (c == '\n') {
        ++line_;
        line_start_ = ++pos_;
      } else if (std::isspace(static_cast<unsigned char>(c)) || c == ',' || c == ';') {
        ++pos_;
      } else if (c == '#') {
        while (pos_ < text_.size() && text_[pos_] != '\n') ++pos_;
      } else {
        break;
      }
    }
  }

  bool at_end() {
    skip_space();
    return pos_ >= text_.size();
  }

  std::string identifier() {
    const size_t start = pos_;
    while (pos_ < text_.size() && (std::isalnum(static_cast<unsigned char>(text_[pos_])) ||
                                   text_[pos_] == '_' || text_[pos_] == '.')) {
      ++pos_;
    }
    if (pos_ == start) fail(std::string("expected a field name, found '") + text_[pos_] + "'");
    return text_.substr(start, pos_ - start);
  }

  std::string quoted_string() {
    const char quote = text_[pos_++];
    std::string out;
    while (pos_ < text_.size() && text_[pos_] != quote) {
      if (text_[pos_] == '\n') fail("unterminated string");
      if (text_[pos_] == '\\' && pos_ + 1 < text_.size()) ++pos_;
      out += text_[pos_++];
    }
    if (pos_ >= text_.size()) fail("unterminated string");
    ++pos_;
    return out;
  }

  std::string bare_scalar() {
    const size_t start = pos_;
    while (pos_ < text_.size() && !std::isspace(static_cast<unsigned char>(text_[pos_])) &&
           text_[pos_] != '}' && text_[pos_] != '{' && text_[pos_] != '#' && text_[pos_] != ',' &&
           text_[pos_] != ';') {
      ++pos_;
    }
    if (pos_ == start) fail("expected a value");
    return text_.substr(start, pos_ - start);
  }

  Message parse_fields(bool nested, const std::string& block, int open_line) {
    Message m;
    while (true) {
      skip_space();
      if (pos_ >= text_.size()) {
        if (nested) {
          fail("unterminated block '" + block + "' opened at line " + std::to_string(open_line));
        }
        return m;
      }
      if (text_[pos_] == '}') {
        if (!nested) fail("unexpected '}'");
        ++pos_;
        return m;
      }
      Field f;
      f.line = line_;
      f.name = identifier();
      skip_space();
      bool colon = false;
      if (pos_ < text_.size() && text_[pos_] == ':') {
        ++pos_;
        colon = true;
        skip_space();
      }
      if (pos_ >= text_.size()) fail("field '" + f.name + "' has no value");
      if (text_[pos_] == '{') {
        ++pos_;
        if (++depth_ > kMaxDepth) fail("messages nested deeper than " + std::to_string(kMaxDepth));
        f.message = std::make_shared<Message>(parse_fields(true, f.name, f.line));
        --depth_;
      } else {
        if (!colon) fail("expected ':' or '{' after '" + f.name + "'");
        if (text_[pos_] == '"' || text_[pos_] == '\'') {
          f.scalar = quoted_string();
          f.quoted = true;
        } else {
          f.scalar = bare_scalar();
        }
      }
      m.fields.push_back(std::move(f));
    }
  }

  static constexpr int kMaxDepth = 64;
  const std::string& text_;
  const std::string& origin_;
  size_t pos_ = 0;
  size_t line_start_ = 0;
  int line_ = 1;
  int depth_ = 0;
};

}  // namespace

Message parse_prototxt(const std::string& text, const std::string& origin) {
  return Parser(text, origin).parse_top();
}

}  // namespace reuselens::caffe
