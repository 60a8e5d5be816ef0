// Small helpers for the threads the service starts.
#pragma once

#include <string_view>

namespace vitarec::core {

// Names the calling thread (as `top -H`, `ps -L`, perf and gdb show it); Linux keeps the first
// 15 bytes. Best effort: a failure is ignored.
void NameThisThread(std::string_view name);

// Lowers the scheduling priority of the calling thread to `nice` (Linux schedules threads one
// by one, so only this thread changes). True on success or when `nice` is 0; raising a
// priority again (a smaller value) needs privileges and fails.
bool SetThisThreadNice(int nice);

}  // namespace vitarec::core
