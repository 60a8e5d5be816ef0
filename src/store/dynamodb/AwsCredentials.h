// Where the DynamoDB store finds its AWS credentials: the standard environment variables
// (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN), else the shared credentials
// file (AWS_SHARED_CREDENTIALS_FILE, default ~/.aws/credentials) at the profile AWS_PROFILE
// (default "default"). The region likewise: the URL's `region`, else AWS_REGION, else
// AWS_DEFAULT_REGION. Never logs or returns a secret in an error message.
#pragma once

#include <string>

#include "core/Error.h"
#include "net/SigV4.h"

namespace vitarec::store::dynamodb {

// kUnavailable (the message says where it looked) when no credentials are found.
core::Result<net::AwsCredentials> LoadAwsCredentials();

// The region from the environment, or empty.
std::string RegionFromEnvironment();

}  // namespace vitarec::store::dynamodb
