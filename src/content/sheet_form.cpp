#include "content/sheet_form.h"

#include <algorithm>
#include <map>

namespace passerelle::content {

namespace {

std::string OneLine(std::string text) {
  std::replace(text.begin(), text.end(), '\r', ' ');
  std::replace(text.begin(), text.end(), '\n', ' ');
  const auto first = text.find_first_not_of(" \t");
  if (first == std::string::npos) return {};
  return text.substr(first, text.find_last_not_of(" \t") - first + 1);
}

// The body with Windows line ends made plain, without trailing blank lines, ending with one
// line break (as a file does).
std::string NormalizeBody(const std::string& body) {
  std::string out;
  out.reserve(body.size() + 1);
  for (std::size_t i = 0; i < body.size(); ++i) {
    if (body[i] == '\r' && i + 1 < body.size() && body[i + 1] == '\n') continue;
    out += body[i] == '\r' ? '\n' : body[i];
  }
  const auto last = out.find_last_not_of(" \t\n");
  if (last == std::string::npos) return {};
  out.resize(last + 1);
  return out + "\n";
}

std::vector<std::string> Items(const std::vector<std::string>& items) {
  std::vector<std::string> out;
  for (const std::string& item : items) {
    std::string one = OneLine(item);
    if (!one.empty()) out.push_back(std::move(one));
  }
  return out;
}

std::map<std::string, std::vector<std::string>> ListsOf(const SheetFields& f) {
  return {{"topics", Items(f.topics)},
          {"legal_references", Items(f.legal_references)},
          {"sources", Items(f.sources)},
          {"related", Items(f.related)}};
}

std::map<std::string, std::string> ScalarsOf(const SheetFields& f) {
  return {{"slug", OneLine(f.slug)},
          {"title", OneLine(f.title)},
          {"summary", OneLine(f.summary)},
          {"audience", OneLine(f.audience)},
          {"written_on", OneLine(f.written_on)},
          {"reviewed_on", OneLine(f.reviewed_on)},
          {"easy_read_of", OneLine(f.easy_read_of)},
          {"body", NormalizeBody(f.body)}};
}

}  // namespace

const std::vector<std::string>& SheetFieldNames() {
  static const std::vector<std::string> names = {
      "slug",    "title",      "summary",     "topics",  "audience",     "legal_references",
      "sources", "written_on", "reviewed_on", "related", "easy_read_of", "body"};
  return names;
}

std::string SheetFieldLabel(const std::string& field) {
  static const std::map<std::string, std::string> labels = {
      {"slug", "Adresse de la fiche"},
      {"title", "Titre"},
      {"summary", "À retenir"},
      {"topics", "Thèmes"},
      {"audience", "Public"},
      {"legal_references", "Textes de référence"},
      {"sources", "Sources officielles"},
      {"written_on", "Date de rédaction"},
      {"reviewed_on", "Date de mise à jour"},
      {"related", "Fiches liées"},
      {"easy_read_of", "Version facile à lire de"},
      {"body", "Texte de la fiche"},
  };
  const auto found = labels.find(field);
  return found == labels.end() ? field : found->second;
}

SheetFields FieldsOf(const Sheet& parsed) {
  SheetFields f;
  f.slug = parsed.slug;
  f.title = parsed.title;
  f.summary = parsed.summary;
  f.topics = parsed.topics;
  f.audience = parsed.audience;
  f.legal_references = parsed.legal_references;
  f.sources = parsed.sources;
  f.written_on = parsed.written_on;
  f.reviewed_on = parsed.reviewed_on;
  f.related = parsed.related;
  f.easy_read_of = parsed.easy_read_of;
  f.body = NormalizeBody(parsed.body_markdown);
  return f;
}

std::string ChangedFields(const SheetFields& a, const SheetFields& b) {
  const auto scalars_a = ScalarsOf(a);
  const auto scalars_b = ScalarsOf(b);
  const auto lists_a = ListsOf(a);
  const auto lists_b = ListsOf(b);
  std::string out;
  for (const std::string& name : SheetFieldNames()) {
    const bool changed =
        scalars_a.count(name) ? scalars_a.at(name) != scalars_b.at(name) : lists_a.at(name) != lists_b.at(name);
    if (changed) out += (out.empty() ? "" : ",") + name;
  }
  return out;
}

std::string ComposeSheet(const SheetFields& fields, std::vector<LineOrigin>* origins) {
  const auto scalars = ScalarsOf(fields);
  const auto lists = ListsOf(fields);
  std::string text;
  std::vector<LineOrigin> lines;
  const auto line = [&](const std::string& content, const std::string& field, int index) {
    text += content + "\n";
    lines.push_back({field, index});
  };
  line("---", "", 0);
  for (const std::string& name : SheetFieldNames()) {
    if (name == "body") continue;
    if (const auto list = lists.find(name); list != lists.end()) {
      if (list->second.empty() && name == "related") continue;
      line(name + ":", name, 0);
      int index = 0;
      // Slugs and topic codes stay bare: the checks find their line by "- <slug>".
      const bool bare = name == "topics" || name == "related";
      for (const std::string& item : list->second) {
        line("  - " + (bare ? item : "\"" + item + "\""), name, ++index);
      }
      continue;
    }
    const std::string& value = scalars.at(name);
    if (value.empty() && name == "easy_read_of") continue;
    line(name + ": \"" + value + "\"", name, 0);
  }
  line("---", "body", 0);
  const std::string& body = scalars.at("body");
  int index = 0;
  for (std::size_t start = 0; start < body.size();) {
    auto end = body.find('\n', start);
    if (end == std::string::npos) end = body.size();
    line(body.substr(start, end - start), "body", ++index);
    start = end + 1;
  }
  if (origins != nullptr) *origins = std::move(lines);
  return text;
}

LocalSheetCheck CheckLocalSheets(const std::filesystem::path& content_dir, const std::vector<LocalSheet>& local,
                                 const LocalSheet* candidate, const std::vector<LineOrigin>& origins) {
  LocalSheetCheck out;
  std::vector<Problem> problems;
  out.library = SheetLibrary::Load(content_dir, problems, local);
  const std::string mine =
      candidate == nullptr ? std::string() : LocalSheetName(candidate->territory, candidate->locale, candidate->slug);
  for (const Problem& p : problems) {
    if (candidate == nullptr || p.file != mine) {
      out.problems.push_back({"", p.ToString()});
      continue;
    }
    const std::size_t at = static_cast<std::size_t>(std::max(p.line, 1)) - 1;
    // A problem of the whole text, or of the line after the front matter: the body's.
    LineOrigin origin = at < origins.size() ? origins[at] : LineOrigin{"body", 0};
    if (origin.field.empty()) origin = {"body", 0};
    std::string where = SheetFieldLabel(origin.field);
    if (origin.index > 0) {
      where += origin.field == "body" ? " (ligne " + std::to_string(origin.index) + ")"
                                      : " (ligne " + std::to_string(origin.index) + " de la liste)";
    }
    out.problems.push_back({origin.field, where + " : " + p.message});
  }
  return out;
}

}  // namespace passerelle::content
