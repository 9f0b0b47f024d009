#include "referral/report.h"

#include <algorithm>

#include "help/code_labels.h"

namespace passerelle::referral {

namespace {

using help::kContactChannels;
using help::kContactTimes;
using help::kIfOtherAnswers;
using help::LabelOf;
using help::Reader;
using help::Strings;

std::string Describe(const help::Node& node, const nlohmann::json& answer, const annuaire::TranslateFn& tr) {
  switch (node.type) {
    case help::NodeType::kChoice:
    case help::NodeType::kMultiChoice: {
      std::string text;
      for (const std::string& code : Strings(answer)) {
        const help::Choice* choice = node.FindChoice(code);
        text += (text.empty() ? "" : ", ") + (choice ? choice->label : code);
      }
      return text;
    }
    case help::NodeType::kText:
      return answer.is_string() ? answer.get<std::string>() : "";
    case help::NodeType::kLocation:
      if (answer.contains("postal_code")) return tr("Code postal") + " " + answer["postal_code"].get<std::string>();
      if (answer.contains("commune")) return answer["commune"].get<std::string>();
      if (answer.contains("lat")) return tr("Position approximative (à environ 1 km près)");
      return "";
    default:
      return "";
  }
}

void AddSafeContact(Report& report, const nlohmann::json& answer) {
  const std::string channel = answer.is_object() ? answer.value("channel", "none") : "none";
  report.contact_channel = channel;
  report.safe_contact.push_back(
      {"channel", "Moyen de contact", LabelOf(kContactChannels, channel, Reader::kProfessional)});
  if (channel == "none") return;
  std::string times;
  for (const std::string& t : Strings(answer.value("times", nlohmann::json::array()))) {
    times += (times.empty() ? "" : ", ") + LabelOf(kContactTimes, t, Reader::kProfessional);
  }
  report.safe_contact.push_back({"times", "Moments sans danger", times.empty() ? "Non précisé" : times});
  // An unanswered yes/no takes the safest value (docs/help-flow.md).
  report.safe_contact.push_back(
      {"voicemail", "Message vocal", answer.value("voicemail", false) ? "Possible" : "Ne pas laisser de message"});
  report.safe_contact.push_back(
      {"identify", "Dire qui appelle", answer.value("identify", false) ? "Oui" : "Non : ne pas dire qui appelle"});
  if (answer.contains("code_word") && answer["code_word"].is_string()) {
    report.safe_contact.push_back({"code_word", "Mot convenu", answer["code_word"].get<std::string>()});
  }
  report.safe_contact.push_back({"if_other", "Si quelqu’un d’autre répond",
                                 LabelOf(kIfOtherAnswers, answer.value("if_other", "hang_up"), Reader::kProfessional)});
}

nlohmann::json Items(const std::vector<ReportItem>& items) {
  nlohmann::json out = nlohmann::json::array();
  for (const ReportItem& item : items) out.push_back({{"id", item.id}, {"label", item.label}, {"value", item.value}});
  return out;
}

}  // namespace

Report DraftReport(const help::Flow& flow, const help::FlowState& state, const annuaire::TranslateFn& translate) {
  Report report;
  bool has_contact = false;
  for (const std::string& id : state.history) {
    const help::Node* node = flow.Find(id);
    if (node == nullptr || !help::TakesAnswer(node->type)) continue;
    const auto answer = state.answers.find(id);
    if (node->type == help::NodeType::kContact) {
      AddSafeContact(report, answer == state.answers.end() ? nlohmann::json() : answer->second);
      has_contact = true;
      continue;
    }
    if (answer == state.answers.end()) continue;  // "je préfère ne pas répondre": nothing to send
    const std::string value = Describe(*node, answer->second, translate);
    if (!value.empty()) report.answers.push_back({id, node->text, value});
  }
  if (!has_contact) AddSafeContact(report, nlohmann::json());
  return report;
}

void KeepAnswers(Report& report, const std::set<std::string>& included) {
  std::erase_if(report.answers, [&](const ReportItem& item) { return included.count(item.id) == 0; });
}

std::string FrenchLongDate(const std::string& day) {
  static constexpr const char* kMonths[] = {"janvier", "février", "mars",      "avril",   "mai",      "juin",
                                            "juillet", "août",    "septembre", "octobre", "novembre", "décembre"};
  if (day.size() != 10 || day[4] != '-' || day[7] != '-') return day;
  const int month = (day[5] - '0') * 10 + (day[6] - '0');
  const int of_month = (day[8] - '0') * 10 + (day[9] - '0');
  if (month < 1 || month > 12 || of_month < 1 || of_month > 31) return day;
  return std::to_string(of_month) + (of_month == 1 ? "er " : " ") + kMonths[month - 1] + " " + day.substr(0, 4);
}

nlohmann::json ToJson(const Report& report) {
  std::vector<ReportItem> safe = report.safe_contact;
  if (!report.contact_detail.empty()) {
    const auto at = std::min<std::size_t>(1, safe.size());
    safe.insert(
        safe.begin() + static_cast<std::ptrdiff_t>(at),
        ReportItem{"contact_detail", report.contact_channel == "email" ? "Adresse e-mail" : "Numéro de téléphone",
                   report.contact_detail});
  }
  auto optional = [](const std::string& s) { return s.empty() ? nlohmann::json() : nlohmann::json(s); };
  return {{"v", 1},
          {"organization", report.organization_name},
          {"service", report.service_name},
          {"safe_contact", Items(safe)},
          {"answers", Items(report.answers)},
          {"pseudonym", optional(report.pseudonym)},
          {"message", optional(report.message)},
          {"handover_consent", report.handover_consent},
          {"consent_day", report.consent_day},
          {"consent_date", FrenchLongDate(report.consent_day)}};
}

}  // namespace passerelle::referral
