#pragma once

#include <string>
#include <vector>

namespace passerelle::content {

// A practical sheet ("fiche pratique"), as written under content/sheets/<locale>/<slug>.md.
struct Sheet {
  std::string slug;
  std::string locale;     // "fr", "en", "ar"
  std::string territory;  // "" for a national sheet, else the territory that adds or replaces it
  std::string title;
  std::string summary;  // "À retenir"
  std::vector<std::string> topics;
  std::string audience;  // victime | proche | professionnel | tous
  std::vector<std::string> legal_references;
  std::vector<std::string> sources;  // https URLs on official domains
  std::string written_on;            // YYYY-MM-DD
  std::string reviewed_on;           // YYYY-MM-DD
  std::vector<std::string> related;  // slugs
  std::string easy_read_of;          // for an easy-read (FALC) version: the slug it simplifies
  std::string body_markdown;
  std::string body_html;  // rendered at load, safe (no raw HTML, no javascript: links)
  std::string file;       // where it was read, for messages
};

// A problem found in a content file: where, and why.
struct Problem {
  std::string file;
  int line = 0;  // 0 when the problem concerns the whole file
  std::string message;
  std::string ToString() const { return file + (line > 0 ? ":" + std::to_string(line) : "") + ": " + message; }
};

}  // namespace passerelle::content
