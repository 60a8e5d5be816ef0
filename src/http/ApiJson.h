// The JSON of the public API (DESIGN.md, docs/API.md) and the single mapping from error codes to
// HTTP statuses. Pure functions: no I/O, tested without a server.
#pragma once

#include <string>
#include <string_view>

#include "core/Error.h"
#include "http/Message.h"
#include "store/Job.h"

namespace vitarec::http {

// The only place where an ErrorCode becomes an HTTP status.
int HttpStatusFor(core::ErrorCode code);

// {"error":{"code","message"[,"field"]}} with HttpStatusFor's status; Retry-After on 429/503.
HttpResponse ErrorResponse(const core::Error& error);
// For transport-level failures that have no core::Error (route not found, header too large...).
HttpResponse ErrorResponse(int status, std::string_view code, std::string_view message);

// "processing" for queued and running, else the state's name.
std::string_view ApiStatus(store::JobState state);

// The status object of GET /portal/status/{id}.
std::string StatusJson(const store::Job& job);

// The body of a 202: {"recommendation_id","status","progress","statusUrl"}.
std::string AcceptedJson(const store::Job& job, std::string_view status_url);

// The strong validator of a job's status representation.
std::string ETagFor(const store::Job& job);

}  // namespace vitarec::http
