#include "cli/ProgressBar.h"

#include <algorithm>

namespace vitarec::cli {

void ProgressBar::Update(int progress, const std::string& message) {
  progress = std::clamp(progress, 0, 100);
  if (progress == last_progress_ && message == last_message_) return;
  last_progress_ = progress;
  last_message_ = message;
  if (!tty_) {
    std::fprintf(out_, "%3d%% %s\n", progress, message.c_str());
    std::fflush(out_);
    return;
  }
  constexpr int kWidth = 30;
  const int filled = progress * kWidth / 100;
  std::string bar(static_cast<std::size_t>(filled), '#');
  bar.append(static_cast<std::size_t>(kWidth - filled), '-');
  std::fprintf(out_, "\r\033[2K[%s] %3d%%  %s", bar.c_str(), progress, message.c_str());
  std::fflush(out_);
  drawn_ = true;
}

void ProgressBar::Finish() {
  if (tty_ && drawn_) {
    std::fputc('\n', out_);
    std::fflush(out_);
  }
  drawn_ = false;
}

}  // namespace vitarec::cli
