#include "geo/gazetteer.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <sstream>

#include "geo/commune_files.h"
#include "geo/folding.h"
#include "geo/spatial_index.h"

namespace passerelle::geo {

namespace {

constexpr std::array<std::string_view, 4> kLeadingArticles = {"le ", "la ", "les ", "l "};

bool StartsWith(std::string_view text, std::string_view prefix) { return text.substr(0, prefix.size()) == prefix; }

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

// The query as Complete reads it when every word is complete: "st"/"ste" read as saint/sainte,
// a leading article dropped only by the name keys (both forms of a name are indexed).
std::string ExpandedQuery(std::string_view typed) {
  std::string out;
  for (const std::string& word : SplitWords(FoldForSearch(typed))) {
    if (!out.empty()) out.push_back(' ');
    out.append(Expanded(word));
  }
  return out;
}

// Levenshtein distance with transpositions (optimal string alignment), or max + 1 as soon as
// it exceeds `max`. Bytes of folded ASCII text.
std::size_t EditDistance(std::string_view a, std::string_view b, std::size_t max) {
  const std::size_t n = a.size();
  const std::size_t m = b.size();
  if ((n > m ? n - m : m - n) > max) return max + 1;
  std::vector<std::size_t> before(m + 1), previous(m + 1), current(m + 1);
  for (std::size_t j = 0; j <= m; ++j) previous[j] = j;
  for (std::size_t i = 1; i <= n; ++i) {
    current[0] = i;
    std::size_t row_min = current[0];
    for (std::size_t j = 1; j <= m; ++j) {
      const std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      current[j] = std::min({previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
        current[j] = std::min(current[j], before[j - 2] + 1);
      }
      row_min = std::min(row_min, current[j]);
    }
    if (row_min > max) return max + 1;
    before.swap(previous);
    previous.swap(current);
  }
  return previous[m];
}

}  // namespace

namespace {
// About one commune per 15 km² in mainland France: cells of ~5.5 km (blocks of ~22 km) hold a few
// communes each. The index's default cells (1.1 km, for services in towns) would allocate
// mostly empty blocks: 16 MB for the 35,000 communes against under 2 MB (issue 14, national
// scale). The nearest commune is found exactly whatever the cell size.
constexpr SpatialIndex::Options kCommuneCells{.cells_per_degree = 20, .cells_per_block = 4};
}  // namespace

Gazetteer::Gazetteer(std::vector<Commune> communes)
    : communes_(std::move(communes)), points_(std::make_unique<SpatialIndex>(kCommuneCells)) {
  communes_.shrink_to_fit();
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
  names_.shrink_to_fit();  // grown by doubling: up to twice the keys (issue 14's memory)
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

std::vector<NameMatch> Gazetteer::FindByName(std::string_view typed) const {
  const std::string key = ExpandedQuery(typed);
  std::vector<NameMatch> out;
  if (key.empty()) return out;
  auto it = std::lower_bound(names_.begin(), names_.end(), key,
                             [](const NameKey& name, const std::string& k) { return name.key < k; });
  for (; it != names_.end() && it->key == key; ++it) {
    const Commune& commune = communes_[it->commune];
    const bool seen = std::any_of(out.begin(), out.end(), [&](const NameMatch& m) { return m.commune == &commune; });
    if (!seen)
      out.push_back({&commune, it->name == 0 ? std::string_view(commune.name) : commune.former_names[it->name - 1]});
  }
  std::sort(out.begin(), out.end(), [](const NameMatch& a, const NameMatch& b) {
    if (a.commune->population != b.commune->population) return a.commune->population > b.commune->population;
    return a.commune->insee_code < b.commune->insee_code;
  });
  return out;
}

std::vector<NameMatch> Gazetteer::FindSimilar(std::string_view typed, std::size_t limit) const {
  const std::string key = ExpandedQuery(typed);
  if (key.size() < 3 || limit == 0) return {};
  const std::size_t max_distance = key.size() <= 5 ? 1 : 2;
  struct Found {
    NameMatch match;
    std::size_t distance;
  };
  std::vector<Found> found;
  for (const NameKey& name : names_) {
    std::size_t distance = EditDistance(key, name.key, max_distance);
    // "berck sur mer" for Berck: the name, then whole words that a longer spelling adds.
    if (distance > max_distance && name.key.size() >= 4 && key.size() > name.key.size() && StartsWith(key, name.key) &&
        key[name.key.size()] == ' ') {
      distance = max_distance;
    }
    if (distance > max_distance) continue;
    const Commune& commune = communes_[name.commune];
    found.push_back(
        {{&commune, name.name == 0 ? std::string_view(commune.name) : commune.former_names[name.name - 1]}, distance});
  }
  std::sort(found.begin(), found.end(), [](const Found& a, const Found& b) {
    if (a.match.commune != b.match.commune) return a.match.commune < b.match.commune;
    return a.distance < b.distance;
  });
  found.erase(std::unique(found.begin(), found.end(),
                          [](const Found& a, const Found& b) { return a.match.commune == b.match.commune; }),
              found.end());
  std::sort(found.begin(), found.end(), [](const Found& a, const Found& b) {
    if (a.distance != b.distance) return a.distance < b.distance;
    if (a.match.commune->population != b.match.commune->population)
      return a.match.commune->population > b.match.commune->population;
    return a.match.commune->insee_code < b.match.commune->insee_code;
  });
  std::vector<NameMatch> out;
  for (const Found& f : found) {
    if (out.size() == std::min(limit, kMaxCompletions)) break;
    out.push_back(f.match);
  }
  return out;
}

std::vector<const Commune*> Gazetteer::Search(std::string_view query, std::size_t limit) const {
  while (!query.empty() && query.front() == ' ') query.remove_prefix(1);
  while (!query.empty() && query.back() == ' ') query.remove_suffix(1);
  std::vector<const Commune*> found;
  if (query.empty() || limit == 0) return found;
  const auto digits = [](std::string_view text) {
    return std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
  };
  const bool corsica = query.size() >= 2 && query[0] == '2' &&
                       (query[1] == 'A' || query[1] == 'B' || query[1] == 'a' || query[1] == 'b');
  std::string upper(query);
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  if ((query.size() == 5 && digits(query)) || (corsica && query.size() == 5 && digits(query.substr(2)))) {
    if (const Commune* c = FindByInsee(upper)) found.push_back(c);
    for (const Commune* c : FindByPostalCode(query)) found.push_back(c);
  } else if (query.size() == 9 && digits(query)) {
    for (const Commune& c : communes_) {
      if (c.epci_code == query) found.push_back(&c);
    }
  } else if ((query.size() == 2 && (digits(query) || corsica)) || (query.size() == 3 && digits(query))) {
    for (const Commune& c : communes_) {
      if (c.departement == upper) found.push_back(&c);
    }
  } else {
    for (const NameMatch& m : Complete(query, kMaxCompletions)) found.push_back(m.commune);
  }
  // Alphabetical as she reads it: "Écuires" between "Cucq" and "Groffliers".
  std::sort(found.begin(), found.end(), [](const Commune* a, const Commune* b) {
    const std::string fa = FoldForSearch(a->name), fb = FoldForSearch(b->name);
    if (fa != fb) return fa < fb;
    return a->insee_code < b->insee_code;
  });
  found.erase(std::unique(found.begin(), found.end()), found.end());
  if (found.size() > limit) found.resize(limit);
  return found;
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
