#include "geo/writer_preferring_mutex.h"

#include <cerrno>
#include <system_error>

namespace passerelle::geo {

namespace {

void Check(int error, const char* what) {
  if (error != 0) throw std::system_error(error, std::generic_category(), what);
}

}  // namespace

WriterPreferringMutex::WriterPreferringMutex() {
  pthread_rwlockattr_t attributes;
  Check(pthread_rwlockattr_init(&attributes), "pthread_rwlockattr_init");
  // glibc's only writer-preferring kind; "non-recursive" is the reader's promise above.
  Check(pthread_rwlockattr_setkind_np(&attributes, PTHREAD_RWLOCK_PREFER_WRITER_NONRECURSIVE_NP),
        "pthread_rwlockattr_setkind_np");
  const int error = pthread_rwlock_init(&lock_, &attributes);
  pthread_rwlockattr_destroy(&attributes);
  Check(error, "pthread_rwlock_init");
}

WriterPreferringMutex::~WriterPreferringMutex() { pthread_rwlock_destroy(&lock_); }

void WriterPreferringMutex::lock() { Check(pthread_rwlock_wrlock(&lock_), "pthread_rwlock_wrlock"); }

bool WriterPreferringMutex::try_lock() {
  const int error = pthread_rwlock_trywrlock(&lock_);
  if (error == EBUSY) return false;
  Check(error, "pthread_rwlock_trywrlock");
  return true;
}

void WriterPreferringMutex::unlock() { Check(pthread_rwlock_unlock(&lock_), "pthread_rwlock_unlock"); }

void WriterPreferringMutex::lock_shared() { Check(pthread_rwlock_rdlock(&lock_), "pthread_rwlock_rdlock"); }

bool WriterPreferringMutex::try_lock_shared() {
  const int error = pthread_rwlock_tryrdlock(&lock_);
  if (error == EBUSY) return false;
  Check(error, "pthread_rwlock_tryrdlock");
  return true;
}

void WriterPreferringMutex::unlock_shared() { Check(pthread_rwlock_unlock(&lock_), "pthread_rwlock_unlock"); }

}  // namespace passerelle::geo
