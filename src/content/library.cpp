#include "content/library.h"

#include <algorithm>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include "content/front_matter.h"
#include "content/markdown.h"
#include "http/i18n.h"

namespace passerelle::content {

namespace {

namespace fs = std::filesystem;

const std::set<std::string> kLocales = {"fr", "en", "ar"};

const char* const kOfficialDomains[] = {
    "legifrance.gouv.fr",
    "service-public.fr",
    "justice.gouv.fr",
    "arretonslesviolences.gouv.fr",
    "interieur.gouv.fr",
    "solidarite-femmes.org",
    "france-victimes.fr",
    "ameli.fr",
    "caf.fr",
    "france-travail.fr",
    "cybermalveillance.gouv.fr",
    "vie-publique.fr",
    "defenseurdesdroits.fr",
    "info.gouv.fr",
    "gouvernement.fr",
    "egalite-femmes-hommes.gouv.fr",
    "cnil.fr",
    "msa.fr",
    "travail-emploi.gouv.fr",
    "solidarites.gouv.fr",
    "sante.gouv.fr",
    "has-sante.fr",
    "conseil-constitutionnel.fr",
    "courdecassation.fr",
    "cidff.info",
    "fncidff.info",
    "allo119.gouv.fr",
    "filsantejeunes.com",
    "enfance-et-violences.gouv.fr",
    "stop-violences-femmes.gouv.fr",
};

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

std::string IsolateNumberGroups(const std::string& text) {
  // "116 006" in a right-to-left paragraph would read "006 116": the space between two numbers
  // takes the paragraph's direction. Each group of numbers separated by spaces is wrapped in
  // LEFT-TO-RIGHT ISOLATE (U+2066) … POP DIRECTIONAL ISOLATE (U+2069), invisible characters
  // that work in Markdown, in escaped front matter and in plain text alike.
  static const std::regex groups("[0-9]+(?: [0-9]+)+");
  return std::regex_replace(text, groups, "\xE2\x81\xA6$&\xE2\x81\xA9");
}

namespace {

// The text each sheet was read from, by Sheet::file, for the lines of the messages.
using Texts = std::map<std::string, std::string>;

// Parses and checks one sheet's text; adds it when it has no problem. `name` is its file (or
// LocalSheetName), `expected_slug` its file name's stem (or the console's slug).
void AddSheet(std::string text, const std::string& name, const std::string& expected_slug, const std::string& locale,
              const std::string& territory, std::vector<Sheet>& sheets, std::vector<Problem>& problems, Texts& texts) {
  ParsedSheet parsed = ParseSheetFile(text, name);
  problems.insert(problems.end(), parsed.problems.begin(), parsed.problems.end());
  Sheet& sheet = parsed.sheet;
  if (!parsed.problems.empty()) return;
  if (sheet.slug != expected_slug) {
    problems.push_back({name, 2, "le slug « " + sheet.slug + " » doit être le nom du fichier (" + expected_slug + ")"});
    return;
  }
  if (!IsValidSheetSlug(sheet.slug)) {
    problems.push_back(
        {name, 2,
         "slug « " + sheet.slug + " » invalide : lettres minuscules sans accent, chiffres et tirets seulement"});
    return;
  }
  sheet.locale = locale;
  sheet.territory = territory;
  if (locale == "ar") {
    for (std::string* t : {&sheet.title, &sheet.summary, &sheet.body_markdown}) *t = IsolateNumberGroups(*t);
  }
  if (locale == "fr") {
    for (std::string* t : {&sheet.title, &sheet.summary, &sheet.body_markdown}) *t = http::FrenchSpacing(*t);
  }
  sheet.body_html = RenderMarkdown(sheet.body_markdown);
  texts[name] = std::move(text);
  sheets.push_back(std::move(sheet));
}

void LoadDirectory(const fs::path& dir, const std::string& locale, const std::string& territory,
                   std::vector<Sheet>& sheets, std::vector<Problem>& problems, Texts& texts) {
  std::error_code ec;
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    if (entry.is_regular_file() && entry.path().extension() == ".md" && entry.path().filename() != "README.md") {
      files.push_back(entry.path());
    }
  }
  std::sort(files.begin(), files.end());
  for (const auto& path : files) {
    AddSheet(ReadFile(path), path.string(), path.stem().string(), locale, territory, sheets, problems, texts);
  }
}

// Line of the first occurrence of `needle` in the sheet's text, for messages.
int LineOf(const Texts& texts, const Sheet& sheet, const std::string& needle) {
  const auto found = texts.find(sheet.file);
  if (found == texts.end()) return 0;
  const std::string& text = found->second;
  const auto at = text.find(needle);
  if (at == std::string::npos) return 0;
  return static_cast<int>(std::count(text.begin(), text.begin() + static_cast<long>(at), '\n')) + 1;
}

void CheckReferences(const std::vector<Sheet>& sheets, const Texts& texts, std::vector<Problem>& problems) {
  auto exists = [&](const std::string& locale, const std::string& territory, const std::string& slug) {
    return std::any_of(sheets.begin(), sheets.end(), [&](const Sheet& s) {
      return s.slug == slug && s.locale == locale && (s.territory.empty() || s.territory == territory);
    });
  };
  static const std::regex kInternalLink(R"(\]\((/[^)\s]*)\))");
  std::set<std::string> topic_codes;
  for (const auto& [code, label] : Topics()) topic_codes.insert(code);
  for (const Sheet& sheet : sheets) {
    for (const auto& topic : sheet.topics) {
      if (!topic_codes.count(topic))
        problems.push_back({sheet.file, LineOf(texts, sheet, "- " + topic), "thème inconnu « " + topic + " »"});
    }
    for (const auto& slug : sheet.related) {
      if (!exists(sheet.locale, sheet.territory, slug)) {
        problems.push_back({sheet.file, LineOf(texts, sheet, "- " + slug), "fiche liée introuvable « " + slug + " »"});
      }
    }
    if (!sheet.easy_read_of.empty() && !exists(sheet.locale, sheet.territory, sheet.easy_read_of)) {
      problems.push_back({sheet.file, LineOf(texts, sheet, "easy_read_of"),
                          "fiche d'origine introuvable « " + sheet.easy_read_of + " »"});
    }
    for (const auto& url : sheet.sources) {
      if (!IsOfficialSourceUrl(url)) {
        problems.push_back(
            {sheet.file, LineOf(texts, sheet, url), "source hors liste des sites officiels ou non https : " + url});
      }
    }
    for (auto it = std::sregex_iterator(sheet.body_markdown.begin(), sheet.body_markdown.end(), kInternalLink);
         it != std::sregex_iterator(); ++it) {
      const std::string target = (*it)[1];
      const std::string prefix = "/fiches/";
      if (target.rfind(prefix, 0) == 0) {
        std::string slug = target.substr(prefix.size());
        if (const auto hash = slug.find('#'); hash != std::string::npos) slug.resize(hash);
        if (!exists(sheet.locale, sheet.territory, slug)) {
          problems.push_back(
              {sheet.file, LineOf(texts, sheet, target), "lien interne vers une fiche introuvable : " + target});
        }
      }
    }
    static const std::regex kExternalLink(R"(\]\((https?://[^)\s]+)\))");
    for (auto it = std::sregex_iterator(sheet.body_markdown.begin(), sheet.body_markdown.end(), kExternalLink);
         it != std::sregex_iterator(); ++it) {
      if (!IsOfficialSourceUrl((*it)[1])) {
        problems.push_back({sheet.file, LineOf(texts, sheet, (*it)[1]),
                            "lien externe hors liste des sites officiels ou non https : " + (*it)[1].str()});
      }
    }
  }
}

}  // namespace

std::string LocalSheetName(const std::string& territory, const std::string& locale, const std::string& slug) {
  return "console:" + territory + "/" + locale + "/" + slug;
}

bool IsConsoleSheet(const Sheet& sheet) { return sheet.file.rfind("console:", 0) == 0; }

bool IsValidSheetSlug(const std::string& slug) {
  static const std::regex kSlug("^[a-z0-9]+(-[a-z0-9]+)*$");
  return slug.size() <= 100 && std::regex_match(slug, kSlug);
}

const std::vector<std::pair<std::string, std::string>>& Topics() {
  static const std::vector<std::pair<std::string, std::string>> topics = {
      {"urgence", "Urgence"},
      {"comprendre", "Comprendre les violences"},
      {"plainte", "Porter plainte"},
      {"protection", "Se protéger"},
      {"preuves", "Preuves"},
      {"sante", "Santé"},
      {"logement", "Logement et hébergement"},
      {"enfants", "Enfants"},
      {"separation", "Séparation et divorce"},
      {"argent", "Argent et aides"},
      {"travail", "Travail"},
      {"etrangers", "Personnes étrangères"},
      {"numerique", "Numérique et cyberviolences"},
      {"entourage", "Proches et témoins"},
      {"droits", "Droits et démarches"},
  };
  return topics;
}

bool IsOfficialSourceUrl(const std::string& url) {
  static const std::regex kHttps(R"(^https://([a-z0-9.-]+)(/[^\s"<>]*)?$)");
  std::smatch match;
  if (!std::regex_match(url, match, kHttps)) return false;
  const std::string host = match[1];
  for (const char* domain : kOfficialDomains) {
    const std::string d(domain);
    if (host == d || (host.size() > d.size() && host.compare(host.size() - d.size(), d.size(), d) == 0 &&
                      host[host.size() - d.size() - 1] == '.')) {
      return true;
    }
  }
  return false;
}

SheetLibrary SheetLibrary::Load(const fs::path& content_dir, std::vector<Problem>& problems,
                                const std::vector<LocalSheet>& local) {
  SheetLibrary library;
  Texts texts;
  std::error_code ec;
  for (const auto& locale : kLocales) {
    const fs::path dir = content_dir / "sheets" / locale;
    if (fs::is_directory(dir)) LoadDirectory(dir, locale, "", library.sheets_, problems, texts);
  }
  for (const auto& entry : fs::directory_iterator(content_dir / "territories", ec)) {
    if (!entry.is_directory()) continue;
    const std::string territory = entry.path().filename().string();
    for (const auto& locale : kLocales) {
      const fs::path dir = entry.path() / "sheets" / locale;
      if (fs::is_directory(dir)) LoadDirectory(dir, locale, territory, library.sheets_, problems, texts);
    }
  }
  // The console's sheets, over the territory's files of the same slug and locale.
  for (const LocalSheet& given : local) {
    const std::string name = LocalSheetName(given.territory, given.locale, given.slug);
    if (!kLocales.count(given.locale) || given.territory.empty()) {
      problems.push_back({name, 0, "langue ou territoire inconnu"});
      continue;
    }
    auto& sheets = library.sheets_;
    sheets.erase(std::remove_if(sheets.begin(), sheets.end(),
                                [&](const Sheet& s) {
                                  return s.territory == given.territory && s.locale == given.locale &&
                                         s.slug == given.slug;
                                }),
                 sheets.end());
    AddSheet(given.text, name, given.slug, given.locale, given.territory, sheets, problems, texts);
  }
  CheckReferences(library.sheets_, texts, problems);
  for (const Sheet& sheet : library.sheets_) {
    library.index_.Add({sheet.title,
                        sheet.summary + " " +
                            [&] {
                              std::string extra;
                              for (const auto& t : sheet.topics) extra += t + " ";
                              return extra;
                            }(),
                        sheet.body_markdown});
  }
  return library;
}

const Sheet* SheetLibrary::Find(const std::string& locale, const std::string& territory,
                                const std::string& slug) const {
  const Sheet* national = nullptr;
  for (const Sheet& sheet : sheets_) {
    if (sheet.slug != slug || sheet.locale != locale) continue;
    if (!territory.empty() && sheet.territory == territory) return &sheet;
    if (sheet.territory.empty()) national = &sheet;
  }
  return national;
}

std::vector<const Sheet*> SheetLibrary::All(const std::string& locale, const std::string& territory) const {
  std::vector<const Sheet*> out;
  for (const Sheet& sheet : sheets_) {
    if (sheet.locale != locale) continue;
    if (sheet.territory.empty() || sheet.territory == territory) {
      if (Find(locale, territory, sheet.slug) == &sheet) out.push_back(&sheet);
    }
  }
  return out;
}

std::vector<const Sheet*> SheetLibrary::Search(const std::string& locale, const std::string& territory,
                                               const std::string& query, std::size_t limit) const {
  std::vector<const Sheet*> out;
  for (const auto& hit : index_.Search(query, sheets_.size())) {
    const Sheet& sheet = sheets_[hit.document];
    if (sheet.locale != locale || Find(locale, territory, sheet.slug) != &sheet) continue;
    out.push_back(&sheet);
    if (out.size() == limit) break;
  }
  return out;
}

bool SheetLibrary::HasLocale(const std::string& slug, const std::string& locale) const {
  return std::any_of(sheets_.begin(), sheets_.end(),
                     [&](const Sheet& s) { return s.slug == slug && s.locale == locale && s.territory.empty(); });
}

ServedSheets::ServedSheets(SheetLibrary library) : current_(std::make_shared<const SheetLibrary>(std::move(library))) {}

std::shared_ptr<const SheetLibrary> ServedSheets::Current() const {
  const std::lock_guard<std::mutex> lock(mutex_);
  return current_;
}

void ServedSheets::Replace(SheetLibrary library) {
  auto next = std::make_shared<const SheetLibrary>(std::move(library));
  const std::lock_guard<std::mutex> lock(mutex_);
  current_ = std::move(next);
}

}  // namespace passerelle::content
