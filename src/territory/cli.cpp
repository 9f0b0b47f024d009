#include "territory/cli.h"

#include <charconv>
#include <chrono>
#include <optional>

#include "geo/service.h"
#include "territory/communes.h"
#include "territory/demo.h"
#include "territory/service.h"

namespace passerelle::territory {

namespace {

// The option of each field of Check, for messages naming what to fix.
std::string OptionOf(const std::string& field) {
  if (field == "slug") return "--slug";
  if (field == "name") return "--name";
  if (field == "centre") return "--centre";
  if (field == "default_radius_km") return "--radius";
  if (field == "neutral_exit_url") return "--exit-url";
  if (field == "communes") return "--commune";
  if (field == "youth_services") return "--youth";
  if (field == "emergency_contacts") return "--emergency";
  if (field == "languages") return "--language";
  return field;
}

struct CliError {
  std::string option;
  std::string reason;
};

std::optional<double> ParseNumber(std::string text) {
  for (char& c : text) {
    if (c == ',') c = '.';
  }
  double value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || text.empty()) return std::nullopt;
  return value;
}

std::vector<std::string> SplitBars(const std::string& text) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  for (;;) {
    const auto bar = text.find('|', start);
    parts.push_back(text.substr(start, bar == std::string::npos ? std::string::npos : bar - start));
    if (bar == std::string::npos) break;
    start = bar + 1;
  }
  return parts;
}

// Applies the given options to `t`; the first option that cannot be read is returned.
std::optional<CliError> Apply(const TerritoryOptions& o, const geo::Gazetteer& gazetteer, Territory& t,
                              bool propose_centre) {
  if (!o.name.empty()) t.name = o.name;
  if (!o.communes.empty()) {
    t.communes.clear();
    for (const std::string& insee : o.communes) {
      const geo::Commune* commune = gazetteer.FindByInsee(insee);
      if (commune == nullptr) return CliError{"--commune", "no commune " + insee + " in the gazetteer"};
      t.communes.push_back(FromGazetteer(*commune));
    }
  }
  if (propose_centre) {
    if (const auto proposal = ProposeCentre(gazetteer, t.communes)) {
      t.centre_lat = proposal->lat;
      t.centre_lon = proposal->lon;
      t.default_radius_km = proposal->radius_km;
    }
  }
  if (!o.centre.empty()) {
    const auto comma = o.centre.find(',');
    const auto lat = comma == std::string::npos ? std::nullopt : ParseNumber(o.centre.substr(0, comma));
    const auto lon = comma == std::string::npos ? std::nullopt : ParseNumber(o.centre.substr(comma + 1));
    if (!lat || !lon) return CliError{"--centre", "use LAT,LON in degrees, e.g. 48.8924,2.3444"};
    t.centre_lat = *lat;
    t.centre_lon = *lon;
  }
  if (!o.radius_km.empty()) {
    const auto radius = ParseNumber(o.radius_km);
    if (!radius) return CliError{"--radius", "a number of kilometres"};
    t.default_radius_km = *radius;
  }
  if (!o.youth_services.empty()) {
    t.youth_services.clear();
    for (const std::string& text : o.youth_services) {
      const auto parts = SplitBars(text);
      if (parts.size() < 2 || parts.size() > 3) return CliError{"--youth", "use \"name|phone|description\""};
      t.youth_services.push_back({parts[0], parts[1], parts.size() == 3 ? parts[2] : ""});
    }
  }
  if (!o.emergency_contacts.empty()) {
    t.emergency_contacts.clear();
    for (const std::string& text : o.emergency_contacts) {
      const auto parts = SplitBars(text);
      if (parts.size() < 2 || parts.size() > 3) return CliError{"--emergency", "use \"label|number|voice or sms\""};
      t.emergency_contacts.push_back({parts[0], parts[1], parts.size() == 3 ? parts[2] : "voice"});
    }
  }
  if (!o.exit_url.empty()) t.neutral_exit_url = o.exit_url;
  if (!o.languages.empty()) t.languages = o.languages;
  return std::nullopt;
}

int Refuse(std::ostream& err, const std::string& command, const std::string& option, const std::string& reason) {
  err << "passerelle territory " << command << ": " << option << ": " << reason << "\n";
  return 1;
}

// Check's problems, one line each, naming the option (and the position in a list, from 1).
int RefuseProblems(std::ostream& err, const std::string& command, const std::vector<Problem>& problems) {
  for (const Problem& p : problems) {
    std::string option = OptionOf(p.field);
    if (p.row >= 0) option += " #" + std::to_string(p.row + 1);
    err << "passerelle territory " << command << ": " << option << ": " << p.message << "\n";
  }
  return 1;
}

const Author kCli{"cli"};

}  // namespace

int RunTerritoryAdd(const TerritoryOptions& options, const OpenDatabase& open_database, std::ostream& out,
                    std::ostream& err) {
  auto db = open_database();
  const geo::Gazetteer gazetteer = geo::LoadGazetteer(*db);
  Territory t;
  t.slug = options.slug;
  t.emergency_contacts = NationalEmergencyContacts();
  t.languages = {"fr"};
  if (auto bad = Apply(options, gazetteer, t, true)) return Refuse(err, "add", bad->option, bad->reason);
  if (const auto problems = Check(t); !problems.empty()) return RefuseProblems(err, "add", problems);
  const auto created = TerritoryService(*db).Create(t, kCli, std::chrono::system_clock::now());
  if (!created) return Refuse(err, "add", "--slug", created.error().public_message);
  out << "Territory " << t.slug << " created: " << t.communes.size() << " communes, centre " << t.centre_lat << ","
      << t.centre_lon << ", radius " << t.default_radius_km << " km.\n";
  return 0;
}

int RunTerritoryEdit(const TerritoryOptions& options, const OpenDatabase& open_database, std::ostream& out,
                     std::ostream& err) {
  if (options.archive && options.restore) return Refuse(err, "edit", "--archive", "not with --restore");
  auto db = open_database();
  TerritoryService service(*db);
  auto stored = service.Find(options.slug);
  if (!stored) return Refuse(err, "edit", "slug", "no territory \"" + options.slug + "\"");
  Territory t = *stored;
  const geo::Gazetteer gazetteer = geo::LoadGazetteer(*db);
  // New communes without a new centre or radius: both proposed again from them.
  const bool propose = !options.communes.empty() && options.centre.empty() && options.radius_km.empty();
  if (auto bad = Apply(options, gazetteer, t, propose)) return Refuse(err, "edit", bad->option, bad->reason);
  if (const auto problems = Check(t); !problems.empty()) return RefuseProblems(err, "edit", problems);
  const auto now = std::chrono::system_clock::now();
  const bool changes = !options.name.empty() || !options.communes.empty() || !options.centre.empty() ||
                       !options.radius_km.empty() || !options.youth_services.empty() ||
                       !options.emergency_contacts.empty() || !options.exit_url.empty() || !options.languages.empty();
  if (changes) {
    if (auto updated = service.Update(t, kCli, "territory.changed", now); !updated) {
      return Refuse(err, "edit", "slug", updated.error().public_message);
    }
  }
  if (options.archive || options.restore) {
    if (auto archived = service.SetArchived(t.slug, options.archive, kCli, now); !archived) {
      return Refuse(err, "edit", "slug", archived.error().public_message);
    }
  }
  out << "Territory " << t.slug << (options.archive ? " archived" : options.restore ? " restored" : " saved") << ".\n";
  return 0;
}

int RunTerritoryList(const OpenDatabase& open_database, std::ostream& out) {
  auto db = open_database();
  TerritoryService service(*db);
  for (const std::string& slug : service.ListAllSlugs()) {
    const auto t = service.Find(slug);
    if (!t) continue;
    out << t->slug << "\t" << (t->archived ? "archived" : "active") << "\t" << t->communes.size() << " communes\t"
        << t->name << "\n";
  }
  return 0;
}

}  // namespace passerelle::territory
