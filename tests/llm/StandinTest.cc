// The protocol half of the model step against the stand-in server (standin/server.mjs), over a
// real socket: our request is accepted, and what the server sends in each mode parses into the
// events, failures and retry decisions the pipeline will act on.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

#include "llm/ChatRequest.h"
#include "llm/ChatStreamParser.h"
#include "llm/HttpFailure.h"
#include "llm/KbSupport.h"
#include "llm/NarrativeAttempt.h"
#include "llm/NarrativePrompt.h"
#include "llm/RetryPolicy.h"
#include "llm/StandinServer.h"

namespace vitarec::llm {
namespace {

using std::chrono::milliseconds;
using testing::StandinServer;

constexpr const char* kKey = "sk-standin-test";

StandinServer& Server() {
  static StandinServer server({"--require-key", kKey});
  return server;
}

struct Outcome {
  testing::RawResponse response;
  std::vector<StreamEvent> events;
  std::string parse_error;
  std::string content;  // the kContent texts joined
  int keepalives = 0;
};

std::vector<ChatMessage> SimpleMessages() {
  return {{"system", "Eres un asistente que explica recomendaciones."},
          {"user", "Magnesio: 200 mg una vez al día."}};
}

Outcome Call(const std::string& model, int max_tokens = 200, std::string key = kKey,
             milliseconds quiet = milliseconds(3000),
             std::vector<ChatMessage> messages = SimpleMessages(),
             const std::function<void(std::string_view)>& also = {}) {
  ChatRequest request;
  request.model = model;
  request.messages = std::move(messages);
  request.max_tokens = max_tokens;
  const std::string body = ChatRequestBody(request);
  const Endpoint endpoint =
      *ParseEndpoint("http://127.0.0.1:" + std::to_string(Server().port()) + "/v1");
  std::vector<std::pair<std::string, std::string>> headers;
  for (const HttpHeader& h : ChatRequestHeaders(endpoint, key, body.size()))
    headers.emplace_back(h.name, h.value);
  Outcome out;
  ChatStreamParser parser;
  // In all at most ten quiet periods: the keep-alive mode never goes quiet.
  out.response =
      testing::PostChat(Server().port(), body, headers, quiet, quiet * 10, [&](std::string_view b) {
        if (also) also(b);
        if (!out.parse_error.empty()) return;
        if (auto r = parser.Feed(b, out.events); !r) out.parse_error = r.error().message;
      });
  if (out.response.status == 200 && out.response.ended && out.parse_error.empty()) {
    if (auto r = parser.Finish(out.events); !r) out.parse_error = r.error().message;
  }
  for (const StreamEvent& e : out.events) {
    if (e.kind == StreamEventKind::kContent) out.content += e.text;
    if (e.kind == StreamEventKind::kKeepAlive) ++out.keepalives;
  }
  return out;
}

int Count(const Outcome& o, StreamEventKind kind) {
  int n = 0;
  for (const StreamEvent& e : o.events) n += e.kind == kind;
  return n;
}

std::string Finish(const Outcome& o) {
  for (const StreamEvent& e : o.events)
    if (e.kind == StreamEventKind::kFinish) return e.text;
  return "";
}

CallFailure FailureOf(const testing::RawResponse& r) {
  auto header = [&](const std::string& name) {
    return r.headers.contains(name) ? r.headers.at(name) : std::string();
  };
  return FailureFromHttp(r.status, r.body, header("retry-after"), header("retry-after-ms"),
                         core::SystemClock().Now());
}

class StandinTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_NE(Server().port(), 0) << "the stand-in did not start"; }
};

TEST_F(StandinTest, NormalStreamInTheExactFormat) {
  for (const char* model :
       {"normal:chunks=6", "normal:chunks=6:crlf=1", "normal:chunks=6:delay_ms=5"}) {
    SCOPED_TRACE(model);
    const Outcome o = Call(model);
    EXPECT_EQ(o.response.status, 200);
    EXPECT_EQ(o.response.headers.at("content-type").rfind("text/event-stream", 0), 0u);
    EXPECT_TRUE(o.response.ended);
    EXPECT_EQ(o.parse_error, "");
    EXPECT_EQ(Count(o, StreamEventKind::kContent), 6);
    EXPECT_EQ(Finish(o), "stop");
    ASSERT_EQ(Count(o, StreamEventKind::kUsage), 1);
    EXPECT_EQ(o.events.back().kind, StreamEventKind::kDone);
    EXPECT_EQ(o.events[o.events.size() - 2].usage.completion_tokens, 6);
    EXPECT_NE(o.content.find("La dosis indicada es 200 mg."), std::string::npos) << o.content;
  }
  // The request it received is the one we built.
  const boost::json::value last =
      boost::json::parse(testing::Get(Server().port(), "/last-request"));
  EXPECT_EQ(last.at("body").at("stream").as_bool(), true);
  EXPECT_EQ(last.at("body").at("stream_options").at("include_usage").as_bool(), true);
  EXPECT_EQ(last.at("authorization").as_bool(), true);
  EXPECT_EQ(last.at("accept").as_string(), "text/event-stream");
}

TEST_F(StandinTest, TheTokenLimitCutsWithFinishReasonLength) {
  const Outcome o = Call("normal:chunks=20", 5);
  EXPECT_EQ(Count(o, StreamEventKind::kContent), 5);
  EXPECT_EQ(Finish(o), "length");
  EXPECT_TRUE(o.events.back().kind == StreamEventKind::kDone);
}

TEST_F(StandinTest, OverlongAnswerIgnoresTheLimit) {
  const Outcome o = Call("overlong:chunks=3000", 50);
  EXPECT_EQ(o.parse_error, "");
  EXPECT_EQ(Count(o, StreamEventKind::kContent), 3000);
}

TEST_F(StandinTest, WrongDoseNarrative) {
  const Outcome o = Call("wrong_dose");
  EXPECT_NE(o.content.find("2000 mg"), std::string::npos) << o.content;
}

TEST_F(StandinTest, ErrorStatusesAndWhatTheyMeanForRetries) {
  const RetryOptions options;
  const struct {
    std::string model;
    std::string key;
    int status;
    bool retry;
    std::int64_t delay_ms;  // when retry and the server said how long
    std::string label;
  } cases[] = {
      {"rate_limit:retry_after=3", kKey, 429, true, 3000, "http_429"},
      {"rate_limit:retry_after=90", kKey, 429, false, 0, "http_429"},  // over the cap
      {"quota", kKey, 429, false, 0, "http_429_quota"},
      {"server_error", kKey, 500, true, -1, "http_500"},
      {"bad_request", kKey, 400, false, 0, "http_400"},
      {"normal", "sk-wrong", 401, false, 0, "http_401"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.model);
    const Outcome o = Call(c.model, 200, c.key);
    ASSERT_EQ(o.response.status, c.status);
    EXPECT_EQ(o.response.headers.at("content-type"), "application/json");
    const CallFailure f = FailureOf(o.response);
    EXPECT_EQ(FailureLabel(f), c.label);
    const RetryDecision d = DecideRetry(f, 1, milliseconds(60000), 0.5, options);
    EXPECT_EQ(d.retry, c.retry) << d.why;
    if (c.retry && c.delay_ms >= 0) {
      EXPECT_EQ(d.delay.count(), c.delay_ms);
    }
  }
}

TEST_F(StandinTest, FailuresMidStream) {
  {
    const Outcome o = Call("stream_error:before=2");
    EXPECT_EQ(Count(o, StreamEventKind::kContent), 2);
    ASSERT_EQ(Count(o, StreamEventKind::kError), 1);
    for (const StreamEvent& e : o.events)
      if (e.kind == StreamEventKind::kError) {
        EXPECT_EQ(e.error.type, "server_error");
      }
  }
  {
    const Outcome o = Call("malformed:before=2");
    EXPECT_EQ(Count(o, StreamEventKind::kContent), 2);
    EXPECT_NE(o.parse_error.find("malformed stream"), std::string::npos);
  }
  {
    const Outcome o = Call("reset:before=2");
    EXPECT_EQ(Count(o, StreamEventKind::kContent), 2);
    EXPECT_TRUE(o.response.reset);
    EXPECT_FALSE(o.response.ended);
    EXPECT_EQ(Count(o, StreamEventKind::kDone), 0);
  }
}

// The three silent modes, each observed for a short real-time window (a real server and socket:
// no fake clock reaches them).
TEST_F(StandinTest, SilentServers) {
  {
    const Outcome o = Call("hang", 200, kKey, milliseconds(300));
    EXPECT_TRUE(o.response.timed_out);
    EXPECT_EQ(o.response.status, 0);  // not even the headers
  }
  {
    const Outcome o = Call("stall:before=2", 200, kKey, milliseconds(300));
    EXPECT_TRUE(o.response.timed_out);
    EXPECT_EQ(o.response.status, 200);
    EXPECT_EQ(Count(o, StreamEventKind::kContent), 2);
    EXPECT_EQ(Count(o, StreamEventKind::kDone), 0);
  }
  {
    const Outcome o = Call("keepalive:keepalive_ms=20", 200, kKey, milliseconds(100));
    EXPECT_FALSE(o.response.ended);
    EXPECT_EQ(o.response.status, 200);
    EXPECT_GE(o.keepalives, 3);
    EXPECT_EQ(Count(o, StreamEventKind::kContent), 0);  // comments are not progress
  }
}

// The whole pure path: the grounded prompt of a real result goes out, the stream comes back in
// small pieces, and the guardrail releases it, or refuses it before the wrong sentence shows.
TEST_F(StandinTest, GroundedPromptStreamAndGuardrail) {
  const struct {
    std::string query, locale, model;
    bool rejected;
  } cases[] = {
      {"magnesio", "es", "normal:chunks=30", false},
      {"vitamin d", "en", "normal:chunks=30:crlf=1", false},
      {"magnesio", "es", "wrong_dose:chunks=30", true},
      {"vitamin d", "en", "wrong_dose:chunks=30", true},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.model + " " + c.query);
    const boost::json::object result = testing::Recommend(c.query, c.locale);
    const GroundingFacts facts = FactsOf(result, testing::Names());
    const NarrativePrompt prompt =
        BuildNarrativePrompt(*PromptTemplate::Embedded(c.locale), result, facts, testing::Names());
    core::FakeClock clock;
    NarrativeAttempt attempt(facts, testing::Names(), AttemptOptions{}, clock.Now());
    attempt.Connected(clock.Now());
    std::string shown;
    const Outcome o =
        Call(c.model, 200, kKey, milliseconds(3000), prompt.Messages(),
             [&](std::string_view bytes) { shown += attempt.Body(bytes, clock.Now()); });
    if (o.response.ended) shown += attempt.EndOfBody(clock.Now());
    ASSERT_EQ(o.parse_error, "");
    EXPECT_EQ(attempt.Reason(), c.rejected ? "inconsistent" : "");
    EXPECT_EQ(attempt.Status(), c.rejected ? "unavailable" : "complete");
    EXPECT_EQ(shown, attempt.text());
    if (c.rejected) {
      EXPECT_EQ(shown.find("dos"), std::string::npos) << shown;  // "La dosis indicada es..."
      EXPECT_EQ(shown.find("dose"), std::string::npos) << shown;
      EXPECT_FALSE(shown.empty());  // the sentence before it was fine
    } else {
      EXPECT_EQ(shown, o.content);
      EXPECT_NE(shown.find(c.locale == "es" ? "200 mg" : "25 mcg"), std::string::npos) << shown;
      ASSERT_TRUE(attempt.usage());
      EXPECT_EQ(attempt.usage()->completion_tokens, 30);
    }
  }
}

TEST_F(StandinTest, NothingLeaksOnTheServer) {
  Call("normal");
  Call("stall", 200, kKey, milliseconds(100));
  Call("hang", 200, kKey, milliseconds(100));
  // Our sockets are closed; the server notices within a few milliseconds.
  boost::json::value stats;
  for (int i = 0; i < 100; ++i) {
    stats = boost::json::parse(testing::Get(Server().port(), "/stats"));
    if (stats.at("active_streams").to_number<int>() == 0 &&
        stats.at("open_connections").to_number<int>() <= 1)
      break;
    ::usleep(20'000);
  }
  EXPECT_EQ(stats.at("active_streams").to_number<int>(), 0);
  EXPECT_LE(stats.at("open_connections").to_number<int>(), 1);  // the /stats request itself
}

}  // namespace
}  // namespace vitarec::llm
