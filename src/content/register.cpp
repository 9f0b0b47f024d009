#include "content/register.h"

#include <algorithm>
#include <memory>

#include "core/epoch_cache.h"

namespace passerelle::content {

namespace {

struct StaticPage {
  const char* path;
  const char* template_name;
  const char* title;
};

// Titles stay neutral: they show in the browser's history and tab list.
constexpr StaticPage kPages[] = {
    {"/", "pages/home", "Accueil"},
    {"/securite-en-ligne", "pages/securite", "Sécurité en ligne"},
    {"/mentions-legales", "pages/mentions-legales", "Mentions légales"},
    {"/confidentialite", "pages/confidentialite", "Confidentialité"},
    {"/accessibilite", "pages/accessibilite", "Accessibilité"},
    {"/violentometre", "pages/violentometre", "Violentomètre"},
    {"/temoin", "pages/temoin", "Témoin ou proche"},
    {"/ressources", "pages/ressources", "Espace ressources"},
};

constexpr std::size_t kMaxQueryBytes = 200;
constexpr std::size_t kSearchResults = 10;

nlohmann::json SheetLink(const Sheet& sheet, const std::string& locale) {
  return {{"slug", sheet.slug},
          {"title", sheet.title},
          {"summary", sheet.summary},
          {"easy_read", !sheet.easy_read_of.empty()},
          {"french", sheet.locale != locale}};
}

// The sheet in her language, or else the French one (shown with a notice, issue 10 §6).
const Sheet* FindOrFrench(const SheetLibrary& sheets, const std::string& locale, const std::string& territory,
                          const std::string& slug) {
  if (const Sheet* sheet = sheets.Find(locale, territory, slug)) return sheet;
  return locale == "fr" ? nullptr : sheets.Find("fr", territory, slug);
}

// Every sheet in her language, then the French sheets not translated yet.
std::vector<const Sheet*> AllOrFrench(const SheetLibrary& sheets, const std::string& locale,
                                      const std::string& territory) {
  std::vector<const Sheet*> all = sheets.All(locale, territory);
  if (locale == "fr") return all;
  for (const Sheet* french : sheets.All("fr", territory)) {
    if (!sheets.HasLocale(french->slug, locale)) all.push_back(french);
  }
  return all;
}

std::string TopicLabel(const std::string& code) {
  for (const auto& [c, label] : Topics()) {
    if (c == code) return label;
  }
  return code;
}

// Sheets link to each other as /fiches/<slug>; in a translated sheet the link keeps the
// reader's language (/en/fiches/<slug>).
std::string LocalizeSheetLinks(const std::string& html, const std::string& locale) {
  if (locale == "fr") return html;
  static const std::string kFrom = "href=\"/fiches/";
  const std::string to = "href=\"/" + locale + "/fiches/";
  std::string out;
  std::size_t start = 0;
  for (std::size_t at = html.find(kFrom); at != std::string::npos; at = html.find(kFrom, start)) {
    out.append(html, start, at - start).append(to);
    start = at + kFrom.size();
  }
  return out.append(html, start, std::string::npos);
}

// A sheet's page data and the list of sheets, kept per language (and slug) for as long as the
// library (the same snapshot) and the translations (the page cache's generation) are unchanged:
// building the view and serialising it for the page cache's key was most of a sheet's request
// (docs/adr/0015-public-page-cache.md, "The sheets"). The territory is fixed per registration.
struct SheetMemo {
  struct Epoch {
    // Held, so that a new library can never reuse the address of the one compared against.
    std::shared_ptr<const SheetLibrary> library;
    std::uint64_t page_generation = 0;
    bool operator==(const Epoch& other) const {
      return library == other.library && page_generation == other.page_generation;
    }
  };
  struct Entry {
    std::string title;
    nlohmann::json data;
    std::string dumped;  // data.dump(), the page cache's key
  };
  // Every sheet in every language fits many times over (about 30 sheets × 3 languages).
  static constexpr std::size_t kMaxEntries = 1024;
  core::EpochCache<Epoch, std::shared_ptr<const Entry>> kept{kMaxEntries};
};

std::shared_ptr<const SheetMemo::Entry> MakeEntry(std::string title, nlohmann::json data) {
  auto entry = std::make_shared<SheetMemo::Entry>();
  entry->title = std::move(title);
  entry->dumped = data.dump();
  entry->data = std::move(data);
  return entry;
}

nlohmann::json SheetListView(const http::Renderer& renderer, const SheetLibrary& library, const std::string& locale,
                             const std::string& territory) {
  nlohmann::json topics = nlohmann::json::array();
  const auto all = AllOrFrench(library, locale, territory);
  for (const auto& [code, label] : Topics()) {
    nlohmann::json items = nlohmann::json::array();
    for (const Sheet* sheet : all) {
      // A sheet is listed under its first topic only, so the page stays short.
      if (!sheet->topics.empty() && sheet->topics.front() == code && sheet->easy_read_of.empty()) {
        items.push_back(SheetLink(*sheet, locale));
      }
    }
    if (!items.empty()) {
      topics.push_back({{"code", code}, {"label", renderer.Translate(locale, label)}, {"sheets", items}});
    }
  }
  nlohmann::json easy = nlohmann::json::array();
  for (const Sheet* sheet : all) {
    if (!sheet->easy_read_of.empty()) easy.push_back(SheetLink(*sheet, locale));
  }
  return {{"topics", topics}, {"easy_read", easy}, {"has_easy_read", !easy.empty()}};
}

}  // namespace

std::string FrenchDate(const std::string& iso_date) { return LocalDate("fr", iso_date); }

std::string LocalDate(const std::string& locale, const std::string& iso_date) {
  static const char* const kFrench[] = {"janvier", "février", "mars",      "avril",   "mai",      "juin",
                                        "juillet", "août",    "septembre", "octobre", "novembre", "décembre"};
  static const char* const kEnglish[] = {"January", "February", "March",     "April",   "May",      "June",
                                         "July",    "August",   "September", "October", "November", "December"};
  static const char* const kArabic[] = {"يناير", "فبراير", "مارس",   "أبريل",  "مايو",   "يونيو",
                                        "يوليو", "أغسطس",  "سبتمبر", "أكتوبر", "نوفمبر", "ديسمبر"};
  if (iso_date.size() != 10) return iso_date;
  const int month = std::stoi(iso_date.substr(5, 2));
  const int day = std::stoi(iso_date.substr(8, 2));
  if (month < 1 || month > 12) return iso_date;
  const std::string year = iso_date.substr(0, 4);
  if (locale == "en") return std::to_string(day) + " " + kEnglish[month - 1] + " " + year;
  if (locale == "ar") return std::to_string(day) + " " + kArabic[month - 1] + " " + year;
  return (day == 1 ? std::string("1er") : std::to_string(day)) + " " + kFrench[month - 1] + " " + year;
}
void RegisterContent(http::Router& router, const http::Renderer& renderer, const ServedSheets& sheets,
                     std::string territory) {
  for (const StaticPage& page : kPages) {
    router.Get(page.path, [&renderer, page](http::Request& request) {
      return renderer.PublicPage(request, 200, page.template_name, page.title, nlohmann::json::object());
    });
  }

  auto memo = std::make_shared<SheetMemo>();
  router.Get("/fiches", [&renderer, &sheets, territory, memo](http::Request& request) {
    const SheetMemo::Epoch epoch{sheets.Current(), renderer.PageCacheGeneration()};
    // "\x1f" cannot be in a slug: the list's key is apart from every sheet's.
    const std::string key = request.locale + "\x1f";
    auto entry = memo->kept.Find(epoch, key).value_or(nullptr);
    if (entry == nullptr) {
      entry = MakeEntry("Fiches pratiques", SheetListView(renderer, *epoch.library, request.locale, territory));
      memo->kept.Store(epoch, key, entry);
    }
    return renderer.PublicPage(request, 200, "content/sheets", entry->title, entry->data, entry->dumped);
  });

  router.Get("/fiches/recherche", [&renderer](http::Request& request) {
    return renderer.PublicPage(request, 200, "content/search", "Rechercher", {{"searched", false}});
  });

  // POST, not GET: a search such as "viol conjugal" must not stay in the address bar and the
  // history of a shared device.
  router.Post("/fiches/recherche", [&renderer, &sheets, territory](http::Request& request) {
    std::string query = request.Form().Get("q").value_or("");
    if (query.size() > kMaxQueryBytes) {
      return http::Response::Error(400, "Votre recherche est trop longue : 200 caractères au plus.");
    }
    nlohmann::json results = nlohmann::json::array();
    const auto library = sheets.Current();
    for (const Sheet* sheet : library->Search(request.locale, territory, query, kSearchResults)) {
      results.push_back(SheetLink(*sheet, request.locale));
    }
    return renderer.Page(
        request, 200, "content/search", "Rechercher",
        {{"searched", true}, {"query", query}, {"results", results}, {"has_results", !results.empty()}});
  });

  router.Get("/fiches/{slug}", [&renderer, &sheets, territory, memo](http::Request& request) {
    const SheetMemo::Epoch epoch{sheets.Current(), renderer.PageCacheGeneration()};
    const std::string slug = request.Param("slug");
    const std::string key = request.locale + "\x1f" + slug;
    auto entry = memo->kept.Find(epoch, key).value_or(nullptr);
    if (entry == nullptr) {
      const Sheet* sheet = FindOrFrench(*epoch.library, request.locale, territory, slug);
      // Unknown slugs are not kept: anyone could fill the memo with them.
      if (sheet == nullptr) return http::Response::Error(404, "Cette fiche n'existe pas ou n'existe plus.");
      entry = MakeEntry(sheet->title, SheetPageView(renderer, *epoch.library, request.locale, territory, *sheet));
      memo->kept.Store(epoch, key, entry);
    }
    return renderer.PublicPage(request, 200, "content/sheet", entry->title, entry->data, entry->dumped);
  });
}

nlohmann::json SheetPageView(const http::Renderer& renderer, const SheetLibrary& sheets, const std::string& locale,
                             const std::string& territory, const Sheet& sheet) {
  nlohmann::json related = nlohmann::json::array();
  for (const auto& slug : sheet.related) {
    if (const Sheet* other = FindOrFrench(sheets, locale, territory, slug))
      related.push_back(SheetLink(*other, locale));
  }
  const Sheet* easy = nullptr;
  for (const Sheet* candidate : AllOrFrench(sheets, locale, territory)) {
    if (candidate->easy_read_of == sheet.slug) easy = candidate;
  }
  nlohmann::json topics = nlohmann::json::array();
  for (const auto& t : sheet.topics) topics.push_back(renderer.Translate(locale, TopicLabel(t)));
  return {
      {"sheet",
       {{"slug", sheet.slug},
        {"title", sheet.title},
        {"summary", sheet.summary},
        {"body_html", LocalizeSheetLinks(sheet.body_html, locale)},
        {"legal_references", sheet.legal_references},
        {"sources", sheet.sources},
        {"written_on", LocalDate(locale, sheet.written_on)},
        {"reviewed_on", LocalDate(locale, sheet.reviewed_on)},
        {"written_on_iso", sheet.written_on},
        {"reviewed_on_iso", sheet.reviewed_on},
        {"topics", topics},
        {"local", !sheet.territory.empty()}}},
      {"related", related},
      {"has_related", !related.empty()},
      {"easy_read_version", easy ? SheetLink(*easy, locale) : nlohmann::json(nullptr)},
      {"french", sheet.locale != locale},
      {"meta_description", sheet.summary},
      {"original", sheet.easy_read_of.empty() ? nlohmann::json(nullptr) : nlohmann::json{{"slug", sheet.easy_read_of}}},
  };
}

}  // namespace passerelle::content
