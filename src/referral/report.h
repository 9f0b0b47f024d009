#pragma once

#include <nlohmann/json.hpp>

#include <set>
#include <string>
#include <vector>

#include "annuaire/phrase.h"
#include "help/engine.h"
#include "help/flow.h"

namespace passerelle::referral {

struct ReportItem {
  std::string id;     // node id (answers) or field code (safe contact)
  std::string label;  // the question, in the flow's wording
  std::string value;  // her answer, as she would say it
};

// The report a professional receives: safe-contact instructions first, then her answers, her
// optional message, her pseudonym and what she consented to. The very same JSON is shown to
// her before sending (ToJson) and sealed (docs/referral.md).
struct Report {
  std::string organization_name;
  std::string service_name;
  std::string contact_channel;           // code of node `contact` ("none": she will call)
  std::vector<ReportItem> safe_contact;  // always sent: they protect her
  std::vector<ReportItem> answers;       // each can be removed
  std::string pseudonym;
  std::string contact_detail;  // phone number or e-mail address, asked only here
  std::string message;
  bool handover_consent = false;
  std::string consent_day;  // "YYYY-MM-DD"; "" in a preview she has not consented to yet
};

// "2026-12-06" → "6 décembre 2026" (the day as written in French; the text as is otherwise).
std::string FrenchLongDate(const std::string& day);

// Every answer on her path (the contact node becomes the safe-contact block). The answers are in
// her language: choice labels come from her flow, the fixed words of a place through `translate`
// (the safe-contact block stays in French: it is the professional's instructions).
Report DraftReport(const help::Flow& flow, const help::FlowState& state,
                   const annuaire::TranslateFn& translate = annuaire::Untranslated);

// Keeps only the answers whose id is in `included`.
void KeepAnswers(Report& report, const std::set<std::string>& included);

nlohmann::json ToJson(const Report& report);

}  // namespace passerelle::referral
