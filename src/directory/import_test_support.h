#pragma once
// What the import and export tests share (import_test.cpp, import_csv_test.cpp,
// import_hsds_test.cpp, export_test.cpp): the ImportTest fixture and small files to import.
#include <gtest/gtest.h>

#include <initializer_list>
#include <string>
#include <string_view>

#include "directory/import.h"
#include "directory/test_support.h"

namespace passerelle::directory::testing {

inline constexpr const char* kHeader =
    "organization_id,organization_name,phones,service_id,service_name,categories,opening_hours,"
    "location_id,address,postal_code,city,insee_code,latitude,longitude,confidential\n";
inline constexpr const char* kRowA =
    "org-a,Association A,01 99 00 10 01 (accueil),svc-a,Écoute,victim-support-association,"
    "Mo-Fr 09:00-17:00,loc-a,12 rue du Test,75010,Paris,75110,48.87,2.36,false\n";
inline constexpr const char* kRowB =
    "org-b,Foyer B,01 99 00 10 02;text:06 99 00 10 02 (SMS),svc-b,Hébergement,shelter,24/7,"
    "loc-b,3 impasse Secrète,75010,Paris,75110,48.8712,2.3611,true\n";
// The secret parts of loc-b, which no public output may hold.
inline constexpr const char* kSecretAddress = "impasse Secrète";
inline constexpr const char* kSecretLatitude = "48.8712";

inline std::string Csv(std::initializer_list<std::string> rows) {
  std::string out = kHeader;
  for (const std::string& row : rows) out += row;
  return out;
}

// The single rejection of a file, which must have been refused without writing anything.
inline Rejection OnlyRejection(const core::Result<ImportReport>& report) {
  EXPECT_TRUE(report.ok()) << (report.ok() ? "" : report.error().public_message);
  if (!report.ok()) return {};
  EXPECT_FALSE(report.value().written);
  EXPECT_EQ(report.value().rejected.size(), 1u);
  return report.value().rejected.empty() ? Rejection{} : report.value().rejected.front();
}

// One fixture type for the four files, whose TEST_Ps make one suite.
class ImportTest : public DirectoryDbTest {};

inline constexpr const char* kHsds = R"({"organizations": [
  {"id": "org-h", "name": "Maison H", "phones": [{"number": "01 99 00 20 01", "type": "voice"}],
   "locations": [{"id": "loc-h", "name": "Accueil", "latitude": 48.873, "longitude": 2.357,
                  "addresses": [{"address_1": "5 rue H", "postal_code": "75010", "city": "Paris",
                                 "insee_code": "75110"}]}],
   "services": [{"id": "svc-h", "name": "Permanence juridique", "categories": ["legal-advice"],
                 "languages": [{"code": "fr"}, "ar"], "opening_hours": "Tu 14:00-18:00; PH off",
                 "service_at_locations": [{"location_id": "loc-h"}]}]}
]})";

inline std::string HsdsWith(std::string_view from, std::string_view to) {
  std::string text = kHsds;
  const auto at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at != std::string::npos) text.replace(at, from.size(), to);
  return text;
}

}  // namespace passerelle::directory::testing
