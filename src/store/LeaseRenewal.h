// What one lease of a batch renewal (Store::RenewLeases) answers inside a backend: whether the
// job's cancellation was requested (the lease is extended either way), or why the lease was not
// renewed.
#pragma once

#include <vector>

#include "core/Error.h"

namespace vitarec::store {

using RenewalOutcome = core::Result<bool>;
using RenewalOutcomes = std::vector<RenewalOutcome>;

// True for the answers of a fenced write that concern its lease (kLeaseLost, kNotFound,
// kCancelled) and are given per lease; any other error is the database's and fails the batch.
inline bool IsLeaseAnswer(const core::Error& error) {
  return error.code == core::ErrorCode::kLeaseLost || error.code == core::ErrorCode::kNotFound ||
         error.code == core::ErrorCode::kCancelled;
}

}  // namespace vitarec::store
