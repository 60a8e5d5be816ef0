// The page and its assets (web/, compiled in) as HTTP responses, with validators and the
// security headers pages need (a strict Content-Security-Policy: no inline script or style).
#pragma once

#include <optional>
#include <string_view>

#include "http/Message.h"

namespace vitarec::http {

// The asset at `path` ("portal.html", "static/app.js") answering `request` (304 when its
// If-None-Match matches), or nullopt when there is no such asset.
std::optional<HttpResponse> AssetResponse(const HttpRequest& request, std::string_view path);

}  // namespace vitarec::http
