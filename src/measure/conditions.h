// Reading the device conditions a meter reports (measure.h, Meter::conditions).
#pragma once

#include <map>
#include <string>

namespace reuselens {

// The condition's value, "" when the meter did not report it.
inline std::string condition(const std::map<std::string, std::string>& conditions,
                             const char* key) {
  auto it = conditions.find(key);
  return it == conditions.end() ? "" : it->second;
}

}  // namespace reuselens
