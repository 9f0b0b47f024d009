// The annuaire's index on SQLite and PostgreSQL: filled at start-up, fresh after every write
// through DirectoryService (create, update, import, hide) without a restart, and never holding
// a confidential address.
#include <gtest/gtest.h>

#include <sstream>

#include "annuaire/index.h"
#include "annuaire/view.h"
#include "directory/service.h"
#include "directory/test_support.h"

namespace passerelle::annuaire {
namespace {

using directory::Category;
using directory::testing::DirectoryDbTest;

// Monday 2025-03-03 10:00 Paris (09:00 UTC).
const auto kMondayMorning = std::chrono::sys_days{std::chrono::year{2025} / 3 / 3} + std::chrono::hours(9);
// Sunday 2025-03-02 10:00 Paris.
const auto kSunday = kMondayMorning - std::chrono::hours(24);

constexpr double kCentreLat = 48.8760;
constexpr double kCentreLon = 2.3590;

directory::Organization Lawyer() {
  directory::Organization o;
  o.territory_slug = "paris-10";
  o.name = "Cabinet d'avocates";
  o.phones = {directory::Phone{"01 99 00 20 01", directory::PhoneType::kVoice, "accueil"}};
  o.verified_by = "coordination";
  o.assured_date = "2025-01-15";
  directory::Location l;
  l.id = "loc-cabinet";
  l.address = "3 rue Publique";
  l.postal_code = "75010";
  l.city = "Paris";
  l.insee_code = "75110";
  l.latitude = 48.8770;
  l.longitude = 2.3600;
  o.locations = {l};
  directory::Service s;
  s.id = "svc-avocate";
  s.name = "Consultation";
  s.categories = {Category::kLawyer};
  s.languages = {"fr", "ar"};
  s.fees = {directory::Fee::kLegalAid};
  s.opening_hours = "Mo-Fr 09:00-12:00";
  s.location_ids = {"loc-cabinet"};
  o.services = {s};
  return o;
}

constexpr const char* kSecretStreet = "9 impasse Introuvable";

directory::Organization Shelter() {
  directory::Organization o;
  o.territory_slug = "paris-10";
  o.name = "Foyer";
  o.phones = {directory::Phone{"01 99 00 30 01", directory::PhoneType::kText, "permanence"}};
  o.verified_by = "coordination";
  directory::Location l;
  l.id = "loc-foyer";
  l.name = "Maison cachée";
  l.address = kSecretStreet;
  l.postal_code = "75010";
  l.city = "Paris";
  l.insee_code = "75110";
  l.latitude = 48.88888;
  l.longitude = 2.37777;
  l.confidential = true;
  o.locations = {l};
  directory::Service s;
  s.id = "svc-abri";
  s.name = "Mise à l'abri";
  s.categories = {Category::kShelter};
  s.fees = {directory::Fee::kFree};
  s.opening_hours = "24/7";
  s.location_ids = {"loc-foyer"};
  o.services = {s};
  return o;
}

std::optional<std::pair<double, double>> CommuneCentre(const std::string& insee) {
  if (insee == "75110") return std::pair{kCentreLat, kCentreLon};
  return std::nullopt;
}

class AnnuaireIndexTest : public DirectoryDbTest {
 protected:
  std::vector<std::string> Found(const ServiceIndex& index, ServiceQuery query) {
    auto page = index.Find(query);
    EXPECT_TRUE(page.ok());
    std::vector<std::string> ids;
    if (page.ok()) {
      for (const Hit& hit : page.value().items) ids.push_back(hit.point->point.service_id);
    }
    return ids;
  }
  ServiceQuery Near(std::chrono::system_clock::time_point now = kMondayMorning) {
    ServiceQuery q;
    q.lat = kCentreLat;
    q.lon = kCentreLon;
    q.radius_km = 5;
    q.now = now;
    return q;
  }
};

TEST_P(AnnuaireIndexTest, FilledAtStartAndFreshAfterEveryWrite) {
  directory::DirectoryService directory(*db_);
  ASSERT_TRUE(directory.Create(Lawyer(), kMondayMorning).ok());
  ServiceIndex index(directory, CommuneCentre);
  index.Start();
  EXPECT_EQ(Found(index, Near()), std::vector<std::string>{"svc-avocate"});

  // Created after start-up: found without a restart.
  auto shelter = directory.Create(Shelter(), kMondayMorning);
  ASSERT_TRUE(shelter.ok()) << shelter.error().public_message;
  EXPECT_EQ(Found(index, Near()), (std::vector<std::string>{"svc-abri", "svc-avocate"}));

  // Edited: moved 20 km away, out of the radius.
  directory::Organization lawyer;
  for (const auto& o : directory.ListByTerritory("paris-10")) {
    if (o.name == "Cabinet d'avocates") lawyer = o;
  }
  lawyer.locations.front().latitude = 49.05;
  ASSERT_TRUE(directory.Update(lawyer, kMondayMorning).ok());
  EXPECT_EQ(Found(index, Near()), std::vector<std::string>{"svc-abri"});

  // Hidden from the public: gone from the index.
  auto hidden = directory.Get(shelter.value().id).value();
  hidden.visibility = directory::Visibility::kProfessionals;
  ASSERT_TRUE(directory.Update(hidden, kMondayMorning).ok());
  EXPECT_TRUE(Found(index, Near()).empty());

  // Imported: there at once.
  std::istringstream hsds(R"({"hsds_version": "3.1", "profile": "passerelle", "organizations": [
    {"id": "org-importee", "territory": "paris-10", "name": "Cabinet de psychologues",
     "phones": [{"number": "01 99 00 40 01", "type": "voice"}], "verified_by": "coordination",
     "status": "active", "visibility": "public",
     "locations": [{"id": "loc-importee", "confidential": false,
       "addresses": [{"address_1": "5 rue Publique", "postal_code": "75010", "city": "Paris",
                      "insee_code": "75110", "country": "FR"}],
       "latitude": 48.8765, "longitude": 2.3595}],
     "services": [{"id": "svc-importe", "name": "Soutien psychologique", "categories": ["psychologist"],
                   "service_at_locations": [{"location_id": "loc-importee"}]}]}]})");
  auto report = directory.Import(directory::Format::kHsds, "paris-10", hsds, directory::ImportMode::kAllOrNothing,
                                 directory::DryRun::kNo);
  ASSERT_TRUE(report.ok()) << report.error().public_message;
  ASSERT_TRUE(report.value().rejected.empty()) << report.value().rejected.front().reason;
  EXPECT_EQ(report.value().created, 1u);
  ASSERT_TRUE(directory.GetPublicService("svc-importe").has_value());
  EXPECT_EQ(Found(index, Near()), std::vector<std::string>{"svc-importe"});
  EXPECT_EQ(index.size(), 2u);  // the moved lawyer and the new one
}

TEST_P(AnnuaireIndexTest, FiltersAndOpenNow) {
  directory::DirectoryService directory(*db_);
  ASSERT_TRUE(directory.Create(Lawyer(), kMondayMorning).ok());
  ASSERT_TRUE(directory.Create(Shelter(), kMondayMorning).ok());
  ServiceIndex index(directory, CommuneCentre);
  index.Start();

  ServiceQuery q = Near();
  q.categories = {Category::kLawyer, Category::kPolice};
  EXPECT_EQ(Found(index, q), std::vector<std::string>{"svc-avocate"});
  q = Near();
  q.language = "ar";
  EXPECT_EQ(Found(index, q), std::vector<std::string>{"svc-avocate"});
  q.language = "tr";
  EXPECT_TRUE(Found(index, q).empty());
  q = Near();
  q.free_only = true;
  EXPECT_EQ(Found(index, q), std::vector<std::string>{"svc-abri"});
  q = Near(kSunday);
  q.open_now = OpenNow::kOnly;
  EXPECT_EQ(Found(index, q), std::vector<std::string>{"svc-abri"});
  q = Near(kMondayMorning);
  q.open_now = OpenNow::kOnly;
  EXPECT_EQ(Found(index, q), (std::vector<std::string>{"svc-abri", "svc-avocate"}));
  q = Near();
  q.territory = "montreuillois";
  EXPECT_TRUE(Found(index, q).empty());
}

// A point refers to its service inside its organization's view instead of copying it: a hit
// taken before a refresh replaces the organization still reads what it was found with.
TEST_P(AnnuaireIndexTest, AHitOutlivesTheRefreshOfItsOrganization) {
  directory::DirectoryService directory(*db_);
  auto created = directory.Create(Lawyer(), kMondayMorning);
  ASSERT_TRUE(created.ok());
  ServiceIndex index(directory, CommuneCentre);
  index.Start();
  auto before = index.Find(Near());
  ASSERT_TRUE(before.ok());
  ASSERT_EQ(before.value().items.size(), 1u);

  directory::Organization edited = created.value();
  edited.services.front().languages = {"tr"};
  edited.services.front().categories = {Category::kPsychologist};
  edited.locations.front().insee_code = "75111";
  ASSERT_TRUE(directory.Update(edited, kMondayMorning).ok());

  const ServicePoint& old = *before.value().items.front().point;
  EXPECT_EQ(old.point.service_id, "svc-avocate");
  EXPECT_EQ(old.point.location_id, "loc-cabinet");
  EXPECT_EQ(old.point.insee_code, "75110");
  EXPECT_EQ(old.point.languages, (std::vector<std::string>{"fr", "ar"}));
  EXPECT_EQ(old.point.categories, std::vector<Category>{Category::kLawyer});
  EXPECT_FALSE(old.point.confidential);

  auto after = index.Find(Near());
  ASSERT_TRUE(after.ok());
  ASSERT_EQ(after.value().items.size(), 1u);
  const ServicePoint& fresh = *after.value().items.front().point;
  EXPECT_NE(&fresh, &old);
  EXPECT_EQ(fresh.point.languages, std::vector<std::string>{"tr"});
  EXPECT_EQ(fresh.point.categories, std::vector<Category>{Category::kPsychologist});
  EXPECT_EQ(fresh.point.insee_code, "75111");
  EXPECT_EQ(&fresh.point.service_id, &fresh.organization->services.front().id);  // in place, not a copy
}

TEST_P(AnnuaireIndexTest, ConfidentialPlaceIsMeasuredFromItsCommuneAndNeverShown) {
  directory::DirectoryService directory(*db_);
  ASSERT_TRUE(directory.Create(Shelter(), kMondayMorning).ok());
  ServiceIndex index(directory, CommuneCentre);
  index.Start();
  auto page = index.Find(Near());
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page.value().items.size(), 1u);
  const Hit& hit = page.value().items.front();
  EXPECT_NEAR(hit.distance_km, 0.0, 1e-9);  // the commune's centre, not the shelter
  const std::string shown = ResultView(hit, kMondayMorning, Untranslated, "fr").dump();
  EXPECT_EQ(shown.find(kSecretStreet), std::string::npos);
  EXPECT_EQ(shown.find("48.888"), std::string::npos);
  EXPECT_EQ(shown.find("2.377"), std::string::npos);
  EXPECT_EQ(shown.find("Maison cachée"), std::string::npos);
  EXPECT_EQ(shown.find("\"lat\""), std::string::npos);  // no map marker
  EXPECT_NE(shown.find("\"confidential\":true"), std::string::npos);
  EXPECT_NE(shown.find("sms:0199003001"), std::string::npos);

  // Without the commune in the gazetteer, it cannot be placed: left out, not guessed.
  ServiceIndex without(directory, [](const std::string&) { return std::optional<std::pair<double, double>>{}; });
  without.Start();
  EXPECT_EQ(without.size(), 0u);
}

INSTANTIATE_TEST_SUITE_P(Backends, AnnuaireIndexTest,
                         ::testing::Values(core::DatabaseBackend::kSqlite, core::DatabaseBackend::kPostgresql),
                         directory::testing::BackendName);

}  // namespace
}  // namespace passerelle::annuaire
