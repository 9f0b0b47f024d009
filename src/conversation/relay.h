#pragma once

#include <condition_variable>
#include <cstdint>
#include <future>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "conversation/hub.h"
#include "org_keys/sealing.h"
#include "storage/database.h"

// Several `serve` instances on one PostgreSQL database (ADR 0014, docs/conversation.md
// "Several instances"): each conversation lives at the instance where she opened it (its home);
// the relay sends its snapshots to the other instances, which keep a replica for their visitors,
// and forwards to the home what those visitors do. Between processes everything goes through
// the `live_relay` table, each row sealed (crypto_box_seal) to the recipient instance's key,
// a key pair that lives in that process's memory only (its public half in `live_instance`), and
// deleted by its recipient as it reads it; `NOTIFY passerelle_conversation` in the same
// transaction wakes the recipient, which `LISTEN`s on a connection of its own. No new
// infrastructure; on SQLite (one process) there is no relay.
namespace passerelle::conversation {

using RelayClock = std::function<TimePoint()>;

class Relay {
 public:
  struct Timing {
    std::chrono::milliseconds heartbeat{5000};  // live_instance.seen_at is refreshed this often
    std::chrono::milliseconds stale{20000};     // an instance silent this long has stopped
    std::chrono::milliseconds answer{5000};     // a forwarded command waits this long for its home
  };

  // `conninfo`: libpq keywords (core::DatabaseUrl::postgresql_conninfo), for the LISTEN connection.
  Relay(storage::Database& db, std::string conninfo, Hub& hub, RelayClock clock, Timing timing);
  Relay(storage::Database& db, std::string conninfo, Hub& hub, RelayClock clock)
      : Relay(db, std::move(conninfo), hub, std::move(clock), Timing{}) {}
  ~Relay();
  Relay(const Relay&) = delete;
  Relay& operator=(const Relay&) = delete;

  // Registers this instance, listens and connects the hub. Throws core::InfrastructureError when
  // the LISTEN connection cannot be opened.
  void Start();
  const std::string& instance() const { return self_; }

 private:
  struct Outgoing {
    std::string recipient;  // "" : every other live instance
    nlohmann::json envelope;
  };
  void Queue(std::string recipient, nlohmann::json envelope);  // any thread; never takes the hub's lock
  core::Result<core::Ok> Forward(const std::string& home, const Command& command, bool wait);
  void Run(std::stop_token stop);
  void Listen();
  void Beat(bool hello);
  void Receive();
  void Send();
  void Handle(const std::string& sender, const nlohmann::json& envelope);
  void FailCallsTo(const std::string& instance);

  storage::Database& db_;
  std::string conninfo_;
  Hub& hub_;
  RelayClock clock_;
  Timing timing_;
  std::string self_;        // this instance's random id
  org_keys::KeyPair keys_;  // this process's memory only
  struct Pg;
  std::unique_ptr<Pg> listen_;  // the dedicated LISTEN connection
  int wake_[2] = {-1, -1};      // a pipe: Queue wakes the relay thread

  std::mutex mutex_;  // guards what follows
  std::vector<Outgoing> outgoing_;
  std::map<std::string, std::string> instances_;  // the other live instances: id → public key
  std::set<std::string> known_;                   // the instances already given our snapshots
  std::map<std::string, std::pair<std::string, std::promise<core::Result<core::Ok>>>> calls_;  // id → (home, answer)
  std::uint64_t next_seq_ = 1;

  std::chrono::steady_clock::time_point last_beat_{};
  std::chrono::steady_clock::time_point last_receive_{};
  std::jthread thread_;
};

}  // namespace passerelle::conversation
