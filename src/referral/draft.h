#pragma once

#include <nlohmann/json.hpp>

#include <atomic>
#include <chrono>
#include <optional>
#include <string>

#include "storage/database.h"

namespace passerelle::referral {

// The short-lived, server-side state of her report, sending and follow-up pages (ADR 0011), so
// that those pages are Post/Redirect/Get and her browser keeps no form data of them: the
// browser holds only a random id (the `passerelle_draft` cookie); the server holds, under a
// keyed hash of that id, the draft sealed (XChaCha20-Poly1305) under a key derived from the id
// and the server key. Neither the database alone, nor the database and server.key without the
// cookie, open a draft. A draft lives two hours after her last action (its expiry is stored
// rounded up to the hour) and is destroyed by the quick exit.
class PublicDrafts {
 public:
  using TimePoint = std::chrono::system_clock::time_point;
  static constexpr std::chrono::seconds kLifetime{2 * 3600};
  static constexpr std::size_t kIdBytes = 32;
  static constexpr std::chrono::seconds kSweepEvery{60};

  // `key`: core::ServerKey::Derive("draft").
  PublicDrafts(storage::Database& db, std::string key);

  // The draft of `id`, or nothing (unknown, malformed, expired, destroyed).
  std::optional<nlohmann::json> Load(const std::string& id, TimePoint now) const;
  // Stores `content` under `id` (a new random id when `id` is empty or unknown: a client never
  // chooses its id) for kLifetime from `now`, and returns the id used. Expired drafts of
  // anyone are deleted on the way, at most once per kSweepEvery (per process).
  std::string Save(const std::string& id, const nlohmann::json& content, TimePoint now);
  void Destroy(const std::string& id);

 private:
  std::string RowOf(const std::string& id) const;
  storage::Database& db_;
  std::string key_;
  std::atomic<long long> last_sweep_{0};  // unix seconds of the last sweep of expired drafts
};

}  // namespace passerelle::referral
