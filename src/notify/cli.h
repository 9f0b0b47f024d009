#pragma once

#include <functional>
#include <memory>
#include <string>

#include "storage/database.h"

namespace passerelle::notify {

// `passerelle outbox deliver` (docs/notifications.md).
struct OutboxDeliverOptions {
  std::string smtp_url;    // required
  std::string smtp_from;   // sender address
  std::string public_url;  // base of the links in e-mails
  std::string now;         // ISO 8601; "" = now
};

// One delivery round of the due e-mails (cron, tests); 0 with the counts. Throws
// core::ConfigException on a bad option, before `open_database` gives the migrated database.
int RunOutboxDeliver(const OutboxDeliverOptions& options,
                     const std::function<std::unique_ptr<storage::Database>()>& open_database);

}  // namespace passerelle::notify
