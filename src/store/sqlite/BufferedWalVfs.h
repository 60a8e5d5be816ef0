// A SQLite VFS that writes the WAL of a transaction with one system call instead of two per page.
//
// SQLite appends each WAL frame with two pwrite calls (its 24-byte header, then the page), so a
// group commit of 30 inserts costs ~150 system calls, and on a virtual machine a system call is
// expensive: it was the largest single cost of the store's writer (docs/BENCHMARKS.md). This
// VFS wraps the default one ("unix"). Files other than WAL files are the default's own objects,
// untouched. A WAL file opened through it keeps contiguous appends in a buffer and writes them
// out with one pwrite when the transaction syncs the WAL, and before anything else touches the
// file (a read, a write elsewhere, a truncation, its size, a file control, closing).
//
// Why that is safe: a committed frame becomes visible to other connections only when the
// committing connection updates the shared WAL index, after it synced the WAL. So the VFS must
// only be used by connections with synchronous=FULL or EXTRA, where every commit syncs the WAL
// (SqliteConnection::Open refuses anything else). A write error comes back from that sync, that
// is from the COMMIT, which then fails like any other I/O error.
//
// Deferred sync: while a DeferredWalSync is alive on a thread, a WAL sync on that thread writes
// the buffer out but skips the fsync. The store's writer holds one around its COMMIT only, and
// its sync thread fsyncs the WAL before any caller learns of the commit (store/WriteQueue.h).
#pragma once

namespace vitarec::store::sqlite {

// The name to pass to sqlite3_open_v2; registers the VFS on first use (thread-safe).
const char* BufferedWalVfsName();

// See above. Nests; not movable.
class DeferredWalSync {
 public:
  explicit DeferredWalSync(bool active);
  DeferredWalSync(const DeferredWalSync&) = delete;
  DeferredWalSync& operator=(const DeferredWalSync&) = delete;
  ~DeferredWalSync();

 private:
  const bool active_;
};

}  // namespace vitarec::store::sqlite
