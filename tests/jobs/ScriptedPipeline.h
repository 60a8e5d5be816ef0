// A test-only pipeline: the stages each test declares (CPU steps, timed waits, failures), which
// record what ran and on which thread. That the runtime runs it at all shows it knows nothing
// of recommendations.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/json/array.hpp>
#include <boost/json/serialize.hpp>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "jobs/Pipeline.h"

namespace vitarec::jobs::testing {

struct Step {
  enum class Kind { kCpu, kWait };
  std::string name;
  int progress = 0;
  Kind kind = Kind::kCpu;
  core::Millis wait{0};                    // kWait
  std::optional<core::ErrorCode> failure;  // the step fails with this code
  bool raise = false;                      // the step throws
};

inline Step Cpu(std::string name, int progress) {
  Step step;
  step.name = std::move(name);
  step.progress = progress;
  return step;
}
inline Step Wait(std::string name, int progress, core::Millis wait) {
  Step step = Cpu(std::move(name), progress);
  step.kind = Step::Kind::kWait;
  step.wait = wait;
  return step;
}

class ScriptedPipeline final : public Pipeline {
 public:
  explicit ScriptedPipeline(std::vector<Step> steps) : steps_(std::move(steps)) {
    texts_.queued = {{"es", "En cola"}, {"en", "Queued"}};
    texts_.done = {{"es", "Listo"}, {"en", "Done"}};
    texts_.failed = {{"es", "Falló"}, {"en", "Failed"}};
    texts_.retrying = {{"es", "Reintentando"}, {"en", "Retrying"}};
    texts_.cancelled = {{"es", "Cancelado"}, {"en", "Cancelled"}};
    for (std::size_t i = 0; i < steps_.size(); ++i) {
      const Step& step = steps_[i];
      Stage stage;
      stage.name = step.name;
      stage.progress = step.progress;
      stage.message = {{"es", step.name + " (es)"}, {"en", step.name + " (en)"}};
      if (step.kind == Step::Kind::kCpu) {
        stage.cpu = [this, i](JobWork& work) { return Run(static_cast<Work&>(work), i); };
      } else {
        stage.async = [this, i](JobWork* work,
                                StageIo io) -> boost::asio::awaitable<core::Result<void>> {
          Note(static_cast<Work&>(*work), steps_[i].name + ":start");
          const bool due = co_await io.timers->WaitFor(steps_[i].wait);
          if (!due) co_return core::Fail(core::ErrorCode::kCancelled, "wait cancelled");
          co_return Run(static_cast<Work&>(*work), i);
        };
      }
      stages_.push_back(std::move(stage));
    }
  }

  const std::vector<Stage>& stages() const override { return stages_; }
  const LifecycleTexts& texts() const override { return texts_; }
  core::Result<std::unique_ptr<JobWork>> Begin(const store::Job& job) const override {
    return std::unique_ptr<JobWork>(std::make_unique<Work>(job.id));
  }

  // Every step that ran, of every job, as "name" (or "name:start" when a wait began).
  std::vector<std::string> Ran() const {
    std::lock_guard lock(mu_);
    return ran_;
  }
  // The threads the CPU steps and the waits ran on.
  std::vector<std::thread::id> CpuThreads() const {
    std::lock_guard lock(mu_);
    return cpu_threads_;
  }
  std::vector<std::thread::id> WaitThreads() const {
    std::lock_guard lock(mu_);
    return wait_threads_;
  }

 private:
  struct Work final : JobWork {
    explicit Work(std::string id) : id(std::move(id)) {}
    core::Result<std::string> Result() override { return boost::json::serialize(steps); }
    std::string id;
    boost::json::array steps;
  };

  void Note(Work& work, const std::string& what) const {
    std::lock_guard lock(mu_);
    ran_.push_back(what);
    wait_threads_.push_back(std::this_thread::get_id());
    (void)work;
  }

  core::Result<void> Run(Work& work, std::size_t i) const {
    const Step& step = steps_[i];
    {
      std::lock_guard lock(mu_);
      ran_.push_back(step.name);
      if (step.kind == Step::Kind::kCpu) cpu_threads_.push_back(std::this_thread::get_id());
    }
    if (step.raise) throw std::runtime_error("boom in " + step.name);
    if (step.failure) return core::Fail(*step.failure, step.name + " failed");
    work.steps.emplace_back(step.name);
    return {};
  }

  const std::vector<Step> steps_;
  LifecycleTexts texts_;
  std::vector<Stage> stages_;
  mutable std::mutex mu_;
  mutable std::vector<std::string> ran_;               // guarded by mu_
  mutable std::vector<std::thread::id> cpu_threads_;   // guarded by mu_
  mutable std::vector<std::thread::id> wait_threads_;  // guarded by mu_
};

}  // namespace vitarec::jobs::testing
