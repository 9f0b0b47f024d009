#include "profile/form.h"

#include <algorithm>

namespace passerelle::profile {

namespace {

using nlohmann::json;

constexpr std::size_t kFormPhoneRows = 12;  // rows read from a submitted form
constexpr std::size_t kBlankPhoneRows = 2;  // empty rows offered after the existing ones

bool IsBlank(std::string_view text) {
  return std::all_of(text.begin(), text.end(), [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; });
}

std::string ProblemFor(const std::vector<FieldProblem>& problems, const std::string& field) {
  for (const FieldProblem& p : problems) {
    if (p.field == field) return p.message;
  }
  return "";
}

}  // namespace

std::string Field(const http::FormData& form, const std::string& name) { return form.Get(name).value_or(""); }

std::string PhoneTypeLabel(directory::PhoneType type) {
  switch (type) {
    case directory::PhoneType::kVoice:
      return "Appel";
    case directory::PhoneType::kText:
      return "SMS";
    case directory::PhoneType::kFax:
      return "Fax";
  }
  return "";
}

std::string FeeLabel(directory::Fee fee) {
  switch (fee) {
    case directory::Fee::kFree:
      return "Gratuit";
    case directory::Fee::kPaid:
      return "Payant";
    case directory::Fee::kLegalAid:
      return "Aide juridictionnelle acceptée";
  }
  return "";
}

std::string AccessibilityLabel(directory::Accessibility a) {
  switch (a) {
    case directory::Accessibility::kWheelchair:
      return "Accessible en fauteuil roulant";
    case directory::Accessibility::kSignLanguage:
      return "Accueil en langue des signes (LSF)";
    case directory::Accessibility::kInterpreter:
      return "Interprète possible";
  }
  return "";
}

// Sets "<key>" to the message of `field` when there is one (for the inline
// error messages).
void PutError(json& data, const std::string& key, const std::vector<FieldProblem>& problems, const std::string& field) {
  const std::string message = ProblemFor(problems, field);
  if (!message.empty()) data[key] = message;
}

json ErrorData(const std::vector<FieldProblem>& problems) {
  json list = json::array();
  for (const FieldProblem& p : problems) list.push_back({{"field_id", p.field}, {"message", p.message}});
  return {{"has_errors", !problems.empty()}, {"errors", list}};
}

ContactEdit ContactOf(const directory::Organization& o) {
  ContactEdit edit{o.description, o.website, o.email, {}};
  for (const directory::Phone& p : o.phones) {
    edit.phones.push_back({p.number, std::string(directory::CodeOf(p.type)), p.description});
  }
  return edit;
}

ContactEdit ContactFromForm(const http::FormData& form) {
  ContactEdit edit{Field(form, "description"), Field(form, "website"), Field(form, "email"), {}};
  for (std::size_t i = 0; i < kFormPhoneRows; ++i) {
    const std::string prefix = "phone-" + std::to_string(i) + "-";
    PhoneInput phone{Field(form, prefix + "number"), Field(form, prefix + "type"), Field(form, prefix + "description")};
    // A row left empty is no phone (the form always offers blank rows).
    if (IsBlank(phone.number) && IsBlank(phone.description)) continue;
    if (phone.type.empty()) phone.type = "voice";
    edit.phones.push_back(std::move(phone));
  }
  return edit;
}

ServiceEdit ServiceEditOf(const directory::Service& s) {
  ServiceEdit edit;
  edit.description = s.description;
  edit.opening_hours = s.opening_hours;
  for (const std::string& code : s.languages) edit.languages += (edit.languages.empty() ? "" : ", ") + code;
  for (directory::Fee f : s.fees) edit.fees.emplace_back(directory::CodeOf(f));
  for (directory::Accessibility a : s.accessibility) edit.accessibility.emplace_back(directory::CodeOf(a));
  edit.application_process = s.application_process;
  return edit;
}

ServiceEdit ServiceEditFromForm(const http::FormData& form) {
  ServiceEdit edit;
  edit.description = Field(form, "description");
  edit.opening_hours = Field(form, "opening_hours");
  edit.languages = Field(form, "languages");
  edit.fees = form.GetAll("fees");
  edit.accessibility = form.GetAll("accessibility");
  edit.application_process = Field(form, "application_process");
  return edit;
}

json PhoneRows(const ContactEdit& contact, const std::vector<FieldProblem>& problems) {
  json phones = json::array();
  const std::size_t rows = std::min(kFormPhoneRows, contact.phones.size() + kBlankPhoneRows);
  for (std::size_t i = 0; i < rows; ++i) {
    const PhoneInput phone = i < contact.phones.size() ? contact.phones[i] : PhoneInput{"", "voice", ""};
    const std::string id = "phone-" + std::to_string(i);
    json types = json::array();
    bool first = true;
    for (directory::PhoneType type : directory::kAllPhoneTypes) {
      const std::string code(directory::CodeOf(type));
      // The first radio carries the id the error summary links to.
      types.push_back({{"id", first ? id + "-type" : id + "-type-" + code},
                       {"name", id + "-type"},
                       {"code", code},
                       {"label", PhoneTypeLabel(type)},
                       {"checked", phone.type == code}});
      first = false;
    }
    json row = {{"id", id},
                {"n", i + 1},
                {"number", phone.number},
                {"description", phone.description},
                {"types", types},
                {"blank", i >= contact.phones.size()}};
    // Keys of their own: a section looks a missing key up in the page's data.
    PutError(row, "phone_number_error", problems, id + "-number");
    PutError(row, "phone_type_error", problems, id + "-type");
    PutError(row, "phone_description_error", problems, id + "-description");
    row["phone_has_error"] = row.contains("phone_number_error") || row.contains("phone_type_error") ||
                             row.contains("phone_description_error");
    phones.push_back(row);
  }
  return phones;
}

json FeeChoices(const std::vector<std::string>& checked) {
  json fees = json::array();
  for (directory::Fee f : directory::kAllFees) {
    const std::string code(directory::CodeOf(f));
    fees.push_back({{"id", fees.empty() ? std::string("fees") : "fees-" + code},
                    {"code", code},
                    {"label", FeeLabel(f)},
                    {"checked", std::find(checked.begin(), checked.end(), code) != checked.end()}});
  }
  return fees;
}

json AccessibilityChoices(const std::vector<std::string>& checked) {
  json accessibility = json::array();
  for (directory::Accessibility a : directory::kAllAccessibilities) {
    const std::string code(directory::CodeOf(a));
    accessibility.push_back({{"id", accessibility.empty() ? std::string("accessibility") : "accessibility-" + code},
                             {"code", code},
                             {"label", AccessibilityLabel(a)},
                             {"checked", std::find(checked.begin(), checked.end(), code) != checked.end()}});
  }
  return accessibility;
}

}  // namespace passerelle::profile
