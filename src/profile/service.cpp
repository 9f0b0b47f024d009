#include "profile/service.h"

#include <algorithm>
#include <cctype>

#include "audit/audit_log.h"
#include "core/crypto.h"
#include "core/unix_time.h"
#include "directory/opening_hours.h"
#include "directory/validation.h"
#include "notify/outbox.h"
#include "profile/repository.h"

namespace passerelle::profile {

namespace {

using core::UnixSeconds;

constexpr std::size_t kMaxDescription = 2000;  // characters
constexpr std::size_t kMaxShortText = 1000;    // characters
constexpr std::size_t kMaxPhoneDescription = 100;
constexpr std::size_t kMaxPhones = 10;
constexpr std::size_t kRecentChanges = 5;
constexpr std::size_t kChangeIdBytes = 12;

// Thrown inside the directory's transaction when the organization changed since
// it was read: rolls the write back.
struct ChangedMeanwhile {};

std::string Trim(std::string_view text) {
  const auto blank = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  while (!text.empty() && blank(text.front())) text.remove_prefix(1);
  while (!text.empty() && blank(text.back())) text.remove_suffix(1);
  return std::string(text);
}

std::string Lower(std::string text) {
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

// Characters of UTF-8 text (continuation bytes are not counted).
std::size_t Characters(std::string_view text) {
  return static_cast<std::size_t>(
      std::count_if(text.begin(), text.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

std::string Quoted(std::string_view value) { return "« " + std::string(value) + " »"; }

std::string Join(const std::vector<std::string>& items, std::string_view separator) {
  std::string out;
  for (const std::string& item : items) out += (out.empty() ? "" : std::string(separator)) + item;
  return out;
}

// "fr, ar en" → {"fr", "ar", "en"}: separators are commas, semicolons and
// blanks; repeated codes are kept once.
std::vector<std::string> SplitLanguages(std::string_view text) {
  std::vector<std::string> out;
  std::string current;
  const auto flush = [&] {
    if (!current.empty() && std::find(out.begin(), out.end(), current) == out.end()) out.push_back(current);
    current.clear();
  };
  for (char c : text) {
    if (c == ',' || c == ';' || c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      flush();
    } else {
      current += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
  }
  flush();
  return out;
}

std::string PhoneField(std::size_t index, std::string_view part) {
  return "phone-" + std::to_string(index) + "-" + std::string(part);
}

// The form field a directory check names (when our own checks let something
// through).
std::string ContactFieldOf(const directory::FieldError& error) {
  if (error.entity == directory::Entity::kPhone && error.index) {
    return PhoneField(*error.index, error.field == "type"          ? "type"
                                    : error.field == "description" ? "description"
                                                                   : "number");
  }
  if (error.field == "description" || error.field == "website" || error.field == "email") return error.field;
  return "description";
}

std::string ServiceFieldOf(const directory::FieldError& error) {
  if (error.field == "opening_hours" || error.field == "languages" || error.field == "description" ||
      error.field == "fees" || error.field == "accessibility" || error.field == "application_process") {
    return error.field;
  }
  return "description";
}

bool MayView(const Actor& actor, const std::string& organization_id, const std::string& territory_slug) {
  switch (actor.role) {
    case Role::kMember:
      return std::find(actor.organization_ids.begin(), actor.organization_ids.end(), organization_id) !=
             actor.organization_ids.end();
    case Role::kCoordinator:
      return !actor.territory_slug.empty() && actor.territory_slug == territory_slug;
    case Role::kOperator:
      return true;
  }
  return false;
}

bool IsMemberOf(const Actor& actor, const std::string& organization_id) {
  return actor.role == Role::kMember && MayView(actor, organization_id, "");
}

core::Error NotFound(std::string_view what) {
  return core::Error{core::ErrorCode::kNotFound, "Page introuvable.",
                     "profile: " + std::string(what) + " not found or not allowed"};
}

}  // namespace

// ---- codes ----

std::string_view CodeOf(ChangeKind kind) {
  switch (kind) {
    case ChangeKind::kNotificationEmail:
      return "notification_email";
    case ChangeKind::kKeyRotation:
      return "key_rotation";
  }
  return "unknown";
}

std::string_view CodeOf(ChangeStatus status) {
  switch (status) {
    case ChangeStatus::kPending:
      return "pending";
    case ChangeStatus::kApproved:
      return "approved";
    case ChangeStatus::kRejected:
      return "rejected";
    case ChangeStatus::kSuperseded:
      return "superseded";
  }
  return "unknown";
}

std::optional<ChangeKind> ChangeKindFromCode(std::string_view code) {
  for (ChangeKind k : {ChangeKind::kNotificationEmail, ChangeKind::kKeyRotation}) {
    if (CodeOf(k) == code) return k;
  }
  return std::nullopt;
}

std::optional<ChangeStatus> ChangeStatusFromCode(std::string_view code) {
  for (ChangeStatus s :
       {ChangeStatus::kPending, ChangeStatus::kApproved, ChangeStatus::kRejected, ChangeStatus::kSuperseded}) {
    if (CodeOf(s) == code) return s;
  }
  return std::nullopt;
}

// ---- checks ----

std::vector<FieldProblem> CheckContact(const ContactEdit& edit) {
  std::vector<FieldProblem> problems;
  if (Characters(edit.description) > kMaxDescription) {
    problems.push_back({"description", "Présentation : " + std::to_string(kMaxDescription) + " caractères au plus."});
  }
  const std::string website = Trim(edit.website);
  if (!website.empty() && !directory::IsValidHttpUrl(website)) {
    problems.push_back({"website",
                        "Site web : saisissez une adresse complète qui "
                        "commence par https:// ou http://, "
                        "par exemple https://association.example.org"});
  }
  const std::string email = Trim(edit.email);
  if (!email.empty() && !directory::IsValidEmail(email)) {
    problems.push_back({"email",
                        "Adresse e-mail publique : saisissez une adresse valide, par "
                        "exemple accueil@association.fr"});
  }
  if (edit.phones.size() > kMaxPhones) {
    problems.push_back(
        {PhoneField(kMaxPhones, "number"), "Téléphones : " + std::to_string(kMaxPhones) + " numéros au plus."});
  }
  for (std::size_t i = 0; i < edit.phones.size() && i < kMaxPhones; ++i) {
    const PhoneInput& p = edit.phones[i];
    const std::string label = "Téléphone " + std::to_string(i + 1) + " : ";
    const std::string number = Trim(p.number);
    if (number.empty()) {
      problems.push_back({PhoneField(i, "number"), label + "saisissez le numéro, ou effacez aussi sa description."});
    } else if (!directory::IsValidFrenchPhone(number)) {
      problems.push_back({PhoneField(i, "number"), label + "numéro invalide " + Quoted(number) +
                                                       " (10 chiffres commençant par 0, +33 suivi de 9 "
                                                       "chiffres, ou un numéro court comme 3919)."});
    }
    if (!directory::FromCode(p.type, directory::kAllPhoneTypes)) {
      problems.push_back({PhoneField(i, "type"), label + "choisissez appel, SMS ou fax."});
    }
    if (Characters(p.description) > kMaxPhoneDescription) {
      problems.push_back(
          {PhoneField(i, "description"),
           label + "la description fait " + std::to_string(kMaxPhoneDescription) + " caractères au plus."});
    }
  }
  return problems;
}

std::vector<FieldProblem> CheckServiceEdit(const ServiceEdit& edit) {
  std::vector<FieldProblem> problems;
  if (Characters(edit.description) > kMaxDescription) {
    problems.push_back({"description", "Description : " + std::to_string(kMaxDescription) + " caractères au plus."});
  }
  const std::string hours = Trim(edit.opening_hours);
  if (auto parsed = directory::OpeningHours::Parse(hours); !parsed) {
    problems.push_back({"opening_hours", "Horaires : " + parsed.error().public_message});
  }
  for (const std::string& code : SplitLanguages(edit.languages)) {
    if (!directory::IsLanguageCode(code)) {
      problems.push_back({"languages", "Langues : " + Quoted(code) +
                                           " n’est pas un code de langue à deux lettres (par "
                                           "exemple fr, en, ar)."});
      break;
    }
  }
  for (const std::string& code : edit.fees) {
    if (!directory::FromCode(code, directory::kAllFees)) {
      problems.push_back({"fees", "Tarif : choix inconnu."});
      break;
    }
  }
  for (const std::string& code : edit.accessibility) {
    if (!directory::FromCode(code, directory::kAllAccessibilities)) {
      problems.push_back({"accessibility", "Accessibilité : choix inconnu."});
      break;
    }
  }
  if (Characters(edit.application_process) > kMaxShortText) {
    problems.push_back(
        {"application_process", "Comment faire : " + std::to_string(kMaxShortText) + " caractères au plus."});
  }
  return problems;
}

void ApplyContact(const ContactEdit& edit, directory::Organization& organization) {
  organization.description = Trim(edit.description);
  organization.website = Trim(edit.website);
  organization.email = Trim(edit.email);
  organization.phones.clear();
  for (const PhoneInput& p : edit.phones) {
    organization.phones.push_back(directory::Phone{
        Trim(p.number), directory::FromCode(p.type, directory::kAllPhoneTypes).value_or(directory::PhoneType::kVoice),
        Trim(p.description)});
  }
}

void ApplyServiceEdit(const ServiceEdit& edit, directory::Service& service) {
  service.description = Trim(edit.description);
  service.opening_hours = Trim(edit.opening_hours);
  service.languages = SplitLanguages(edit.languages);
  service.fees.clear();
  for (const directory::Fee fee : directory::kAllFees) {  // canonical order whatever the form's
    if (std::find(edit.fees.begin(), edit.fees.end(), directory::CodeOf(fee)) != edit.fees.end())
      service.fees.push_back(fee);
  }
  service.accessibility.clear();
  for (const directory::Accessibility a : directory::kAllAccessibilities) {
    if (std::find(edit.accessibility.begin(), edit.accessibility.end(), directory::CodeOf(a)) !=
        edit.accessibility.end()) {
      service.accessibility.push_back(a);
    }
  }
  service.application_process = Trim(edit.application_process);
}

std::vector<std::string> ChangedFields(const directory::Organization& a, const directory::Organization& b) {
  std::vector<std::string> out;
  const auto check = [&out](bool differs, std::string name) {
    if (differs) out.push_back(std::move(name));
  };
  check(a.name != b.name, "name");
  check(a.description != b.description, "description");
  check(a.website != b.website, "website");
  check(a.email != b.email, "email");
  check(a.phones != b.phones, "phones");
  check(a.accepts_referrals != b.accepts_referrals, "accepts_referrals");
  check(a.status != b.status || a.closed_from != b.closed_from || a.closed_until != b.closed_until, "status");
  check(a.alert != b.alert, "alert");
  check(a.visibility != b.visibility, "visibility");
  check(a.locations != b.locations, "locations");
  for (const directory::Service& s : b.services) {
    const auto old =
        std::find_if(a.services.begin(), a.services.end(), [&s](const directory::Service& x) { return x.id == s.id; });
    const std::string prefix = "services[" + s.id + "].";
    if (old == a.services.end()) {
      out.push_back(prefix + "added");
      continue;
    }
    check(old->name != s.name, prefix + "name");
    check(old->description != s.description, prefix + "description");
    check(old->categories != s.categories, prefix + "categories");
    check(old->opening_hours != s.opening_hours, prefix + "opening_hours");
    check(old->languages != s.languages, prefix + "languages");
    check(old->fees != s.fees, prefix + "fees");
    check(old->accessibility != s.accessibility, prefix + "accessibility");
    check(old->application_process != s.application_process, prefix + "application_process");
    check(old->eligibility_description != s.eligibility_description || old->minimum_age != s.minimum_age ||
              old->maximum_age != s.maximum_age || old->genders != s.genders,
          prefix + "eligibility");
    check(old->location_ids != s.location_ids, prefix + "locations");
  }
  for (const directory::Service& s : a.services) {
    const bool kept =
        std::any_of(b.services.begin(), b.services.end(), [&s](const directory::Service& x) { return x.id == s.id; });
    check(!kept, "services[" + s.id + "].removed");
  }
  return out;
}

// ---- reading ----

std::vector<OrganizationSummary> ProfileService::Organizations(const Actor& actor) {
  soci::session sql(db_.pool());
  ProfileRepository repository(sql);
  switch (actor.role) {
    case Role::kMember: {
      std::vector<OrganizationSummary> out;
      for (const std::string& id : actor.organization_ids) {
        if (auto found = repository.FindOrganization(id)) out.push_back(std::move(*found));
      }
      std::sort(out.begin(), out.end(), [](const auto& x, const auto& y) { return x.name < y.name; });
      return out;
    }
    case Role::kCoordinator:
      if (actor.territory_slug.empty()) return {};
      return repository.ListOrganizations(actor.territory_slug);
    case Role::kOperator:
      return repository.ListOrganizations("");
  }
  return {};
}

core::Result<directory::Organization> ProfileService::Get(const Actor& actor, const std::string& organization_id) {
  auto organization = directory_.Get(organization_id);
  if (!organization || !MayView(actor, organization->id, organization->territory_slug)) return NotFound("organization");
  return std::move(*organization);
}

std::optional<std::string> ProfileService::NotificationAddress(const std::string& organization_id) {
  soci::session sql(db_.pool());
  return notify::OrganizationAddress(sql, organization_id);
}

// ---- edits ----

core::Result<EditOutcome> ProfileService::EditContact(const Actor& actor, const std::string& organization_id,
                                                      const ContactEdit& edit, TimePoint now) {
  auto before = Get(actor, organization_id);
  if (!before) return before.error();
  EditOutcome outcome;
  outcome.problems = CheckContact(edit);
  if (!outcome.problems.empty()) return outcome;
  directory::Organization next = before.value();
  ApplyContact(edit, next);
  if (auto error = directory::CheckOrganizationFields(next)) {
    outcome.problems.push_back({ContactFieldOf(*error), error->reason});
    return outcome;
  }
  return Write(actor, before.value(), next, now);
}

core::Result<EditOutcome> ProfileService::EditService(const Actor& actor, const std::string& organization_id,
                                                      const std::string& service_id, const ServiceEdit& edit,
                                                      TimePoint now) {
  auto before = Get(actor, organization_id);
  if (!before) return before.error();
  directory::Organization next = before.value();
  const auto service = std::find_if(next.services.begin(), next.services.end(),
                                    [&service_id](const directory::Service& s) { return s.id == service_id; });
  if (service == next.services.end()) return NotFound("service");
  EditOutcome outcome;
  outcome.problems = CheckServiceEdit(edit);
  if (!outcome.problems.empty()) return outcome;
  ApplyServiceEdit(edit, *service);
  if (auto error = directory::CheckService(*service)) {
    outcome.problems.push_back({ServiceFieldOf(*error), error->reason});
    return outcome;
  }
  return Write(actor, before.value(), next, now);
}

core::Result<EditOutcome> ProfileService::SetAcceptsReferrals(const Actor& actor, const std::string& organization_id,
                                                              bool accepts, TimePoint now) {
  auto before = Get(actor, organization_id);
  if (!before) return before.error();
  directory::Organization next = before.value();
  next.accepts_referrals = accepts;
  return Write(actor, before.value(), next, now);
}

core::Result<EditOutcome> ProfileService::Write(const Actor& actor, const directory::Organization& before,
                                                const directory::Organization& next, TimePoint now) {
  EditOutcome outcome;
  outcome.changed_fields = ChangedFields(before, next);
  if (outcome.changed_fields.empty()) return outcome;
  const std::string detail = Join(outcome.changed_fields, ",");
  try {
    auto updated = directory_.Update(next, now, [&](soci::session& sql, const directory::Organization& previous) {
      // The edit was built on `before`: a write in between would be
      // silently undone.
      if (!(previous == before)) throw ChangedMeanwhile{};
      // Without an organization_settings row, notifications go to the
      // public e-mail: changing that must not move them without a
      // coordinator's approval, so the address in use stays.
      if (previous.email != next.email && !previous.email.empty()) {
        ProfileRepository repository(sql);
        const auto stored = repository.StoredNotificationEmail(previous.id);
        if (!stored || stored->empty()) repository.SetNotificationEmail(previous.id, previous.email, UnixSeconds(now));
      }
      audit::Append(sql, audit::Entry{actor.AuditName(), "organization.changed", "organization:" + previous.id, detail},
                    now);
    });
    if (!updated) {
      if (updated.error().code == core::ErrorCode::kInvalidInput) {
        outcome.changed_fields.clear();
        outcome.problems.push_back({"description", updated.error().public_message});
        return outcome;
      }
      return updated.error();
    }
  } catch (const ChangedMeanwhile&) {
    return core::Error{core::ErrorCode::kConflict,
                       "Cette organisation vient d’être modifiée par quelqu’un "
                       "d’autre. Vérifiez la page puis recommencez.",
                       "profile: organization changed between read and write"};
  }
  return outcome;
}

// ---- requests needing approval ----

core::Result<ChangeRequest> ProfileService::RequestAddressChange(const Actor& actor, const std::string& organization_id,
                                                                 const std::string& address, TimePoint now) {
  if (!IsMemberOf(actor, organization_id)) return NotFound("organization");
  const std::string wanted = Trim(address);
  if (wanted.empty()) {
    return core::Error{core::ErrorCode::kInvalidInput, "Saisissez la nouvelle adresse de notification.",
                       "profile: empty address"};
  }
  if (!directory::IsValidEmail(wanted)) {
    return core::Error{core::ErrorCode::kInvalidInput,
                       "Saisissez une adresse e-mail valide, par exemple "
                       "accueil@association.fr",
                       "profile: invalid address"};
  }
  if (const auto current = NotificationAddress(organization_id); current && Lower(*current) == Lower(wanted)) {
    return core::Error{core::ErrorCode::kInvalidInput, "C’est déjà l’adresse de notification de l’organisation.",
                       "profile: same address"};
  }
  return Request(actor, organization_id, ChangeKind::kNotificationEmail, wanted, now);
}

core::Result<ChangeRequest> ProfileService::RequestKeyRotation(const Actor& actor, const std::string& organization_id,
                                                               TimePoint now) {
  if (!IsMemberOf(actor, organization_id)) return NotFound("organization");
  return Request(actor, organization_id, ChangeKind::kKeyRotation, "", now);
}

core::Result<ChangeRequest> ProfileService::Request(const Actor& actor, const std::string& organization_id,
                                                    ChangeKind kind, const std::string& new_value, TimePoint now) {
  return db_.InTransaction([&](soci::session& sql) -> core::Result<ChangeRequest> {
    ProfileRepository repository(sql);
    const auto organization = repository.FindOrganization(organization_id);
    if (!organization) return NotFound("organization");
    ChangeRequest change;
    change.id = "chg-" + core::RandomHex(kChangeIdBytes);
    change.organization_id = organization_id;
    change.organization_name = organization->name;
    change.territory_slug = organization->territory_slug;
    change.kind = kind;
    change.new_value = new_value;
    change.status = ChangeStatus::kPending;
    change.requested_by = actor.account_id;
    change.requested_at = UnixSeconds(now);
    repository.SupersedePending(organization_id, kind);
    repository.InsertChange(change);
    audit::Append(sql,
                  audit::Entry{actor.AuditName(), "organization.change_requested", "organization:" + organization_id,
                               std::string(CodeOf(kind)) + " request:" + change.id},
                  now);
    return change;
  });
}

std::vector<ChangeRequest> ProfileService::RecentChanges(const Actor& actor, const std::string& organization_id) {
  soci::session sql(db_.pool());
  ProfileRepository repository(sql);
  const auto territory = repository.TerritoryOf(organization_id);
  if (!territory || !MayView(actor, organization_id, *territory)) return {};
  return repository.ListOf(organization_id, kRecentChanges);
}

std::optional<ChangeRequest> ProfileService::FindChange(const std::string& id) {
  soci::session sql(db_.pool());
  return ProfileRepository(sql).FindChange(id);
}

std::vector<ChangeRequest> ProfileService::PendingForApproval(const Actor& actor) {
  soci::session sql(db_.pool());
  ProfileRepository repository(sql);
  switch (actor.role) {
    case Role::kMember:
      return {};
    case Role::kCoordinator:
      return actor.territory_slug.empty() ? std::vector<ChangeRequest>{} : repository.ListPending(actor.territory_slug);
    case Role::kOperator:
      return repository.ListPending("");
  }
  return {};
}

core::Result<ChangeRequest> ProfileService::Decide(const Actor& actor, const std::string& change_id, Decision decision,
                                                   TimePoint now) {
  const bool may_decide_anything = actor.role == Role::kOperator;
  const long long at = UnixSeconds(now);
  return db_.InTransaction([&](soci::session& sql) -> core::Result<ChangeRequest> {
    ProfileRepository repository(sql);
    auto change = repository.FindChange(change_id);
    if (!change) return NotFound("change");
    const bool coordinator_here = actor.role == Role::kCoordinator && !actor.territory_slug.empty() &&
                                  actor.territory_slug == change->territory_slug;
    if (!may_decide_anything && !coordinator_here) return NotFound("change");
    const bool approve = decision == Decision::kApprove;
    const bool applies_now = approve && change->kind == ChangeKind::kNotificationEmail;
    // The address being replaced, read before anything is written.
    const std::optional<std::string> old_address =
        applies_now ? notify::OrganizationAddress(sql, change->organization_id) : std::nullopt;
    const ChangeStatus status = approve ? ChangeStatus::kApproved : ChangeStatus::kRejected;
    const std::optional<long long> applied_at = applies_now ? std::optional<long long>(at) : std::nullopt;
    if (!repository.Decide(change->id, status, actor.account_id, at, applied_at)) {
      return core::Error{core::ErrorCode::kConflict, "Cette demande a déjà été traitée.",
                         "profile: change not pending"};
    }
    if (applies_now) {
      repository.SetNotificationEmail(change->organization_id, change->new_value, at);
      // The old address learns that notifications will go elsewhere
      // (content-free, and without the new address): a member account used
      // to divert them is noticed.
      if (old_address && Lower(*old_address) != Lower(change->new_value)) {
        notify::Enqueue(sql, *old_address, notify::Kind::kAddressChange, now);
      }
    }
    audit::Append(
        sql,
        audit::Entry{actor.AuditName(), approve ? "organization.change_approved" : "organization.change_rejected",
                     "organization:" + change->organization_id,
                     std::string(CodeOf(change->kind)) + " request:" + change->id},
        now);
    change->status = status;
    change->decided_by = actor.account_id;
    change->decided_at = at;
    change->applied_at = applied_at;
    return std::move(*change);
  });
}

}  // namespace passerelle::profile
