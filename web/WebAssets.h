// The files of web/ compiled into the binary, looked up by their path relative to web/.
#pragma once

#include <optional>
#include <string_view>

namespace vitarec::web {

struct Asset {
  std::string_view content;
  std::string_view content_type;  // from the file extension
  std::string_view etag;          // a quoted hash of the content
};

// The asset at `path` ("portal.html", "static/app.js"), or nullopt.
std::optional<Asset> FindAsset(std::string_view path);

}  // namespace vitarec::web
