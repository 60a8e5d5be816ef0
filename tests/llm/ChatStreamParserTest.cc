#include <gtest/gtest.h>

#include <random>

#include "llm/ChatStreamParser.h"
#include "llm/RandomText.h"

namespace vitarec::llm {
namespace {

// The events as one line each: "content:Hola", "finish:stop", "usage:12/34/46", "keepalive:ping",
// "error:server_error/500/boom", "refusal:...", "done".
std::string Describe(const StreamEvent& e) {
  switch (e.kind) {
    case StreamEventKind::kContent:
      return "content:" + e.text;
    case StreamEventKind::kRefusal:
      return "refusal:" + e.text;
    case StreamEventKind::kFinish:
      return "finish:" + e.text;
    case StreamEventKind::kUsage:
      return "usage:" + std::to_string(e.usage.prompt_tokens) + "/" +
             std::to_string(e.usage.completion_tokens) + "/" + std::to_string(e.usage.total_tokens);
    case StreamEventKind::kKeepAlive:
      return "keepalive:" + e.text;
    case StreamEventKind::kError:
      return "error:" + e.error.type + "/" + e.error.code + "/" + e.error.message;
    case StreamEventKind::kDone:
      return "done";
  }
  return "?";
}

struct Parsed {
  std::vector<std::string> events;
  std::string error;  // empty when the stream parsed
};

// Feeds `body` in slices of the given sizes (cycled), then finishes.
Parsed ParseInSlices(std::string_view body, const std::vector<std::size_t>& sizes) {
  ChatStreamParser parser;
  std::vector<StreamEvent> events;
  Parsed out;
  std::size_t i = 0, k = 0;
  while (i < body.size()) {
    const std::size_t n = std::min(sizes[k++ % sizes.size()], body.size() - i);
    if (auto r = parser.Feed(body.substr(i, n), events); !r) {
      out.error = r.error().message;
      break;
    }
    i += n;
  }
  if (out.error.empty()) {
    if (auto r = parser.Finish(events); !r) out.error = r.error().message;
  }
  for (const StreamEvent& e : events) out.events.push_back(Describe(e));
  return out;
}

Parsed Parse(std::string_view body) { return ParseInSlices(body, {body.size() + 1}); }

std::string Chunk(std::string_view delta, std::string_view finish = "null") {
  return R"({"id":"chatcmpl-1","object":"chat.completion.chunk","created":1800000000,)"
         R"("model":"m","choices":[{"index":0,"delta":)" +
         std::string(delta) + R"(,"logprobs":null,"finish_reason":)" + std::string(finish) + "}]}";
}

// An OpenAI stream as the API sends it with include_usage: a role chunk, content, the finish
// chunk, the usage chunk with empty choices, [DONE]; the Spanish text has multi-byte letters.
std::string OpenAiStream() {
  return "data: " + Chunk(R"({"role":"assistant","content":"","refusal":null})") + "\n\n" +
         "data: " + Chunk(R"({"content":"El magnesio "})") + "\n\n" + ": keep-alive\n\n" +
         "data: " + Chunk(R"({"content":"ayuda a dormir\u00e9 ñ €."})") + "\n\n" +
         "data: " + Chunk("{}", R"("stop")") + "\n\n" +
         R"(data: {"id":"chatcmpl-1","object":"chat.completion.chunk","created":1800000000,)"
         R"("model":"m","choices":[],"usage":{"prompt_tokens":120,"completion_tokens":9,)"
         R"("total_tokens":129}})" +
         "\n\n" + "data: [DONE]\n\n";
}

const std::vector<std::string> kOpenAiEvents = {
    "content:El magnesio ", "keepalive:keep-alive", "content:ayuda a dormir\xC3\xA9 ñ €.",
    "finish:stop",          "usage:120/9/129",      "done"};

TEST(ChatStreamParserTest, ReadsTheOpenAiStream) {
  const Parsed p = Parse(OpenAiStream());
  EXPECT_EQ(p.error, "");
  EXPECT_EQ(p.events, kOpenAiEvents);
}

TEST(ChatStreamParserTest, SameEventsWhateverTheSlicesAndLineEndings) {
  std::string crlf;
  for (char c : OpenAiStream()) crlf += c == '\n' ? std::string("\r\n") : std::string(1, c);
  std::string cr;
  for (char c : OpenAiStream()) cr += c == '\n' ? '\r' : c;
  std::mt19937 random(15);
  for (const std::string& body : {OpenAiStream(), crlf, cr, "\xEF\xBB\xBF" + OpenAiStream()}) {
    for (std::size_t size : {1, 2, 3, 5, 7, 64}) {
      SCOPED_TRACE(size);
      EXPECT_EQ(ParseInSlices(body, {size}).events, kOpenAiEvents);
    }
    for (int round = 0; round < 20; ++round) {
      std::vector<std::size_t> sizes;
      for (int i = 0; i < 16; ++i) sizes.push_back(1 + random() % 40);
      EXPECT_EQ(ParseInSlices(body, sizes).events, kOpenAiEvents);
    }
  }
}

struct Case {
  const char* name;
  std::string body;
  std::vector<std::string> events;
  std::string error = "";  // a part of the expected error message
};

TEST(ChatStreamParserTest, WhatRealServersSend) {
  const Case cases[] = {
      {"multi-line data is joined with newlines (JSON allows them)",
       "data: {\"choices\":[{\"index\":0,\n" +
           std::string("data: \"delta\":{\"content\":\"a\"}}]}\n\n"),
       {"content:a"}},
      {"no space after the colon", "data:" + Chunk(R"({"content":"x"})") + "\n\n", {"content:x"}},
      {"null content (llama.cpp's role chunk) and empty content are skipped",
       "data: " + Chunk(R"({"role":"assistant","content":null})") +
           "\n\ndata: " + Chunk(R"({"content":""})") + "\n\n",
       {}},
      {"usage in the finish chunk (llama.cpp)",
       R"(data: {"choices":[{"index":0,"delta":{},"finish_reason":"length"}],)"
       R"("usage":{"prompt_tokens":5,"completion_tokens":7}})"
       "\n\n",
       {"finish:length", "usage:5/7/12"}},
      {"[DONE] without a final blank line (llama.cpp) is still seen",
       "data: " + Chunk(R"({"content":"x"})") + "\n\ndata: [DONE]",
       {"content:x", "done"}},
      {"bytes after [DONE] are ignored", "data: [DONE]\n\ndata: {broken\n\n", {"done"}},
      {"an error object mid-stream (vLLM, current llama.cpp)",
       "data: " + Chunk(R"({"content":"x"})") +
           "\n\ndata: {\"error\":{\"object\":\"error\",\"message\":\"boom\",\"type\":"
           "\"server_error\",\"code\":500}}\n\n",
       {"content:x", "error:server_error/500/boom"}},
      {"an error as plain text",
       "data: {\"error\":\"thinking budget not supported\"}\n\n",
       {"error://thinking budget not supported"}},
      {"vLLM's older error object",
       "data: {\"object\":\"error\",\"message\":\"too long\",\"type\":\"BadRequestError\","
       "\"code\":400}\n\n",
       {"error:BadRequestError/400/too long"}},
      {"event: error with the error in its data",
       "event: error\ndata: {\"message\":\"overloaded\",\"type\":\"overloaded_error\"}\n\n",
       {"error:overloaded_error//overloaded"}},
      {"the error: field of llama.cpp builds of 2025",
       "error: {\"code\":400,\"message\":\"the request exceeds the available context size\","
       "\"type\":\"invalid_request_error\"}\n\ndata: [DONE]\n\n",
       {"error:invalid_request_error/400/the request exceeds the available context size", "done"}},
      {"comments only are keep-alives, nothing else",
       ": ping\n\n:\n\n: ping - 2026-12-03 10:00:00\n\n",
       {"keepalive:ping", "keepalive:", "keepalive:ping - 2026-12-03 10:00:00"}},
      {"id, retry, other events and unknown fields are ignored",
       "id: 7\nretry: 1000\nevent: message\nfoo: bar\ndata: " + Chunk(R"({"content":"x"})") +
           "\n\nevent: ping\n\n",
       {"content:x"}},
      {"a refusal",
       "data: " + Chunk(R"({"refusal":"I can't help with that."})") + "\n\n",
       {"refusal:I can't help with that."}},
      {"other choices (n > 1) are ignored",
       R"(data: {"choices":[{"index":1,"delta":{"content":"no"}},{"index":0,"delta":{"content":"yes"}}]})"
       "\n\n",
       {"content:yes"}},
      {"a chunk that is not JSON",
       "data: {\"choices\":[{\"delta\":\n\n",
       {},
       "malformed stream: a data line that is not JSON"},
      {"a chunk that is not an object", "data: [1,2]\n\n", {}, "not a JSON object"},
      {"a chunk without choices or usage", "data: {\"id\":\"x\"}\n\n", {}, "without choices"},
      {"content that is not a string",
       "data: " + Chunk(R"({"content":5})") + "\n\n",
       {},
       "delta.content is not a string"},
      {"events before a malformed chunk are kept",
       "data: " + Chunk(R"({"content":"x"})") + "\n\ndata: nope\n\n",
       {"content:x"},
       "not JSON"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    for (std::size_t size : {std::size_t{1}, std::size_t{3}, c.body.size()}) {
      const Parsed p = ParseInSlices(c.body, {size});
      EXPECT_EQ(p.events, c.events);
      if (c.error.empty()) {
        EXPECT_EQ(p.error, "");
      } else {
        EXPECT_NE(p.error.find(c.error), std::string::npos) << p.error;
      }
    }
  }
}

TEST(ChatStreamParserTest, StaysFailedAfterAnError) {
  ChatStreamParser parser;
  std::vector<StreamEvent> events;
  EXPECT_FALSE(parser.Feed("data: nope\n\n", events));
  EXPECT_FALSE(parser.Feed("data: " + Chunk(R"({"content":"x"})") + "\n\n", events));
  EXPECT_FALSE(parser.Finish(events));
  EXPECT_TRUE(events.empty());
}

TEST(ChatStreamParserTest, LimitsLinesAndEvents) {
  ChatStreamParser parser(StreamParserOptions{.max_line_bytes = 64, .max_event_bytes = 100});
  std::vector<StreamEvent> events;
  auto r = parser.Feed("data: " + std::string(100, 'x'), events);
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("a line over 64 bytes"), std::string::npos);

  ChatStreamParser events_limited(
      StreamParserOptions{.max_line_bytes = 64, .max_event_bytes = 100});
  for (int i = 0; i < 3; ++i)
    r = events_limited.Feed("data: " + std::string(40, 'x') + "\n", events);
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("an event over 100 bytes"), std::string::npos);
}

TEST(ChatStreamParserTest, ReportsDone) {
  ChatStreamParser parser;
  std::vector<StreamEvent> events;
  ASSERT_TRUE(parser.Feed("data: [DO", events));
  EXPECT_FALSE(parser.done());
  ASSERT_TRUE(parser.Feed("NE]\r", events));
  EXPECT_FALSE(parser.done());  // the event ends at the blank line
  ASSERT_TRUE(parser.Feed("\n\r\n", events));
  EXPECT_TRUE(parser.done());
}

}  // namespace
}  // namespace vitarec::llm

namespace vitarec::llm {
namespace {

// Garbage in any slicing: the parser either fails cleanly or yields events, and never more
// events than the bytes could hold; nothing crashes.
TEST(ChatStreamParserTest, RandomBytesNeverBreakTheParser) {
  const std::vector<std::string> pieces = {"data:",
                                           " ",
                                           "{",
                                           "}",
                                           "\"choices\":[",
                                           "]",
                                           "\n",
                                           "\r",
                                           ":",
                                           "[DONE]",
                                           "\"delta\":{\"content\":\"x\"}",
                                           ",",
                                           "error:",
                                           "event: error\n",
                                           "\xEF\xBB",
                                           "\xBF"};
  std::mt19937 random(11);
  for (int round = 0; round < 3000; ++round) {
    const std::string body = testing::RandomText(random, pieces, 30);
    const Parsed whole = Parse(body);
    const Parsed sliced = ParseInSlices(body, {1 + random() % 5});
    EXPECT_LE(whole.events.size(), body.size());
    // Slicing never changes the outcome.
    EXPECT_EQ(whole.events, sliced.events) << body;
    EXPECT_EQ(whole.error.empty(), sliced.error.empty()) << body;
  }
}

}  // namespace
}  // namespace vitarec::llm
