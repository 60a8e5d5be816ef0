#include "llm/ChatStreamParser.h"

#include <boost/json/parse.hpp>
#include <boost/json/value.hpp>

namespace vitarec::llm {
namespace {

namespace json = boost::json;

constexpr std::string_view kBom = "\xEF\xBB\xBF";

// A string member, a number written in decimal, or "" for null or absent.
std::string Text(const json::object& obj, std::string_view key) {
  const json::value* v = obj.if_contains(key);
  if (v == nullptr) return "";
  if (v->is_string()) return std::string(v->get_string());
  if (v->is_int64()) return std::to_string(v->get_int64());
  if (v->is_uint64()) return std::to_string(v->get_uint64());
  return "";
}

std::int64_t Count(const json::object& obj, std::string_view key) {
  const json::value* v = obj.if_contains(key);
  if (v == nullptr) return 0;
  if (v->is_int64()) return v->get_int64();
  if (v->is_uint64()) return static_cast<std::int64_t>(v->get_uint64());
  return 0;
}

// The error an `error` member (object or plain text) or an error event's payload describes.
StreamEvent ErrorEvent(const json::value& error) {
  StreamEvent e;
  e.kind = StreamEventKind::kError;
  if (error.is_string()) {
    e.error.message = std::string(error.get_string());
  } else if (error.is_object()) {
    e.error.message = Text(error.get_object(), "message");
    e.error.type = Text(error.get_object(), "type");
    e.error.code = Text(error.get_object(), "code");
  }
  if (e.error.message.empty()) e.error.message = "the server reported an error";
  return e;
}

}  // namespace

core::Result<void> ChatStreamParser::Failed(std::string why) {
  failure_ = core::MakeError(core::ErrorCode::kInvalidArgument, "malformed stream: " + why);
  return core::Fail(*failure_);
}

core::Result<void> ChatStreamParser::Feed(std::string_view bytes, std::vector<StreamEvent>& out) {
  if (failure_) return core::Fail(*failure_);
  if (done_) return {};
  while (at_start_ && !bytes.empty()) {
    // A leading BOM is skipped; it may itself arrive split.
    if (bytes.front() == kBom[bom_matched_]) {
      bytes.remove_prefix(1);
      if (++bom_matched_ == kBom.size()) at_start_ = false;
      continue;
    }
    at_start_ = false;  // not a BOM: the bytes matched so far begin the first line
    line_.assign(kBom.substr(0, bom_matched_));
  }
  while (!bytes.empty() && !done_) {
    if (after_cr_ && bytes.front() == '\n') bytes.remove_prefix(1);
    after_cr_ = false;
    const std::size_t end = bytes.find_first_of("\r\n");
    if (end == std::string_view::npos) {
      if (line_.size() + bytes.size() > options_.max_line_bytes)
        return Failed("a line over " + std::to_string(options_.max_line_bytes) + " bytes");
      line_.append(bytes);
      return {};
    }
    after_cr_ = bytes[end] == '\r';
    core::Result<void> r;
    if (line_.empty()) {
      r = Line(bytes.substr(0, end), out);
    } else {
      line_.append(bytes.substr(0, end));
      const std::string line = std::move(line_);
      line_.clear();
      r = Line(line, out);
    }
    if (!r) return r;
    bytes.remove_prefix(end + 1);
  }
  return {};
}

core::Result<void> ChatStreamParser::Finish(std::vector<StreamEvent>& out) {
  if (failure_) return core::Fail(*failure_);
  if (done_) return {};
  if (at_start_) line_.assign(kBom.substr(0, bom_matched_));  // a body shorter than a BOM
  if (!line_.empty()) {
    const std::string line = std::move(line_);
    line_.clear();
    if (auto r = Line(line, out); !r) return r;
  }
  return Dispatch(out);
}

core::Result<void> ChatStreamParser::Line(std::string_view line, std::vector<StreamEvent>& out) {
  if (done_) return {};
  if (line.empty()) return Dispatch(out);
  if (line.front() == ':') {
    std::string_view comment = line.substr(1);
    if (!comment.empty() && comment.front() == ' ') comment.remove_prefix(1);
    out.push_back(StreamEvent{StreamEventKind::kKeepAlive, std::string(comment), {}, {}});
    return {};
  }
  const std::size_t colon = line.find(':');
  const std::string_view field = line.substr(0, colon);
  std::string_view value = colon == std::string_view::npos ? "" : line.substr(colon + 1);
  if (!value.empty() && value.front() == ' ') value.remove_prefix(1);
  if (field == "data") {
    if (has_data_) data_ += '\n';
    if (data_.size() + value.size() > options_.max_event_bytes)
      return Failed("an event over " + std::to_string(options_.max_event_bytes) + " bytes");
    data_.append(value);
    has_data_ = true;
  } else if (field == "event") {
    event_type_ = std::string(value);
  } else if (field == "error") {
    error_field_ = std::string(value);
  }
  return {};
}

core::Result<void> ChatStreamParser::Dispatch(std::vector<StreamEvent>& out) {
  const std::string data = std::move(data_);
  const bool has_data = has_data_;
  const bool error_event = event_type_ == "error";
  const std::string error_field = std::move(error_field_);
  data_.clear();
  error_field_.clear();
  event_type_.clear();
  has_data_ = false;
  if (!error_field.empty()) {
    if (auto r = Chunk(error_field, true, out); !r) return r;
  }
  if (!has_data) return {};
  if (data == "[DONE]") {
    out.push_back(StreamEvent{StreamEventKind::kDone, {}, {}, {}});
    done_ = true;
    return {};
  }
  return Chunk(data, error_event, out);
}

core::Result<void> ChatStreamParser::Chunk(std::string_view data, bool error_event,
                                           std::vector<StreamEvent>& out) {
  boost::system::error_code ec;
  const json::value v = json::parse(data, ec);
  if (ec) {
    if (error_event) {
      // An error event whose data is plain text: the text is the message.
      out.push_back(ErrorEvent(json::value(json::string(data.substr(0, 500)))));
      return {};
    }
    return Failed("a data line that is not JSON (" + ec.message() + ")");
  }
  if (!v.is_object()) return Failed("a data line that is not a JSON object");
  const json::object& chunk = v.get_object();
  if (const json::value* error = chunk.if_contains("error"); error && !error->is_null()) {
    out.push_back(ErrorEvent(*error));
    return {};
  }
  if (error_event || Text(chunk, "object") == "error") {
    out.push_back(ErrorEvent(v));
    return {};
  }
  const json::value* choices = chunk.if_contains("choices");
  const json::value* usage = chunk.if_contains("usage");
  const bool has_usage = usage != nullptr && !usage->is_null();
  if (choices == nullptr && !has_usage) return Failed("a chunk without choices");
  if (choices != nullptr && !choices->is_array()) return Failed("choices is not an array");
  if (choices != nullptr) {
    for (const json::value& c : choices->get_array()) {
      if (!c.is_object()) return Failed("a choice that is not an object");
      const json::object& choice = c.get_object();
      if (const json::value* index = choice.if_contains("index");
          index && !(index->is_int64() && index->get_int64() == 0) &&
          !(index->is_uint64() && index->get_uint64() == 0))
        continue;  // only the first choice is asked for (n = 1)
      if (const json::value* delta = choice.if_contains("delta"); delta && !delta->is_null()) {
        if (!delta->is_object()) return Failed("a delta that is not an object");
        for (const auto& [key, kind] : {std::pair{"content", StreamEventKind::kContent},
                                        std::pair{"refusal", StreamEventKind::kRefusal}}) {
          const json::value* text = delta->get_object().if_contains(key);
          if (text == nullptr || text->is_null()) continue;
          if (!text->is_string()) return Failed(std::string("delta.") + key + " is not a string");
          if (!text->get_string().empty())
            out.push_back(StreamEvent{kind, std::string(text->get_string()), {}, {}});
        }
      }
      if (const json::value* finish = choice.if_contains("finish_reason");
          finish && !finish->is_null()) {
        if (!finish->is_string()) return Failed("finish_reason is not a string");
        out.push_back(
            StreamEvent{StreamEventKind::kFinish, std::string(finish->get_string()), {}, {}});
      }
    }
  }
  if (has_usage) {
    if (!usage->is_object()) return Failed("usage is not an object");
    const json::object& u = usage->get_object();
    StreamEvent e;
    e.kind = StreamEventKind::kUsage;
    e.usage = {Count(u, "prompt_tokens"), Count(u, "completion_tokens"), Count(u, "total_tokens")};
    if (e.usage.total_tokens == 0)
      e.usage.total_tokens = e.usage.prompt_tokens + e.usage.completion_tokens;
    out.push_back(e);
  }
  return {};
}

}  // namespace vitarec::llm
