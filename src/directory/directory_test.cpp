// The directory service on SQLite and PostgreSQL: writes and their change notifications, the
// public views (confidential locations), and the demonstration data of content/demo/.
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <set>

#include "directory/demo.h"
#include "directory/export.h"
#include "directory/public_view.h"
#include "directory/service.h"
#include "directory/test_support.h"

namespace passerelle::directory {
namespace {

using testing::DirectoryDbTest;

const auto kNow = std::chrono::system_clock::time_point{} + std::chrono::hours(24 * 20000);

constexpr const char* kSecretAddress = "9 chemin Secret";

Organization Shelter() {
  Organization o;
  o.territory_slug = "paris-10";
  o.name = "Foyer confidentiel";
  o.phones = {Phone{"01 99 00 30 01", PhoneType::kVoice, "permanence"}};
  o.verified_by = "coordination";
  Location l;
  l.id = "loc-secret";
  l.name = "Maison cachée";
  l.address = kSecretAddress;
  l.postal_code = "75010";
  l.city = "Paris";
  l.insee_code = "75110";
  l.latitude = 48.87654;
  l.longitude = 2.35432;
  l.confidential = true;
  l.transportation = "Métro Secret";
  Location open = l;
  open.id = "loc-open";
  open.name = "Bureau d'accueil";
  open.address = "1 rue Ouverte";
  open.latitude = 48.871;
  open.longitude = 2.361;
  open.confidential = false;
  open.transportation = "Métro Ouvert";
  o.locations = {l, open};
  Service s;
  s.id = "svc-abri";
  s.name = "Mise à l'abri";
  s.categories = {Category::kShelter};
  s.opening_hours = "24/7";
  s.location_ids = {"loc-secret", "loc-open"};
  Service line;
  line.id = "svc-ecoute";
  line.name = "Écoute";
  line.categories = {Category::kVictimSupportAssociation};
  o.services = {s, line};
  return o;
}

class DirectoryServiceTest : public DirectoryDbTest {};

TEST_P(DirectoryServiceTest, CreateUpdateAndTheirNotifications) {
  DirectoryService service(*db_);
  std::vector<std::vector<std::string>> notified;
  service.OnChange([&](const std::vector<std::string>& ids) { notified.push_back(ids); });

  auto created = service.Create(Shelter(), kNow);
  ASSERT_TRUE(created.ok()) << created.error().public_message;
  const std::string id = created.value().id;
  EXPECT_TRUE(id.starts_with("org-"));
  ASSERT_EQ(notified.size(), 1u);
  EXPECT_EQ(notified[0], std::vector<std::string>{id});
  EXPECT_EQ(service.Get(id), created.value());

  Organization invalid = created.value();
  invalid.website = "ftp://exemple.fr";
  auto refused = service.Update(invalid, kNow);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.error().code, core::ErrorCode::kInvalidInput);
  EXPECT_EQ(refused.error().public_message.rfind("website : adresse web invalide", 0), 0u);
  EXPECT_EQ(notified.size(), 1u);  // nothing written, nothing notified

  Organization moved = created.value();
  moved.territory_slug = "montreuillois";
  EXPECT_EQ(service.Update(moved, kNow).error().code, core::ErrorCode::kConflict);

  Organization renamed = created.value();
  renamed.name = "Foyer renommé";
  renamed.services.pop_back();
  ASSERT_TRUE(service.Update(renamed, kNow).ok());
  EXPECT_EQ(notified.size(), 2u);
  EXPECT_EQ(service.Get(id)->name, "Foyer renommé");
  EXPECT_EQ(service.Get(id)->services.size(), 1u);
  EXPECT_EQ(Count("service"), 1);

  Organization thief = Shelter();  // same location and service ids, another organization
  EXPECT_EQ(service.Create(thief, kNow).error().code, core::ErrorCode::kConflict);
  thief.territory_slug = "atlantide";
  EXPECT_EQ(service.Create(thief, kNow).error().code, core::ErrorCode::kNotFound);
  EXPECT_EQ(notified.size(), 2u);
}

TEST_P(DirectoryServiceTest, ImportNotifiesOnlyWhatItWrote) {
  DirectoryService service(*db_);
  std::vector<std::string> notified;
  service.OnChange(
      [&](const std::vector<std::string>& ids) { notified.insert(notified.end(), ids.begin(), ids.end()); });
  const std::string csv = "organization_id,organization_name\norg-x,X\norg-y,Y\n";
  std::istringstream dry(csv);
  ASSERT_TRUE(service.Import(Format::kCsv, "paris-10", dry, ImportMode::kAllOrNothing, DryRun::kYes).ok());
  EXPECT_TRUE(notified.empty());
  std::istringstream real(csv);
  ASSERT_TRUE(service.Import(Format::kCsv, "paris-10", real, ImportMode::kAllOrNothing, DryRun::kNo).ok());
  EXPECT_EQ(notified, (std::vector<std::string>{"org-x", "org-y"}));
  std::istringstream same(csv);
  ASSERT_TRUE(service.Import(Format::kCsv, "paris-10", same, ImportMode::kAllOrNothing, DryRun::kNo).ok());
  EXPECT_EQ(notified.size(), 2u);  // unchanged: no notification
}

TEST_P(DirectoryServiceTest, PublicViewsNeverHoldAConfidentialPlace) {
  DirectoryService service(*db_);
  const auto created = service.Create(Shelter(), kNow);
  ASSERT_TRUE(created.ok());

  const auto view = service.GetPublicService("svc-abri");
  ASSERT_TRUE(view);
  ASSERT_EQ(view->locations.size(), 2u);
  const PublicLocation& secret = view->locations[0].id == "loc-secret" ? view->locations[0] : view->locations[1];
  EXPECT_TRUE(secret.confidential);
  EXPECT_EQ(secret.city, "Paris");
  EXPECT_TRUE(secret.address.empty());
  EXPECT_TRUE(secret.name.empty());
  EXPECT_TRUE(secret.transportation.empty());
  EXPECT_FALSE(secret.latitude);
  EXPECT_FALSE(secret.longitude);

  const std::vector<std::string> texts = {ToJson(*view).dump(), ToJson(service.ListPublic("paris-10").at(0)).dump(),
                                          ExportDirectory(*db_, Format::kHsds, "", Confidential::kRedact),
                                          ExportDirectory(*db_, Format::kCsv, "", Confidential::kRedact)};
  for (const std::string& text : texts) {
    EXPECT_NE(text.find("1 rue Ouverte"), std::string::npos);         // the open place is there…
    EXPECT_EQ(text.find(kSecretAddress), std::string::npos) << text;  // …the hidden one is not
    EXPECT_EQ(text.find("Maison cachée"), std::string::npos);
    EXPECT_EQ(text.find("Métro Secret"), std::string::npos);
    EXPECT_EQ(text.find("48.87654"), std::string::npos);
    EXPECT_EQ(text.find("2.35432"), std::string::npos);
  }
  EXPECT_NE(ExportDirectory(*db_, Format::kHsds, "", Confidential::kInclude).find(kSecretAddress), std::string::npos);

  const auto points = service.ListPublicPoints("paris-10");
  // svc-abri at two places, svc-ecoute nowhere in particular.
  ASSERT_EQ(points.size(), 3u);
  for (const PublicServicePoint& p : points) {
    if (p.location_id == "loc-secret") {
      EXPECT_TRUE(p.confidential);
      EXPECT_FALSE(p.latitude);
      EXPECT_EQ(p.insee_code, "75110");
    } else if (p.location_id == "loc-open") {
      EXPECT_EQ(p.latitude, 48.871);
      EXPECT_EQ(p.categories, std::vector<Category>{Category::kShelter});
      EXPECT_EQ(p.opening_hours, "24/7");
    } else {
      EXPECT_EQ(p.service_id, "svc-ecoute");
      EXPECT_TRUE(p.location_id.empty());
    }
  }
  EXPECT_EQ(service.ListPublicPoints("").size(), 3u);
  EXPECT_TRUE(service.ListPublicPoints("montreuillois").empty());
}

TEST_P(DirectoryServiceTest, ProfessionalOnlyAndDefunctOrganizationsAreNotPublic) {
  DirectoryService service(*db_);
  Organization o = Shelter();
  o.visibility = Visibility::kProfessionals;
  const auto created = service.Create(o, kNow);
  ASSERT_TRUE(created.ok());
  EXPECT_FALSE(service.GetPublicService("svc-abri"));
  EXPECT_TRUE(service.ListPublic("paris-10").empty());
  EXPECT_TRUE(service.ListPublicPoints("paris-10").empty());
  Organization defunct = created.value();
  defunct.visibility = Visibility::kPublic;
  defunct.status = OrganizationStatus::kDefunct;
  ASSERT_TRUE(service.Update(defunct, kNow).ok());
  EXPECT_FALSE(service.GetPublicService("svc-abri"));
  defunct.status = OrganizationStatus::kActive;
  ASSERT_TRUE(service.Update(defunct, kNow).ok());
  EXPECT_TRUE(service.GetPublicService("svc-abri"));
  EXPECT_FALSE(service.GetPublicService("svc-inconnu"));
}

// The census (issue 11 §2): an actor added from the console is a draft, on no public path
// until it is published; the imports keep it a draft.
TEST_P(DirectoryServiceTest, ADraftIsOnNoPublicPathUntilPublished) {
  DirectoryService service(*db_);
  std::vector<std::string> notified;
  service.OnChange(
      [&](const std::vector<std::string>& ids) { notified.insert(notified.end(), ids.begin(), ids.end()); });
  Organization o = Shelter();
  o.publication = Publication::kDraft;
  std::string audited;
  const auto created = service.Create(o, kNow, [&](soci::session&, const Organization& c) { audited = c.id; });
  ASSERT_TRUE(created.ok());
  const std::string id = created.value().id;
  EXPECT_EQ(audited, id);
  EXPECT_EQ(service.Get(id)->publication, Publication::kDraft);  // professionals see it
  EXPECT_EQ(service.ListByTerritory("paris-10").size(), 1u);
  const auto invisible = [&] {
    EXPECT_FALSE(service.GetPublicService("svc-abri"));
    EXPECT_TRUE(service.ListPublic("paris-10").empty());
    EXPECT_TRUE(service.ListPublicPoints("paris-10").empty());
    EXPECT_TRUE(service.ListPublicPoints("").empty());
    EXPECT_EQ(ExportDirectory(*db_, Format::kHsds, "", Confidential::kRedact).find(id), std::string::npos);
    EXPECT_EQ(ExportDirectory(*db_, Format::kCsv, "", Confidential::kRedact).find(id), std::string::npos);
  };
  invisible();
  EXPECT_NE(ExportDirectory(*db_, Format::kHsds, "", Confidential::kInclude).find(id), std::string::npos);

  // Re-importing the coordinators' own export leaves it a draft.
  std::istringstream again(ExportDirectory(*db_, Format::kCsv, "paris-10", Confidential::kInclude));
  const auto report = service.Import(Format::kCsv, "paris-10", again, ImportMode::kAllOrNothing, DryRun::kNo);
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(report.value().unchanged, 1u);
  invisible();

  // An unknown id among several writes nothing.
  notified.clear();
  EXPECT_EQ(service.SetPublication({id, "org-inconnue"}, Publication::kPublic, kNow).error().code,
            core::ErrorCode::kNotFound);
  EXPECT_TRUE(notified.empty());
  invisible();

  bool also = false;
  ASSERT_TRUE(service.SetPublication({id}, Publication::kPublic, kNow, [&](soci::session&) { also = true; }).ok());
  EXPECT_TRUE(also);
  EXPECT_EQ(notified, std::vector<std::string>{id});
  EXPECT_EQ(service.Get(id)->publication, Publication::kPublic);
  EXPECT_TRUE(service.GetPublicService("svc-abri"));
  EXPECT_EQ(service.ListPublic("paris-10").size(), 1u);
  EXPECT_EQ(service.ListPublicPoints("paris-10").size(), 3u);
  EXPECT_NE(ExportDirectory(*db_, Format::kHsds, "", Confidential::kRedact).find(id), std::string::npos);

  // And back to a draft (what an upload's "apply" does with its new entries).
  ASSERT_TRUE(service.SetPublication({id}, Publication::kDraft, kNow).ok());
  invisible();
}

TEST_P(DirectoryServiceTest, ImportsAndCreateWritePublicEntriesByDefault) {
  DirectoryService service(*db_);
  ASSERT_TRUE(service.Create(Shelter(), kNow).ok());
  std::istringstream csv("organization_id,organization_name\norg-x,X\n");
  ASSERT_TRUE(service.Import(Format::kCsv, "paris-10", csv, ImportMode::kAllOrNothing, DryRun::kNo).ok());
  for (const Organization& o : service.ListByTerritory("paris-10")) EXPECT_EQ(o.publication, Publication::kPublic);
}

TEST(PublicView, ADraftHasNoPublicView) {
  Organization o = Shelter();
  o.publication = Publication::kDraft;
  EXPECT_FALSE(MakePublicView(o));
  EXPECT_TRUE(PublicPointsOf({o}).empty());
  o.publication = Publication::kPublic;
  EXPECT_TRUE(MakePublicView(o));
}

TEST(PublicView, TemporaryClosureDates) {
  PublicOrganization o;
  o.status = OrganizationStatus::kTemporarilyClosed;
  o.closed_from = "2025-07-01";
  o.closed_until = "2025-08-31";
  EXPECT_FALSE(IsClosedOn(o, "2025-06-30"));
  EXPECT_TRUE(IsClosedOn(o, "2025-07-01"));
  EXPECT_TRUE(IsClosedOn(o, "2025-08-31"));
  EXPECT_FALSE(IsClosedOn(o, "2025-09-01"));
  o.closed_until.clear();
  EXPECT_TRUE(IsClosedOn(o, "2030-01-01"));
  o.status = OrganizationStatus::kActive;
  EXPECT_FALSE(IsClosedOn(o, "2025-07-15"));
}

// ---- demonstration data ----------------------------------------------------------------------

bool IsFictionalOrNational(std::string number) {
  number.erase(std::remove(number.begin(), number.end(), ' '), number.end());
  static const std::set<std::string> kNational = {"3919", "17", "115", "116006", "119", "114", "112"};
  // 01 99 00 and 03 99 00 (and 06 99 00 for text messages) are ranges reserved for fiction.
  return kNational.contains(number) || number.starts_with("019900") || number.starts_with("039900") ||
         number.starts_with("069900");
}

TEST_P(DirectoryServiceTest, DemoDataCoversEveryCategoryInBothTerritoriesAndLoadsTwiceUnchanged) {
  auto loaded = LoadDemoDirectory(*db_, testing::AssetsDir() / "content" / "demo");
  ASSERT_TRUE(loaded.ok()) << loaded.error().public_message;
  ASSERT_EQ(loaded.value().size(), 2u);
  DirectoryService service(*db_);
  for (const std::string slug : {"paris-10", "montreuillois"}) {
    SCOPED_TRACE(slug);
    const auto organizations = service.ListByTerritory(slug);
    EXPECT_GE(organizations.size(), 25u);
    std::set<Category> categories;
    std::size_t confidential = 0;
    for (const Organization& o : organizations) {
      EXPECT_TRUE(o.is_demo) << o.id;
      EXPECT_NE(o.description.find("démonstration"), std::string::npos) << o.id;
      for (const Phone& p : o.phones) EXPECT_TRUE(IsFictionalOrNational(p.number)) << o.id << " " << p.number;
      for (const Location& l : o.locations) confidential += l.confidential ? 1 : 0;
    }
    for (const PublicOrganization& o : service.ListPublic(slug)) {
      for (const Service& s : o.services) categories.insert(s.categories.begin(), s.categories.end());
    }
    EXPECT_EQ(categories.size(), kAllCategories.size());
    EXPECT_GE(confidential, 1u);
  }
  auto again = LoadDemoDirectory(*db_, testing::AssetsDir() / "content" / "demo");
  ASSERT_TRUE(again.ok());
  for (const DemoFileReport& file : again.value()) {
    EXPECT_EQ(file.report.created + file.report.updated, 0u) << file.file;
    EXPECT_EQ(file.report.unchanged, file.report.entries) << file.file;
  }
}

TEST_P(DirectoryServiceTest, DemoLoadFailsLoudlyOnABadFile) {
  const std::filesystem::path dir = std::filesystem::temp_directory_path() / ("passerelle-demo-" + core::RandomHex(4));
  std::filesystem::create_directories(dir);
  {
    std::ofstream out(dir / "paris-10.csv");
    out << "organization_id,organization_name,phones\norg-a,A,12\n";
  }
  auto loaded = LoadDemoDirectory(*db_, dir);
  std::filesystem::remove_all(dir);
  ASSERT_FALSE(loaded.ok());
  EXPECT_NE(loaded.error().public_message.find("paris-10.csv: 1 rejected entry\n  line 2: phones"), std::string::npos)
      << loaded.error().public_message;
  EXPECT_EQ(Count("organization"), 0);
}

INSTANTIATE_TEST_SUITE_P(Backends, DirectoryServiceTest,
                         ::testing::Values(core::DatabaseBackend::kSqlite, core::DatabaseBackend::kPostgresql),
                         testing::BackendName);

}  // namespace
}  // namespace passerelle::directory
