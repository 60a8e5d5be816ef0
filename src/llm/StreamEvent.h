// What one server-sent event of a streamed chat completion means to us (ChatStreamParser).
#pragma once

#include <cstdint>
#include <string>

namespace vitarec::llm {

// The token counts a server reports (the `usage` object). Zero when a count is absent.
struct TokenUsage {
  std::int64_t prompt_tokens = 0;
  std::int64_t completion_tokens = 0;
  std::int64_t total_tokens = 0;
};

// An error the server sent inside a stream that had already begun with 200 (vLLM and llama.cpp
// report failures during generation this way). `type` and `code` as the server named them
// ("server_error", "invalid_request_error"; a numeric code is written in decimal), or empty.
struct StreamError {
  std::string message;
  std::string type;
  std::string code;
};

enum class StreamEventKind {
  kContent,    // text: the next piece of the answer (choices[0].delta.content), never empty
  kRefusal,    // text: the model declined (OpenAI's choices[0].delta.refusal)
  kFinish,     // text: choices[0].finish_reason ("stop", "length", "content_filter", ...)
  kUsage,      // usage: the counts of the whole request (the final chunk, or any chunk with one)
  kKeepAlive,  // text: an SSE comment line (": ping"): the connection is alive, NOT progress
  kError,      // error: an error object in the stream
  kDone,       // `data: [DONE]`: the server ended the stream
};

struct StreamEvent {
  StreamEventKind kind = StreamEventKind::kContent;
  std::string text;
  TokenUsage usage;
  StreamError error;
};

}  // namespace vitarec::llm
