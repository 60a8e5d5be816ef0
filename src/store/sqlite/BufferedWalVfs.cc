#include "store/sqlite/BufferedWalVfs.h"

#include <sqlite3.h>

#include <cstddef>
#include <cstring>
#include <stdexcept>
#include <string>

namespace vitarec::store::sqlite {
namespace {

// Writes larger than this, or that would make the buffer larger, go out at once. A group
// commit of 256 operations writes a few hundred pages, well below it.
constexpr int kBufferCapacity = 4 << 20;
// The most the default VFS writes in one call: its pwrite wrapper keeps only the low 17 bits of
// the size (0x1ffff), so a larger write comes back short and is reported as SQLITE_FULL.
constexpr int kMaxWrite = 124 << 10;

thread_local int t_deferred_syncs = 0;

// The VFS's own part of a WAL file; the default VFS's file object follows it in memory.
struct WalFile {
  sqlite3_file base;  // pMethods = kWalMethods
  sqlite3_file* inner;
  char* buffer;  // kBufferCapacity bytes, allocated on the first write
  int used;
  sqlite3_int64 start;  // file offset of buffer[0]
};

constexpr std::size_t kInnerOffset = (sizeof(WalFile) + alignof(std::max_align_t) - 1) /
                                     alignof(std::max_align_t) * alignof(std::max_align_t);

WalFile* Wal(sqlite3_file* file) { return reinterpret_cast<WalFile*>(file); }
sqlite3_file* Inner(sqlite3_file* file) { return Wal(file)->inner; }

// Writes `amount` bytes at `offset` through the default VFS, in pieces it accepts.
int WriteThrough(WalFile* wal, const char* data, int amount, sqlite3_int64 offset) {
  while (amount > 0) {
    const int piece = amount < kMaxWrite ? amount : kMaxWrite;
    if (const int rc = wal->inner->pMethods->xWrite(wal->inner, data, piece, offset);
        rc != SQLITE_OK) {
      return rc;
    }
    data += piece;
    offset += piece;
    amount -= piece;
  }
  return SQLITE_OK;
}

int Flush(WalFile* wal) {
  if (wal->used == 0) return SQLITE_OK;
  const int used = wal->used;
  wal->used = 0;  // written or failed: a failed write fails its transaction, which is rolled back
  return WriteThrough(wal, wal->buffer, used, wal->start);
}

int WalClose(sqlite3_file* file) {
  WalFile* wal = Wal(file);
  const int flushed = Flush(wal);
  const int closed = wal->inner->pMethods->xClose(wal->inner);
  sqlite3_free(wal->buffer);
  wal->buffer = nullptr;
  return flushed != SQLITE_OK ? flushed : closed;
}

int WalRead(sqlite3_file* file, void* out, int amount, sqlite3_int64 offset) {
  if (const int rc = Flush(Wal(file)); rc != SQLITE_OK) return rc;
  return Inner(file)->pMethods->xRead(Inner(file), out, amount, offset);
}

int WalWrite(sqlite3_file* file, const void* data, int amount, sqlite3_int64 offset) {
  WalFile* wal = Wal(file);
  const bool appends = wal->used > 0 && offset == wal->start + wal->used;
  if (appends && wal->used + amount <= kBufferCapacity) {
    std::memcpy(wal->buffer + wal->used, data, static_cast<std::size_t>(amount));
    wal->used += amount;
    return SQLITE_OK;
  }
  if (const int rc = Flush(wal); rc != SQLITE_OK) return rc;
  if (amount > kBufferCapacity / 2) {
    return WriteThrough(wal, static_cast<const char*>(data), amount, offset);
  }
  if (wal->buffer == nullptr) {
    wal->buffer = static_cast<char*>(sqlite3_malloc(kBufferCapacity));
    if (wal->buffer == nullptr) return SQLITE_NOMEM;
  }
  std::memcpy(wal->buffer, data, static_cast<std::size_t>(amount));
  wal->used = amount;
  wal->start = offset;
  return SQLITE_OK;
}

int WalTruncate(sqlite3_file* file, sqlite3_int64 size) {
  if (const int rc = Flush(Wal(file)); rc != SQLITE_OK) return rc;
  return Inner(file)->pMethods->xTruncate(Inner(file), size);
}

int WalSync(sqlite3_file* file, int flags) {
  if (const int rc = Flush(Wal(file)); rc != SQLITE_OK) return rc;
  if (t_deferred_syncs > 0) return SQLITE_OK;
  return Inner(file)->pMethods->xSync(Inner(file), flags);
}

int WalFileSize(sqlite3_file* file, sqlite3_int64* size) {
  if (const int rc = Flush(Wal(file)); rc != SQLITE_OK) return rc;
  return Inner(file)->pMethods->xFileSize(Inner(file), size);
}

int WalLock(sqlite3_file* file, int level) {
  return Inner(file)->pMethods->xLock(Inner(file), level);
}

int WalUnlock(sqlite3_file* file, int level) {
  return Inner(file)->pMethods->xUnlock(Inner(file), level);
}

int WalCheckReservedLock(sqlite3_file* file, int* out) {
  return Inner(file)->pMethods->xCheckReservedLock(Inner(file), out);
}

int WalFileControl(sqlite3_file* file, int op, void* arg) {
  if (const int rc = Flush(Wal(file)); rc != SQLITE_OK) return rc;
  return Inner(file)->pMethods->xFileControl(Inner(file), op, arg);
}

int WalSectorSize(sqlite3_file* file) { return Inner(file)->pMethods->xSectorSize(Inner(file)); }

int WalDeviceCharacteristics(sqlite3_file* file) {
  return Inner(file)->pMethods->xDeviceCharacteristics(Inner(file));
}

// Version 1: a WAL file is never memory-mapped and has no shared memory of its own.
const sqlite3_io_methods kWalMethods = {
    .iVersion = 1,
    .xClose = WalClose,
    .xRead = WalRead,
    .xWrite = WalWrite,
    .xTruncate = WalTruncate,
    .xSync = WalSync,
    .xFileSize = WalFileSize,
    .xLock = WalLock,
    .xUnlock = WalUnlock,
    .xCheckReservedLock = WalCheckReservedLock,
    .xFileControl = WalFileControl,
    .xSectorSize = WalSectorSize,
    .xDeviceCharacteristics = WalDeviceCharacteristics,
    .xShmMap = nullptr,
    .xShmLock = nullptr,
    .xShmBarrier = nullptr,
    .xShmUnmap = nullptr,
    .xFetch = nullptr,
    .xUnfetch = nullptr,
};

sqlite3_vfs* Base(sqlite3_vfs* vfs) { return static_cast<sqlite3_vfs*>(vfs->pAppData); }

int Open(sqlite3_vfs* vfs, sqlite3_filename name, sqlite3_file* file, int flags, int* out_flags) {
  sqlite3_vfs* base = Base(vfs);
  // Everything but a WAL file is the default VFS's own object, in the memory SQLite gave us.
  if ((flags & SQLITE_OPEN_WAL) == 0) return base->xOpen(base, name, file, flags, out_flags);
  WalFile* wal = Wal(file);
  wal->base.pMethods = nullptr;
  wal->inner = reinterpret_cast<sqlite3_file*>(reinterpret_cast<char*>(file) + kInnerOffset);
  wal->inner->pMethods = nullptr;
  wal->buffer = nullptr;
  wal->used = 0;
  wal->start = 0;
  const int rc = base->xOpen(base, name, wal->inner, flags, out_flags);
  if (rc != SQLITE_OK) {
    if (wal->inner->pMethods != nullptr) wal->inner->pMethods->xClose(wal->inner);
    return rc;
  }
  wal->base.pMethods = &kWalMethods;
  return SQLITE_OK;
}

int Delete(sqlite3_vfs* vfs, const char* name, int sync_dir) {
  return Base(vfs)->xDelete(Base(vfs), name, sync_dir);
}
int Access(sqlite3_vfs* vfs, const char* name, int flags, int* out) {
  return Base(vfs)->xAccess(Base(vfs), name, flags, out);
}
int FullPathname(sqlite3_vfs* vfs, const char* name, int size, char* out) {
  return Base(vfs)->xFullPathname(Base(vfs), name, size, out);
}
void* DlOpen(sqlite3_vfs* vfs, const char* name) { return Base(vfs)->xDlOpen(Base(vfs), name); }
void DlError(sqlite3_vfs* vfs, int size, char* out) { Base(vfs)->xDlError(Base(vfs), size, out); }
void (*DlSym(sqlite3_vfs* vfs, void* handle, const char* symbol))(void) {
  return Base(vfs)->xDlSym(Base(vfs), handle, symbol);
}
void DlClose(sqlite3_vfs* vfs, void* handle) { Base(vfs)->xDlClose(Base(vfs), handle); }
int Randomness(sqlite3_vfs* vfs, int size, char* out) {
  return Base(vfs)->xRandomness(Base(vfs), size, out);
}
int Sleep(sqlite3_vfs* vfs, int micros) { return Base(vfs)->xSleep(Base(vfs), micros); }
int CurrentTime(sqlite3_vfs* vfs, double* out) { return Base(vfs)->xCurrentTime(Base(vfs), out); }
int GetLastError(sqlite3_vfs* vfs, int size, char* out) {
  return Base(vfs)->xGetLastError(Base(vfs), size, out);
}
int CurrentTimeInt64(sqlite3_vfs* vfs, sqlite3_int64* out) {
  return Base(vfs)->xCurrentTimeInt64(Base(vfs), out);
}

sqlite3_vfs* Register() {
  sqlite3_vfs* base = sqlite3_vfs_find(nullptr);
  if (base == nullptr || base->iVersion < 2) {
    throw std::runtime_error("sqlite: no default VFS of version 2 or later");
  }
  static sqlite3_vfs vfs{};
  vfs.iVersion = 2;
  vfs.szOsFile = static_cast<int>(kInnerOffset) + base->szOsFile;
  vfs.mxPathname = base->mxPathname;
  vfs.zName = "vitarec-buffered-wal";
  vfs.pAppData = base;
  vfs.xOpen = Open;
  vfs.xDelete = Delete;
  vfs.xAccess = Access;
  vfs.xFullPathname = FullPathname;
  vfs.xDlOpen = DlOpen;
  vfs.xDlError = DlError;
  vfs.xDlSym = DlSym;
  vfs.xDlClose = DlClose;
  vfs.xRandomness = Randomness;
  vfs.xSleep = Sleep;
  vfs.xCurrentTime = CurrentTime;
  vfs.xGetLastError = GetLastError;
  vfs.xCurrentTimeInt64 = CurrentTimeInt64;
  if (const int rc = sqlite3_vfs_register(&vfs, /*makeDflt=*/0); rc != SQLITE_OK) {
    throw std::runtime_error(std::string("sqlite: cannot register the buffered WAL VFS: ") +
                             sqlite3_errstr(rc));
  }
  return &vfs;
}

}  // namespace

const char* BufferedWalVfsName() {
  static const sqlite3_vfs* const vfs = Register();
  return vfs->zName;
}

DeferredWalSync::DeferredWalSync(bool active) : active_(active) {
  if (active_) ++t_deferred_syncs;
}

DeferredWalSync::~DeferredWalSync() {
  if (active_) --t_deferred_syncs;
}

}  // namespace vitarec::store::sqlite
