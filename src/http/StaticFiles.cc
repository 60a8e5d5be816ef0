#include "http/StaticFiles.h"

#include <string>

#include "web/WebAssets.h"

namespace vitarec::http {
namespace {

constexpr char kContentSecurityPolicy[] =
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

}  // namespace

std::optional<HttpResponse> AssetResponse(const HttpRequest& request, std::string_view path) {
  const auto asset = web::FindAsset(path);
  if (!asset) return std::nullopt;
  HttpResponse r;
  r.content_type = std::string(asset->content_type);
  r.AddHeader("ETag", std::string(asset->etag));
  r.AddHeader("Cache-Control", path.ends_with(".html") ? "no-cache" : "public, max-age=300");
  r.AddHeader("Content-Security-Policy", kContentSecurityPolicy);
  r.AddHeader("Referrer-Policy", "no-referrer");
  if (request.Header("If-None-Match") == asset->etag) {
    r.status = 304;
    return r;
  }
  r.body = std::string(asset->content);
  return r;
}

}  // namespace vitarec::http
