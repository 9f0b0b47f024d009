#include "conversation/replica.h"

#include "core/crypto.h"

namespace passerelle::conversation {

namespace {

using nlohmann::json;

long long Millis(TimePoint t) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}
TimePoint FromMillis(long long ms) { return TimePoint(std::chrono::milliseconds(ms)); }

json Items(const std::vector<referral::ReportItem>& items) {
  json out = json::array();
  for (const auto& item : items) out.push_back({item.id, item.label, item.value});
  return out;
}
std::vector<referral::ReportItem> ItemsFrom(const json& j) {
  std::vector<referral::ReportItem> out;
  for (const json& item : j) out.push_back({item.at(0), item.at(1), item.at(2)});
  return out;
}

// An enum stored as its number, checked against its last value.
template <typename E>
E EnumFrom(const json& j, E last) {
  const int value = j.get<int>();
  if (value < 0 || value > static_cast<int>(last)) throw std::out_of_range("enum");
  return static_cast<E>(value);
}

}  // namespace

json ToJson(const Snapshot& s) {
  const referral::Report& r = s.opening.report;
  json messages = json::array();
  for (const Message& m : s.messages) messages.push_back({static_cast<int>(m.sender), m.text});
  return {{"id", s.id},
          {"desk", s.desk_id},
          {"secret", core::Base64UrlEncode(s.run_secret)},
          {"opening",
           {{"territory", s.opening.territory_slug},
            {"organization", s.opening.organization_id},
            {"organization_name", s.opening.organization_name},
            {"service", s.opening.service_id},
            {"service_name", s.opening.service_name},
            {"needs", s.opening.needs},
            {"commune", s.opening.commune},
            {"code_word", s.opening.code_word}}},
          {"report",
           {{"organization_name", r.organization_name},
            {"service_name", r.service_name},
            {"contact_channel", r.contact_channel},
            {"safe_contact", Items(r.safe_contact)},
            {"answers", Items(r.answers)},
            {"pseudonym", r.pseudonym},
            {"contact_detail", r.contact_detail},
            {"message", r.message},
            {"handover_consent", r.handover_consent},
            {"consent_day", r.consent_day}}},
          {"state", static_cast<int>(s.state)},
          {"interruption", static_cast<int>(s.interruption)},
          {"messages", messages},
          {"opened_at", Millis(s.opened_at)},
          {"her_seen_at", Millis(s.her_seen_at)},
          {"ended_at", Millis(s.ended_at)},
          {"professional", s.professional},
          {"code_word_asked", s.code_word_asked},
          {"code_word_matched", s.code_word_matched ? json(*s.code_word_matched) : json()},
          {"counted_end", s.counted_end},
          {"revision", s.revision}};
}

std::optional<Snapshot> SnapshotFromJson(const json& j) {
  try {
    Snapshot s;
    s.id = j.at("id");
    s.desk_id = j.at("desk");
    const auto secret = core::Base64UrlDecode(j.at("secret").get<std::string>());
    if (!secret || s.id.empty() || s.desk_id.empty()) return std::nullopt;
    s.run_secret = *secret;
    const json& o = j.at("opening");
    s.opening.territory_slug = o.at("territory");
    s.opening.organization_id = o.at("organization");
    s.opening.organization_name = o.at("organization_name");
    s.opening.service_id = o.at("service");
    s.opening.service_name = o.at("service_name");
    s.opening.needs = o.at("needs");
    s.opening.commune = o.at("commune");
    s.opening.code_word = o.at("code_word");
    const json& r = j.at("report");
    referral::Report& report = s.opening.report;
    report.organization_name = r.at("organization_name");
    report.service_name = r.at("service_name");
    report.contact_channel = r.at("contact_channel");
    report.safe_contact = ItemsFrom(r.at("safe_contact"));
    report.answers = ItemsFrom(r.at("answers"));
    report.pseudonym = r.at("pseudonym");
    report.contact_detail = r.at("contact_detail");
    report.message = r.at("message");
    report.handover_consent = r.at("handover_consent");
    report.consent_day = r.at("consent_day");
    s.state = EnumFrom(j.at("state"), State::kInterrupted);
    s.interruption = EnumFrom(j.at("interruption"), Interruption::kGone);
    for (const json& m : j.at("messages")) s.messages.push_back({EnumFrom(m.at(0), Sender::kSystem), m.at(1)});
    s.opened_at = FromMillis(j.at("opened_at"));
    s.her_seen_at = FromMillis(j.at("her_seen_at"));
    s.ended_at = FromMillis(j.at("ended_at"));
    s.professional = j.at("professional");
    s.code_word_asked = j.at("code_word_asked");
    if (!j.at("code_word_matched").is_null()) s.code_word_matched = j.at("code_word_matched").get<bool>();
    s.counted_end = j.at("counted_end");
    s.revision = j.at("revision");
    return s;
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

json ToJson(const Command& c) {
  return {{"op", static_cast<int>(c.op)},
          {"id", c.id},
          {"account", c.account},
          {"text", c.text},
          {"why", static_cast<int>(c.why)}};
}

std::optional<Command> CommandFromJson(const json& j) {
  try {
    Command c;
    c.op = EnumFrom(j.at("op"), Op::kDismiss);
    c.id = j.at("id");
    c.account = j.at("account");
    c.text = j.at("text");
    c.why = EnumFrom(j.at("why"), Interruption::kGone);
    if (c.id.empty()) return std::nullopt;
    return c;
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

json ToJson(const Presence& p) {
  return {{"account", p.account_id}, {"label", p.label}, {"organization", p.organization_id}, {"at", Millis(p.at)}};
}

std::optional<Presence> PresenceFromJson(const json& j) {
  try {
    Presence p{j.at("account"), j.at("label"), j.at("organization"), FromMillis(j.at("at"))};
    if (p.account_id.empty() || p.organization_id.empty()) return std::nullopt;
    return p;
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

}  // namespace passerelle::conversation
