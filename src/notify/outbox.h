#pragma once

#include <soci/soci.h>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

// The e-mail outbox (issue 4 §5, docs/notifications.md): content-free notifications queued in
// the caller's transaction and delivered after commit by a notify::Deliverer (deliverer.h).
namespace passerelle::notify {

enum class Kind { kNewReferral, kNewMessage, kHandover, kReminder, kEscalation, kAddressChange };

// Queues a content-free e-mail to `to` in the caller's transaction; delivered after commit by a Deliverer.
void Enqueue(soci::session& sql, const std::string& to, Kind kind, std::chrono::system_clock::time_point now);

// organization_settings.notification_email, else organization.email; nullopt when neither is set (tables in migrations/0007_accounts.sql and 0003_directory.sql).
std::optional<std::string> OrganizationAddress(soci::session& sql, const std::string& organization_id);

// E-mail addresses of the active coordinator accounts of a territory (table `account`, migrations/0007_accounts.sql).
std::vector<std::string> CoordinatorAddresses(soci::session& sql, const std::string& territory_slug);

}  // namespace passerelle::notify
