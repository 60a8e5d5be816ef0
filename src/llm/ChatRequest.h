// The request half of the OpenAI-compatible chat-completions protocol: where to send it
// (`POST {base_url}/chat/completions`), its headers and its JSON body, streamed
// (`"stream": true, "stream_options": {"include_usage": true}`). Pure: no I/O; the transport
// (src/net, another folder) sends what these functions build.
//
// The same request serves OpenAI, vLLM, llama.cpp's server and Ollama's /v1 endpoint
// (docs/LLM.md); the only difference a server may need is the name of the token limit
// (MaxTokensField).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/Error.h"

namespace vitarec::llm {

// A parsed `--llm-url`: scheme, host, port and the path the API lives under ("/v1").
struct Endpoint {
  bool tls = false;        // https
  std::string host;        // a name or an address; IPv6 without brackets
  std::uint16_t port = 0;  // explicit, or 443/80 by scheme
  std::string base_path;   // without a trailing '/', possibly empty ("" or "/v1")
  std::string query;       // kept verbatim after the path (Azure's ?api-version=...), or empty

  // "/v1/chat/completions" (plus "?query" when there is one): the request target.
  std::string ChatCompletionsTarget() const;
  // The Host header: "host" or "host:port" when the port is not the scheme's default.
  std::string HostHeader() const;
};

// Parses an absolute http:// or https:// URL. kInvalidArgument (field "llm_url") for another
// scheme, no host, user info (credentials never go in the URL: VITAREC_LLM_API_KEY), a fragment
// or a port out of range.
core::Result<Endpoint> ParseEndpoint(std::string_view base_url);

struct ChatMessage {
  std::string role;  // "system", "user" or "assistant"
  std::string content;
};

// Which body field carries the token limit. OpenAI's newer models accept only
// "max_completion_tokens"; vLLM, llama.cpp and Ollama accept "max_tokens" (the default).
enum class MaxTokensField { kMaxTokens, kMaxCompletionTokens };

struct ChatRequest {
  std::string model;
  std::vector<ChatMessage> messages;
  int max_tokens = 700;
  double temperature = 0.3;
  MaxTokensField max_tokens_field = MaxTokensField::kMaxTokens;
};

// The JSON body: {"model", "messages": [{"role", "content"}...], "stream": true,
// "stream_options": {"include_usage": true}, "max_tokens" | "max_completion_tokens",
// "temperature"}. Temperature is written with Boost.JSON (0.3 prints as "3E-1", valid JSON).
std::string ChatRequestBody(const ChatRequest& request);

struct HttpHeader {
  std::string name;
  std::string value;
};

// The request headers, in order: Host, Content-Type (application/json), Accept
// (text/event-stream), Content-Length, User-Agent and, when `api_key` is not empty,
// Authorization ("Bearer <key>"). The Authorization value is a secret: never log the headers.
std::vector<HttpHeader> ChatRequestHeaders(const Endpoint& endpoint, std::string_view api_key,
                                           std::size_t body_size);

}  // namespace vitarec::llm
