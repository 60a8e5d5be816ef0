#include "net/SigV4.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/sha.h>

#include <algorithm>
#include <cctype>
#include <ctime>
#include <map>

namespace vitarec::net {
namespace {

std::string Hex(const unsigned char* data, std::size_t size) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(size * 2);
  for (std::size_t i = 0; i < size; ++i) {
    out += kDigits[data[i] >> 4];
    out += kDigits[data[i] & 0xf];
  }
  return out;
}

std::string Hmac(std::string_view key, std::string_view data) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  ::HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
         reinterpret_cast<const unsigned char*>(data.data()), data.size(), out, &size);
  return std::string(reinterpret_cast<const char*>(out), size);
}

std::string Lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

// Header values: leading and trailing spaces removed, inner runs of spaces collapsed to one.
std::string TrimValue(std::string_view value) {
  std::string out;
  bool space = false;
  for (char c : value) {
    if (c == ' ' || c == '\t') {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += c;
  }
  return out;
}

// The query's parameters sorted by name, then value (each already encoded).
std::string CanonicalQuery(std::string_view query) {
  std::vector<std::pair<std::string, std::string>> params;
  while (!query.empty()) {
    const std::size_t amp = query.find('&');
    std::string_view part = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    if (part.empty()) continue;
    const std::size_t eq = part.find('=');
    params.emplace_back(std::string(part.substr(0, eq)),
                        eq == std::string_view::npos ? "" : std::string(part.substr(eq + 1)));
  }
  std::sort(params.begin(), params.end());
  std::string out;
  for (const auto& [name, value] : params) {
    if (!out.empty()) out += '&';
    out += name + "=" + value;
  }
  return out;
}

}  // namespace

std::string Sha256Hex(std::string_view data) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  ::SHA256(reinterpret_cast<const unsigned char*>(data.data()), data.size(), digest);
  return Hex(digest, sizeof digest);
}

SigV4Result SignV4(const SigV4Input& input, const AwsCredentials& credentials,
                   const SigV4Scope& scope, core::TimePoint time) {
  const std::time_t seconds = static_cast<std::time_t>(core::ToUnixMillis(time) / 1000);
  std::tm utc{};
  ::gmtime_r(&seconds, &utc);
  char stamp[17];
  std::strftime(stamp, sizeof stamp, "%Y%m%dT%H%M%SZ", &utc);
  const std::string amz_date = stamp;
  const std::string date = amz_date.substr(0, 8);
  const std::string payload_hash = Sha256Hex(input.body);

  SigV4Result result;
  result.headers.emplace_back("X-Amz-Date", amz_date);
  if (!credentials.session_token.empty()) {
    result.headers.emplace_back("X-Amz-Security-Token", credentials.session_token);
  }
  if (input.sign_body) result.headers.emplace_back("X-Amz-Content-Sha256", payload_hash);

  // Values of one name are joined with commas in their order (the spec's rule for repeats).
  std::map<std::string, std::string> canonical;
  auto add = [&](std::string_view name, std::string_view value) {
    std::string& slot = canonical[Lower(name)];
    if (!slot.empty()) slot += ',';
    slot += TrimValue(value);
  };
  add("host", input.host);
  for (const auto& [name, value] : input.headers) add(name, value);
  for (const auto& [name, value] : result.headers) add(name, value);
  std::string canonical_headers;
  std::string signed_headers;
  for (const auto& [name, value] : canonical) {
    canonical_headers += name + ":" + value + "\n";
    if (!signed_headers.empty()) signed_headers += ';';
    signed_headers += name;
  }

  result.canonical_request = input.method + "\n" + (input.path.empty() ? "/" : input.path) + "\n" +
                             CanonicalQuery(input.query) + "\n" + canonical_headers + "\n" +
                             signed_headers + "\n" + payload_hash;
  const std::string credential_scope =
      date + "/" + scope.region + "/" + scope.service + "/aws4_request";
  result.string_to_sign = "AWS4-HMAC-SHA256\n" + amz_date + "\n" + credential_scope + "\n" +
                          Sha256Hex(result.canonical_request);
  const std::string signing_key = Hmac(
      Hmac(Hmac(Hmac("AWS4" + credentials.secret_access_key, date), scope.region), scope.service),
      "aws4_request");
  const std::string mac = Hmac(signing_key, result.string_to_sign);
  result.signature = Hex(reinterpret_cast<const unsigned char*>(mac.data()), mac.size());
  result.headers.emplace_back("Authorization",
                              "AWS4-HMAC-SHA256 Credential=" + credentials.access_key_id + "/" +
                                  credential_scope + ", SignedHeaders=" + signed_headers +
                                  ", Signature=" + result.signature);
  return result;
}

}  // namespace vitarec::net
