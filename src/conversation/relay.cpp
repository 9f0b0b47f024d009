#include "conversation/relay.h"

#include <fcntl.h>
#include <libpq-fe.h>
#include <poll.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <algorithm>
#include <tuple>

#include "conversation/replica.h"
#include "core/crypto.h"
#include "core/error.h"

namespace passerelle::conversation {

namespace {

using nlohmann::json;
constexpr const char* kChannel = "passerelle_conversation";

long long NowMillis() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// Instance ids are ours (RandomHex): anything else in live_instance is ignored, so that an id can
// be written into a NOTIFY statement as is.
bool IsInstanceId(const std::string& id) {
  return id.size() == 32 &&
         std::all_of(id.begin(), id.end(), [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

core::Error Unreachable() {
  return {core::ErrorCode::kUnavailable, "Cette conversation n’est pas joignable pour le moment.",
          "conversation home unreachable"};
}

void Log(const std::exception& e) {
  spdlog::warn("event=conversation_relay_error reason=\"{}\"",
               storage::DescribeDatabaseError(e).value_or("not a database error"));
}

}  // namespace

// The dedicated LISTEN connection (libpq: SOCI has no notifications).
struct Relay::Pg {
  PGconn* conn = nullptr;
  ~Pg() {
    if (conn != nullptr) PQfinish(conn);
  }
  bool Listen() {
    PGresult* result = PQexec(conn, (std::string("LISTEN ") + kChannel).c_str());
    const bool ok = PQresultStatus(result) == PGRES_COMMAND_OK;
    PQclear(result);
    return ok;
  }
};

Relay::Relay(storage::Database& db, std::string conninfo, Hub& hub, RelayClock clock, Timing timing)
    : db_(db),
      conninfo_(std::move(conninfo)),
      hub_(hub),
      clock_(std::move(clock)),
      timing_(timing),
      self_(core::RandomHex(16)),
      keys_(org_keys::GenerateKeyPair()) {}

void Relay::Listen() {
  listen_ = std::make_unique<Pg>();
  listen_->conn = PQconnectdb(conninfo_.c_str());
  if (PQstatus(listen_->conn) != CONNECTION_OK || !listen_->Listen()) {
    throw core::InfrastructureError("conversation relay: cannot LISTEN on PostgreSQL");
  }
}

void Relay::Start() {
  // Non-blocking: a full pipe already holds a wake-up, and Queue must never wait (hub lock held).
  if (::pipe2(wake_, O_NONBLOCK | O_CLOEXEC) != 0) throw core::InfrastructureError("conversation relay: pipe failed");
  Listen();
  Beat(true);
  last_beat_ = std::chrono::steady_clock::now();
  Replication replication;
  replication.changed = [this](const Snapshot& s) { Queue("", {{"k", "snapshot"}, {"s", ToJson(s)}}); };
  replication.gone = [this](const std::string& id) { Queue("", {{"k", "gone"}, {"id", id}}); };
  replication.present = [this](const Presence& p) { Queue("", {{"k", "presence"}, {"p", ToJson(p)}}); };
  replication.forward = [this](const std::string& home, const Command& c, bool wait) { return Forward(home, c, wait); };
  hub_.Replicate(std::move(replication));
  thread_ = std::jthread([this](std::stop_token stop) { Run(stop); });
  spdlog::info("event=conversation_relay_started instance={}", self_);
}

Relay::~Relay() {
  hub_.Replicate({});
  if (thread_.joinable()) {
    thread_.request_stop();
    if (wake_[1] >= 0) [[maybe_unused]]
      auto n = ::write(wake_[1], "x", 1);
    thread_.join();
  }
  FailCallsTo("");
  if (listen_ != nullptr) {
    try {
      db_.InTransaction([&](soci::session& sql) {
        sql << "DELETE FROM live_relay WHERE recipient = :r", soci::use(self_);
        sql << "DELETE FROM live_instance WHERE id = :i", soci::use(self_);
      });
    } catch (const std::exception& e) {
      Log(e);
    }
  }
  for (int fd : wake_) {
    if (fd >= 0) ::close(fd);
  }
}

void Relay::Queue(std::string recipient, json envelope) {
  {
    const std::lock_guard lock(mutex_);
    outgoing_.push_back({std::move(recipient), std::move(envelope)});
  }
  if (wake_[1] >= 0) [[maybe_unused]]
    auto n = ::write(wake_[1], "x", 1);
}

core::Result<core::Ok> Relay::Forward(const std::string& home, const Command& command, bool wait) {
  json envelope = {{"k", "command"}, {"c", ToJson(command)}};
  if (!wait) {
    Queue(home, std::move(envelope));
    return core::Ok{};
  }
  const std::string call = core::RandomHex(12);
  std::future<core::Result<core::Ok>> answer;
  {
    const std::lock_guard lock(mutex_);
    auto& slot = calls_[call];
    slot.first = home;
    answer = slot.second.get_future();
  }
  envelope["call"] = call;
  Queue(home, std::move(envelope));
  if (answer.wait_for(timing_.answer) != std::future_status::ready) {
    const std::lock_guard lock(mutex_);
    calls_.erase(call);
    return Unreachable();
  }
  return answer.get();
}

void Relay::FailCallsTo(const std::string& instance) {
  const std::lock_guard lock(mutex_);
  for (auto it = calls_.begin(); it != calls_.end();) {
    if (instance.empty() || it->second.first == instance) {
      it->second.second.set_value(Unreachable());
      it = calls_.erase(it);
    } else {
      ++it;
    }
  }
}

void Relay::Run(std::stop_token stop) {
  while (!stop.stop_requested()) {
    pollfd fds[2] = {{PQsocket(listen_->conn), POLLIN, 0}, {wake_[0], POLLIN, 0}};
    ::poll(fds, 2, 250);
    if ((fds[1].revents & POLLIN) != 0) {
      char buffer[256];
      [[maybe_unused]] auto n = ::read(wake_[0], buffer, sizeof buffer);
    }
    if (stop.stop_requested()) break;
    bool mine = false;
    bool hello = false;
    if (PQconsumeInput(listen_->conn) == 0 || PQstatus(listen_->conn) != CONNECTION_OK) {
      PQreset(listen_->conn);
      if (PQstatus(listen_->conn) == CONNECTION_OK && listen_->Listen()) {
        mine = true;  // a notification may have been lost
      } else {
        spdlog::warn("event=conversation_relay_error reason=\"LISTEN connection lost\"");
        std::this_thread::sleep_for(std::chrono::seconds(1));
      }
    }
    while (PGnotify* n = PQnotifies(listen_->conn)) {
      const std::string payload = n->extra != nullptr ? n->extra : "";
      mine = mine || payload == self_;
      hello = hello || payload == "hello";
      PQfreemem(n);
    }
    try {
      const auto now = std::chrono::steady_clock::now();
      if (hello || now - last_beat_ >= timing_.heartbeat) {
        last_beat_ = now;
        Beat(false);
      }
      if (mine || now - last_receive_ >= std::chrono::seconds(1)) {  // the poll: a safety net
        last_receive_ = now;
        Receive();
      }
      Send();
    } catch (const std::exception& e) {
      Log(e);
    }
  }
}

// Registers or refreshes this instance, sweeps the stopped ones and the rows nobody read, and
// learns the live instances: a new one is sent every conversation homed here; the conversations
// homed at a stopped one are dropped.
void Relay::Beat(bool hello) {
  const long long now = NowMillis();
  const long long stale = now - timing_.stale.count();
  std::map<std::string, std::string> live;
  db_.InTransaction(
      [&](soci::session& sql) {
        const std::string public_key = core::Base64UrlEncode(keys_.public_key);
        sql << "INSERT INTO live_instance (id, public_key, seen_at) VALUES (:i, :k, :t)"
               " ON CONFLICT (id) DO UPDATE SET seen_at = EXCLUDED.seen_at",
            soci::use(self_), soci::use(public_key), soci::use(now);
        sql << "DELETE FROM live_instance WHERE seen_at < :t", soci::use(stale);
        // A crash between two steps, or a recipient that stopped: what it did not read goes.
        sql << "DELETE FROM live_relay WHERE created_at < :t OR recipient NOT IN (SELECT id FROM live_instance)",
            soci::use(stale);
        soci::rowset<soci::row> rows =
            (sql.prepare << "SELECT id, public_key FROM live_instance WHERE id <> :i", soci::use(self_));
        for (const soci::row& row : rows) {
          const std::string id = row.get<std::string>(0);
          const auto key = core::Base64UrlDecode(row.get<std::string>(1));
          if (IsInstanceId(id) && key && key->size() == 32) live.emplace(id, *key);
        }
        if (hello) sql << (std::string("NOTIFY ") + kChannel + ", 'hello'");
      },
      storage::Database::Durability::kRelaxed);
  std::vector<std::string> fresh;
  std::vector<std::string> stopped;
  {
    const std::lock_guard lock(mutex_);
    instances_ = live;
    for (const auto& [id, key] : live) {
      if (known_.insert(id).second) fresh.push_back(id);
    }
    for (auto it = known_.begin(); it != known_.end();) {
      if (live.count(*it) == 0) {
        stopped.push_back(*it);
        it = known_.erase(it);
      } else {
        ++it;
      }
    }
  }
  for (const std::string& id : stopped) {
    hub_.DropReplicasOf(id);
    FailCallsTo(id);
  }
  if (fresh.empty()) return;
  const std::vector<Snapshot> snapshots = hub_.HomeSnapshots();
  const std::vector<Presence> presences = hub_.PresenceList();
  for (const std::string& id : fresh) {
    for (const Snapshot& s : snapshots) Queue(id, {{"k", "snapshot"}, {"s", ToJson(s)}});
    for (const Presence& p : presences) Queue(id, {{"k", "presence"}, {"p", ToJson(p)}});
  }
}

// Every transaction of the relay is kRelaxed (no wait for the disk at commit): its rows live for
// milliseconds and a power cut may lose them, as it loses the conversations in memory.

// Reads and deletes, in one transaction, what other instances sent here; then applies it in the
// order each sender wrote it.
void Relay::Receive() {
  struct Row {
    std::string sender;
    long long seq;
    std::string sealed;
  };
  std::vector<Row> rows = db_.InTransaction(
      [&](soci::session& sql) {
        std::vector<Row> out;
        soci::rowset<soci::row> rs =
            (sql.prepare << "DELETE FROM live_relay WHERE recipient = :r RETURNING sender, seq, sealed",
             soci::use(self_));
        for (const soci::row& r : rs)
          out.push_back({r.get<std::string>(0), r.get<long long>(1), r.get<std::string>(2)});
        return out;
      },
      storage::Database::Durability::kRelaxed);
  std::sort(rows.begin(), rows.end(),
            [](const Row& a, const Row& b) { return std::tie(a.sender, a.seq) < std::tie(b.sender, b.seq); });
  for (const Row& row : rows) {
    const auto text = org_keys::Open(row.sealed, keys_);
    if (!text) {
      spdlog::warn("event=conversation_relay_error reason=\"a row could not be opened\"");
      continue;
    }
    const json envelope = json::parse(*text, nullptr, false);
    if (envelope.is_discarded() || !envelope.is_object()) continue;
    Handle(row.sender, envelope);
  }
}

void Relay::Handle(const std::string& sender, const json& envelope) {
  const std::string kind = envelope.value("k", "");
  if (kind == "snapshot") {
    if (const auto s = SnapshotFromJson(envelope.value("s", json()))) hub_.Adopt(*s, sender);
  } else if (kind == "gone") {
    hub_.AdoptGone(envelope.value("id", ""));
  } else if (kind == "presence") {
    if (const auto p = PresenceFromJson(envelope.value("p", json()))) hub_.AdoptPresence(*p);
  } else if (kind == "command") {
    const auto command = CommandFromJson(envelope.value("c", json()));
    const std::string call = envelope.value("call", "");
    const core::Result<core::Ok> result =
        command
            ? hub_.Execute(*command, clock_())
            : core::Result<core::Ok>(core::Error{core::ErrorCode::kInvalidInput, "Requête invalide.", "bad command"});
    if (call.empty()) return;
    json answer = {{"k", "result"}, {"call", call}, {"ok", result.ok()}};
    if (!result.ok()) {
      answer["code"] = static_cast<int>(result.error().code);
      answer["message"] = result.error().public_message;
      answer["detail"] = result.error().internal_detail;
    }
    Queue(sender, std::move(answer));
  } else if (kind == "result") {
    const std::lock_guard lock(mutex_);
    const auto it = calls_.find(envelope.value("call", ""));
    if (it == calls_.end()) return;
    if (envelope.value("ok", false)) {
      it->second.second.set_value(core::Ok{});
    } else {
      const int code = envelope.value("code", static_cast<int>(core::ErrorCode::kUnavailable));
      const bool known = code >= 0 && code <= static_cast<int>(core::ErrorCode::kUnavailable);
      it->second.second.set_value(
          core::Error{known ? static_cast<core::ErrorCode>(code) : core::ErrorCode::kUnavailable,
                      envelope.value("message", ""), envelope.value("detail", "")});
    }
    calls_.erase(it);
  }
}

// Seals each queued envelope to its recipients' keys and writes it with a NOTIFY to each, in one
// transaction.
void Relay::Send() {
  std::vector<Outgoing> batch;
  std::map<std::string, std::string> instances;
  {
    const std::lock_guard lock(mutex_);
    batch.swap(outgoing_);
    instances = instances_;
  }
  if (batch.empty()) return;
  const long long now = NowMillis();
  std::set<std::string> woken;
  std::vector<std::string> unreachable_calls;
  struct Write {
    std::string recipient;
    long long seq;
    std::string sealed;
  };
  std::vector<Write> writes;
  for (const Outgoing& item : batch) {
    if (!item.recipient.empty() && instances.count(item.recipient) == 0) {
      if (item.envelope.contains("call")) unreachable_calls.push_back(item.envelope["call"]);
      continue;
    }
    // Never throws on a malformed UTF-8 sequence (it would lose the whole batch): replaced.
    const std::string text = item.envelope.dump(-1, ' ', false, json::error_handler_t::replace);
    for (const auto& [id, key] : instances) {
      if (!item.recipient.empty() && item.recipient != id) continue;
      writes.push_back({id, static_cast<long long>(next_seq_++), org_keys::Seal(text, key)});
      woken.insert(id);
    }
  }
  if (!writes.empty()) {
    db_.InTransaction(
        [&](soci::session& sql) {
          for (const Write& w : writes) {
            sql << "INSERT INTO live_relay (sender, seq, recipient, created_at, sealed) VALUES (:s, :q, :r, :t, :x)",
                soci::use(self_), soci::use(w.seq), soci::use(w.recipient), soci::use(now), soci::use(w.sealed);
          }
          for (const std::string& id : woken) sql << (std::string("NOTIFY ") + kChannel + ", '" + id + "'");
        },
        storage::Database::Durability::kRelaxed);
  }
  if (!unreachable_calls.empty()) {
    const std::lock_guard lock(mutex_);
    for (const std::string& call : unreachable_calls) {
      const auto it = calls_.find(call);
      if (it == calls_.end()) continue;
      it->second.second.set_value(Unreachable());
      calls_.erase(it);
    }
  }
}

}  // namespace passerelle::conversation
