#include "geo/gazetteer.h"

#include <algorithm>
#include <array>
#include <sstream>

#include "geo/folding.h"
#include "geo/commune_files.h"
#include "geo/spatial_index.h"

namespace passerelle::geo {

namespace {

constexpr std::array<std::string_view, 4> kLeadingArticles = {"le ", "la ", "les ", "l "};

bool StartsWith(std::string_view text, std::string_view prefix) {
  return text.substr(0, prefix.size()) == prefix;
}

std::vector<std::string> SplitWords(const std::string& folded) {
  std::vector<std::string> words;
  std::istringstream in(folded);
  for (std::string word; in >> word;) words.push_back(word);
  return words;
}

std::string_view Expanded(std::string_view word) {
  if (word == "st") return "saint";
  if (word == "ste") return "sainte";
  return word;
}

}  // namespace

Gazetteer::Gazetteer(std::vector<Commune> communes)
    : communes_(std::move(communes)), points_(std::make_unique<SpatialIndex>()) {
  for (std::uint32_t i = 0; i < communes_.size(); ++i) {
    const Commune& commune = communes_[i];
    by_insee_.emplace(commune.insee_code, i);
    for (const std::string& postal_code : commune.postal_codes) by_postal_code_[postal_code].push_back(i);
    AddNameKeys(commune.name, i, 0);
    for (std::uint32_t k = 0; k < commune.former_names.size(); ++k) AddNameKeys(commune.former_names[k], i, k + 1);
    // A borrowed point belongs to another commune, which alone answers for it. Coordinates were
    // validated when the commune was stored.
    if (!IsApproximate(commune.precision)) (void)points_->Upsert(IndexedLocation{i, commune.lat, commune.lon, 0, 0});
  }
  std::sort(names_.begin(), names_.end(), [](const NameKey& a, const NameKey& b) { return a.key < b.key; });
  for (auto& [postal_code, list] : by_postal_code_) {
    std::sort(list.begin(), list.end(), [this](std::uint32_t a, std::uint32_t b) {
      const Commune& x = communes_[a];
      const Commune& y = communes_[b];
      if (x.IsArrondissement() != y.IsArrondissement()) return x.IsArrondissement();
      if (x.population != y.population) return x.population > y.population;
      return x.insee_code < y.insee_code;
    });
  }
}

Gazetteer::~Gazetteer() = default;
Gazetteer::Gazetteer(Gazetteer&&) noexcept = default;
Gazetteer& Gazetteer::operator=(Gazetteer&&) noexcept = default;

core::Result<Gazetteer> Gazetteer::FromCsv(const std::filesystem::path& csv_path) {
  auto communes = ReadGazetteerCsv(csv_path);
  if (!communes) return communes.error();
  return Gazetteer(std::move(communes).value());
}

void Gazetteer::AddNameKeys(std::string_view name, std::uint32_t commune, std::uint32_t name_index) {
  std::string key = FoldForSearch(name);
  if (key.empty()) return;
  for (std::string_view article : kLeadingArticles) {
    if (StartsWith(key, article) && key.size() > article.size()) {
      names_.push_back({key.substr(article.size()), commune, name_index});
      break;
    }
  }
  names_.push_back({std::move(key), commune, name_index});
}

const Commune* Gazetteer::FindByInsee(std::string_view insee_code) const {
  const auto found = by_insee_.find(std::string(insee_code));
  return found == by_insee_.end() ? nullptr : &communes_[found->second];
}

std::vector<const Commune*> Gazetteer::FindByPostalCode(std::string_view postal_code) const {
  std::vector<const Commune*> out;
  const auto found = by_postal_code_.find(std::string(postal_code));
  if (found == by_postal_code_.end()) return out;
  for (std::uint32_t i : found->second) out.push_back(&communes_[i]);
  return out;
}

void Gazetteer::CollectPrefix(const std::string& prefix, std::vector<NameMatch>& out) const {
  auto it = std::lower_bound(names_.begin(), names_.end(), prefix,
                             [](const NameKey& name, const std::string& p) { return name.key < p; });
  for (; it != names_.end() && StartsWith(it->key, prefix); ++it) {
    const Commune& commune = communes_[it->commune];
    const std::string_view matched = it->name == 0 ? commune.name : commune.former_names[it->name - 1];
    out.push_back({&commune, matched});
  }
}

std::vector<NameMatch> Gazetteer::Complete(std::string_view typed, std::size_t limit) const {
  const std::vector<std::string> words = SplitWords(FoldForSearch(typed));
  if (words.empty() || limit == 0) return {};
  // Every word but the last is complete: "st" there is an abbreviation. The last one may be the
  // start of a longer word ("st" → "strasbourg"), so both readings are searched.
  std::string prefix;
  for (std::size_t i = 0; i + 1 < words.size(); ++i) {
    prefix.append(Expanded(words[i]));
    prefix.push_back(' ');
  }
  std::vector<NameMatch> matches;
  CollectPrefix(prefix + words.back(), matches);
  if (Expanded(words.back()) != words.back()) CollectPrefix(prefix + std::string(Expanded(words.back())), matches);

  // One entry per commune, preferring a match on its current name.
  std::sort(matches.begin(), matches.end(), [](const NameMatch& a, const NameMatch& b) {
    if (a.commune != b.commune) return a.commune < b.commune;
    const bool a_current = a.matched_name.data() == a.commune->name.data();
    const bool b_current = b.matched_name.data() == b.commune->name.data();
    return a_current && !b_current;
  });
  matches.erase(std::unique(matches.begin(), matches.end(),
                            [](const NameMatch& a, const NameMatch& b) { return a.commune == b.commune; }),
                matches.end());
  const std::size_t count = std::min({limit, kMaxCompletions, matches.size()});
  std::partial_sort(matches.begin(), matches.begin() + static_cast<std::ptrdiff_t>(count), matches.end(),
                    [](const NameMatch& a, const NameMatch& b) {
                      if (a.commune->population != b.commune->population) {
                        return a.commune->population > b.commune->population;
                      }
                      return a.commune->insee_code < b.commune->insee_code;
                    });
  matches.resize(count);
  return matches;
}

std::optional<NearestCommune> Gazetteer::FindNearest(double lat, double lon, double max_km) const {
  ProximityQuery query;
  query.lat = lat;
  query.lon = lon;
  query.radius_km = max_km;
  query.limit = 1;
  const auto page = points_->FindNearest(query);
  if (!page || page.value().items.empty()) return std::nullopt;
  const Neighbour& nearest = page.value().items.front();
  return NearestCommune{&communes_[nearest.id], nearest.distance_km};
}

}  // namespace passerelle::geo
