#include "store/dynamodb/AwsCredentials.h"

#include <cstdlib>
#include <fstream>

namespace vitarec::store::dynamodb {
namespace {

std::string Env(const char* name) {
  const char* value = std::getenv(name);
  return value != nullptr ? value : "";
}

std::string Trim(const std::string& text) {
  const auto begin = text.find_first_not_of(" \t\r");
  if (begin == std::string::npos) return "";
  const auto end = text.find_last_not_of(" \t\r");
  return text.substr(begin, end - begin + 1);
}

}  // namespace

core::Result<net::AwsCredentials> LoadAwsCredentials() {
  net::AwsCredentials credentials{Env("AWS_ACCESS_KEY_ID"), Env("AWS_SECRET_ACCESS_KEY"),
                                  Env("AWS_SESSION_TOKEN")};
  if (!credentials.access_key_id.empty() && !credentials.secret_access_key.empty()) {
    return credentials;
  }
  std::string path = Env("AWS_SHARED_CREDENTIALS_FILE");
  if (path.empty() && !Env("HOME").empty()) path = Env("HOME") + "/.aws/credentials";
  std::string profile = Env("AWS_PROFILE");
  if (profile.empty()) profile = "default";
  std::ifstream in(path);
  net::AwsCredentials from_file;
  bool in_profile = false;
  for (std::string line; std::getline(in, line);) {
    line = Trim(line);
    if (line.empty() || line[0] == '#' || line[0] == ';') continue;
    if (line.front() == '[') {
      in_profile = Trim(line.substr(1, line.find(']') - 1)) == profile;
      continue;
    }
    if (!in_profile) continue;
    const auto eq = line.find('=');
    if (eq == std::string::npos) continue;
    const std::string key = Trim(line.substr(0, eq));
    const std::string value = Trim(line.substr(eq + 1));
    if (key == "aws_access_key_id") from_file.access_key_id = value;
    if (key == "aws_secret_access_key") from_file.secret_access_key = value;
    if (key == "aws_session_token") from_file.session_token = value;
  }
  if (!from_file.access_key_id.empty() && !from_file.secret_access_key.empty()) return from_file;
  return core::Fail(core::ErrorCode::kUnavailable,
                    "no AWS credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, or "
                    "give profile [" +
                        profile + "] in " +
                        (path.empty() ? std::string("~/.aws/credentials") : path));
}

std::string RegionFromEnvironment() {
  std::string region = Env("AWS_REGION");
  return region.empty() ? Env("AWS_DEFAULT_REGION") : region;
}

}  // namespace vitarec::store::dynamodb
