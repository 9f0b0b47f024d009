#include "geo/repository.h"

#include <algorithm>
#include <fstream>
#include <string>
#include <unordered_map>

#include "geo/commune_files.h"
#include "geo/csv.h"
#include "geo/distance.h"
#include "geo/france.h"

namespace passerelle::geo {

namespace {

constexpr const char* kSelectCommuneColumns =
    "SELECT insee_code, name, postal_codes, population, lat, lon, precision, departement, epci_code, "
    "parent_insee_code, former_names FROM commune ";
constexpr const char* kEveryCommune = "ORDER BY insee_code";
constexpr const char* kCommuneByInsee = "WHERE insee_code = :key";
// Postal codes are a comma-separated list: the key is "%,75010,%".
constexpr const char* kCommunesByPostalCode =
    "WHERE ',' || postal_codes || ',' LIKE :key ORDER BY population DESC, insee_code";
constexpr const char* kCountCommunes = "SELECT COUNT(*) FROM commune";
constexpr const char* kSelectStored = "SELECT insee_code, lat, lon, precision FROM commune";
constexpr const char* kUpsertDefault =
    "INSERT INTO commune (insee_code, name, postal_codes, population, lat, lon, precision, departement, "
    "epci_code, parent_insee_code, former_names) "
    "VALUES (:insee, :name, :postal, :population, :lat, :lon, :precision, :departement, :epci, :parent, :former) "
    "ON CONFLICT (insee_code) DO UPDATE SET name = excluded.name, postal_codes = excluded.postal_codes, "
    "population = excluded.population, lat = excluded.lat, lon = excluded.lon, precision = excluded.precision, "
    "departement = excluded.departement, epci_code = excluded.epci_code, "
    "parent_insee_code = excluded.parent_insee_code, former_names = excluded.former_names "
    "WHERE commune.precision NOT IN ('official', 'corrected')";
// Official files carry no EPCI: rows they own still learn it from the default gazetteer.
constexpr const char* kUpdateEpci = "UPDATE commune SET epci_code = :epci WHERE insee_code = :insee";
constexpr const char* kUpsertOfficial =
    "INSERT INTO commune (insee_code, name, postal_codes, population, lat, lon, precision, departement, "
    "parent_insee_code, former_names) "
    "VALUES (:insee, :name, :postal, :population, :lat, :lon, :precision, :departement, :parent, :former) "
    "ON CONFLICT (insee_code) DO UPDATE SET name = excluded.name, postal_codes = excluded.postal_codes, "
    "population = excluded.population, departement = excluded.departement, "
    "parent_insee_code = excluded.parent_insee_code, "
    "former_names = CASE WHEN excluded.former_names = '' THEN commune.former_names ELSE excluded.former_names END, "
    "lat = CASE WHEN commune.precision = 'corrected' THEN commune.lat ELSE excluded.lat END, "
    "lon = CASE WHEN commune.precision = 'corrected' THEN commune.lon ELSE excluded.lon END, "
    "precision = CASE WHEN commune.precision = 'corrected' THEN commune.precision ELSE excluded.precision END";
constexpr const char* kCorrect =
    "UPDATE commune SET lat = :lat, lon = :lon, precision = 'corrected' WHERE insee_code = :insee";

struct Stored {
  double lat;
  double lon;
  Precision precision;
};

std::string JoinList(const std::vector<std::string>& items) {
  std::string out;
  for (const std::string& item : items) out += (out.empty() ? "" : ",") + item;
  return out;
}

std::unordered_map<std::string, Stored> ReadStored(soci::session& sql) {
  std::unordered_map<std::string, Stored> stored;
  std::string insee, precision;
  double lat = 0, lon = 0;
  soci::statement statement =
      (sql.prepare << kSelectStored, soci::into(insee), soci::into(lat), soci::into(lon), soci::into(precision));
  statement.execute();
  while (statement.fetch()) {
    stored.emplace(insee, Stored{lat, lon, ParsePrecision(precision).value_or(Precision::kExact)});
  }
  return stored;
}

// Writes communes with one prepared statement (`upsert` binds the names of kUpsertDefault;
// kUpsertOfficial ignores :epci by not naming it).
class CommuneWriter {
 public:
  enum class Epci { kWritten, kKept };
  CommuneWriter(soci::session& sql, const char* upsert, Epci epci) {
    statement_ = std::make_unique<soci::statement>(sql);
    statement_->alloc();
    statement_->prepare(upsert);
    statement_->exchange(soci::use(insee_, "insee"));
    statement_->exchange(soci::use(name_, "name"));
    statement_->exchange(soci::use(postal_, "postal"));
    statement_->exchange(soci::use(population_, "population"));
    statement_->exchange(soci::use(lat_, "lat"));
    statement_->exchange(soci::use(lon_, "lon"));
    statement_->exchange(soci::use(precision_, "precision"));
    statement_->exchange(soci::use(departement_, "departement"));
    if (epci == Epci::kWritten) statement_->exchange(soci::use(epci_, "epci"));
    statement_->exchange(soci::use(parent_, "parent"));
    statement_->exchange(soci::use(former_, "former"));
    statement_->define_and_bind();
  }

  void Write(const Commune& commune) {
    insee_ = commune.insee_code;
    name_ = commune.name;
    postal_ = JoinList(commune.postal_codes);
    population_ = commune.population;
    lat_ = commune.lat;
    lon_ = commune.lon;
    precision_ = std::string(ToString(commune.precision));
    departement_ = commune.departement;
    epci_ = commune.epci_code;
    parent_ = commune.parent_insee_code;
    former_ = JoinList(commune.former_names);
    statement_->execute(true);
  }

 private:
  std::unique_ptr<soci::statement> statement_;
  std::string insee_, name_, postal_, precision_, departement_, epci_, parent_, former_;
  long long population_ = 0;
  double lat_ = 0, lon_ = 0;
};

core::Error FileNotFound(const std::filesystem::path& path) {
  return core::Error{core::ErrorCode::kNotFound, "Fichier introuvable : " + path.string(),
                     "gazetteer: cannot open " + path.string()};
}

// Gives coordinates to the communes of an official file that came without: the stored ones, else
// those of the file's most populous commune with coordinates sharing a postal code.
void CompleteCoordinates(CommuneFile& file, const std::unordered_map<std::string, Stored>& stored,
                         ImportSummary& summary) {
  std::unordered_map<std::string, const Commune*> donor_by_postal_code;
  for (const ParsedCommune& parsed : file.communes) {
    if (!parsed.has_coordinates) continue;
    for (const std::string& postal_code : parsed.commune.postal_codes) {
      const Commune*& donor = donor_by_postal_code[postal_code];
      if (donor == nullptr || parsed.commune.population > donor->population) donor = &parsed.commune;
    }
  }
  for (ParsedCommune& parsed : file.communes) {
    if (parsed.has_coordinates) continue;
    Commune& commune = parsed.commune;
    if (const auto found = stored.find(commune.insee_code); found != stored.end()) {
      commune.lat = found->second.lat;
      commune.lon = found->second.lon;
      commune.precision = found->second.precision;
      ++summary.coordinates_kept;
      continue;
    }
    const Commune* donor = nullptr;
    for (const std::string& postal_code : commune.postal_codes) {
      const auto found = donor_by_postal_code.find(postal_code);
      if (found != donor_by_postal_code.end() && (donor == nullptr || found->second->population > donor->population)) {
        donor = found->second;
      }
    }
    if (donor == nullptr) {
      file.AddIssue(parsed.line, "lat", LineProblem::kNoCoordinates,
                    "coordonnées manquantes, ni enregistrées ni empruntables à une commune du fichier de même "
                    "code postal");
      continue;
    }
    commune.lat = donor->lat;
    commune.lon = donor->lon;
    commune.precision = Precision::kPostalCode;
    ++summary.coordinates_borrowed;
  }
}

}  // namespace

std::map<std::string, std::string> CommuneNames(storage::Database& db, const std::vector<std::string>& insee_codes) {
  std::map<std::string, std::string> names;
  if (insee_codes.empty()) return names;
  soci::session sql(db.pool());
  std::string insee, name;
  soci::statement st = (sql.prepare << "SELECT name FROM commune WHERE insee_code = :insee", soci::use(insee, "insee"),
                        soci::into(name));
  for (const std::string& code : insee_codes) {
    insee = code;
    st.execute(true);
    if (sql.got_data()) names[code] = name;
  }
  return names;
}

namespace {

// `filter` uses `:key` unless `key` is empty.
std::vector<Commune> SelectCommunes(storage::Database& db, const char* filter, const std::string& key,
                                    std::size_t expected = 0) {
  soci::session sql(db.pool());
  std::vector<Commune> communes;
  communes.reserve(expected);  // every commune of France: grown by doubling, it peaked at twice its size
  Commune row;
  std::string postal, precision, former;
  long long population = 0;
  soci::statement statement(sql);
  statement.exchange(soci::into(row.insee_code));
  statement.exchange(soci::into(row.name));
  statement.exchange(soci::into(postal));
  statement.exchange(soci::into(population));
  statement.exchange(soci::into(row.lat));
  statement.exchange(soci::into(row.lon));
  statement.exchange(soci::into(precision));
  statement.exchange(soci::into(row.departement));
  statement.exchange(soci::into(row.epci_code));
  statement.exchange(soci::into(row.parent_insee_code));
  statement.exchange(soci::into(former));
  if (!key.empty()) statement.exchange(soci::use(key, "key"));
  statement.alloc();
  statement.prepare(std::string(kSelectCommuneColumns) + filter);
  statement.define_and_bind();
  statement.execute();
  while (statement.fetch()) {
    Commune commune = row;
    commune.postal_codes = SplitList(postal);
    commune.population = population;
    commune.precision = ParsePrecision(precision).value_or(Precision::kExact);
    commune.former_names = SplitList(former);
    communes.push_back(std::move(commune));
  }
  return communes;
}

}  // namespace

std::vector<Commune> ReadCommunes(storage::Database& db) {
  return SelectCommunes(db, kEveryCommune, "", CountCommunes(db));
}

std::vector<Commune> FindCommunesOfAddress(storage::Database& db, std::string_view insee_code,
                                           std::string_view postal_code) {
  if (!insee_code.empty()) {
    auto found = SelectCommunes(db, kCommuneByInsee, std::string(insee_code));
    if (!found.empty()) return found;
  }
  if (!IsPostalCode(postal_code)) return {};
  std::vector<Commune> found = SelectCommunes(db, kCommunesByPostalCode, "%," + std::string(postal_code) + ",%");
  // A postal code of Paris, Lyon or Marseille names an arrondissement and the whole city: the
  // arrondissement is the precise answer (75018 is Paris 18e, not the centre of Paris).
  std::stable_partition(found.begin(), found.end(), [](const Commune& c) { return c.IsArrondissement(); });
  return found;
}

std::size_t CountCommunes(storage::Database& db) {
  soci::session sql(db.pool());
  long long count = 0;
  sql << kCountCommunes, soci::into(count);
  return static_cast<std::size_t>(count);
}

core::Result<DefaultLoadSummary> LoadDefaultGazetteer(storage::Database& db, const std::filesystem::path& csv_path) {
  std::ifstream in(csv_path, std::ios::binary);
  if (!in) return FileNotFound(csv_path);
  const CommuneFile file = ParseDefaultGazetteer(in);
  if (file.issue_count > 0) return DescribeIssues(file, "Fichier du répertoire des communes");

  return db.InTransaction([&](soci::session& sql) {
    DefaultLoadSummary summary;
    summary.communes = file.communes.size();
    const auto stored = ReadStored(sql);
    CommuneWriter writer(sql, kUpsertDefault, CommuneWriter::Epci::kWritten);
    std::string epci, insee;
    soci::statement update_epci = (sql.prepare << kUpdateEpci, soci::use(epci, "epci"), soci::use(insee, "insee"));
    for (const ParsedCommune& parsed : file.communes) {
      const auto found = stored.find(parsed.commune.insee_code);
      if (found != stored.end() &&
          (found->second.precision == Precision::kOfficial || found->second.precision == Precision::kCorrected)) {
        ++summary.kept;
        epci = parsed.commune.epci_code;
        insee = parsed.commune.insee_code;
        update_epci.execute(true);
        continue;
      }
      ++(found == stored.end() ? summary.inserted : summary.updated);
      writer.Write(parsed.commune);
    }
    return core::Result<DefaultLoadSummary>(summary);
  });
}

core::Result<ImportSummary> ImportOfficialCommunes(storage::Database& db, const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return FileNotFound(path);
  CommuneFile file = ParseOfficialCommunes(in);
  if (file.issue_count > 0) return DescribeIssues(file, "Fichier des communes");

  return db.InTransaction([&](soci::session& sql) -> core::Result<ImportSummary> {
    ImportSummary summary;
    summary.rows = file.rows;
    summary.delegated_rows = file.delegated_rows;
    const auto stored = ReadStored(sql);
    CompleteCoordinates(file, stored, summary);
    // Nothing has been written yet: committing this transaction changes nothing.
    if (file.issue_count > 0) return DescribeIssues(file, "Fichier des communes");
    CommuneWriter writer(sql, kUpsertOfficial, CommuneWriter::Epci::kKept);
    for (const ParsedCommune& parsed : file.communes) {
      ++(parsed.commune.IsArrondissement() ? summary.arrondissements : summary.communes);
      const auto found = stored.find(parsed.commune.insee_code);
      if (found == stored.end()) {
        ++summary.inserted;
      } else {
        ++summary.updated;
        if (found->second.precision == Precision::kCorrected) ++summary.corrections_kept;
      }
      writer.Write(parsed.commune);
    }
    return summary;
  });
}

// A correction further than this from a commune's own (non-approximate) point is refused as a
// probable typo; the exact GeoNames points are within a few km (docs/geography.md).
constexpr double kMaxCorrectionKm = 40.0;

core::Result<core::Ok> CorrectCommune(storage::Database& db, std::string_view insee_code, double lat, double lon) {
  if (!IsInseeCode(insee_code)) {
    return core::Error{core::ErrorCode::kInvalidInput, "Code INSEE invalide.", "gazetteer correction: bad INSEE code"};
  }
  const std::string departement = DepartementOf(insee_code);
  if (!IsValidCoordinate(lat, lon) || !IsInDepartementArea(departement, lat, lon)) {
    return core::Error{core::ErrorCode::kInvalidInput,
                       "Coordonnées hors de " + std::string(AreaName(departement)) + ".",
                       "gazetteer correction: coordinates outside the commune's area"};
  }
  const std::string insee(insee_code);
  {
    // A point far from the commune's own point (exact, official or already corrected) is most
    // likely a typo: refused, naming the distance. Borrowed (approximate) points can be far off,
    // which is why a coordinator corrects them: those only get the area check above.
    soci::session sql(db.pool());
    double old_lat = 0;
    double old_lon = 0;
    std::string old_precision;
    soci::indicator lat_ind = soci::i_null;
    soci::indicator lon_ind = soci::i_null;
    sql << "SELECT lat, lon, precision FROM commune WHERE insee_code = :insee", soci::use(insee),
        soci::into(old_lat, lat_ind), soci::into(old_lon, lon_ind), soci::into(old_precision);
    const auto precision = ParsePrecision(old_precision);
    if (sql.got_data() && lat_ind == soci::i_ok && lon_ind == soci::i_ok && precision && !IsApproximate(*precision)) {
      const double km = HaversineKm(old_lat, old_lon, lat, lon);
      if (km > kMaxCorrectionKm) {
        return core::Error{core::ErrorCode::kInvalidInput,
                           "Point à " + std::to_string(static_cast<long>(km)) + " km de celui de la commune (plus de " +
                               std::to_string(static_cast<long>(kMaxCorrectionKm)) +
                               " km) : vérifiez les coordonnées (latitude puis longitude).",
                           "gazetteer correction: too far from the commune's own point"};
      }
    }
  }
  const long long affected = db.InTransaction([&](soci::session& sql) {
    soci::statement statement =
        (sql.prepare << kCorrect, soci::use(lat, "lat"), soci::use(lon, "lon"), soci::use(insee, "insee"));
    statement.execute(true);
    return statement.get_affected_rows();
  });
  if (affected == 0) {
    return core::Error{core::ErrorCode::kNotFound, "Commune inconnue.", "gazetteer correction: no such commune"};
  }
  return core::Ok{};
}

}  // namespace passerelle::geo
