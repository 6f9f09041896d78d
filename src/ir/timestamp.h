#pragma once

#include <ctime>
#include <string>

namespace reuselens {

// Now as ISO 8601 UTC, "2026-11-22T05:28:20Z", for provenance columns.
inline std::string utc_timestamp() {
  const std::time_t now = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&now, &utc);
  char buffer[32];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &utc);
  return buffer;
}

}  // namespace reuselens
