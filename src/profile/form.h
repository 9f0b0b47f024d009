#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

#include "directory/model.h"
#include "http/message.h"
#include "profile/model.h"

// The form pieces of the organization profile pages (templates/pro/profile/), shared with the
// census forms of the territory console (src/console/census): reading a submitted form into the
// edits of profile/model.h, and the data of the phone rows, fee and accessibility choices and
// error messages the templates show.
namespace passerelle::profile {

// The value of a submitted field, "" when absent.
std::string Field(const http::FormData& form, const std::string& name);

// The organization's contact data as the form shows it, and as it was submitted (rows
// "phone-<i>-number|type|description"; rows left blank are no phone).
ContactEdit ContactOf(const directory::Organization& organization);
ContactEdit ContactFromForm(const http::FormData& form);
// A service's practical details, as shown and as submitted (fields description,
// opening_hours, languages, fees, accessibility, application_process).
ServiceEdit ServiceEditOf(const directory::Service& service);
ServiceEdit ServiceEditFromForm(const http::FormData& form);

// {"has_errors", "errors": [{"field_id", "message"}]} for templates/pro/_errors.mustache.
nlohmann::json ErrorData(const std::vector<FieldProblem>& problems);
// Sets "<key>" to the message of `field` when there is one (the inline error messages).
void PutError(nlohmann::json& data, const std::string& key, const std::vector<FieldProblem>& problems,
              const std::string& field);

// The phone rows of the contact form: the existing phones and two blank rows.
nlohmann::json PhoneRows(const ContactEdit& contact, const std::vector<FieldProblem>& problems);
// The checkboxes of fees and accessibility, `checked` holding codes.
nlohmann::json FeeChoices(const std::vector<std::string>& checked);
nlohmann::json AccessibilityChoices(const std::vector<std::string>& checked);

// French labels.
std::string PhoneTypeLabel(directory::PhoneType type);
std::string FeeLabel(directory::Fee fee);
std::string AccessibilityLabel(directory::Accessibility accessibility);

}  // namespace passerelle::profile
