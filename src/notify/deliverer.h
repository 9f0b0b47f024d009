#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <mutex>
#include <string>
#include <thread>

#include "notify/smtp.h"
#include "storage/database.h"

// Delivery of the outbox (docs/notifications.md). At most once: a row is claimed in a committed
// transaction (a conditional UPDATE whose affected-row count says who won) before any SMTP
// conversation, and marked sent after it. A row whose sender died between the two is never
// resent automatically: it becomes `unknown`. A row made final (sent, failed, unknown) keeps its
// Paris day only, in the same transaction (CoarsenFinalTimes, outbox.h).
namespace passerelle::notify {

struct DeliveryPolicy {
  std::chrono::seconds first_retry{60};  // after the first failure; doubled at each failure…
  std::chrono::seconds max_retry{3600};  // …up to this
  int max_attempts = 30;                 // then `failed` (about a day of retries)
  // A claim older than this belongs to a sender that died mid-send (a live one gives up after
  // SmtpSettings::total_timeout, far shorter): the row becomes `unknown`, never resent.
  std::chrono::seconds stale_claim{600};
  std::size_t batch = 50;  // rows looked at per DeliverDue
};

struct DeliveryCounts {
  std::size_t sent = 0;
  std::size_t retry_later = 0;  // temporary failure, rescheduled
  std::size_t failed = 0;       // refused for good, or out of attempts
  std::size_t unknown = 0;      // interrupted mid-send (now or by a dead sender): not resent
  std::size_t skipped = 0;      // claimed by another deliverer first
};

// The wait before the attempt after `attempts` failed ones: first_retry · 2^(attempts-1), capped.
std::chrono::seconds RetryDelay(const DeliveryPolicy& policy, int attempts);

class Deliverer {
 public:
  Deliverer(storage::Database& db, SmtpSettings smtp, std::string public_url, DeliveryPolicy policy = {});

  // Delivers the rows due at `now` (one SMTP conversation each; stops early when the server is
  // unusable, leaving the others for later). Database failures are thrown.
  DeliveryCounts DeliverDue(std::chrono::system_clock::time_point now);

 private:
  storage::Database& db_;
  SmtpSettings smtp_;
  std::string public_url_;
  DeliveryPolicy policy_;
  std::string instance_;  // random: which process holds a claim
};

// Calls `deliverer.DeliverDue(now)` every `interval` on a thread of its own until destroyed
// (for `serve`); failures are logged and the loop goes on.
class DeliveryLoop {
 public:
  DeliveryLoop(Deliverer& deliverer, std::chrono::milliseconds interval);
  ~DeliveryLoop();  // stops and joins (waits for the SMTP conversation under way, if any)
  DeliveryLoop(const DeliveryLoop&) = delete;
  DeliveryLoop& operator=(const DeliveryLoop&) = delete;

 private:
  void Run();
  Deliverer& deliverer_;
  std::chrono::milliseconds interval_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace passerelle::notify
