#pragma once

#include <array>
#include <cstddef>
#include <stdexcept>  // core/error.h uses std::runtime_error without including it
#include <string>
#include <string_view>
#include <vector>

#include "core/result.h"

namespace passerelle::directory {

// One record of a CSV file and the line where it starts (1-based; a record may span several
// lines when a quoted field holds line breaks).
struct CsvRecord {
  std::size_t line = 0;
  std::vector<std::string> fields;
};

// RFC 4180: comma-separated fields; a field holding a comma, a double quote or a line break is
// quoted, with inner quotes doubled; CRLF or LF line ends; blank lines are skipped. The text
// must be UTF-8 (a leading byte order mark is skipped). Errors name the line: an unterminated
// quote, text after a closing quote, bytes that are not UTF-8.
core::Result<std::vector<CsvRecord>> ParseCsv(std::string_view text);

// One record ending with CRLF, each field quoted only when needed.
std::string FormatCsvRecord(const std::vector<std::string>& fields);

// The columns of the directory CSV format (docs/data-formats.md), in export order. One row is
// one service at one location of an organization.
inline constexpr std::array<std::string_view, 15> kCsvOrganizationColumns = {"organization_id",
                                                                             "organization_name",
                                                                             "organization_description",
                                                                             "website",
                                                                             "email",
                                                                             "phones",
                                                                             "accepts_referrals",
                                                                             "assured_date",
                                                                             "verified_by",
                                                                             "status",
                                                                             "closed_from",
                                                                             "closed_until",
                                                                             "alert",
                                                                             "visibility",
                                                                             "is_demo"};
inline constexpr std::array<std::string_view, 13> kCsvServiceColumns = {"service_id",
                                                                        "service_name",
                                                                        "service_description",
                                                                        "categories",
                                                                        "minimum_age",
                                                                        "maximum_age",
                                                                        "genders",
                                                                        "eligibility_description",
                                                                        "fees",
                                                                        "languages",
                                                                        "accessibility",
                                                                        "application_process",
                                                                        "opening_hours"};
inline constexpr std::array<std::string_view, 10> kCsvLocationColumns = {
    "location_id", "location_name", "address",   "postal_code",  "city",
    "insee_code",  "latitude",      "longitude", "confidential", "transportation"};

}  // namespace passerelle::directory
