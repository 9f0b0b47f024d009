#include "geo/cli.h"

#include "geo/repository.h"

namespace passerelle::geo {

int RunGazetteerImport(storage::Database& db, const std::filesystem::path& file, std::ostream& out, std::ostream& err) {
  const auto imported = ImportOfficialCommunes(db, file);
  if (!imported) {
    err << "passerelle gazetteer import: " << imported.error().public_message << "\n";
    return 1;
  }
  const ImportSummary& s = imported.value();
  out << file.string() << " : " << s.rows << " lignes, " << s.communes << " communes, " << s.arrondissements
      << " arrondissements, " << s.delegated_rows << " communes déléguées (noms)\n"
      << s.inserted << " ajoutées, " << s.updated << " mises à jour, " << s.corrections_kept
      << " corrections conservées, " << s.coordinates_kept << " sans coordonnées (coordonnées conservées), "
      << s.coordinates_borrowed << " sans coordonnées (coordonnées d'une commune du même code postal)\n";
  return 0;
}

int RunGazetteerLoadDefault(storage::Database& db, const std::filesystem::path& file, std::ostream& out,
                            std::ostream& err) {
  const auto loaded = LoadDefaultGazetteer(db, file);
  if (!loaded) {
    err << "passerelle gazetteer load: " << loaded.error().public_message << "\n";
    return 1;
  }
  const DefaultLoadSummary& s = loaded.value();
  out << file.string() << " : " << s.communes << " communes, " << s.inserted << " ajoutées, " << s.updated
      << " mises à jour, " << s.kept << " officielles ou corrigées conservées\n";
  return 0;
}

int RunGazetteerCorrect(storage::Database& db, const std::string& insee, double lat, double lon, std::ostream& out,
                        std::ostream& err) {
  const auto corrected = CorrectCommune(db, insee, lat, lon);
  if (!corrected.ok()) {
    err << "passerelle gazetteer correct: " << insee << " : " << corrected.error().public_message << "\n";
    return 1;
  }
  out << insee << " : point corrigé (" << lat << ", " << lon << "), conservé par les chargements suivants\n";
  return 0;
}

}  // namespace passerelle::geo
