// The error value of every expected failure in Vitarec, and the Result<T> alias that carries it.
//
// An Error is chosen by what the caller should do next: fix the request (kInvalidArgument,
// kPayloadTooLarge, kUnsupportedMediaType), look elsewhere (kNotFound, kGone), resolve a clash
// (kConflict), or come back later (kUnavailable, kBusy, kDeadlineExceeded — the retryable ones).
// Exceptions are reserved for start-up and third-party code; they are turned into an Error at a
// few named boundaries (the HTTP session, the job runner).
#pragma once

#include <string>
#include <string_view>
#include <tl/expected.hpp>

namespace vitarec::core {

enum class ErrorCode {
  kInvalidArgument,  // the request is wrong; `field` names the culprit when there is one
  kNotFound,         // no such id
  kGone,             // the id existed but its retention period is over
  kConflict,         // the operation does not fit the current state (e.g. retry a completed job)
  kPayloadTooLarge,  // a body or a header over its limit
  kUnsupportedMediaType,  // a body that is not JSON
  kMethodNotAllowed,      // the path exists, the method does not
  kBusy,                  // too much queued work; retry later
  kUnavailable,           // the store cannot be reached or written (disk full, locked, down)
  kDeadlineExceeded,      // a time limit passed
  kLeaseLost,             // a worker's lease is no longer valid; its writes were refused
  kCancelled,             // the work was cancelled
  kInternal,              // a bug or an unexpected failure of a library
};

// The stable snake_case name of a code, used in JSON errors and logs ("invalid_argument").
std::string_view ErrorCodeName(ErrorCode code);

struct Error {
  ErrorCode code = ErrorCode::kInternal;
  std::string message;  // human readable, names what was wrong; never contains secrets
  std::string field;    // for kInvalidArgument: the JSON path of the offending field, else empty

  // Whether trying the same thing again later may succeed.
  bool Retryable() const {
    return code == ErrorCode::kBusy || code == ErrorCode::kUnavailable ||
           code == ErrorCode::kDeadlineExceeded;
  }
};

inline Error MakeError(ErrorCode code, std::string message, std::string field = {}) {
  return Error{code, std::move(message), std::move(field)};
}

// Result<T> is a T on success and an Error otherwise; Result<void> carries only the error.
template <typename T>
using Result = tl::expected<T, Error>;

inline tl::unexpected<Error> Fail(ErrorCode code, std::string message, std::string field = {}) {
  return tl::unexpected<Error>(MakeError(code, std::move(message), std::move(field)));
}
inline tl::unexpected<Error> Fail(Error error) { return tl::unexpected<Error>(std::move(error)); }

}  // namespace vitarec::core
