#include "reuselens/error.h"

namespace reuselens {

const char* error_category_name(ErrorCode code) {
  switch (code) {
    case ErrorCode::kOk:
      return "Ok";
    case ErrorCode::kInternal:
      return "InternalError";
    case ErrorCode::kUsage:
      return "UsageError";
    case ErrorCode::kIo:
      return "IoError";
    case ErrorCode::kParse:
      return "ParseError";
    case ErrorCode::kInvalidModel:
      return "ModelError";
    case ErrorCode::kUnknownModel:
      return "UnknownModel";
  }
  return "Error";
}

namespace {
std::string categorized(ErrorCode code, const std::string& message) {
  std::string out;
  out.reserve(message.size() + 24);
  out.append("[").append(error_category_name(code)).append("] ").append(message);
  return out;
}
}  // namespace

Error::Error(ErrorCode code, const std::string& message)
    : std::runtime_error(categorized(code, message)), code_(code), message_(message) {}

Error Error::with_context(const std::string& context) const {
  return Error(code_, context + ": " + message_);
}

void throw_error(ErrorCode code, const std::string& message) { throw Error(code, message); }

}  // namespace reuselens
