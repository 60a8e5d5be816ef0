// What a non-200 answer of the chat-completions endpoint means: the CallFailure of an HTTP status
// and its body. OpenAI, vLLM, llama.cpp and Ollama answer JSON {"error": {"message", "type",
// "code", "param"}}; a proxy may answer HTML or nothing, which leaves type and code empty.
#pragma once

#include <string_view>

#include "core/Clock.h"
#include "llm/CallFailure.h"

namespace vitarec::llm {

// `retry_after` and `retry_after_ms` are the header values, empty when absent; retry-after-ms
// (OpenAI's) wins when both parse. The body is read, never kept.
CallFailure FailureFromHttp(int status, std::string_view body, std::string_view retry_after,
                            std::string_view retry_after_ms, core::TimePoint now);

}  // namespace vitarec::llm
