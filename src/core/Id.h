// Recommendation ids: 128 bits from the operating system's random source, shown as a version-4
// UUID ("3f2b8c1e-...-4...") — 122 random bits, so an id cannot be guessed from another.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace vitarec::core {

// A new random id in canonical lowercase UUID text form. Reads getrandom(2) (4 KiB at a time per
// thread, wiped as used; see Id.cc); aborts the process
// only if the kernel cannot supply randomness (never on a supported system).
std::string NewId();

// The canonical (lowercase) form of `text` when it is a well-formed UUID, otherwise nullopt.
// Accepts upper case; rejects anything else (braces, missing dashes, extra characters).
std::optional<std::string> ParseId(std::string_view text);

}  // namespace vitarec::core
