#include "content/front_matter.h"

#include <map>
#include <regex>
#include <set>

namespace passerelle::content {

namespace {

enum class FieldKind { kScalar, kList };

struct FieldSpec {
  FieldKind kind;
  bool required;
};

const std::map<std::string, FieldSpec>& Fields() {
  static const std::map<std::string, FieldSpec> fields = {
      {"slug", {FieldKind::kScalar, true}},          {"title", {FieldKind::kScalar, true}},
      {"summary", {FieldKind::kScalar, true}},       {"topics", {FieldKind::kList, true}},
      {"audience", {FieldKind::kScalar, true}},      {"legal_references", {FieldKind::kList, true}},
      {"sources", {FieldKind::kList, true}},         {"written_on", {FieldKind::kScalar, true}},
      {"reviewed_on", {FieldKind::kScalar, true}},   {"related", {FieldKind::kList, false}},
      {"easy_read_of", {FieldKind::kScalar, false}},
  };
  return fields;
}

std::string Trim(std::string_view text) {
  const auto first = text.find_first_not_of(" \t\r");
  if (first == std::string_view::npos) return {};
  const auto last = text.find_last_not_of(" \t\r");
  return std::string(text.substr(first, last - first + 1));
}

// Drops a trailing ` # comment` and matching surrounding quotes.
std::string CleanValue(std::string_view raw) {
  std::string value = Trim(raw);
  if (value.size() >= 2 && (value.front() == '"' || value.front() == '\'') && value.back() == value.front()) {
    return value.substr(1, value.size() - 2);
  }
  if (const auto hash = value.find(" #"); hash != std::string::npos) value = Trim(value.substr(0, hash));
  return value;
}

}  // namespace

ParsedSheet ParseSheetFile(std::string_view text, const std::string& file) {
  ParsedSheet out;
  Sheet& sheet = out.sheet;
  sheet.file = file;
  auto problem = [&](int line, std::string message) {
    out.problems.push_back(Problem{file, line, std::move(message)});
  };

  std::vector<std::string_view> lines;
  for (std::size_t start = 0; start <= text.size();) {
    auto end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    lines.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  if (lines.empty() || Trim(lines[0]) != "---") {
    problem(1, "le fichier doit commencer par une ligne « --- » (front matter)");
    return out;
  }
  std::size_t closing = 0;
  for (std::size_t i = 1; i < lines.size(); ++i) {
    if (Trim(lines[i]) == "---") {
      closing = i;
      break;
    }
  }
  if (closing == 0) {
    problem(1, "front matter non fermé : ligne « --- » manquante");
    return out;
  }

  std::map<std::string, std::string> scalars;
  std::map<std::string, std::vector<std::string>> lists;
  std::map<std::string, int> line_of;
  std::string current_list;
  for (std::size_t i = 1; i < closing; ++i) {
    const int line_number = static_cast<int>(i) + 1;
    const std::string line(lines[i]);
    const std::string trimmed = Trim(line);
    if (trimmed.empty() || trimmed.front() == '#') continue;
    if (trimmed.rfind("- ", 0) == 0 || trimmed == "-") {
      if (current_list.empty()) {
        problem(line_number, "élément de liste hors d'une clé de liste");
        continue;
      }
      const std::string item = CleanValue(trimmed.substr(1));
      if (item.empty()) {
        problem(line_number, "élément de liste vide dans « " + current_list + " »");
        continue;
      }
      lists[current_list].push_back(item);
      continue;
    }
    if (line.front() == ' ' || line.front() == '\t') {
      problem(line_number, "indentation inattendue (seuls les éléments de liste « - » sont indentés)");
      continue;
    }
    const auto colon = line.find(':');
    if (colon == std::string::npos) {
      problem(line_number, "ligne sans « clé: valeur »");
      continue;
    }
    const std::string key = Trim(line.substr(0, colon));
    const std::string value = CleanValue(line.substr(colon + 1));
    const auto spec = Fields().find(key);
    if (spec == Fields().end()) {
      problem(line_number, "clé inconnue « " + key + " »");
      current_list.clear();
      continue;
    }
    if (line_of.count(key)) {
      problem(line_number, "clé « " + key + " » répétée (déjà ligne " + std::to_string(line_of[key]) + ")");
      continue;
    }
    line_of[key] = line_number;
    if (spec->second.kind == FieldKind::kList) {
      if (!value.empty())
        problem(line_number, "« " + key + " » est une liste : mettre les éléments sur les lignes suivantes avec « - »");
      current_list = key;
      lists[key];
    } else {
      current_list.clear();
      if (value.empty()) problem(line_number, "valeur vide pour « " + key + " »");
      scalars[key] = value;
    }
  }
  for (const auto& [key, spec] : Fields()) {
    if (!spec.required) continue;
    const bool present = spec.kind == FieldKind::kScalar ? scalars.count(key) > 0 : !lists[key].empty();
    if (!present) problem(line_of.count(key) ? line_of[key] : 1, "champ obligatoire manquant ou vide « " + key + " »");
  }

  sheet.slug = scalars["slug"];
  sheet.title = scalars["title"];
  sheet.summary = scalars["summary"];
  sheet.audience = scalars["audience"];
  sheet.written_on = scalars["written_on"];
  sheet.reviewed_on = scalars["reviewed_on"];
  sheet.easy_read_of = scalars["easy_read_of"];
  sheet.topics = lists["topics"];
  sheet.legal_references = lists["legal_references"];
  sheet.sources = lists["sources"];
  sheet.related = lists["related"];

  static const std::regex kDate(R"(^(20[0-9]{2})-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$)");
  for (const char* key : {"written_on", "reviewed_on"}) {
    if (scalars.count(key) && !std::regex_match(scalars[key], kDate)) {
      problem(line_of[key], std::string("date invalide pour « ") + key + " » : attendu AAAA-MM-JJ");
    }
  }
  if (!sheet.written_on.empty() && !sheet.reviewed_on.empty() && sheet.reviewed_on < sheet.written_on) {
    problem(line_of["reviewed_on"], "reviewed_on est antérieure à written_on");
  }
  static const std::set<std::string> kAudiences = {"victime", "proche", "professionnel", "tous"};
  if (scalars.count("audience") && !kAudiences.count(sheet.audience)) {
    problem(line_of["audience"],
            "audience inconnue « " + sheet.audience + " » (victime, proche, professionnel ou tous)");
  }

  std::string body;
  for (std::size_t i = closing + 1; i < lines.size(); ++i) {
    body += lines[i];
    if (i + 1 < lines.size()) body += '\n';
  }
  sheet.body_markdown = body;
  if (Trim(body).empty()) problem(static_cast<int>(closing) + 2, "le corps de la fiche est vide");
  return out;
}

}  // namespace passerelle::content
