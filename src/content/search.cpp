#include "content/search.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

namespace passerelle::content {

namespace {

// UTF-8 sequences of French accented letters (lower and upper case) and their folding.
const std::map<std::string, std::string>& Foldings() {
  static const std::map<std::string, std::string> foldings = {
      {"à", "a"}, {"â", "a"}, {"ä", "a"}, {"á", "a"},  {"ã", "a"},  {"À", "a"},  {"Â", "a"},  {"Ä", "a"},
      {"Á", "a"}, {"ç", "c"}, {"Ç", "c"}, {"é", "e"},  {"è", "e"},  {"ê", "e"},  {"ë", "e"},  {"É", "e"},
      {"È", "e"}, {"Ê", "e"}, {"Ë", "e"}, {"î", "i"},  {"ï", "i"},  {"í", "i"},  {"ì", "i"},  {"Î", "i"},
      {"Ï", "i"}, {"ô", "o"}, {"ö", "o"}, {"ó", "o"},  {"ò", "o"},  {"õ", "o"},  {"Ô", "o"},  {"Ö", "o"},
      {"ù", "u"}, {"û", "u"}, {"ü", "u"}, {"ú", "u"},  {"Ù", "u"},  {"Û", "u"},  {"Ü", "u"},  {"ÿ", "y"},
      {"Ÿ", "y"}, {"ñ", "n"}, {"Ñ", "n"}, {"œ", "oe"}, {"Œ", "oe"}, {"æ", "ae"}, {"Æ", "ae"},
  };
  return foldings;
}

const std::set<std::string>& StopWords() {
  static const std::set<std::string> words = {
      "le",   "la",   "les",  "l",    "de",   "des", "du",   "d",    "un",  "une", "et",      "ou",
      "en",   "a",    "au",   "aux",  "pour", "par", "sur",  "dans", "mon", "ma",  "mes",     "je",
      "j",    "que",  "qui",  "quoi", "est",  "il",  "elle", "on",   "se",  "s",   "ce",      "c",
      "qu",   "ne",   "n",    "pas",  "y",    "me",  "m",    "son",  "sa",  "ses", "comment", "faire",
      "avec", "sans", "plus", "the",  "of",   "to",  "and",  "in",   "is",  "my",  "how",     "what",
  };
  return words;
}

std::size_t Utf8Length(unsigned char lead) {
  if (lead < 0x80) return 1;
  if ((lead >> 5) == 0x6) return 2;
  if ((lead >> 4) == 0xE) return 3;
  if ((lead >> 3) == 0x1E) return 4;
  return 1;
}

// How well one query word matches one document word: 1 exact, 0.8 prefix, 0.6 one typo.
double MatchQuality(const std::string& query, const std::string& word) {
  if (query == word) return 1.0;
  if (query.size() >= 3 && word.size() > query.size() && word.compare(0, query.size(), query) == 0) return 0.8;
  if (query.size() >= 4 && word.size() >= 4 && WithinOneEdit(query, word)) return 0.6;
  return 0.0;
}

double BestIn(const std::string& query, const std::vector<std::string>& words) {
  double best = 0;
  for (const auto& word : words) {
    best = std::max(best, MatchQuality(query, word));
    if (best == 1.0) break;
  }
  return best;
}

}  // namespace

std::vector<std::string> SearchWords(std::string_view text) {
  std::vector<std::string> words;
  std::string current;
  auto flush = [&] {
    if (!current.empty()) words.push_back(std::move(current));
    current.clear();
  };
  for (std::size_t i = 0; i < text.size();) {
    const auto c = static_cast<unsigned char>(text[i]);
    const std::size_t length = std::min(Utf8Length(c), text.size() - i);
    if (length == 1) {
      if (std::isalnum(c)) {
        current.push_back(static_cast<char>(std::tolower(c)));
      } else {
        flush();
      }
    } else {
      const std::string sequence(text.substr(i, length));
      const auto folded = Foldings().find(sequence);
      if (folded != Foldings().end()) {
        current += folded->second;
      } else if (sequence == "’" || sequence == "«" || sequence == "»" || sequence == "–" || sequence == "—" ||
                 sequence == "…" || sequence == "\u00a0" || sequence == "\u202f") {
        flush();
      } else {
        current += sequence;  // other scripts are kept as they are
      }
    }
    i += length;
  }
  flush();
  return words;
}

bool WithinOneEdit(std::string_view a, std::string_view b) {
  if (a == b) return true;
  if (a.size() > b.size()) std::swap(a, b);
  if (b.size() - a.size() > 1) return false;
  std::size_t i = 0;
  while (i < a.size() && a[i] == b[i]) ++i;
  if (a.size() == b.size()) {
    if (a.substr(i + 1) == b.substr(i + 1)) return true;  // substitution
    return i + 1 < a.size() && a[i] == b[i + 1] && a[i + 1] == b[i] && a.substr(i + 2) == b.substr(i + 2);
  }
  return a.substr(i) == b.substr(i + 1);  // insertion
}

std::size_t SearchIndex::Add(const Document& document) {
  documents_.push_back(Indexed{SearchWords(document.title), SearchWords(document.summary), SearchWords(document.body)});
  return documents_.size() - 1;
}

std::vector<SearchIndex::Hit> SearchIndex::Search(std::string_view query, std::size_t limit) const {
  std::vector<std::string> words;
  for (auto& word : SearchWords(query)) {
    if (!StopWords().count(word)) words.push_back(std::move(word));
  }
  std::vector<Hit> hits;
  if (words.empty()) return hits;
  constexpr double kTitleWeight = 10, kSummaryWeight = 4, kBodyWeight = 1;
  for (std::size_t d = 0; d < documents_.size(); ++d) {
    const Indexed& doc = documents_[d];
    double score = 0;
    std::size_t matched = 0;
    for (const auto& word : words) {
      const double best = std::max({kTitleWeight * BestIn(word, doc.title), kSummaryWeight * BestIn(word, doc.summary),
                                    kBodyWeight * BestIn(word, doc.body)});
      if (best > 0) ++matched;
      score += best;
    }
    if (matched == 0) continue;
    // Documents matching every word come first.
    score *= static_cast<double>(matched) / static_cast<double>(words.size());
    hits.push_back(Hit{d, score});
  }
  std::stable_sort(hits.begin(), hits.end(), [](const Hit& a, const Hit& b) { return a.score > b.score; });
  if (hits.size() > limit) hits.resize(limit);
  return hits;
}

}  // namespace passerelle::content
