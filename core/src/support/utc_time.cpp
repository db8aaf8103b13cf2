#include "support/utc_time.h"

#include <ctime>

namespace rxflow {

std::string utc_now(const char* format) {
  const std::time_t now = std::time(nullptr);
  std::tm parts{};
  gmtime_r(&now, &parts);
  char buffer[40];
  std::strftime(buffer, sizeof buffer, format, &parts);
  return buffer;
}

}  // namespace rxflow
