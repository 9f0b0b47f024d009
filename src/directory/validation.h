#pragma once

#include <cstddef>
#include <optional>
#include <stdexcept>  // core/error.h uses std::runtime_error without including it
#include <string>
#include <string_view>

#include "core/error.h"
#include "directory/model.h"

// Checks shared by the coordinator forms (service.h) and the import (import.h). They never touch
// the database: ids taken by another organization are checked where the writes happen.
namespace passerelle::directory {

enum class Entity { kOrganization, kPhone, kLocation, kService };

// A refused value: the entity, its place in the organization's list (phones, locations,
// services), the model's field name and a French reason.
struct FieldError {
  Entity entity = Entity::kOrganization;
  std::optional<std::size_t> index;
  std::string field;
  std::string reason;
};

// "field : reason" for the coordinator (e.g. "website : adresse web invalide « ftp://x »"); the
// internal detail names the entity and the field, never the value.
core::Error ToError(const FieldError& error);

// An organization's own fields and phones, without its locations and services.
std::optional<FieldError> CheckOrganizationFields(const Organization& organization);
std::optional<FieldError> CheckLocation(const Location& location);
// A service's own fields; whether its location ids exist is CheckOrganization's business.
std::optional<FieldError> CheckService(const Service& service);
// Everything: own fields, each location and service, ids unique within the organization, and
// service locations that exist.
std::optional<FieldError> CheckOrganization(const Organization& organization);

// 1 to 100 characters among letters, digits and `._:-`, starting with a letter or a digit (slugs
// and UUIDs both fit).
bool IsValidId(std::string_view id);
// French numbers as dialled, separators (spaces, dots, dashes) ignored: 10 digits starting with
// 0 (0800 numbers included), +33 followed by 9 digits, or a short number: 15, 17, 18, 112, 114,
// 115, 119, 191, 196, 3919 (3xxx), 116 006 (116xxx).
bool IsValidFrenchPhone(std::string_view number);
// An absolute http or https URL with a host name, no credentials, no spaces or quotes.
bool IsValidHttpUrl(std::string_view url);
bool IsValidEmail(std::string_view email);
// Metropolitan France, Corsica and the overseas departments and collectivities.
bool IsInFrance(double latitude, double longitude);
// A two-letter ISO 639-1 language code, lower case.
bool IsLanguageCode(std::string_view code);
// "YYYY-MM-DD", a real calendar day.
bool IsValidDate(std::string_view date);

}  // namespace passerelle::directory
