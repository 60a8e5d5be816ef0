// AWS Signature Version 4 for requests sent with net::HttpClient: the canonical request, the
// string to sign and the signature, exactly as AWS publishes them ("Create a signed AWS API
// request", and its test suite: tests/net/sigv4-vectors). Pure functions; no I/O, no clock.
//
// Secrets: the secret key and the session token appear only in the values returned for the
// request's headers, never in an error message or a log.
#pragma once

#include <string>
#include <string_view>

#include "core/Clock.h"
#include "net/HttpClient.h"

namespace vitarec::net {

struct AwsCredentials {
  std::string access_key_id;
  std::string secret_access_key;
  std::string session_token;  // empty unless temporary credentials
};

struct SigV4Scope {
  std::string region;   // "eu-west-1"
  std::string service;  // "dynamodb"
};

// What the signer needs of a request: the Host header value, method, path, query and headers.
struct SigV4Input {
  std::string method;
  std::string path = "/";  // already percent-encoded as sent
  std::string query;       // without "?", e.g. "Param2=value2&Param1=value1"; encoded as sent
  std::string host;        // the Host header
  Headers headers;         // the other headers to sign (names any case)
  std::string_view body;
  bool sign_body = false;  // also add and sign X-Amz-Content-Sha256 (S3 style)
};

struct SigV4Result {
  std::string canonical_request;
  std::string string_to_sign;
  std::string signature;  // lowercase hex
  Headers headers;        // to add to the request: X-Amz-Date, [X-Amz-Security-Token],
                          // [X-Amz-Content-Sha256], Authorization
};

// Signs `input` at `time` (UTC; whole seconds are used).
SigV4Result SignV4(const SigV4Input& input, const AwsCredentials& credentials,
                   const SigV4Scope& scope, core::TimePoint time);

// Lowercase hex of SHA-256(data).
std::string Sha256Hex(std::string_view data);

}  // namespace vitarec::net
