#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/enum_codes.h"

// The directory of local actors: organizations, the services they offer and the places where
// they receive. Field names follow HSDS 3.1 (Open Referral) where one exists; docs/data-formats.md
// lists the departures.
namespace passerelle::directory {

// First level of the taxonomy (DESIGN.md §4). Codes are stored and exchanged: never rename one.
enum class Category {
  kLegalAdvice,
  kLawyer,
  kVictimSupportAssociation,
  kPsychologist,
  kDoctor,
  kForensicUnit,
  kSocialWorker,
  kPolice,
  kGendarmerie,
  kShelter,
  kChildProtection,
  kYouthService,
  kInterpreter,
  kFinancialAid,
};

enum class OrganizationStatus { kActive, kTemporarilyClosed, kDefunct };

// Who may see an organization: everyone, or only signed-in professionals.
enum class Visibility { kPublic, kProfessionals };

// Whether the public may see it yet: an actor added from the census (the territory console) is
// a draft until a coordinator publishes it; the imports and the demo data write public ones.
enum class Publication { kDraft, kPublic };

enum class PhoneType { kVoice, kText, kFax };

enum class Gender { kFemale, kMale, kOther };

enum class Fee { kFree, kPaid, kLegalAid };

enum class Accessibility { kWheelchair, kSignLanguage, kInterpreter };

// Stable codes stored in the database and used in CSV and HSDS files: one table per enum
// (core/enum_codes.h). Never rename a code.
inline constexpr auto kCategoryCodes = core::MakeEnumCodes<Category>({
    {Category::kLegalAdvice, "legal-advice"},
    {Category::kLawyer, "lawyer"},
    {Category::kVictimSupportAssociation, "victim-support-association"},
    {Category::kPsychologist, "psychologist"},
    {Category::kDoctor, "doctor"},
    {Category::kForensicUnit, "forensic-unit"},
    {Category::kSocialWorker, "social-worker"},
    {Category::kPolice, "police"},
    {Category::kGendarmerie, "gendarmerie"},
    {Category::kShelter, "shelter"},
    {Category::kChildProtection, "child-protection"},
    {Category::kYouthService, "youth-service"},
    {Category::kInterpreter, "interpreter"},
    {Category::kFinancialAid, "financial-aid"},
});
inline constexpr auto kOrganizationStatusCodes = core::MakeEnumCodes<OrganizationStatus>({
    {OrganizationStatus::kActive, "active"},
    {OrganizationStatus::kTemporarilyClosed, "temporarily_closed"},
    {OrganizationStatus::kDefunct, "defunct"},
});
inline constexpr auto kVisibilityCodes = core::MakeEnumCodes<Visibility>({
    {Visibility::kPublic, "public"},
    {Visibility::kProfessionals, "professionals"},
});
inline constexpr auto kPublicationCodes = core::MakeEnumCodes<Publication>({
    {Publication::kDraft, "draft"},
    {Publication::kPublic, "public"},
});
inline constexpr auto kPhoneTypeCodes = core::MakeEnumCodes<PhoneType>({
    {PhoneType::kVoice, "voice"},
    {PhoneType::kText, "text"},
    {PhoneType::kFax, "fax"},
});
inline constexpr auto kGenderCodes = core::MakeEnumCodes<Gender>({
    {Gender::kFemale, "female"},
    {Gender::kMale, "male"},
    {Gender::kOther, "other"},
});
inline constexpr auto kFeeCodes = core::MakeEnumCodes<Fee>({
    {Fee::kFree, "free"},
    {Fee::kPaid, "paid"},
    {Fee::kLegalAid, "legal_aid"},
});
inline constexpr auto kAccessibilityCodes = core::MakeEnumCodes<Accessibility>({
    {Accessibility::kWheelchair, "wheelchair"},
    {Accessibility::kSignLanguage, "sign_language"},
    {Accessibility::kInterpreter, "interpreter"},
});
static_assert(kCategoryCodes.IsComplete() && kOrganizationStatusCodes.IsComplete() && kVisibilityCodes.IsComplete() &&
              kPublicationCodes.IsComplete() && kPhoneTypeCodes.IsComplete() && kGenderCodes.IsComplete() &&
              kFeeCodes.IsComplete() && kAccessibilityCodes.IsComplete());

// Every value, in the order of its table (forms and facets list them in this order).
inline constexpr std::array kAllCategories = kCategoryCodes.Values();
inline constexpr std::array kAllOrganizationStatuses = kOrganizationStatusCodes.Values();
inline constexpr std::array kAllVisibilities = kVisibilityCodes.Values();
inline constexpr std::array kAllPublications = kPublicationCodes.Values();
inline constexpr std::array kAllPhoneTypes = kPhoneTypeCodes.Values();
inline constexpr std::array kAllGenders = kGenderCodes.Values();
inline constexpr std::array kAllFees = kFeeCodes.Values();
inline constexpr std::array kAllAccessibilities = kAccessibilityCodes.Values();

constexpr std::string_view CodeOf(Category category) { return kCategoryCodes.ToCode(category); }
constexpr std::string_view CodeOf(OrganizationStatus status) { return kOrganizationStatusCodes.ToCode(status); }
constexpr std::string_view CodeOf(Visibility visibility) { return kVisibilityCodes.ToCode(visibility); }
constexpr std::string_view CodeOf(Publication publication) { return kPublicationCodes.ToCode(publication); }
constexpr std::string_view CodeOf(PhoneType type) { return kPhoneTypeCodes.ToCode(type); }
constexpr std::string_view CodeOf(Gender gender) { return kGenderCodes.ToCode(gender); }
constexpr std::string_view CodeOf(Fee fee) { return kFeeCodes.ToCode(fee); }
constexpr std::string_view CodeOf(Accessibility accessibility) { return kAccessibilityCodes.ToCode(accessibility); }

// The value whose code is `code` among `all` (one of the kAll* arrays), if any.
template <typename Enum, std::size_t N>
constexpr std::optional<Enum> FromCode(std::string_view code, const std::array<Enum, N>& all) {
  for (Enum value : all) {
    if (CodeOf(value) == code) return value;
  }
  return std::nullopt;
}

struct Phone {
  std::string number;  // as the organization writes it: "01 99 00 10 01", "3919"
  PhoneType type = PhoneType::kVoice;
  std::string description;  // French, shown as is: "accueil", "ligne d'écoute"

  bool operator==(const Phone&) const = default;
};

// A place where an organization receives people. A confidential location (a shelter) keeps its
// exact address, name, coordinates and transport notes for professionals: the public only ever
// sees its commune and the organization's contact channels (public_view.h).
struct Location {
  std::string id;
  std::string name;                // e.g. "Permanence en mairie"; may be empty
  std::string address;             // street line (HSDS address_1); may be empty only if confidential
  std::string postal_code;         // 5 digits
  std::string city;                // commune name
  std::string insee_code;          // commune code: "75110", "62588", "2A004"
  std::optional<double> latitude;  // WGS 84; required unless confidential
  std::optional<double> longitude;
  bool confidential = false;
  std::string transportation;  // e.g. "Métro Château-d'Eau (ligne 4)"

  bool operator==(const Location&) const = default;
};

struct Service {
  std::string id;
  std::string name;
  std::string description;
  std::vector<Category> categories;  // at least one
  std::optional<int> minimum_age;
  std::optional<int> maximum_age;
  std::vector<Gender> genders;  // empty: everyone
  std::string eligibility_description;
  std::vector<Fee> fees;               // empty: not provided
  std::vector<std::string> languages;  // ISO 639-1 codes, e.g. "fr", "ar"
  std::vector<Accessibility> accessibility;
  std::string application_process;        // how to get the service: "sur rendez-vous", …
  std::string opening_hours;              // OSM subset (opening_hours.h); empty: not provided
  std::vector<std::string> location_ids;  // locations of the organization; empty: no place

  bool operator==(const Service&) const = default;
};

struct Organization {
  std::string id;
  std::string territory_slug;
  std::string name;
  std::string description;
  std::string website;  // http or https URL, or empty
  std::string email;
  std::vector<Phone> phones;  // first = main contact channel
  bool accepts_referrals = false;
  std::string assured_date;  // "YYYY-MM-DD" of the last check; empty: never checked
  std::string verified_by;   // a role or a structure, never a person's private data
  OrganizationStatus status = OrganizationStatus::kActive;
  std::string closed_from;   // "YYYY-MM-DD", only when temporarily closed
  std::string closed_until;  // "YYYY-MM-DD" or empty (until further notice)
  std::string alert;         // French notice shown to the public (HSDS alert)
  Visibility visibility = Visibility::kPublic;
  Publication publication = Publication::kPublic;  // a draft is for professionals only
  bool is_demo = false;                            // demonstration data (content/demo/)
  std::vector<Location> locations;                 // sorted by id (see Canonicalize)
  std::vector<Service> services;                   // sorted by id

  bool operator==(const Organization&) const = default;
};

// Sorts services and locations by id and each service's location ids, so that two equal
// organizations compare equal whatever order they were read in. Phones, categories and
// languages keep their order: it is meaningful.
void Canonicalize(Organization& organization);

}  // namespace passerelle::directory
