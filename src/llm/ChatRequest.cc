#include "llm/ChatRequest.h"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <boost/url/parse.hpp>
#include <charconv>

namespace vitarec::llm {

std::string Endpoint::ChatCompletionsTarget() const {
  std::string target = base_path + "/chat/completions";
  if (!query.empty()) target += "?" + query;
  return target;
}

std::string Endpoint::HostHeader() const {
  const bool ipv6 = host.find(':') != std::string::npos;
  std::string out = ipv6 ? "[" + host + "]" : host;
  if (port != (tls ? 443 : 80)) out += ":" + std::to_string(port);
  return out;
}

core::Result<Endpoint> ParseEndpoint(std::string_view base_url) {
  auto bad = [](std::string why) {
    return core::Fail(core::ErrorCode::kInvalidArgument, "--llm-url " + why, "llm_url");
  };
  auto parsed = boost::urls::parse_absolute_uri(base_url);
  if (!parsed) return bad("is not an absolute URL");
  const boost::urls::url_view& url = *parsed;
  Endpoint e;
  if (url.scheme_id() == boost::urls::scheme::https) {
    e.tls = true;
  } else if (url.scheme_id() != boost::urls::scheme::http) {
    return bad("must start with http:// or https://");
  }
  if (url.has_userinfo()) return bad("must not hold credentials (use VITAREC_LLM_API_KEY)");
  if (url.has_fragment()) return bad("must not have a fragment");
  if (url.host_type() == boost::urls::host_type::ipv6) {
    e.host = std::string(url.encoded_host_address());
  } else {
    e.host = std::string(url.encoded_host());
  }
  if (e.host.empty()) return bad("has no host");
  if (url.has_port()) {
    const std::string_view port = url.port();
    if (port.empty() || port.size() > 5) return bad("has an invalid port");
    unsigned n = 0;
    const auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), n);
    if (ec != std::errc() || end != port.data() + port.size() || n == 0 || n > 65535)
      return bad("has an invalid port");
    e.port = static_cast<std::uint16_t>(n);
  } else {
    e.port = e.tls ? 443 : 80;
  }
  e.base_path = std::string(url.encoded_path());
  while (!e.base_path.empty() && e.base_path.back() == '/') e.base_path.pop_back();
  if (url.has_query()) e.query = std::string(url.encoded_query());
  return e;
}

std::string ChatRequestBody(const ChatRequest& request) {
  boost::json::array messages;
  for (const ChatMessage& m : request.messages)
    messages.emplace_back(boost::json::object{{"role", m.role}, {"content", m.content}});
  boost::json::object body;
  body["model"] = request.model;
  body["messages"] = std::move(messages);
  body["stream"] = true;
  body["stream_options"] = boost::json::object{{"include_usage", true}};
  const char* limit = request.max_tokens_field == MaxTokensField::kMaxCompletionTokens
                          ? "max_completion_tokens"
                          : "max_tokens";
  body[limit] = request.max_tokens;
  body["temperature"] = request.temperature;
  return boost::json::serialize(body);
}

std::vector<HttpHeader> ChatRequestHeaders(const Endpoint& endpoint, std::string_view api_key,
                                           std::size_t body_size) {
  std::vector<HttpHeader> headers = {
      {"Host", endpoint.HostHeader()}, {"Content-Type", "application/json"},
      {"Accept", "text/event-stream"}, {"Content-Length", std::to_string(body_size)},
      {"User-Agent", "vitarec"},
  };
  if (!api_key.empty()) headers.push_back({"Authorization", "Bearer " + std::string(api_key)});
  return headers;
}

}  // namespace vitarec::llm
