// Test knobs read from the environment (sizes and durations of the longer reliability runs).
#pragma once

#include <cstdlib>

namespace vitarec::testing {

// The integer in environment variable `name`, or `fallback` when it is unset or empty.
inline int EnvInt(const char* name, int fallback) {
  const char* v = std::getenv(name);
  return v && *v ? std::atoi(v) : fallback;
}

}  // namespace vitarec::testing
