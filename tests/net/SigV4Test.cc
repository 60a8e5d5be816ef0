// SigV4 against AWS's published test vectors (tests/net/sigv4-vectors, header signing).
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <fstream>
#include <sstream>

#include "net/SigV4.h"

namespace vitarec::net {
namespace {

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

// request.txt: "METHOD TARGET HTTP/1.1", "Name:value" lines, an empty line, the body.
SigV4Input ParseRequest(const std::string& text) {
  SigV4Input input;
  std::istringstream in(text);
  std::string line;
  std::getline(in, line);
  std::istringstream first(line);
  std::string target;
  first >> input.method >> target;
  const std::size_t question = target.find('?');
  input.path = target.substr(0, question);
  if (question != std::string::npos) input.query = target.substr(question + 1);
  std::size_t consumed = line.size() + 1;
  while (std::getline(in, line)) {
    consumed += line.size() + 1;
    if (line.empty()) break;
    const std::size_t colon = line.find(':');
    const std::string name = line.substr(0, colon);
    const std::string value = line.substr(colon + 1);
    if (name == "Host") {
      input.host = value;
    } else {
      input.headers.emplace_back(name, value);
    }
  }
  static std::string body;  // SigV4Input holds a view
  body = consumed < text.size() ? text.substr(consumed) : "";
  input.body = body;
  return input;
}

class SigV4VectorTest : public ::testing::TestWithParam<std::string> {};

TEST_P(SigV4VectorTest, CanonicalRequestAndSignatureMatchTheVector) {
  const std::string dir = std::string(VITAREC_SIGV4_VECTORS) + "/" + GetParam() + "/";
  const auto context = boost::json::parse(ReadFile(dir + "context.json")).as_object();
  const auto& creds = context.at("credentials").as_object();
  AwsCredentials credentials{std::string(creds.at("access_key_id").as_string()),
                             std::string(creds.at("secret_access_key").as_string()), ""};
  if (creds.contains("token")) credentials.session_token = creds.at("token").as_string();
  const SigV4Scope scope{std::string(context.at("region").as_string()),
                         std::string(context.at("service").as_string())};
  SigV4Input input = ParseRequest(ReadFile(dir + "request.txt"));
  input.sign_body = context.at("sign_body").as_bool();
  // "2015-08-30T12:36:00Z"
  const core::TimePoint time = core::FromUnixMillis(1440938160000);
  ASSERT_EQ(std::string(context.at("timestamp").as_string()), "2015-08-30T12:36:00Z");

  const SigV4Result signed_request = SignV4(input, credentials, scope, time);

  std::string expected_canonical = ReadFile(dir + "header-canonical-request.txt");
  std::string expected_signature = ReadFile(dir + "header-signature.txt");
  while (!expected_signature.empty() && std::isspace(expected_signature.back()))
    expected_signature.pop_back();
  EXPECT_EQ(signed_request.canonical_request, expected_canonical);
  EXPECT_EQ(signed_request.signature, expected_signature);
  const auto authorization =
      std::find_if(signed_request.headers.begin(), signed_request.headers.end(),
                   [](const auto& h) { return h.first == "Authorization"; });
  ASSERT_NE(authorization, signed_request.headers.end());
  EXPECT_NE(authorization->second.find("Signature=" + expected_signature), std::string::npos);
  EXPECT_EQ(authorization->second.find(credentials.secret_access_key), std::string::npos);
}

INSTANTIATE_TEST_SUITE_P(AwsSuite, SigV4VectorTest,
                         ::testing::Values("get-vanilla", "post-vanilla",
                                           "post-x-www-form-urlencoded",
                                           "get-vanilla-with-session-token", "post-header-key-sort",
                                           "get-vanilla-query-order-key-case"),
                         [](const auto& info) {
                           std::string name = info.param;
                           std::erase(name, '-');
                           return name;
                         });

TEST(Sha256HexTest, HashesTheEmptyString) {
  EXPECT_EQ(Sha256Hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

}  // namespace
}  // namespace vitarec::net
