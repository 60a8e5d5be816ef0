// The response half of the OpenAI-compatible chat-completions protocol: an incremental parser
// of the `text/event-stream` body, fed the bytes as they arrive, split anywhere (mid-line,
// between '\r' and '\n', inside a UTF-8 sequence). Pure: no I/O, no clock; one parser per
// response, used by one thread at a time.
//
// What it accepts (the WHATWG server-sent-events rules, plus what real servers send):
//   - lines ending in "\r\n", "\n" or "\r"; a leading UTF-8 BOM is skipped;
//   - `data:` lines (one optional space after the colon), several joined with '\n' into one
//     event, dispatched at a blank line: a chat.completion.chunk JSON object, `[DONE]`, or an
//     error (`{"error": {...}}`, `{"error": "text"}`, vLLM's older `{"object": "error", ...}`);
//   - `event: error` with the error in its data (the SSE-spec way some servers use);
//   - `error: {...}` lines (llama.cpp builds of 2025 sent mid-stream errors in that field);
//   - `:` comment lines -> kKeepAlive (they prove the connection is alive, not that the model
//     is writing; the caller's idle timer must not be reset by them);
//   - `id:`, `retry:`, `event:` with other values, unknown fields: ignored.
// A chunk's choices[0] gives kContent (non-empty delta.content; null content is skipped),
// kRefusal and kFinish; a non-null `usage` gives kUsage (OpenAI sends it in a last chunk with
// `choices: []`; llama.cpp with the finish chunk). Other choices (n > 1), roles, tool calls and
// reasoning text are ignored. Bytes after `[DONE]` are ignored.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/Error.h"
#include "llm/StreamEvent.h"

namespace vitarec::llm {

struct StreamParserOptions {
  std::size_t max_line_bytes = 1 << 20;   // a longer line is an error (a server gone wrong)
  std::size_t max_event_bytes = 4 << 20;  // the data of one event
};

class ChatStreamParser {
 public:
  explicit ChatStreamParser(StreamParserOptions options = {}) : options_(options) {}

  // Parses `bytes`, appending the events they complete to `out` in stream order. Errors
  // (kInvalidArgument, message "malformed stream: ..."): a data payload that is not JSON, not an
  // object, or a chunk whose fields have the wrong types; a line or event over its limit. The
  // message never quotes the payload. After an error the parser stays failed: every later call
  // returns the same error and adds nothing.
  core::Result<void> Feed(std::string_view bytes, std::vector<StreamEvent>& out);

  // The body ended: a last line without its terminator is taken as a line, and an event not
  // followed by a blank line is dispatched (llama.cpp ends with "data: [DONE]" and no blank
  // line). Whether the stream was complete is for the caller to judge from done() and the
  // kFinish it saw.
  core::Result<void> Finish(std::vector<StreamEvent>& out);

  // Whether `data: [DONE]` was seen.
  bool done() const { return done_; }

 private:
  core::Result<void> Line(std::string_view line, std::vector<StreamEvent>& out);
  core::Result<void> Dispatch(std::vector<StreamEvent>& out);
  core::Result<void> Chunk(std::string_view data, bool error_event, std::vector<StreamEvent>& out);
  core::Result<void> Failed(std::string why);

  StreamParserOptions options_;
  std::string line_;             // the current line, not yet terminated
  std::string data_;             // the data of the current event ('\n'-joined data lines)
  bool has_data_ = false;        // a data line was seen for the current event
  std::string event_type_;       // the `event:` field of the current event
  std::string error_field_;      // a non-standard `error:` line of the current event
  bool after_cr_ = false;        // the last byte was '\r': a following '\n' belongs to it
  bool at_start_ = true;         // still deciding whether the body begins with a BOM
  std::size_t bom_matched_ = 0;  // how many bytes of the BOM were seen
  bool done_ = false;
  std::optional<core::Error> failure_;
};

}  // namespace vitarec::llm
