#include "core/Metrics.h"

#include <cstdio>

namespace vitarec::core {
namespace {

std::string FormatNumber(double value) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.17g", value);
  return buf;
}

}  // namespace

void RenderHeader(std::string& out, std::string_view name, std::string_view type,
                  std::string_view help) {
  out += "# HELP ";
  out += name;
  out += ' ';
  out += help;
  out += "\n# TYPE ";
  out += name;
  out += ' ';
  out += type;
  out += '\n';
}

void RenderSample(std::string& out, std::string_view name, std::string_view labels, double value) {
  out += name;
  if (!labels.empty()) {
    out += '{';
    out += labels;
    out += '}';
  }
  out += ' ';
  out += FormatNumber(value);
  out += '\n';
}

void DurationHistogram::Render(std::string& out, std::string_view name,
                               std::string_view labels) const {
  const std::string bucket = std::string(name) + "_bucket";
  const std::string prefix = labels.empty() ? std::string() : std::string(labels) + ",";
  std::uint64_t cumulative = 0;
  for (std::size_t i = 0; i <= kBounds.size(); ++i) {
    cumulative += buckets_[i].load(std::memory_order_relaxed);
    char bound[32];
    std::snprintf(bound, sizeof bound, "%g", i < kBounds.size() ? kBounds[i] : 0.0);
    const std::string le = i < kBounds.size() ? bound : "+Inf";
    RenderSample(out, bucket, prefix + "le=\"" + le + "\"", static_cast<double>(cumulative));
  }
  RenderSample(out, std::string(name) + "_sum", labels,
               static_cast<double>(sum_ns_.load(std::memory_order_relaxed)) / 1e9);
  RenderSample(out, std::string(name) + "_count", labels, static_cast<double>(cumulative));
}

}  // namespace vitarec::core
