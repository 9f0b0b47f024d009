#include "conversation/hub.h"

#include <algorithm>
#include <memory>
#include <tuple>

#include "core/crypto.h"
#include "geo/folding.h"
#include "referral/text.h"

namespace passerelle::conversation {

namespace {

using std::chrono::duration_cast;
using std::chrono::seconds;

constexpr std::size_t kRecentWaits = 20;

core::Error NotFound() {
  return {core::ErrorCode::kNotFound, "Cette conversation est terminée.", "conversation not found"};
}
core::Error Conflict(const char* message, const char* detail) { return {core::ErrorCode::kConflict, message, detail}; }

Command Cmd(Op op, std::string id, std::string account = "", std::string text = "") {
  Command command;
  command.op = op;
  command.id = std::move(id);
  command.account = std::move(account);
  command.text = std::move(text);
  return command;
}

long long SecondsBetween(TimePoint from, TimePoint to) {
  return std::max<long long>(0, duration_cast<seconds>(to - from).count());
}

}  // namespace

// Its state as the other instances receive it, and what only this process needs.
struct Hub::Conversation : Snapshot {
  std::uint64_t version = 0;
  std::uint64_t order = 0;  // arrival order, for the queue (two may open in the same instant)
  std::string home;         // "" when homed here; else the instance that holds the truth (a replica)
  TimePoint seen_sent;      // a replica's last "seen" forwarded to the home
};

bool SameCodeWord(const std::string& typed, const std::string& expected) {
  const std::string folded = geo::FoldForSearch(expected);
  return !folded.empty() && geo::FoldForSearch(typed) == folded;
}

Hub::Hub(Settings settings, Counter count) : settings_(std::move(settings)), count_(std::move(count)) {}

Hub::Conversation* Hub::Find(const std::string& id) {
  const auto it = by_id_.find(id);
  return it == by_id_.end() ? nullptr : it->second.get();
}

Hub::Conversation* Hub::FindDesk(const std::string& desk_id) {
  const auto it = desk_to_id_.find(desk_id);
  return it == desk_to_id_.end() ? nullptr : Find(it->second);
}

void Hub::Touch(Conversation& c) {
  c.version = next_version_++;
  if (c.home.empty() && replication_.changed) {
    ++c.revision;
    replication_.changed(ToSnapshot(c));
  }
  changed_.notify_all();
  const auto [first, last] = subscribers_.equal_range(c.id);
  for (auto it = first; it != last;) it = it->second(c.version) ? std::next(it) : subscribers_.erase(it);
}

void Hub::Drop(const std::string& id) {
  const auto it = by_id_.find(id);
  if (it == by_id_.end()) return;
  if (!it->second->home.empty()) {
    tombstones_[id] = it->second->her_seen_at;
  } else if (replication_.gone) {
    replication_.gone(id);
  }
  desk_to_id_.erase(it->second->desk_id);
  const auto [first, last] = subscribers_.equal_range(id);
  for (auto s = first; s != last; ++s) s->second(0);
  subscribers_.erase(first, last);
  by_id_.erase(it);
  changed_.notify_all();
}

int Hub::PositionOf(const Conversation& c) const {
  int position = 1;
  for (const auto& [id, other] : by_id_) {
    if (other->state == State::kWaiting && other->opening.organization_id == c.opening.organization_id &&
        std::tie(other->opened_at, other->order) < std::tie(c.opened_at, c.order)) {
      ++position;
    }
  }
  return position;
}

// An honest estimate: the median of the organization's last answered waits, times her
// position; nothing when nobody has been answered yet since the server started.
std::optional<int> Hub::EstimateMinutes(const Conversation& c, int position) const {
  const auto it = recent_waits_.find(c.opening.organization_id);
  if (it == recent_waits_.end() || it->second.empty()) return std::nullopt;
  std::vector<long long> waits = it->second;
  std::sort(waits.begin(), waits.end());
  const long long median = waits[waits.size() / 2];
  const long long total = median * position;
  return static_cast<int>(std::max(1LL, (total + 59) / 60));
}

void Hub::Sweep(TimePoint now) {
  std::vector<std::string> gone;
  for (auto& [id, c] : by_id_) {
    if (!c->home.empty()) continue;  // its home sweeps it
    if (c->state == State::kWaiting || c->state == State::kTalking) {
      if (now - c->her_seen_at > settings_.her_silence) {
        if (c->state == State::kWaiting && !c->counted_end) {
          count_(Event::kAbandoned, c->opening.territory_slug, 0);
          c->counted_end = true;
        }
        c->state = State::kInterrupted;
        c->interruption = Interruption::kGone;
        c->messages.clear();
        c->ended_at = now;
        Touch(*c);
      }
    } else if (now - c->ended_at > settings_.keep_ended) {
      gone.push_back(id);
    }
  }
  for (const std::string& id : gone) Drop(id);
  for (auto it = tombstones_.begin(); it != tombstones_.end();) {
    it = now - it->second > settings_.her_silence + settings_.keep_ended ? tombstones_.erase(it) : std::next(it);
  }
}

std::size_t Hub::Size() {
  const std::lock_guard lock(mutex_);
  return by_id_.size();
}

core::Result<std::string> Hub::Open(Opening opening, TimePoint now) {
  const std::lock_guard lock(mutex_);
  Sweep(now);
  if (by_id_.size() >= settings_.max_conversations) {
    return core::Error{core::ErrorCode::kUnavailable,
                       "Les conversations sont toutes occupées pour le moment. Vous pouvez envoyer une demande.",
                       "conversation hub full"};
  }
  auto c = std::make_unique<Conversation>();
  c->id = core::Base64UrlEncode(core::RandomBytes(32));
  c->desk_id = core::RandomHex(16);
  c->run_secret = core::RandomBytes(32);
  c->opening = std::move(opening);
  c->opened_at = c->her_seen_at = now;
  c->order = next_order_++;
  count_(Event::kStarted, c->opening.territory_slug, 0);
  const std::string id = c->id;
  desk_to_id_[c->desk_id] = id;
  Touch(*c);
  by_id_.emplace(id, std::move(c));
  return id;
}

std::optional<HerView> Hub::ForHer(const std::string& id, TimePoint now) {
  const std::lock_guard lock(mutex_);
  Sweep(now);
  Conversation* c = Find(id);
  if (c == nullptr || c->state == State::kInterrupted) return std::nullopt;
  c->her_seen_at = now;
  if (!c->home.empty() && now - c->seen_sent >= std::chrono::minutes(1)) {
    c->seen_sent = now;
    ForwardLater(*c, Cmd(Op::kSeen, c->id));
  }
  HerView view;
  view.state = c->state;
  view.organization_name = c->opening.organization_name;
  view.service_name = c->opening.service_name;
  view.messages = c->messages;
  view.code_word_asked = c->code_word_asked;
  view.version = c->version;
  if (c->state == State::kWaiting) {
    view.position = PositionOf(*c);
    view.estimate_minutes = EstimateMinutes(*c, view.position);
    const seconds delay =
        settings_.offer_others_after ? settings_.offer_others_after(c->opening.territory_slug) : seconds(300);
    view.offer_others = now - c->opened_at >= delay;
  }
  return view;
}

core::Result<core::Ok> Hub::HerSays(const std::string& id, const std::string& raw, TimePoint now) {
  const std::string text = referral::TrimText(raw);
  std::unique_lock lock(mutex_);
  Sweep(now);
  Conversation* c = Find(id);
  if (c == nullptr || c->state == State::kInterrupted) return NotFound();
  c->her_seen_at = now;
  if (!c->home.empty()) return Forward(lock, *c, Cmd(Op::kHerSays, id, "", raw));
  if (text.empty()) return core::Error{core::ErrorCode::kInvalidInput, "Écrivez votre message.", "empty message"};
  if (referral::CharacterCount(text) > settings_.max_message_characters) {
    return core::Error{core::ErrorCode::kInvalidInput, "Votre message doit faire au plus 2 000 caractères.",
                       "message too long"};
  }
  if (c->state == State::kEnded) return Conflict("Cette conversation est terminée.", "conversation ended");
  if (c->messages.size() >= settings_.max_messages) {
    return Conflict("Cette conversation est trop longue : terminez-la et envoyez une demande.", "too many messages");
  }
  if (c->code_word_asked) {
    // Her answer to the check is compared, never shown to the professional.
    c->code_word_asked = false;
    c->code_word_matched = SameCodeWord(text, c->opening.code_word);
    c->messages.push_back({Sender::kSystem, *c->code_word_matched ? "code_word_matched" : "code_word_mismatch"});
  } else {
    c->messages.push_back({Sender::kHer, text});
  }
  Touch(*c);
  return core::Ok{};
}

core::Result<core::Ok> Hub::HerEnds(const std::string& id, TimePoint now) {
  std::unique_lock lock(mutex_);
  Sweep(now);
  Conversation* c = Find(id);
  if (c == nullptr || c->state == State::kInterrupted) return NotFound();
  if (!c->home.empty()) return Forward(lock, *c, Cmd(Op::kHerEnds, id));
  if (c->state == State::kEnded) return core::Ok{};
  if (c->state == State::kWaiting && !c->counted_end) {
    count_(Event::kAbandoned, c->opening.territory_slug, 0);
    c->counted_end = true;
  }
  c->state = State::kEnded;
  c->ended_at = now;
  c->messages.push_back({Sender::kSystem, "her_ended"});
  Touch(*c);
  return core::Ok{};
}

bool Hub::Interrupt(const std::string& id, Interruption why, TimePoint now) {
  const std::lock_guard lock(mutex_);
  Conversation* c = Find(id);
  if (c == nullptr) return false;
  if (!c->home.empty()) {
    // The home drops her words and warns the desk; this copy goes at once.
    Command command = Cmd(Op::kInterrupt, id);
    command.why = why;
    ForwardLater(*c, command);
    Drop(id);
    return true;
  }
  if (c->state == State::kWaiting && !c->counted_end) {
    count_(Event::kAbandoned, c->opening.territory_slug, 0);
    c->counted_end = true;
  }
  if (c->state == State::kWaiting || c->professional.empty()) {
    Drop(id);  // nobody to warn
    return true;
  }
  c->state = State::kInterrupted;
  c->interruption = why;
  c->messages.clear();
  c->opening.report = {};
  c->opening.code_word.clear();
  c->ended_at = now;
  Touch(*c);
  return true;
}

core::Result<Transcript> Hub::TakeTranscript(const std::string& id, TimePoint now) {
  const std::lock_guard lock(mutex_);
  Sweep(now);
  Conversation* c = Find(id);
  if (c == nullptr || c->state == State::kInterrupted) return NotFound();
  if (c->state != State::kEnded) return Conflict("Terminez d’abord la conversation.", "conversation not ended");
  const bool wrote =
      std::any_of(c->messages.begin(), c->messages.end(), [](const Message& m) { return m.sender == Sender::kHer; });
  if (!wrote) return Conflict("Vous n’avez rien écrit : il n’y a rien à envoyer.", "nothing written");
  if (!c->home.empty()) ForwardLater(*c, Cmd(Op::kForget, id));  // the home forgets it too
  Transcript transcript{std::move(c->opening), std::move(c->messages), std::move(c->run_secret)};
  Drop(id);
  return transcript;
}

void Hub::Forget(const std::string& id, TimePoint now) {
  const std::lock_guard lock(mutex_);
  Sweep(now);
  Conversation* c = Find(id);
  if (c == nullptr) return;
  if (!c->home.empty()) {
    ForwardLater(*c, Cmd(Op::kForget, id));
    Drop(id);
    return;
  }
  if (c->state == State::kWaiting && !c->counted_end) count_(Event::kAbandoned, c->opening.territory_slug, 0);
  Drop(id);
}

void Hub::SeenAtDesk(const std::string& account_id, const std::string& label,
                     const std::vector<std::string>& organization_ids, TimePoint now) {
  const std::lock_guard lock(mutex_);
  labels_[account_id] = label;
  for (const std::string& org : organization_ids) presence_[account_id][org] = now;
  // The other instances learn it too, at most twice a minute (presence lasts two minutes).
  if (replication_.present && now - presence_sent_[account_id] >= std::chrono::seconds(20)) {
    presence_sent_[account_id] = now;
    for (const std::string& org : organization_ids) replication_.present({account_id, label, org, now});
  }
}

bool Hub::Staffed(const std::string& organization_id, TimePoint now) {
  const std::lock_guard lock(mutex_);
  for (const auto& [account, orgs] : presence_) {
    const auto it = orgs.find(organization_id);
    if (it != orgs.end() && now - it->second <= settings_.desk_presence) return true;
  }
  return false;
}

std::vector<std::pair<std::string, std::string>> Hub::PresentColleagues(const std::string& organization_id,
                                                                        const std::string& except_account,
                                                                        TimePoint now) {
  const std::lock_guard lock(mutex_);
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& [account, orgs] : presence_) {
    const auto it = orgs.find(organization_id);
    if (account != except_account && it != orgs.end() && now - it->second <= settings_.desk_presence) {
      out.emplace_back(account, labels_[account]);
    }
  }
  return out;
}

std::vector<QueueItem> Hub::Queue(const std::vector<std::string>& organization_ids, TimePoint now) {
  const std::lock_guard lock(mutex_);
  Sweep(now);
  std::vector<const Conversation*> waiting;
  for (const auto& [id, c] : by_id_) {
    if (c->state == State::kWaiting && std::find(organization_ids.begin(), organization_ids.end(),
                                                 c->opening.organization_id) != organization_ids.end()) {
      waiting.push_back(c.get());
    }
  }
  std::sort(waiting.begin(), waiting.end(), [](const Conversation* a, const Conversation* b) {
    return std::tie(a->opened_at, a->order) < std::tie(b->opened_at, b->order);
  });
  std::vector<QueueItem> out;
  for (const Conversation* c : waiting) {
    out.push_back({c->desk_id, c->opening.organization_name, c->opening.service_name, c->opening.needs,
                   c->opening.commune, SecondsBetween(c->opened_at, now)});
  }
  return out;
}

namespace {
DeskView MakeDeskView(const std::string& desk_id, const Opening& o, State state, Interruption why,
                      const std::string& professional, const std::vector<Message>& messages, bool asked,
                      std::optional<bool> matched, std::uint64_t version) {
  DeskView view;
  view.desk_id = desk_id;
  view.organization_id = o.organization_id;
  view.state = state;
  view.interruption = why;
  view.professional_account_id = professional;
  view.needs = o.needs;
  view.commune = o.commune;
  view.service_name = o.service_name;
  view.messages = messages;
  view.has_code_word = !o.code_word.empty();
  view.code_word_asked = asked;
  view.code_word_matched = matched;
  view.version = version;
  return view;
}
}  // namespace

std::vector<DeskView> Hub::Mine(const std::string& account_id, TimePoint now) {
  const std::lock_guard lock(mutex_);
  Sweep(now);
  std::vector<const Conversation*> mine;
  for (const auto& [id, c] : by_id_) {
    if (c->professional == account_id) mine.push_back(c.get());
  }
  std::sort(mine.begin(), mine.end(), [](const Conversation* a, const Conversation* b) { return a->order < b->order; });
  std::vector<DeskView> out;
  for (const Conversation* c : mine) {
    out.push_back(MakeDeskView(c->desk_id, c->opening, c->state, c->interruption, c->professional, c->messages,
                               c->code_word_asked, c->code_word_matched, c->version));
  }
  return out;
}

std::optional<DeskView> Hub::ForDesk(const std::string& desk_id, TimePoint now) {
  const std::lock_guard lock(mutex_);
  Sweep(now);
  const Conversation* c = FindDesk(desk_id);
  if (c == nullptr) return std::nullopt;
  return MakeDeskView(c->desk_id, c->opening, c->state, c->interruption, c->professional, c->messages,
                      c->code_word_asked, c->code_word_matched, c->version);
}

std::optional<std::pair<std::string, std::string>> Hub::OwnerOf(const std::string& desk_id) {
  const std::lock_guard lock(mutex_);
  const Conversation* c = FindDesk(desk_id);
  if (c == nullptr) return std::nullopt;
  return std::pair{c->opening.organization_id, c->opening.territory_slug};
}

core::Result<core::Ok> Hub::Take(const std::string& desk_id, const std::string& account_id, TimePoint now) {
  std::unique_lock lock(mutex_);
  Sweep(now);
  Conversation* c = FindDesk(desk_id);
  if (c == nullptr) return NotFound();
  if (!c->home.empty()) return Forward(lock, *c, Cmd(Op::kTake, c->id, account_id));
  if (c->state != State::kWaiting) {
    if (c->professional == account_id) return core::Ok{};  // taken twice by the same hand
    return Conflict("Une ou un collègue a déjà pris cette conversation.", "already taken");
  }
  c->state = State::kTalking;
  c->professional = account_id;
  const long long waited = SecondsBetween(c->opened_at, now);
  auto& waits = recent_waits_[c->opening.organization_id];
  waits.push_back(waited);
  if (waits.size() > kRecentWaits) waits.erase(waits.begin());
  count_(Event::kAnswered, c->opening.territory_slug, waited);
  c->counted_end = true;
  c->messages.push_back({Sender::kSystem, "taken"});
  Touch(*c);
  return core::Ok{};
}

namespace {
// The conversation is the account's and still running.
std::optional<core::Error> NotTheirs(const std::string& professional, State state, const std::string& account_id) {
  if (professional != account_id) {
    return core::Error{core::ErrorCode::kConflict, "Cette conversation n’est pas (ou plus) la vôtre.", "not theirs"};
  }
  if (state != State::kTalking) {
    return core::Error{core::ErrorCode::kConflict, "Cette conversation est terminée.", "not talking"};
  }
  return std::nullopt;
}
}  // namespace

core::Result<core::Ok> Hub::ProSays(const std::string& desk_id, const std::string& account_id, const std::string& raw,
                                    TimePoint now) {
  const std::string text = referral::TrimText(raw);
  std::unique_lock lock(mutex_);
  Sweep(now);
  Conversation* c = FindDesk(desk_id);
  if (c == nullptr) return NotFound();
  if (!c->home.empty()) return Forward(lock, *c, Cmd(Op::kProSays, c->id, account_id, raw));
  if (auto error = NotTheirs(c->professional, c->state, account_id)) return *error;
  if (text.empty()) return core::Error{core::ErrorCode::kInvalidInput, "Écrivez votre message.", "empty message"};
  if (referral::CharacterCount(text) > settings_.max_message_characters) {
    return core::Error{core::ErrorCode::kInvalidInput, "Le message doit faire au plus 2 000 caractères.",
                       "message too long"};
  }
  if (c->messages.size() >= settings_.max_messages) {
    return Conflict("Cette conversation est trop longue : terminez-la.", "too many messages");
  }
  c->messages.push_back({Sender::kProfessional, text});
  Touch(*c);
  return core::Ok{};
}

core::Result<core::Ok> Hub::AskCodeWord(const std::string& desk_id, const std::string& account_id, TimePoint now) {
  std::unique_lock lock(mutex_);
  Sweep(now);
  Conversation* c = FindDesk(desk_id);
  if (c == nullptr) return NotFound();
  if (!c->home.empty()) return Forward(lock, *c, Cmd(Op::kAskCodeWord, c->id, account_id));
  if (auto error = NotTheirs(c->professional, c->state, account_id)) return *error;
  if (c->opening.code_word.empty()) {
    return Conflict("Elle n’a pas choisi de mot convenu.", "no code word");
  }
  c->code_word_asked = true;
  c->messages.push_back({Sender::kSystem, "code_word_asked"});
  Touch(*c);
  return core::Ok{};
}

core::Result<core::Ok> Hub::HandOver(const std::string& desk_id, const std::string& account_id,
                                     const std::string& colleague, TimePoint now) {
  std::unique_lock lock(mutex_);
  Sweep(now);
  Conversation* c = FindDesk(desk_id);
  if (c == nullptr) return NotFound();
  if (!c->home.empty()) return Forward(lock, *c, Cmd(Op::kHandOver, c->id, account_id, colleague));
  if (auto error = NotTheirs(c->professional, c->state, account_id)) return *error;
  const auto present = presence_.find(colleague);
  const bool at_desk = colleague != account_id && present != presence_.end() &&
                       present->second.count(c->opening.organization_id) > 0 &&
                       now - present->second.at(c->opening.organization_id) <= settings_.desk_presence;
  if (!at_desk) {
    return core::Error{core::ErrorCode::kInvalidInput, "Choisissez une ou un collègue présent à la permanence.",
                       "colleague not at desk"};
  }
  c->professional = colleague;
  c->messages.push_back({Sender::kSystem, "handed_over"});
  Touch(*c);
  return core::Ok{};
}

core::Result<core::Ok> Hub::ProEnds(const std::string& desk_id, const std::string& account_id, TimePoint now) {
  std::unique_lock lock(mutex_);
  Sweep(now);
  Conversation* c = FindDesk(desk_id);
  if (c == nullptr) return NotFound();
  if (!c->home.empty()) return Forward(lock, *c, Cmd(Op::kProEnds, c->id, account_id));
  if (auto error = NotTheirs(c->professional, c->state, account_id)) return *error;
  c->state = State::kEnded;
  c->ended_at = now;
  c->messages.push_back({Sender::kSystem, "pro_ended"});
  Touch(*c);
  return core::Ok{};
}

void Hub::Dismiss(const std::string& desk_id, const std::string& account_id, TimePoint now) {
  const std::lock_guard lock(mutex_);
  Sweep(now);
  Conversation* c = FindDesk(desk_id);
  if (c == nullptr || c->professional != account_id) return;
  if (!c->home.empty()) ForwardLater(*c, Cmd(Op::kDismiss, c->id, account_id));
  // Her side may still be deciding on consent: only an interrupted one goes at once.
  if (c->state == State::kInterrupted) Drop(c->id);
}

std::uint64_t Hub::WaitForChange(const std::string& id_or_desk_id, std::uint64_t version, TimePoint deadline) {
  std::unique_lock lock(mutex_);
  const auto current = [&]() -> std::uint64_t {
    const Conversation* c = Find(id_or_desk_id);
    if (c == nullptr) c = FindDesk(id_or_desk_id);
    return c == nullptr ? 0 : c->version;
  };
  changed_.wait_until(lock, deadline, [&] { return current() != version; });
  return current();
}

bool Hub::Subscribe(const std::string& id_or_desk_id, Subscriber notify) {
  const std::lock_guard lock(mutex_);
  const Conversation* c = Find(id_or_desk_id);
  if (c == nullptr) c = FindDesk(id_or_desk_id);
  if (c == nullptr || stopping_ || subscribers_.size() >= kMaxSubscribers) return false;
  if (!notify(c->version)) return true;
  subscribers_.emplace(c->id, std::move(notify));
  return true;
}

void Hub::KeepAlive(TimePoint now) {
  const std::lock_guard lock(mutex_);
  Sweep(now);
  for (auto it = subscribers_.begin(); it != subscribers_.end();) {
    const Conversation* c = Find(it->first);
    const std::uint64_t version = c == nullptr ? 0 : c->version;
    it = it->second(version) && version != 0 ? std::next(it) : subscribers_.erase(it);
  }
}

void Hub::StartKeepAlive(std::chrono::milliseconds interval, std::function<TimePoint()> clock) {
  keep_alive_ = std::thread([this, interval, clock = std::move(clock)] {
    std::unique_lock lock(mutex_);
    while (!stopping_) {
      changed_.wait_for(lock, interval, [this] { return stopping_; });
      if (stopping_) break;
      lock.unlock();
      KeepAlive(clock());
      lock.lock();
    }
  });
}

void Hub::CloseStreams() {
  {
    const std::lock_guard lock(mutex_);
    stopping_ = true;
    for (auto& [id, notify] : subscribers_) notify(0);
    subscribers_.clear();
  }
  changed_.notify_all();
}

Hub::~Hub() {
  CloseStreams();  // nothing left when the server called it while stopping
  if (keep_alive_.joinable()) keep_alive_.join();
}

// --- several instances (relay.h) ---

Snapshot Hub::ToSnapshot(const Conversation& c) const { return c; }

core::Result<core::Ok> Hub::Forward(std::unique_lock<std::mutex>& lock, const Conversation& c, Command command) {
  const std::string home = c.home;
  const auto forward = replication_.forward;
  lock.unlock();  // the home's answer comes through the relay, which needs the hub
  if (!forward) {
    return core::Error{core::ErrorCode::kUnavailable, "Cette conversation n’est pas joignable pour le moment.",
                       "no relay"};
  }
  return forward(home, command, true);
}

void Hub::ForwardLater(const Conversation& c, Command command) {
  if (replication_.forward) std::ignore = replication_.forward(c.home, command, false);
}

void Hub::Replicate(Replication replication) {
  const std::lock_guard lock(mutex_);
  replication_ = std::move(replication);
}

void Hub::Adopt(const Snapshot& s, const std::string& home) {
  const std::lock_guard lock(mutex_);
  if (home.empty() || tombstones_.count(s.id) > 0) return;
  Conversation* c = Find(s.id);
  if (c != nullptr && (c->home.empty() || s.revision < c->revision)) return;
  if (c == nullptr) {
    if (by_id_.size() >= settings_.max_conversations) return;
    auto fresh = std::make_unique<Conversation>();
    fresh->order = next_order_++;
    c = fresh.get();
    by_id_.emplace(s.id, std::move(fresh));
  }
  const TimePoint seen = std::max(c->her_seen_at, s.her_seen_at);
  static_cast<Snapshot&>(*c) = s;
  c->her_seen_at = seen;
  c->home = home;
  desk_to_id_[s.desk_id] = s.id;
  Touch(*c);  // wakes this instance's pages; a replica is never sent on
}

void Hub::AdoptGone(const std::string& id) {
  const std::lock_guard lock(mutex_);
  const Conversation* c = Find(id);
  if (c != nullptr && !c->home.empty()) Drop(id);
}

void Hub::AdoptPresence(const Presence& p) {
  const std::lock_guard lock(mutex_);
  labels_[p.account_id] = p.label;
  TimePoint& at = presence_[p.account_id][p.organization_id];
  at = std::max(at, p.at);
}

core::Result<core::Ok> Hub::Execute(const Command& command, TimePoint now) {
  std::string desk_id;
  {
    const std::lock_guard lock(mutex_);
    Conversation* c = Find(command.id);
    if (c == nullptr || !c->home.empty()) return NotFound();  // only a home executes
    desk_id = c->desk_id;
    if (command.op == Op::kSeen) {
      c->her_seen_at = std::max(c->her_seen_at, now);
      return core::Ok{};
    }
  }
  switch (command.op) {
    case Op::kHerSays:
      return HerSays(command.id, command.text, now);
    case Op::kHerEnds:
      return HerEnds(command.id, now);
    case Op::kInterrupt:
      Interrupt(command.id, command.why, now);
      return core::Ok{};
    case Op::kForget:
      Forget(command.id, now);
      return core::Ok{};
    case Op::kTake:
      return Take(desk_id, command.account, now);
    case Op::kProSays:
      return ProSays(desk_id, command.account, command.text, now);
    case Op::kAskCodeWord:
      return AskCodeWord(desk_id, command.account, now);
    case Op::kHandOver:
      return HandOver(desk_id, command.account, command.text, now);
    case Op::kProEnds:
      return ProEnds(desk_id, command.account, now);
    case Op::kDismiss:
      Dismiss(desk_id, command.account, now);
      return core::Ok{};
    case Op::kSeen:
      break;
  }
  return core::Ok{};
}

std::vector<Snapshot> Hub::HomeSnapshots() {
  const std::lock_guard lock(mutex_);
  std::vector<Snapshot> out;
  for (const auto& [id, c] : by_id_) {
    if (c->home.empty()) out.push_back(ToSnapshot(*c));
  }
  return out;
}

std::vector<Presence> Hub::PresenceList() {
  const std::lock_guard lock(mutex_);
  std::vector<Presence> out;
  for (const auto& [account, orgs] : presence_) {
    for (const auto& [org, at] : orgs) out.push_back({account, labels_[account], org, at});
  }
  return out;
}

void Hub::DropReplicasOf(const std::string& home) {
  const std::lock_guard lock(mutex_);
  std::vector<std::string> gone;
  for (const auto& [id, c] : by_id_) {
    if (!home.empty() && c->home == home) gone.push_back(id);
  }
  for (const std::string& id : gone) Drop(id);
}

}  // namespace passerelle::conversation
