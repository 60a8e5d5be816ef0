#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

#include "llm/ChatRequest.h"

namespace vitarec::llm {
namespace {

struct EndpointCase {
  std::string url;
  bool tls;
  std::string host;
  int port;
  std::string target;
  std::string host_header;
};

TEST(ChatRequestTest, EndpointsOfTheKnownServers) {
  const EndpointCase cases[] = {
      {"https://api.openai.com/v1", true, "api.openai.com", 443, "/v1/chat/completions",
       "api.openai.com"},
      {"http://127.0.0.1:8000/v1", false, "127.0.0.1", 8000, "/v1/chat/completions",
       "127.0.0.1:8000"},  // vLLM
      {"http://localhost:8080/v1/", false, "localhost", 8080, "/v1/chat/completions",
       "localhost:8080"},  // llama.cpp, trailing slash
      {"http://127.0.0.1:11434/v1", false, "127.0.0.1", 11434, "/v1/chat/completions",
       "127.0.0.1:11434"},  // Ollama
      {"http://[::1]:9000", false, "::1", 9000, "/chat/completions", "[::1]:9000"},
      {"https://x.example/openai/deployments/d?api-version=2024-06-01", true, "x.example", 443,
       "/openai/deployments/d/chat/completions?api-version=2024-06-01", "x.example"},
      {"http://h.example:80/v1", false, "h.example", 80, "/v1/chat/completions", "h.example"},
  };
  for (const EndpointCase& c : cases) {
    SCOPED_TRACE(c.url);
    auto e = ParseEndpoint(c.url);
    ASSERT_TRUE(e) << e.error().message;
    EXPECT_EQ(e->tls, c.tls);
    EXPECT_EQ(e->host, c.host);
    EXPECT_EQ(e->port, c.port);
    EXPECT_EQ(e->ChatCompletionsTarget(), c.target);
    EXPECT_EQ(e->HostHeader(), c.host_header);
  }
}

TEST(ChatRequestTest, RejectsUrlsItCannotUse) {
  for (const char* url : {"ftp://h/v1", "127.0.0.1:8000/v1", "http:///v1", "https://u:p@h/v1",
                          "http://h:0/v1", "http://h:70000/v1", "http://h/v1#x", "not a url"}) {
    SCOPED_TRACE(url);
    auto e = ParseEndpoint(url);
    ASSERT_FALSE(e);
    EXPECT_EQ(e.error().code, core::ErrorCode::kInvalidArgument);
    EXPECT_EQ(e.error().field, "llm_url");
  }
}

TEST(ChatRequestTest, BodyAsksForAStreamWithUsage) {
  ChatRequest request;
  request.model = "gpt-4o-mini";
  request.messages = {{"system", "Eres \"útil\"."}, {"user", "línea 1\nlínea 2"}};
  request.max_tokens = 321;
  request.temperature = 0.25;
  const boost::json::value body = boost::json::parse(ChatRequestBody(request));
  EXPECT_EQ(body.at("model").as_string(), "gpt-4o-mini");
  EXPECT_EQ(body.at("stream").as_bool(), true);
  EXPECT_EQ(body.at("stream_options").at("include_usage").as_bool(), true);
  EXPECT_EQ(body.at("max_tokens").to_number<int>(), 321);
  EXPECT_FALSE(body.as_object().contains("max_completion_tokens"));
  EXPECT_DOUBLE_EQ(body.at("temperature").to_number<double>(), 0.25);
  const auto& messages = body.at("messages").as_array();
  ASSERT_EQ(messages.size(), 2u);
  EXPECT_EQ(messages[0].at("role").as_string(), "system");
  EXPECT_EQ(messages[0].at("content").as_string(), "Eres \"útil\".");
  EXPECT_EQ(messages[1].at("content").as_string(), "línea 1\nlínea 2");

  request.max_tokens_field = MaxTokensField::kMaxCompletionTokens;
  const boost::json::value newer = boost::json::parse(ChatRequestBody(request));
  EXPECT_EQ(newer.at("max_completion_tokens").to_number<int>(), 321);
  EXPECT_FALSE(newer.as_object().contains("max_tokens"));
}

TEST(ChatRequestTest, HeadersCarryTheKeyOnlyWhenThereIsOne) {
  const Endpoint e = *ParseEndpoint("http://127.0.0.1:8000/v1");
  auto find = [](const std::vector<HttpHeader>& headers, const std::string& name) {
    for (const HttpHeader& h : headers)
      if (h.name == name) return h.value;
    return std::string("(absent)");
  };
  const auto with_key = ChatRequestHeaders(e, "sk-test", 42);
  EXPECT_EQ(find(with_key, "Host"), "127.0.0.1:8000");
  EXPECT_EQ(find(with_key, "Content-Type"), "application/json");
  EXPECT_EQ(find(with_key, "Accept"), "text/event-stream");
  EXPECT_EQ(find(with_key, "Content-Length"), "42");
  EXPECT_EQ(find(with_key, "Authorization"), "Bearer sk-test");
  EXPECT_EQ(find(ChatRequestHeaders(e, "", 42), "Authorization"), "(absent)");
}

}  // namespace
}  // namespace vitarec::llm
