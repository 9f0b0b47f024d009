#include "geo/commune_files.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <fstream>
#include <optional>
#include <unordered_map>

#include "geo/csv.h"
#include "geo/distance.h"
#include "geo/folding.h"
#include "geo/france.h"

namespace passerelle::geo {

namespace {

constexpr std::size_t kMaxQuotedBytes = 40;

// « value », shortened on a UTF-8 character boundary.
std::string Quoted(std::string_view value) {
  if (value.size() > kMaxQuotedBytes) {
    std::size_t cut = kMaxQuotedBytes;
    while (cut > 0 && (static_cast<unsigned char>(value[cut]) & 0xC0) == 0x80) --cut;
    return "« " + std::string(value.substr(0, cut)) + "… »";
  }
  return "« " + std::string(value) + " »";
}

std::optional<double> ParseNumber(std::string_view text) {
  double value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (error != std::errc() || end != text.data() + text.size() || !std::isfinite(value)) return std::nullopt;
  return value;
}

std::optional<std::int64_t> ParseCount(std::string_view text) {
  std::int64_t value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || error != std::errc() || end != text.data() + text.size() || value < 0) return std::nullopt;
  return value;
}

// Column positions by header name; reports the required ones that are missing.
class Columns {
 public:
  Columns(const std::vector<std::string>& header, CommuneFile& file) : file_(file), width_(header.size()) {
    for (std::size_t i = 0; i < header.size(); ++i) positions_.emplace(header[i], i);
  }

  std::size_t width() const { return width_; }

  std::optional<std::size_t> Optional(const std::string& name) const {
    const auto found = positions_.find(name);
    if (found == positions_.end()) return std::nullopt;
    return found->second;
  }

  std::size_t Required(const std::string& name) {
    const auto found = positions_.find(name);
    if (found != positions_.end()) return found->second;
    file_.AddIssue(1, name, LineProblem::kMissingColumn, "colonne absente de l'en-tête");
    return 0;
  }

 private:
  CommuneFile& file_;
  std::size_t width_;
  std::unordered_map<std::string, std::size_t> positions_;
};

// Reads the header; false (with an issue) when the file is empty or the header is unusable.
bool ReadHeader(CsvReader& reader, std::vector<std::string>& header, CommuneFile& file) {
  if (reader.Next(header) != CsvReader::Status::kRecord) {
    file.AddIssue(1, "", LineProblem::kMissingColumn, "fichier vide, en-tête attendu");
    return false;
  }
  return true;
}

// Reads the next data row; false at the end or on an unreadable one (reported).
bool NextRow(CsvReader& reader, std::vector<std::string>& fields, std::size_t width, CommuneFile& file) {
  for (;;) {
    const CsvReader::Status status = reader.Next(fields);
    if (status == CsvReader::Status::kEnd) return false;
    if (status == CsvReader::Status::kUnterminatedQuote) {
      file.AddIssue(reader.line(), "", LineProblem::kMalformedLine, "guillemet ouvert jamais fermé");
      return false;
    }
    if (fields.size() == 1 && fields[0].empty()) continue;  // blank line
    ++file.rows;
    if (fields.size() == width) return true;
    file.AddIssue(reader.line(), "", LineProblem::kMalformedLine,
                  std::to_string(fields.size()) + " champs au lieu de " + std::to_string(width));
  }
}

bool CheckInsee(const std::string& value, std::size_t line, const std::string& column, CommuneFile& file) {
  if (value.empty()) {
    file.AddIssue(line, column, LineProblem::kMissingInseeCode, "code INSEE manquant");
    return false;
  }
  if (!IsInseeCode(value)) {
    file.AddIssue(line, column, LineProblem::kBadInseeCode, "code INSEE invalide " + Quoted(value));
    return false;
  }
  return true;
}

bool CheckPostalCodes(const std::vector<std::string>& codes, const std::string& raw, std::size_t line,
                      const std::string& column, CommuneFile& file) {
  bool ok = !codes.empty();
  for (const std::string& code : codes) ok = ok && IsPostalCode(code);
  if (!ok) file.AddIssue(line, column, LineProblem::kBadPostalCode, "code postal invalide " + Quoted(raw));
  return ok;
}

// Parses the coordinates into `commune` when both are given. `present` tells whether they were.
bool CheckCoordinates(const std::string& lat_text, const std::string& lon_text, std::size_t line,
                      const std::string& lat_column, const std::string& lon_column, Commune& commune, bool& present,
                      CommuneFile& file) {
  present = !(lat_text.empty() && lon_text.empty());
  if (!present) return true;
  const std::optional<double> lat = ParseNumber(lat_text);
  const std::optional<double> lon = ParseNumber(lon_text);
  bool ok = true;
  if (!lat || *lat < -90 || *lat > 90) {
    file.AddIssue(line, lat_column, LineProblem::kBadCoordinates,
                  lat_text.empty() ? "latitude manquante" : "latitude invalide " + Quoted(lat_text));
    ok = false;
  }
  if (!lon || *lon < -180 || *lon > 180) {
    file.AddIssue(line, lon_column, LineProblem::kBadCoordinates,
                  lon_text.empty() ? "longitude manquante" : "longitude invalide " + Quoted(lon_text));
    ok = false;
  }
  if (!ok) return false;
  if (!IsInDepartementArea(commune.departement, *lat, *lon)) {
    file.AddIssue(line, lat_column + "/" + lon_column, LineProblem::kOutsideFrance,
                  "coordonnées " + lat_text + ", " + lon_text + " hors de " +
                      std::string(AreaName(commune.departement)) + " (latitude et longitude inversées ?)");
    return false;
  }
  commune.lat = *lat;
  commune.lon = *lon;
  return true;
}

bool CheckPopulation(const std::string& value, std::size_t line, const std::string& column, Commune& commune,
                     CommuneFile& file) {
  const std::optional<std::int64_t> population = ParseCount(value);
  if (!population) {
    file.AddIssue(line, column, LineProblem::kBadPopulation, "population invalide " + Quoted(value));
    return false;
  }
  commune.population = *population;
  return true;
}

}  // namespace

void CommuneFile::AddIssue(std::size_t line, std::string column, LineProblem problem, std::string reason) {
  ++issue_count;
  if (issues.size() >= kMaxReportedIssues) return;
  std::string message = "ligne " + std::to_string(line);
  if (!column.empty()) message += ", colonne " + column;
  message += " : " + reason;
  issues.push_back(LineIssue{line, std::move(column), problem, std::move(message)});
}

CommuneFile ParseOfficialCommunes(std::istream& in) {
  CommuneFile file;
  CsvReader reader(in);
  std::vector<std::string> fields;
  if (!ReadHeader(reader, fields, file)) return file;
  Columns columns(fields, file);
  const std::size_t c_insee = columns.Required("insee_com");
  const std::size_t c_name = columns.Required("commune");
  const std::size_t c_postal = columns.Required("code_postal");
  const std::size_t c_type = columns.Required("commune_type");
  const std::size_t c_lat = columns.Required("lat");
  const std::size_t c_lon = columns.Required("lng");
  const std::size_t c_population = columns.Required("population_2021");
  const std::optional<std::size_t> c_article = columns.Optional("commune_article");
  const std::optional<std::size_t> c_parent = columns.Optional("insee_parente");
  if (file.issue_count > 0) return file;

  struct Delegated {
    std::string parent;
    std::string name;
  };
  std::vector<Delegated> delegated;
  std::unordered_map<std::string, std::size_t> index_of;

  while (NextRow(reader, fields, columns.width(), file)) {
    const std::size_t line = reader.line();
    const std::string& type = fields[c_type];
    if (type != "COM" && type != "ARM" && type != "COMD") {
      file.AddIssue(line, "commune_type", LineProblem::kUnknownCommuneType,
                    "type de commune inconnu " + Quoted(type) + " (COM, ARM ou COMD attendu)");
      continue;
    }
    Commune commune;
    commune.insee_code = fields[c_insee];
    commune.name = c_article && !fields[*c_article].empty() ? fields[*c_article] : fields[c_name];
    commune.postal_codes = {fields[c_postal]};
    commune.precision = Precision::kOfficial;
    const std::string parent = c_parent ? fields[*c_parent] : std::string();
    const bool insee_ok = CheckInsee(commune.insee_code, line, "insee_com", file);
    bool ok = insee_ok;
    if (insee_ok) commune.departement = DepartementOf(commune.insee_code);
    if (commune.name.empty()) {
      file.AddIssue(line, "commune", LineProblem::kMissingName, "nom de commune manquant");
      ok = false;
    }
    ok = CheckPostalCodes(commune.postal_codes, fields[c_postal], line, "code_postal", file) && ok;
    bool has_coordinates = false;
    // The area to check the point against is the INSEE code's département.
    if (insee_ok &&
        !CheckCoordinates(fields[c_lat], fields[c_lon], line, "lat", "lng", commune, has_coordinates, file)) {
      ok = false;
    }
    ok = CheckPopulation(fields[c_population], line, "population_2021", commune, file) && ok;
    if (type == "ARM") {
      if (!IsInseeCode(parent)) {
        file.AddIssue(line, "insee_parente", LineProblem::kBadInseeCode,
                      "commune d'un arrondissement invalide " + Quoted(parent));
        ok = false;
      }
      commune.parent_insee_code = parent;
    }
    if (!ok) continue;

    if (type == "COMD") {
      ++file.delegated_rows;
      delegated.push_back({parent.empty() ? commune.insee_code : parent, commune.name});
      continue;
    }
    const auto [found, inserted] = index_of.emplace(commune.insee_code, file.communes.size());
    if (inserted) {
      file.communes.push_back(ParsedCommune{std::move(commune), line, has_coordinates});
      continue;
    }
    // The file repeats a commune once per postal code; anything else is a real duplicate.
    ParsedCommune& first = file.communes[found->second];
    const std::string& postal_code = commune.postal_codes.front();
    const std::string where = "code INSEE " + commune.insee_code + " déjà présent ligne " + std::to_string(first.line);
    if (std::find(first.commune.postal_codes.begin(), first.commune.postal_codes.end(), postal_code) !=
        first.commune.postal_codes.end()) {
      file.AddIssue(line, "insee_com", LineProblem::kDuplicateInseeCode, where + " avec le même code postal");
    } else if (first.commune.name != commune.name || first.has_coordinates != has_coordinates ||
               first.commune.lat != commune.lat || first.commune.lon != commune.lon ||
               first.commune.population != commune.population) {
      file.AddIssue(line, "insee_com", LineProblem::kDuplicateInseeCode,
                    where + " avec un autre nom, d'autres coordonnées ou une autre population");
    } else {
      first.commune.postal_codes.push_back(postal_code);
    }
  }

  for (const Delegated& d : delegated) {
    const auto found = index_of.find(d.parent);
    if (found == index_of.end()) continue;
    Commune& commune = file.communes[found->second].commune;
    if (FoldForSearch(d.name) == FoldForSearch(commune.name)) continue;
    if (std::find(commune.former_names.begin(), commune.former_names.end(), d.name) == commune.former_names.end()) {
      commune.former_names.push_back(d.name);
    }
  }
  return file;
}

CommuneFile ParseDefaultGazetteer(std::istream& in) {
  CommuneFile file;
  CsvReader reader(in);
  std::vector<std::string> fields;
  if (!ReadHeader(reader, fields, file)) return file;
  Columns columns(fields, file);
  const std::size_t c_insee = columns.Required("insee_code");
  const std::size_t c_name = columns.Required("name");
  const std::size_t c_postal = columns.Required("postal_codes");
  const std::size_t c_population = columns.Required("population");
  const std::size_t c_lat = columns.Required("lat");
  const std::size_t c_lon = columns.Required("lon");
  const std::size_t c_precision = columns.Required("precision");
  const std::size_t c_epci = columns.Required("epci_code");
  const std::size_t c_parent = columns.Required("parent_insee_code");
  const std::size_t c_former = columns.Required("former_names");
  if (file.issue_count > 0) return file;

  std::unordered_map<std::string, std::size_t> line_of;
  while (NextRow(reader, fields, columns.width(), file)) {
    const std::size_t line = reader.line();
    Commune commune;
    commune.insee_code = fields[c_insee];
    commune.name = fields[c_name];
    commune.postal_codes = SplitList(fields[c_postal]);
    commune.epci_code = fields[c_epci];
    commune.parent_insee_code = fields[c_parent];
    commune.former_names = SplitList(fields[c_former]);
    const bool insee_ok = CheckInsee(commune.insee_code, line, "insee_code", file);
    bool ok = insee_ok;
    if (insee_ok) commune.departement = DepartementOf(commune.insee_code);
    if (commune.name.empty()) {
      file.AddIssue(line, "name", LineProblem::kMissingName, "nom de commune manquant");
      ok = false;
    }
    ok = CheckPostalCodes(commune.postal_codes, fields[c_postal], line, "postal_codes", file) && ok;
    bool has_coordinates = false;
    if (insee_ok &&
        !CheckCoordinates(fields[c_lat], fields[c_lon], line, "lat", "lon", commune, has_coordinates, file)) {
      ok = false;
    } else if (insee_ok && !has_coordinates) {
      file.AddIssue(line, "lat", LineProblem::kBadCoordinates, "coordonnées manquantes");
      ok = false;
    }
    ok = CheckPopulation(fields[c_population], line, "population", commune, file) && ok;
    if (const auto precision = ParsePrecision(fields[c_precision])) {
      commune.precision = *precision;
    } else {
      file.AddIssue(line, "precision", LineProblem::kBadPrecision, "précision inconnue " + Quoted(fields[c_precision]));
      ok = false;
    }
    if (!ok) continue;
    if (const auto [found, inserted] = line_of.emplace(commune.insee_code, line); !inserted) {
      file.AddIssue(line, "insee_code", LineProblem::kDuplicateInseeCode,
                    "code INSEE " + commune.insee_code + " déjà présent ligne " + std::to_string(found->second));
      continue;
    }
    file.communes.push_back(ParsedCommune{std::move(commune), line, true});
  }
  return file;
}

core::Error DescribeIssues(const CommuneFile& file, std::string_view what) {
  std::string message = std::string(what) + " refusé, rien n'a été enregistré (" + std::to_string(file.issue_count) +
                        (file.issue_count > 1 ? " erreurs" : " erreur") + ") :";
  for (const LineIssue& issue : file.issues) message += "\n" + issue.message;
  if (file.issue_count > file.issues.size()) {
    message += "\n… et " + std::to_string(file.issue_count - file.issues.size()) + " autres";
  }
  return core::Error{core::ErrorCode::kInvalidInput, std::move(message),
                     "gazetteer file: " + std::to_string(file.issue_count) + " invalid lines"};
}

core::Result<std::vector<Commune>> ReadGazetteerCsv(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return core::Error{core::ErrorCode::kNotFound, "Fichier introuvable : " + path.string(),
                       "gazetteer: cannot open " + path.string()};
  }
  CommuneFile file = ParseDefaultGazetteer(in);
  if (file.issue_count > 0) return DescribeIssues(file, "Fichier du répertoire des communes");
  std::vector<Commune> communes;
  communes.reserve(file.communes.size());
  for (ParsedCommune& parsed : file.communes) communes.push_back(std::move(parsed.commune));
  return communes;
}

}  // namespace passerelle::geo
