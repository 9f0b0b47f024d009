#include "directory/validation.h"

#include <gtest/gtest.h>

#include <cmath>

namespace passerelle::directory {
namespace {

TEST(Validation, FrenchPhones) {
  for (const char* valid : {"01 99 00 10 01", "03.99.00.10.01", "06-99-00-10-01", "+33 1 99 00 10 01", "3919", "17",
                            "115", "119", "116 006", "0800 235 236",
                            "01\xC2\xA0"
                            "99\xE2\x80\xAF"
                            "00 10 01"}) {
    EXPECT_TRUE(IsValidFrenchPhone(valid)) << valid;
  }
  for (const char* invalid : {"", "12", "01 99 00 10", "00 99 00 10 01", "+33 01 99 00 10 01", "+44 20 7946 0000",
                              "01 99 00 10 0a", "5919", "116"}) {
    EXPECT_FALSE(IsValidFrenchPhone(invalid)) << invalid;
  }
}

TEST(Validation, UrlsEmailsIdsDatesLanguages) {
  EXPECT_TRUE(IsValidHttpUrl("https://www.service-public.fr/particuliers"));
  EXPECT_TRUE(IsValidHttpUrl("http://exemple.fr:8080/a?b=c"));
  EXPECT_FALSE(IsValidHttpUrl("ftp://exemple.fr"));
  EXPECT_FALSE(IsValidHttpUrl("javascript:alert(1)"));
  EXPECT_FALSE(IsValidHttpUrl("https://user:pw@exemple.fr/"));
  EXPECT_FALSE(IsValidHttpUrl("https://exemple.fr/a b"));
  EXPECT_FALSE(IsValidHttpUrl("https://localhost/"));
  EXPECT_TRUE(IsValidEmail("accueil@exemple.fr"));
  EXPECT_FALSE(IsValidEmail("accueil@"));
  EXPECT_FALSE(IsValidEmail("a..b@exemple.fr"));
  EXPECT_FALSE(IsValidEmail("a@b@exemple.fr"));
  EXPECT_TRUE(IsValidId("org-a.1_b:c"));
  EXPECT_FALSE(IsValidId("-org"));
  EXPECT_FALSE(IsValidId("org a"));
  EXPECT_FALSE(IsValidId(std::string(101, 'a')));
  EXPECT_TRUE(IsValidDate("2024-02-29"));
  EXPECT_FALSE(IsValidDate("2023-02-29"));
  EXPECT_FALSE(IsValidDate("2024-2-9"));
  EXPECT_TRUE(IsLanguageCode("ar"));
  EXPECT_FALSE(IsLanguageCode("AR"));
  EXPECT_FALSE(IsLanguageCode("xx"));
}

TEST(Validation, FranceIncludesOverseasButNotItsNeighbours) {
  EXPECT_TRUE(IsInFrance(48.876, 2.362));   // Paris 10e
  EXPECT_TRUE(IsInFrance(50.464, 1.763));   // Montreuil-sur-Mer
  EXPECT_TRUE(IsInFrance(41.919, 8.738));   // Ajaccio
  EXPECT_TRUE(IsInFrance(-20.882, 55.45));  // Saint-Denis (La Réunion)
  EXPECT_FALSE(IsInFrance(40.71, -74.0));   // New York
  EXPECT_FALSE(IsInFrance(-33.9, 18.4));    // Le Cap
  EXPECT_FALSE(IsInFrance(0.0, 0.0));
  EXPECT_FALSE(IsInFrance(std::nan(""), 2.0));
}

Location ValidLocation() {
  Location l;
  l.id = "loc-1";
  l.address = "1 rue du Test";
  l.postal_code = "75010";
  l.city = "Paris";
  l.insee_code = "75110";
  l.latitude = 48.87;
  l.longitude = 2.36;
  return l;
}

TEST(Validation, ConfidentialLocationsMayOmitAddressAndCoordinates) {
  Location l = ValidLocation();
  EXPECT_FALSE(CheckLocation(l));
  l.address.clear();
  ASSERT_TRUE(CheckLocation(l));
  EXPECT_EQ(CheckLocation(l)->field, "address");
  l.latitude.reset();
  l.longitude.reset();
  l.confidential = true;
  EXPECT_FALSE(CheckLocation(l));
  l.latitude = 48.87;  // a latitude without longitude
  ASSERT_TRUE(CheckLocation(l));
  EXPECT_EQ(CheckLocation(l)->field, "longitude");
  l = ValidLocation();
  l.insee_code = "2A004";
  EXPECT_FALSE(CheckLocation(l));
  l.insee_code = "7511";
  EXPECT_EQ(CheckLocation(l)->field, "insee_code");
}

TEST(Validation, ServicesAndOrganizations) {
  Service s;
  s.id = "svc-1";
  s.name = "Écoute";
  s.categories = {Category::kLawyer};
  EXPECT_FALSE(CheckService(s));
  s.categories.clear();
  EXPECT_EQ(CheckService(s)->field, "categories");
  s.categories = {Category::kLawyer, Category::kLawyer};
  EXPECT_EQ(CheckService(s)->reason, "catégorie en double « lawyer »");
  s.categories = {Category::kLawyer};
  s.minimum_age = 18;
  s.maximum_age = 12;
  EXPECT_EQ(CheckService(s)->field, "minimum_age");
  s.maximum_age.reset();
  s.opening_hours = "Mo-Fr 09:00-17:61";
  ASSERT_TRUE(CheckService(s));
  EXPECT_EQ(CheckService(s)->field, "opening_hours");

  Organization o;
  o.id = "org-1";
  o.territory_slug = "paris-10";
  o.name = "Association";
  o.locations = {ValidLocation()};
  s.opening_hours.clear();
  s.location_ids = {"loc-2"};
  o.services = {s};
  const auto unknown_place = CheckOrganization(o);
  ASSERT_TRUE(unknown_place);
  EXPECT_EQ(unknown_place->entity, Entity::kService);
  EXPECT_EQ(unknown_place->index, 0u);
  EXPECT_EQ(unknown_place->field, "location_ids");
  o.services[0].location_ids = {"loc-1"};
  EXPECT_FALSE(CheckOrganization(o));
  o.status = OrganizationStatus::kTemporarilyClosed;
  EXPECT_EQ(CheckOrganization(o)->field, "closed_from");
  o.closed_from = "2025-07-01";
  o.closed_until = "2025-06-01";
  EXPECT_EQ(CheckOrganization(o)->field, "closed_until");
  o.closed_until = "2025-08-31";
  EXPECT_FALSE(CheckOrganization(o));
  o.phones = {Phone{"01 99 00 10 01", PhoneType::kVoice, "accueil (matin)"}};
  EXPECT_EQ(CheckOrganization(o)->entity, Entity::kPhone);
  EXPECT_EQ(ToError(*CheckOrganization(o)).internal_detail, "directory.phone[0].description: invalid");
}

}  // namespace
}  // namespace passerelle::directory
