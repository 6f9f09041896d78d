// Errors raised by the reuselens library.
//
// Library code never prints or exits: every failure is a reuselens::Error
// carrying a category (which is also the CLI's exit code) and a one-line
// message that names where the problem is (file, line, node, field).
#pragma once

#include <stdexcept>
#include <string>

namespace reuselens {

// Categories of failure. The numeric values are the `reuselens` CLI exit
// codes and are part of its documented interface (README, docs/cli.md).
enum class ErrorCode : int {
  kOk = 0,
  kInternal = 1,      // a bug in reuselens
  kUsage = 2,         // bad command line or out-of-range option
  kIo = 3,            // a file that cannot be opened, read or written
  kParse = 4,         // malformed model text (prototxt syntax)
  kInvalidModel = 5,  // well-formed but meaningless: bad dims, dangling
                      // blob, unknown layer type, shape that cannot be
                      // resolved, counts that overflow 64 bits
  kUnknownModel = 6,  // a zoo name that does not exist
};

// Name of a category as printed in messages, e.g. "ParseError".
const char* error_category_name(ErrorCode code);

// what() reads "[Category] message", e.g.
// "[ParseError] net.prototxt:12: layer 'conv1': unterminated block".
class Error : public std::runtime_error {
 public:
  Error(ErrorCode code, const std::string& message);
  ErrorCode code() const { return code_; }
  const std::string& message() const { return message_; }
  // The same error with "context: " put before the message, as errors travel
  // up from an op to its node, layer and file.
  Error with_context(const std::string& context) const;

 private:
  ErrorCode code_;
  std::string message_;
};

[[noreturn]] void throw_error(ErrorCode code, const std::string& message);

}  // namespace reuselens
