#include "web/WebAssets.h"

#include <string>
#include <unordered_map>
#include <vector>

#include "core/EmbeddedFile.h"

namespace vitarec::web {
namespace embedded {
const std::vector<core::EmbeddedFile>& EmbeddedFiles();
}  // namespace embedded
namespace {

std::string_view ContentType(std::string_view path) {
  const auto ends = [&](std::string_view ext) { return path.ends_with(ext); };
  if (ends(".html")) return "text/html; charset=utf-8";
  if (ends(".css")) return "text/css; charset=utf-8";
  if (ends(".js")) return "text/javascript; charset=utf-8";
  if (ends(".svg")) return "image/svg+xml";
  if (ends(".ico")) return "image/x-icon";
  return "application/octet-stream";
}

struct Entry {
  std::string_view content;
  std::string_view content_type;
  std::string etag;
};

const std::unordered_map<std::string_view, Entry>& Index() {
  static const auto* index = [] {
    auto* map = new std::unordered_map<std::string_view, Entry>();
    for (const core::EmbeddedFile& f : embedded::EmbeddedFiles()) {
      std::uint64_t hash = 1469598103934665603ULL;  // FNV-1a
      for (unsigned char c : f.content) hash = (hash ^ c) * 1099511628211ULL;
      char etag[24];
      std::snprintf(etag, sizeof etag, "\"%016llx\"", static_cast<unsigned long long>(hash));
      map->emplace(f.path, Entry{f.content, ContentType(f.path), etag});
    }
    return map;
  }();
  return *index;
}

}  // namespace

std::optional<Asset> FindAsset(std::string_view path) {
  const auto& index = Index();
  auto it = index.find(path);
  if (it == index.end()) return std::nullopt;
  return Asset{it->second.content, it->second.content_type, it->second.etag};
}

}  // namespace vitarec::web
