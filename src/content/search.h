#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace passerelle::content {

// Lower-case, accent-free words of a text for search ("Étaples, l'été" → {"etaples", "l", "ete"}).
// Latin letters with French diacritics are folded, œ and æ expanded; other UTF-8 letters (Arabic)
// are kept as they are.
std::vector<std::string> SearchWords(std::string_view text);

// True when `a` and `b` differ by at most one edit (insertion, deletion, substitution, or the
// swap of two neighbouring letters).
bool WithinOneEdit(std::string_view a, std::string_view b);

// A ranked full-text index over documents with three weighted fields.
class SearchIndex {
 public:
  struct Document {
    std::string title;
    std::string summary;
    std::string body;
  };
  // Returns the index of the document in the index.
  std::size_t Add(const Document& document);

  struct Hit {
    std::size_t document;
    double score;
  };
  // Best first; only documents that match at least one meaningful word.
  std::vector<Hit> Search(std::string_view query, std::size_t limit) const;

 private:
  struct Indexed {
    std::vector<std::string> title, summary, body;
  };
  std::vector<Indexed> documents_;
};

}  // namespace passerelle::content
