#include "store/postgres/PgChanges.h"

#include <charconv>

namespace vitarec::store::postgres {

std::vector<std::string> EncodePayloads(const std::vector<JobChange>& changes) {
  std::vector<std::string> payloads;
  std::string current;
  for (const JobChange& change : changes) {
    std::string line = change.id + " " + std::to_string(change.version) + " " +
                       std::string(JobStateName(change.state));
    if (!current.empty() && current.size() + 1 + line.size() > kMaxPayload) {
      payloads.push_back(std::move(current));
      current.clear();
    }
    if (!current.empty()) current += '\n';
    current += line;
  }
  if (!current.empty()) payloads.push_back(std::move(current));
  return payloads;
}

std::vector<JobChange> DecodePayload(std::string_view payload) {
  std::vector<JobChange> changes;
  while (!payload.empty()) {
    const std::size_t end = payload.find('\n');
    std::string_view line = payload.substr(0, end);
    payload = end == std::string_view::npos ? std::string_view() : payload.substr(end + 1);
    const std::size_t first = line.find(' ');
    const std::size_t second = line.rfind(' ');
    if (first == std::string_view::npos || second <= first) continue;
    JobChange change;
    change.id = std::string(line.substr(0, first));
    const std::string_view version = line.substr(first + 1, second - first - 1);
    if (std::from_chars(version.data(), version.data() + version.size(), change.version).ec !=
        std::errc()) {
      continue;
    }
    const auto state = ParseJobState(line.substr(second + 1));
    if (!state) continue;
    change.state = *state;
    changes.push_back(std::move(change));
  }
  return changes;
}

}  // namespace vitarec::store::postgres
