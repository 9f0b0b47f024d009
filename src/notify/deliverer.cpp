#include "notify/deliverer.h"

#include <spdlog/spdlog.h>

#include <optional>
#include <vector>

#include "core/crypto.h"
#include "core/unix_time.h"
#include "notify/message.h"
#include "notify/outbox.h"

namespace passerelle::notify {

namespace {

using core::UnixSeconds;

// Row by row (ordered, so that two instances lock them in the same order), so that each row
// made `unknown` has its times coarsened in the same transaction (CoarsenFinalTimes).
constexpr const char* kSelectStale =
    "SELECT id FROM outbox WHERE status = 'sending' AND claimed_at < :stale_before ORDER BY id";
constexpr const char* kMarkStale =
    "UPDATE outbox SET status = 'unknown', last_error = 'interrupted'"
    " WHERE id = :id AND status = 'sending' AND claimed_at < :stale_before";
constexpr const char* kSelectDue =
    "SELECT id FROM outbox WHERE status = 'pending' AND next_attempt_at <= :now"
    " ORDER BY next_attempt_at, created_at, id LIMIT :batch";
// The claim: only one UPDATE can move a pending row to sending; its affected-row count tells the
// winner. Committed before the SMTP conversation starts.
constexpr const char* kClaim =
    "UPDATE outbox SET status = 'sending', claimed_by = :me, claimed_at = :now, attempts = attempts + 1"
    " WHERE id = :id AND status = 'pending' AND next_attempt_at <= :now2";
constexpr const char* kSelectClaimed = "SELECT recipient, kind, attempts, link_path FROM outbox WHERE id = :id";
constexpr const char* kMarkSent =
    "UPDATE outbox SET status = 'sent', sent_at = :now, last_error = NULL WHERE id = :id AND claimed_by = :me";
constexpr const char* kMarkFinal =
    "UPDATE outbox SET status = :status, last_error = :error WHERE id = :id AND claimed_by = :me";
constexpr const char* kReschedule =
    "UPDATE outbox SET status = 'pending', next_attempt_at = :next, last_error = :error, claimed_by = NULL,"
    " claimed_at = NULL WHERE id = :id AND claimed_by = :me";

struct Claimed {
  std::string recipient;
  std::string kind;
  int attempts = 0;
  std::optional<std::string> link_path;
};

}  // namespace

std::chrono::seconds RetryDelay(const DeliveryPolicy& policy, int attempts) {
  std::chrono::seconds delay = policy.first_retry;
  for (int i = 1; i < attempts && delay < policy.max_retry; ++i) delay *= 2;
  return std::min(delay, policy.max_retry);
}

Deliverer::Deliverer(storage::Database& db, SmtpSettings smtp, std::string public_url, DeliveryPolicy policy)
    : db_(db),
      smtp_(std::move(smtp)),
      public_url_(std::move(public_url)),
      policy_(policy),
      instance_(core::RandomHex(8)) {}

DeliveryCounts Deliverer::DeliverDue(std::chrono::system_clock::time_point now) {
  DeliveryCounts counts;
  const long long now_s = UnixSeconds(now);

  const long long stale_before = now_s - policy_.stale_claim.count();
  counts.unknown += db_.InTransaction([&](soci::session& sql) {
    std::vector<std::string> stale;
    {
      std::string id;
      soci::statement select = (sql.prepare << kSelectStale, soci::use(stale_before), soci::into(id));
      select.execute();
      while (select.fetch()) stale.push_back(id);
    }
    std::size_t marked = 0;
    for (const std::string& id : stale) {
      soci::statement st = (sql.prepare << kMarkStale, soci::use(id), soci::use(stale_before));
      st.execute(true);
      if (st.get_affected_rows() != 1) continue;  // another instance got there first
      CoarsenFinalTimes(sql, id);
      ++marked;
    }
    return marked;
  });
  if (counts.unknown > 0) {
    spdlog::warn("event=notifications_interrupted count={} action=not_resent see=docs/notifications.md",
                 counts.unknown);
  }

  std::vector<std::string> due;
  {
    soci::session sql(db_.pool());
    std::string id;
    const int batch = static_cast<int>(policy_.batch);
    soci::statement st = (sql.prepare << kSelectDue, soci::use(now_s), soci::use(batch), soci::into(id));
    st.execute();
    while (st.fetch()) due.push_back(id);
  }

  for (const std::string& id : due) {
    const std::optional<Claimed> claimed = db_.InTransaction([&](soci::session& sql) -> std::optional<Claimed> {
      soci::statement st =
          (sql.prepare << kClaim, soci::use(instance_), soci::use(now_s), soci::use(id), soci::use(now_s));
      st.execute(true);
      if (st.get_affected_rows() != 1) return std::nullopt;
      Claimed c;
      sql << kSelectClaimed, soci::use(id), soci::into(c.recipient), soci::into(c.kind), soci::into(c.attempts),
          soci::into(c.link_path);
      return c;
    });
    if (!claimed) {
      ++counts.skipped;
      continue;
    }
    const auto mark_final = [&](const std::string& status, const std::string& error) {
      db_.InTransaction([&](soci::session& sql) {
        sql << kMarkFinal, soci::use(status), soci::use(error), soci::use(id), soci::use(instance_);
        CoarsenFinalTimes(sql, id);
      });
    };
    const std::optional<Kind> kind = KindFromCode(claimed->kind);
    if (!kind || !IsPlainAddress(claimed->recipient)) {
      mark_final("failed", kind ? "address" : "kind");
      ++counts.failed;
      spdlog::error("event=notification_failed outbox_id={} error={}", id, kind ? "address" : "kind");
      continue;
    }
    const std::string message =
        BuildMessage(smtp_.from, claimed->recipient, *kind, public_url_, now, id, claimed->link_path.value_or("/pro"));
    const SendResult result = SendMail(smtp_, claimed->recipient, message);
    switch (result.outcome) {
      case SendOutcome::kSent:
        db_.InTransaction([&](soci::session& sql) {
          sql << kMarkSent, soci::use(now_s), soci::use(id), soci::use(instance_);
          CoarsenFinalTimes(sql, id);
        });
        ++counts.sent;
        spdlog::info("event=notification_sent outbox_id={} kind={} attempt={}", id, claimed->kind, claimed->attempts);
        break;
      case SendOutcome::kUnknown:
        mark_final("unknown", result.error_class);
        ++counts.unknown;
        spdlog::warn("event=notification_interrupted outbox_id={} kind={} error={} action=not_resent", id,
                     claimed->kind, result.error_class);
        break;
      case SendOutcome::kPermanent:
        mark_final("failed", result.error_class);
        ++counts.failed;
        spdlog::error("event=notification_failed outbox_id={} kind={} error={} attempt={}", id, claimed->kind,
                      result.error_class, claimed->attempts);
        break;
      case SendOutcome::kTemporary:
        if (claimed->attempts >= policy_.max_attempts) {
          mark_final("failed", result.error_class);
          ++counts.failed;
          spdlog::error("event=notification_failed outbox_id={} kind={} error={} attempt={} reason=too_many_attempts",
                        id, claimed->kind, result.error_class, claimed->attempts);
        } else {
          const long long next = now_s + RetryDelay(policy_, claimed->attempts).count();
          db_.InTransaction([&](soci::session& sql) {
            sql << kReschedule, soci::use(next), soci::use(result.error_class), soci::use(id), soci::use(instance_);
          });
          ++counts.retry_later;
          spdlog::warn("event=notification_retry outbox_id={} kind={} error={} attempt={} next_in_s={}", id,
                       claimed->kind, result.error_class, claimed->attempts, next - now_s);
        }
        break;
    }
    if (result.outcome != SendOutcome::kSent && result.server_unusable) break;
  }
  return counts;
}

DeliveryLoop::DeliveryLoop(Deliverer& deliverer, std::chrono::milliseconds interval)
    : deliverer_(deliverer), interval_(interval), thread_([this] { Run(); }) {}

DeliveryLoop::~DeliveryLoop() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    stop_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

void DeliveryLoop::Run() {
  std::unique_lock<std::mutex> lock(mutex_);
  while (!stop_) {
    lock.unlock();
    try {
      const DeliveryCounts c = deliverer_.DeliverDue(std::chrono::system_clock::now());
      if (c.sent + c.retry_later + c.failed + c.unknown > 0) {
        spdlog::info("event=outbox_delivery sent={} retry_later={} failed={} unknown={}", c.sent, c.retry_later,
                     c.failed, c.unknown);
      }
    } catch (const std::exception& e) {
      spdlog::error("event=outbox_delivery_error error=\"{}\"", storage::DescribeDatabaseError(e).value_or(e.what()));
    }
    lock.lock();
    wake_.wait_for(lock, interval_, [this] { return stop_; });
  }
}

}  // namespace passerelle::notify
