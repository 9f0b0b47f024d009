#pragma once

#include <soci/soci.h>

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "storage/database.h"

// The e-mail outbox (issue 4 §5, docs/notifications.md): content-free notifications queued in
// the caller's transaction and delivered after commit by a notify::Deliverer (deliverer.h).
namespace passerelle::notify {

enum class Kind {
  kNewReferral,
  kNewMessage,
  kHandover,
  kReminder,
  kEscalation,
  kAddressChange,
  kFreshness,
  kInvitation,            // an organization's first member invited from the web: her one-time link (accounts)
  kCallBack,              // "Être rappelée maintenant" (issue 12): to the members on duty, then the organization
  kAppointmentCancelled,  // she cancelled her appointment or deleted its request (issue 12): same recipients
};

// Queues a content-free e-mail to `to` in the caller's transaction; delivered after commit by a Deliverer.
// `link_path`: the path (on the public URL) the e-mail links to instead of "/pro", e.g. the
// signed link of a freshness question (directory/freshness.h); stored in outbox.link_path.
void Enqueue(soci::session& sql, const std::string& to, Kind kind, std::chrono::system_clock::time_point now,
             const std::optional<std::string>& link_path = std::nullopt);

// organization_settings.notification_email, else organization.email; nullopt when neither is set (tables in
// migrations/0007_accounts.sql and 0003_directory.sql).
std::optional<std::string> OrganizationAddress(soci::session& sql, const std::string& organization_id);

// E-mail addresses of the active coordinator accounts of a territory (table `account`, migrations/0007_accounts.sql).
std::vector<std::string> CoordinatorAddresses(soci::session& sql, const std::string& territory_slug);

// A final row (sent, failed, unknown) keeps Paris days only (docs/notifications.md "What is
// kept"): the second a `new_referral` was queued is the second she pressed "send". Replaces the
// row's times by 00:00 Paris of their day when the row is final, else does nothing; called in
// the transaction that makes it final. True when a time changed.
bool CoarsenFinalTimes(soci::session& sql, const std::string& id);

// The outbox retention step of the jobs (docs/jobs.md): removes the final rows that became final
// more than `retention` Paris days before the day of `now` (never a pending or sending one) and
// returns how many. Also coarsens final rows still holding exact times (rows finished before
// times were coarsened, or changed by hand). Idempotent; database failures are thrown.
std::size_t RemoveFinalRows(storage::Database& db, std::chrono::system_clock::time_point now,
                            std::chrono::days retention);

}  // namespace passerelle::notify
