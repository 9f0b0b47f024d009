#pragma once

#include <pthread.h>

namespace passerelle::geo {

// A readers–writer lock on which a waiting writer blocks new readers. std::shared_mutex does not
// promise that: with glibc it prefers readers, so a steady stream of searches whose lock holds
// overlap (two cores, a few request threads) starves an import or an edit indefinitely. Here a
// writer waits only for the readers already inside. Readers must not take it recursively (a
// second lock_shared() in the same thread while a writer waits deadlocks). Meets the
// SharedMutex requirements, for std::unique_lock and std::shared_lock.
class WriterPreferringMutex {
 public:
  WriterPreferringMutex();
  ~WriterPreferringMutex();
  WriterPreferringMutex(const WriterPreferringMutex&) = delete;
  WriterPreferringMutex& operator=(const WriterPreferringMutex&) = delete;

  void lock();
  bool try_lock();
  void unlock();
  void lock_shared();
  // False when a writer holds the lock or waits for it.
  bool try_lock_shared();
  void unlock_shared();

 private:
  pthread_rwlock_t lock_;
};

}  // namespace passerelle::geo
