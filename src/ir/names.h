// Internal: how a model name given by a user is compared with the zoo's.
#pragma once

#include <cctype>
#include <string>

namespace reuselens {

// Names compare without case and punctuation: "ResNet-50", "resnet50" and
// "RESNET_50" are one network; "Llama-3-8B" and "llama3_8b" one config.
inline std::string normalized_name(const std::string& name) {
  std::string out;
  for (unsigned char c : name) {
    if (std::isalnum(c)) out += static_cast<char>(std::tolower(c));
  }
  return out;
}

}  // namespace reuselens
