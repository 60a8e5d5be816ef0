#include "core/Id.h"

#include <pthread.h>
#include <sys/random.h>

#include <array>
#include <atomic>
#include <cerrno>
#include <cstdint>
#include <cstdlib>
#include <cstring>

namespace vitarec::core {
namespace {

constexpr char kHex[] = "0123456789abcdef";

void FillRandom(unsigned char* data, std::size_t size) {
  std::size_t filled = 0;
  while (filled < size) {
    const ssize_t n = getrandom(data + filled, size - filled, 0);
    if (n < 0) {
      if (errno == EINTR) continue;
      std::abort();  // no randomness means no safe ids; nothing sensible to do
    }
    filled += static_cast<std::size_t>(n);
  }
}

// Random bytes are read from the kernel 4 KiB at a time, per thread: one getrandom(2) per 256
// ids instead of one per id (a system call per request was a measurable cost of a submit on a
// virtual machine). Bytes are wiped as they are handed out. A forked child discards what its
// parent had read, so the two never issue the same ids.
class RandomBuffer {
 public:
  void Take(unsigned char* out, std::size_t size) {
    const int generation = fork_generation.load(std::memory_order_relaxed);
    if (generation != generation_ || left_ < size) {
      FillRandom(bytes_.data(), bytes_.size());
      left_ = bytes_.size();
      generation_ = generation;
    }
    unsigned char* from = bytes_.data() + (bytes_.size() - left_);
    std::memcpy(out, from, size);
    explicit_bzero(from, size);
    left_ -= size;
  }

  static std::atomic<int> fork_generation;

 private:
  std::array<unsigned char, 4096> bytes_{};
  std::size_t left_ = 0;
  int generation_ = -1;
};

std::atomic<int> RandomBuffer::fork_generation{0};

RandomBuffer& ThreadRandomBuffer() {
  static const int registered = pthread_atfork(nullptr, nullptr, [] {
    RandomBuffer::fork_generation.fetch_add(1, std::memory_order_relaxed);
  });
  (void)registered;
  thread_local RandomBuffer buffer;
  return buffer;
}

}  // namespace

std::string NewId() {
  std::array<unsigned char, 16> bytes;
  ThreadRandomBuffer().Take(bytes.data(), bytes.size());
  bytes[6] = static_cast<unsigned char>((bytes[6] & 0x0f) | 0x40);  // version 4
  bytes[8] = static_cast<unsigned char>((bytes[8] & 0x3f) | 0x80);  // RFC 4122 variant
  std::string out;
  out.reserve(36);
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out.push_back('-');
    out.push_back(kHex[bytes[i] >> 4]);
    out.push_back(kHex[bytes[i] & 0x0f]);
  }
  return out;
}

std::optional<std::string> ParseId(std::string_view text) {
  if (text.size() != 36) return std::nullopt;
  std::string out(text);
  for (std::size_t i = 0; i < out.size(); ++i) {
    char& c = out[i];
    const bool dash_place = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash_place) {
      if (c != '-') return std::nullopt;
      continue;
    }
    if (c >= 'A' && c <= 'F') c = static_cast<char>(c - 'A' + 'a');
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return std::nullopt;
  }
  return out;
}

}  // namespace vitarec::core
