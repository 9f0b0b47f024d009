#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/result.h"
#include "geo/model.h"

namespace passerelle::geo {

class SpatialIndex;

struct NameMatch {
  const Commune* commune;
  std::string_view matched_name;  // the commune's name, or the former name that matched
};

struct NearestCommune {
  const Commune* commune;
  double distance_km;
};

inline constexpr std::size_t kMaxCompletions = 20;

// The communes in memory, for the lookups of the help flow and the directory: by INSEE code, by
// postal code, by name prefix (autocomplete) and nearest to a point. Immutable once built, so any
// number of threads may read it; after a correction, build a new one and swap it in.
class Gazetteer {
 public:
  explicit Gazetteer(std::vector<Commune> communes);
  ~Gazetteer();
  Gazetteer(Gazetteer&&) noexcept;
  Gazetteer& operator=(Gazetteer&&) noexcept;

  // Reads the default gazetteer built by scripts/build-gazetteer.mjs.
  static core::Result<Gazetteer> FromCsv(const std::filesystem::path& csv_path);

  std::size_t size() const { return communes_.size(); }
  const std::vector<Commune>& communes() const { return communes_; }

  const Commune* FindByInsee(std::string_view insee_code) const;

  // Arrondissements municipaux first (Paris 10e before Paris for 75010), then by population.
  std::vector<const Commune*> FindByPostalCode(std::string_view postal_code) const;

  // Communes whose name, or a former name, starts with `typed`, ignoring accents, case and
  // punctuation, also without a leading article ("touquet" finds Le Touquet-Paris-Plage) and with
  // "st"/"ste" read as "saint"/"sainte". Most populous first; at most min(limit, kMaxCompletions).
  std::vector<NameMatch> Complete(std::string_view typed, std::size_t limit) const;

  // Communes whose name, or a former name, is exactly `typed` (same folding and readings as
  // Complete: "montreuil" finds every Montreuil but not Montreuil-sur-Mer). Most populous first.
  std::vector<NameMatch> FindByName(std::string_view typed) const;

  // Close matches for a mistyped name, closest first then most populous, at most
  // min(limit, kMaxCompletions): names within a small edit distance (1 up to 5 letters, 2
  // beyond; "berk" → Berck), and names that the typed text begins with, word for word, when
  // the rest looks like a suffix ("berck sur mer" → Berck).
  std::vector<NameMatch> FindSimilar(std::string_view typed, std::size_t limit) const;

  // A coordinator's search for the communes of a territory (issue 11 §1): five digits are an
  // INSEE code or a postal code (both kinds of match), "2A"/"2B" and three digits an INSEE code
  // of Corsica; nine digits the SIREN of an EPCI (every member); two or three characters that
  // name a département ("62", "2A", "974") every commune of it; anything else a name prefix as
  // Complete reads it. Sorted by name then INSEE code, without duplicates; at most `limit`.
  std::vector<const Commune*> Search(std::string_view query, std::size_t limit) const;

  // The commune whose point is nearest, if one lies within `max_km` (at most kMaxRadiusKm).
  // Communes with borrowed (approximate) coordinates are left out: the point is their donor's.
  std::optional<NearestCommune> FindNearest(double lat, double lon, double max_km) const;

 private:
  struct NameKey {
    std::string key;  // folded
    std::uint32_t commune;
    std::uint32_t name;  // 0: the commune's name; k: its former name k - 1
  };
  void AddNameKeys(std::string_view name, std::uint32_t commune, std::uint32_t name_index);
  void CollectPrefix(const std::string& prefix, std::vector<NameMatch>& out) const;

  std::vector<Commune> communes_;
  std::unordered_map<std::string, std::uint32_t> by_insee_;
  std::unordered_map<std::string, std::vector<std::uint32_t>> by_postal_code_;
  std::vector<NameKey> names_;  // sorted by key
  std::unique_ptr<SpatialIndex> points_;
};

}  // namespace passerelle::geo
