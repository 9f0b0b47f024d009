#pragma once
// Small input files for the geo tests (not part of the library).

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace passerelle::geo::testing_files {

// The header of the official communes file (../shared/data/communes-fr.csv).
inline const std::string kOfficialHeader =
    "insee_com,insee_reg,insee_dep,commune,commune_article,code_postal,commune_type,insee_parente,lat,lng,"
    "superficie_km2,population_2021,population_2015,menages_2021,naissances_2022,deces_2022,"
    "pop_15_64_totale_2021,pop_15_64_chomage_2021,pop_15_64_active_2021";

inline std::string CsvField(const std::string& value) {
  if (value.find_first_of(",\"\n") == std::string::npos) return value;
  std::string quoted = "\"";
  for (char c : value) quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
  return quoted + "\"";
}

// One row of the official layout; the columns Passerelle ignores are left empty.
inline std::string OfficialRow(const std::string& insee, const std::string& name, const std::string& article,
                               const std::string& postal_code, const std::string& type, const std::string& parent,
                               const std::string& lat, const std::string& lng, const std::string& population) {
  return CsvField(insee) + ",," + CsvField(insee.substr(0, 2)) + "," + CsvField(name) + "," + CsvField(article) + "," +
         CsvField(postal_code) + "," + CsvField(type) + "," + CsvField(parent) + "," + CsvField(lat) + "," +
         CsvField(lng) + ",," + CsvField(population) + ",,,,,,,";
}

inline const std::string kEtaplesRow =
    OfficialRow("62318", "Étaples", "Étaples", "62630", "COM", "", "50.51377", "1.64043", "10869");
inline const std::string kSaintJosseRow =
    OfficialRow("62758", "Saint-Josse", "Saint-Josse", "62170", "COM", "", "50.46761", "1.66369", "1163");

inline std::string Joined(const std::string& header, const std::vector<std::string>& rows) {
  std::string text = header + "\n";
  for (const std::string& row : rows) text += row.ends_with("\n") ? row : row + "\n";
  return text;
}

inline std::string OfficialFile(const std::vector<std::string>& rows) { return Joined(kOfficialHeader, rows); }

// The default gazetteer's layout (scripts/build-gazetteer.mjs).
inline const std::string kDefaultHeader =
    "insee_code,name,postal_codes,population,lat,lon,precision,departement,epci_code,parent_insee_code,former_names";
inline const std::string kDefaultParis =
    "75056,Paris,\"75001,75002,75003,75004,75005,75006,75007,75008,75009,75010,75011,75012,75013,75014,75015,"
    "75016,75017,75018,75019,75020,75116\",2103778,48.85341,2.34880,exact,75,200054781,,";
inline const std::string kDefaultParis10 =
    "75110,Paris 10e Arrondissement,75010,83873,48.87090,2.35610,exact,75,,75056,";
inline const std::string kDefaultEtaples = "62318,Étaples,62630,10710,50.52194,1.63319,exact,62,200069029,,";
inline const std::string kDefaultSaintJosse =
    "62758,Saint-Josse,62170,1041,50.46614,1.76260,postal_code,62,200069029,,";
inline const std::string kDefaultValserhone =
    "01033,Valserhône,01200,16570,46.10957,5.82522,exact,01,200070126,,Bellegarde-sur-Valserine";

inline std::string DefaultFile(const std::vector<std::string>& rows) { return Joined(kDefaultHeader, rows); }

inline void WriteFile(const std::filesystem::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
}

}  // namespace passerelle::geo::testing_files
