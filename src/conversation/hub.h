#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "core/result.h"
#include "referral/report.h"

// The live conversation "Écrire maintenant" (issue 12 §2-3, docs/conversation.md, ADR 0014):
// every conversation lives in this process's memory only, from her first click to its end. No
// HTTP here: her pages and the professionals' desk (register.h, desk.h) call these use cases.
namespace passerelle::conversation {

using TimePoint = std::chrono::system_clock::time_point;

enum class State {
  kWaiting,      // in the queue of the organization
  kTalking,      // a professional took it
  kEnded,        // ended by her or by the professional: she may still send it as a referral
  kInterrupted,  // quick exit, "quelqu'un arrive", or she left: nothing of hers is kept
};

enum class Sender { kHer, kProfessional, kSystem };

// Why her side stopped at once.
enum class Interruption {
  kQuickExit,      // "Cacher le site"
  kSomeoneComing,  // "Quelqu'un arrive"
  kGone,           // no sign of her page for Settings::her_silence
};

// What is counted per territory (src/stats), never with an identifier.
enum class Event { kStarted, kAnswered, kAbandoned };

struct Message {
  Sender sender = Sender::kHer;
  std::string text;
};

// What her flow and the chosen service give the conversation when it opens.
struct Opening {
  std::string territory_slug;
  std::string organization_id;
  std::string organization_name;
  std::string service_id;
  std::string service_name;
  std::string needs;        // as shown to the professional in the queue: never her identity
  std::string commune;      // "Berck (62600)"
  std::string code_word;    // from her safe-contact answers ("" when none): checked, never shown
  referral::Report report;  // her answers as a referral report, sent only with her consent
};

struct Settings {
  // After this wait with nobody answering, she is offered the other ways (issue 12 §2).
  std::function<std::chrono::seconds(const std::string& territory_slug)> offer_others_after;
  std::chrono::seconds her_silence{15 * 60};   // no page of hers for this long: she left
  std::chrono::seconds keep_ended{10 * 60};    // an ended conversation waits this long for her consent
  std::chrono::seconds desk_presence{2 * 60};  // a professional counts as present this long after a desk page
  std::size_t max_message_characters = 2000;
  std::size_t max_messages = 400;
  std::size_t max_conversations = 2000;  // beyond, Open refuses (kUnavailable)
};

// Her side of a conversation.
struct HerView {
  State state = State::kWaiting;
  std::string organization_name;
  std::string service_name;
  std::vector<Message> messages;
  int position = 0;                     // 1 = next to be taken (waiting only)
  std::optional<int> estimate_minutes;  // nothing: no recent answer to estimate from
  bool offer_others = false;            // waited longer than the territory's delay
  bool code_word_asked = false;         // her next message is checked against her code word
  std::uint64_t version = 0;
};

// One line of a professional's queue: her needs and commune, how long she has waited.
struct QueueItem {
  std::string desk_id;
  std::string organization_name;
  std::string service_name;
  std::string needs;
  std::string commune;
  long long waited_seconds = 0;
};

// The professional's side of a conversation.
struct DeskView {
  std::string desk_id;
  std::string organization_id;
  State state = State::kWaiting;
  Interruption interruption = Interruption::kGone;  // meaningful in kInterrupted
  std::string professional_account_id;
  std::string needs;
  std::string commune;
  std::string service_name;
  std::vector<Message> messages;
  bool has_code_word = false;
  bool code_word_asked = false;
  std::optional<bool> code_word_matched;  // the last check
  std::uint64_t version = 0;
};

// What her consent sends (Hub::TakeTranscript), then forgotten by the hub.
struct Transcript {
  Opening opening;
  std::vector<Message> messages;
  std::string run_secret;  // 32 random bytes of this conversation: its own referral and follow-up code
};

// --- several instances on PostgreSQL (relay.h, ADR 0014) ---
// A conversation lives at the instance where she opened it (its home); the others hold a replica
// that the home refreshes with a snapshot at every change, and they forward to the home what their
// own visitors do (Command). The relay carries all of it between processes, sealed.

// A conversation's whole state, as its home sends it to the other instances.
struct Snapshot {
  std::string id;
  std::string desk_id;
  std::string run_secret;
  Opening opening;
  State state = State::kWaiting;
  Interruption interruption = Interruption::kGone;
  std::vector<Message> messages;
  TimePoint opened_at;
  TimePoint her_seen_at;
  TimePoint ended_at;
  std::string professional;
  bool code_word_asked = false;
  std::optional<bool> code_word_matched;
  bool counted_end = false;
  std::uint64_t revision = 0;  // grows at the home at every change: a replica keeps the latest
};

// What a visitor of a replica did, executed by the home (Hub::Execute).
enum class Op {
  kHerSays,
  kHerEnds,
  kInterrupt,
  kForget,
  kSeen,
  kTake,
  kProSays,
  kAskCodeWord,
  kHandOver,
  kProEnds,
  kDismiss
};
struct Command {
  Op op = Op::kSeen;
  std::string id;       // her id (the home finds the desk id from it)
  std::string account;  // the professional's account id (desk operations)
  std::string text;     // a message, or the colleague of a hand-over
  Interruption why = Interruption::kGone;
};

// A professional at the desk of an organization, as of `at`.
struct Presence {
  std::string account_id;
  std::string label;
  std::string organization_id;
  TimePoint at;
};

// What the hub hands the relay. Every function is called with the hub's lock held (it must only
// queue), except `forward` with `wait`, called without it, which blocks until the home answered.
struct Replication {
  std::function<void(const Snapshot&)> changed;     // a conversation homed here changed
  std::function<void(const std::string& id)> gone;  // ... is gone
  std::function<void(const Presence&)> present;
  std::function<core::Result<core::Ok>(const std::string& home, const Command&, bool wait)> forward;
};

class Hub {
 public:
  using Counter = std::function<void(Event event, const std::string& territory_slug, long long wait_seconds)>;

  Hub(Settings settings, Counter count);

  // --- her side: `id` is 32 random bytes (base64url), her only capability ---
  core::Result<std::string> Open(Opening opening, TimePoint now);
  std::optional<HerView> ForHer(const std::string& id, TimePoint now);
  // kNotFound: no such live conversation; kInvalidInput: empty or too long; kConflict: not talking.
  core::Result<core::Ok> HerSays(const std::string& id, const std::string& text, TimePoint now);
  // "Terminer": kEnded; nothing is kept unless she consents (TakeTranscript) within keep_ended.
  core::Result<core::Ok> HerEnds(const std::string& id, TimePoint now);
  // Quick exit or "quelqu'un arrive": her words are dropped at once; the desk sees the reason.
  bool Interrupt(const std::string& id, Interruption why, TimePoint now);
  // Her consent: the transcript, once, and the conversation is gone. kConflict unless kEnded
  // with at least one message of hers.
  core::Result<Transcript> TakeTranscript(const std::string& id, TimePoint now);
  // No consent: everything of it is gone.
  void Forget(const std::string& id, TimePoint now);

  // --- the desk: `desk_id` is another random id, so that no professional learns hers ---
  // Marks the account present at the desk of `organization_ids` (what can_talk_now asks).
  // `label`: how colleagues see them in the hand-over list (their e-mail address).
  void SeenAtDesk(const std::string& account_id, const std::string& label,
                  const std::vector<std::string>& organization_ids, TimePoint now);
  bool Staffed(const std::string& organization_id, TimePoint now);
  // The other accounts present at the organization's desk: (account id, label).
  std::vector<std::pair<std::string, std::string>> PresentColleagues(const std::string& organization_id,
                                                                     const std::string& except_account, TimePoint now);
  std::vector<QueueItem> Queue(const std::vector<std::string>& organization_ids, TimePoint now);
  std::vector<DeskView> Mine(const std::string& account_id, TimePoint now);
  std::optional<DeskView> ForDesk(const std::string& desk_id, TimePoint now);
  // The owner of a desk id for the access policy: its organization and territory.
  std::optional<std::pair<std::string, std::string>> OwnerOf(const std::string& desk_id);
  // kConflict: already taken by someone else or no longer waiting.
  core::Result<core::Ok> Take(const std::string& desk_id, const std::string& account_id, TimePoint now);
  core::Result<core::Ok> ProSays(const std::string& desk_id, const std::string& account_id, const std::string& text,
                                 TimePoint now);
  core::Result<core::Ok> AskCodeWord(const std::string& desk_id, const std::string& account_id, TimePoint now);
  core::Result<core::Ok> HandOver(const std::string& desk_id, const std::string& account_id,
                                  const std::string& colleague_account_id, TimePoint now);
  core::Result<core::Ok> ProEnds(const std::string& desk_id, const std::string& account_id, TimePoint now);
  // The desk's acknowledgement of an interrupted conversation: it disappears from the desk.
  void Dismiss(const std::string& desk_id, const std::string& account_id, TimePoint now);

  // Waits until the conversation changes past `version`, or `deadline`. Returns the current
  // version (0: gone).
  std::uint64_t WaitForChange(const std::string& id_or_desk_id, std::uint64_t version, TimePoint deadline);

  // Server-Sent Events: `notify` is called with the conversation's version at each change (0 once
  // it is gone, then never again), and again by KeepAlive; it returns false when its client is
  // gone, and is then forgotten. Called under the hub's lock: it must only queue bytes. False when
  // the conversation does not exist or too many are subscribed.
  using Subscriber = std::function<bool(std::uint64_t version)>;
  bool Subscribe(const std::string& id_or_desk_id, Subscriber notify);
  // Calls every subscriber with its current version (a keep-alive that finds closed clients) and
  // sweeps; a thread of StartKeepAlive calls it every `interval`, which must stay under the
  // server's handle timeout (30 s): RESTinio closes a streaming answer silent for that long.
  void KeepAlive(TimePoint now);
  void StartKeepAlive(std::chrono::milliseconds interval, std::function<TimePoint()> clock);
  // The server is stopping: every stream is told "gone" and released while the HTTP server still
  // runs (a sink written after it is gone blocks for ever), and no new one is accepted.
  void CloseStreams();
  ~Hub();

  std::size_t Size();

  // --- several instances (relay.h) ---
  void Replicate(Replication replication);  // empty: one process, as on SQLite
  // The home's state of a conversation homed at `home`: kept unless an older revision, or gone.
  void Adopt(const Snapshot& snapshot, const std::string& home);
  void AdoptGone(const std::string& id);
  void AdoptPresence(const Presence& presence);
  // A command forwarded by another instance, for a conversation homed here.
  core::Result<core::Ok> Execute(const Command& command, TimePoint now);
  // What a new instance needs: the conversations homed here and who is at the desk.
  std::vector<Snapshot> HomeSnapshots();
  std::vector<Presence> PresenceList();
  // `home` stopped: its conversations are lost (as a restart loses them on one process).
  void DropReplicasOf(const std::string& home);

 private:
  // Drops what is past its time (her silence, ended without consent); every use case calls it
  // with the lock held.
  void Sweep(TimePoint now);
  struct Conversation;
  Conversation* Find(const std::string& id);
  Conversation* FindDesk(const std::string& desk_id);
  void Touch(Conversation& c);
  void Drop(const std::string& id);
  std::optional<int> EstimateMinutes(const Conversation& c, int position) const;
  int PositionOf(const Conversation& c) const;
  Snapshot ToSnapshot(const Conversation& c) const;
  core::Result<core::Ok> Forward(std::unique_lock<std::mutex>& lock, const Conversation& c, Command command);
  void ForwardLater(const Conversation& c, Command command);

  Settings settings_;
  Counter count_;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::map<std::string, std::unique_ptr<Conversation>> by_id_;
  std::map<std::string, std::string> desk_to_id_;
  // account → (organization → last desk page)
  std::map<std::string, std::map<std::string, TimePoint>> presence_;
  std::map<std::string, std::string> labels_;
  // organization → the last answered waits, in seconds (the estimate)
  std::map<std::string, std::vector<long long>> recent_waits_;
  std::uint64_t next_version_ = 1;
  std::uint64_t next_order_ = 1;
  // conversation id → its subscribers (her pages and the desk's, whichever id they used)
  std::multimap<std::string, Subscriber> subscribers_;
  static constexpr std::size_t kMaxSubscribers = 5000;
  std::thread keep_alive_;
  bool stopping_ = false;                           // guarded by mutex_
  Replication replication_;                         // guarded by mutex_
  std::map<std::string, TimePoint> tombstones_;     // replicas dropped here: a late snapshot must not revive them
  std::map<std::string, TimePoint> presence_sent_;  // account → last Presence sent
};

// The words of a code-word check, folded (case, accents, spaces), as the help flow keeps them.
bool SameCodeWord(const std::string& typed, const std::string& expected);

}  // namespace passerelle::conversation
