#pragma once
// Test-only: a small organization for the tests of the professional space (profile, access
// matrix). Header-only; depends on the model alone.
#include <string>

#include "directory/model.h"

namespace passerelle::directory::testing {

// An association of `territory` that accepts referrals, with one place in the 10e and one
// listening service open on weekdays (service id `<id>-s1`, place id `<id>-lieu`).
inline Organization SampleOrganization(const std::string& id, const std::string& territory, const std::string& email) {
  Organization o;
  o.id = id;
  o.territory_slug = territory;
  o.name = "Association " + id;
  o.description = "Écoute et accompagnement.";
  o.email = email;
  o.phones = {Phone{"01 99 00 10 01", PhoneType::kVoice, "accueil"}};
  o.accepts_referrals = true;
  Location l;
  l.id = id + "-lieu";
  l.address = "12 rue des Vinaigriers";
  l.postal_code = "75010";
  l.city = "Paris";
  l.insee_code = "75110";
  l.latitude = 48.8737;
  l.longitude = 2.3609;
  o.locations = {l};
  Service s;
  s.id = id + "-s1";
  s.name = "Écoute";
  s.categories = {Category::kVictimSupportAssociation};
  s.opening_hours = "Mo-Fr 09:00-17:00";
  s.languages = {"fr"};
  s.location_ids = {l.id};
  o.services = {s};
  return o;
}

}  // namespace passerelle::directory::testing
