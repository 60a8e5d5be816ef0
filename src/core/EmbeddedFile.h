// A file compiled into the binary by cmake/EmbedFiles.cmake (web assets, the knowledge base).
#pragma once

#include <string_view>

namespace vitarec::core {

struct EmbeddedFile {
  std::string_view path;     // relative to the embedded folder, with '/' separators
  std::string_view content;  // static storage; valid for the life of the process
};

}  // namespace vitarec::core
