#include "console/sheets.h"

#include <algorithm>
#include <fstream>
#include <map>
#include <memory>
#include <sstream>

#include <spdlog/spdlog.h>

#include "accounts/register.h"
#include "audit/audit_log.h"
#include "console/handler.h"
#include "console/page.h"
#include "content/front_matter.h"
#include "content/register.h"
#include "content/sheet_form.h"
#include "core/unix_time.h"
#include "territory/service.h"

namespace passerelle::console {

namespace {

using accounts::FieldError;
using accounts::Principal;
using content::SheetFields;
using nlohmann::json;

constexpr const char* kSection = "fiches";

const std::vector<std::pair<std::string, std::string>>& Locales() {
  static const std::vector<std::pair<std::string, std::string>> locales = {
      {"fr", "Français"}, {"en", "Anglais"}, {"ar", "Arabe"}};
  return locales;
}

bool KnownLocale(const std::string& locale) {
  return std::any_of(Locales().begin(), Locales().end(), [&](const auto& l) { return l.first == locale; });
}

const std::vector<std::pair<std::string, std::string>>& Audiences() {
  static const std::vector<std::pair<std::string, std::string>> audiences = {
      {"victime", "Victimes"}, {"proche", "Proches"}, {"professionnel", "Professionnels"}, {"tous", "Tout le monde"}};
  return audiences;
}

std::string ReadText(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string Join(const std::vector<std::string>& items) {
  std::string out;
  for (const std::string& item : items) out += (out.empty() ? "" : "\n") + item;
  return out;
}

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> out;
  std::stringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

// What the form sent, as the fields of a sheet (lists one item a line).
SheetFields FromForm(const http::FormData& form, const std::string& slug) {
  SheetFields f;
  f.slug = slug;
  f.title = form.Get("title").value_or("");
  f.summary = form.Get("summary").value_or("");
  f.topics = form.GetAll("topics");
  f.audience = form.Get("audience").value_or("");
  f.legal_references = Lines(form.Get("legal_references").value_or(""));
  f.sources = Lines(form.Get("sources").value_or(""));
  f.written_on = form.Get("written_on").value_or("");
  f.reviewed_on = form.Get("reviewed_on").value_or("");
  f.related = Lines(form.Get("related").value_or(""));
  f.easy_read_of = form.Get("easy_read_of").value_or("");
  f.body = form.Get("body").value_or("");
  return f;
}

struct Sheets {
  ConsoleContext context;

  const std::filesystem::path& ContentDir() const { return context.wording.content_dir; }

  // The sheets served for the territory now: the files, then its console sheets.
  content::LocalSheetCheck Served(const std::string& slug) const {
    return content::CheckLocalSheets(ContentDir(), ReadLocalSheets(context.db, slug));
  }

  // The sheets of the files only (what "Revenir à la version nationale" leaves).
  content::LocalSheetCheck Files() const { return content::CheckLocalSheets(ContentDir(), {}); }

  // The fields of `sheet` as written (its console row or its file), before the load's typography.
  std::optional<SheetFields> RawFields(const content::Sheet& sheet,
                                       const std::vector<content::LocalSheet>& rows) const {
    std::string text;
    if (content::IsConsoleSheet(sheet)) {
      const auto row = std::find_if(rows.begin(), rows.end(), [&](const content::LocalSheet& r) {
        return r.locale == sheet.locale && r.slug == sheet.slug;
      });
      if (row == rows.end()) return std::nullopt;
      text = row->text;
    } else {
      text = ReadText(sheet.file);
    }
    const content::ParsedSheet parsed = content::ParseSheetFile(text, sheet.file);
    if (!parsed.problems.empty()) return std::nullopt;
    return content::FieldsOf(parsed.sheet);
  }

  // The sheets themselves do not pass the checks (the server of that territory would not start
  // either): the operators' job, not hers.
  http::Response Broken(const http::Request& request, const Principal& principal,
                        const std::vector<content::FieldProblem>& problems) const {
    spdlog::error("event=console_sheets_invalid territory={} problems={}", request.Param("territory"), problems.size());
    return Page(context.renderer, request, principal, 500, "console_sheets", "Fiches locales",
                {{"broken", true}, {"hub", TerritoryPath(request.Param("territory"))}});
  }

  std::string ListPath(const std::string& slug, const std::string& locale) const {
    return TerritoryPath(slug, kSection) + "?langue=" + locale;
  }
  std::string EditPath(const std::string& slug, const std::string& locale, const std::string& sheet) const {
    return ListPath(slug, locale) + "&fiche=" + sheet;
  }

  json Base(const std::string& slug, const std::string& locale) const {
    const auto territory = territory::TerritoryService(context.db).Find(slug);
    json locales = json::array();
    for (const auto& [code, name] : Locales()) {
      locales.push_back({{"href", ListPath(slug, code)}, {"name", name}, {"current", code == locale}});
    }
    return {{"name", territory ? territory->name : slug},
            {"hub", TerritoryPath(slug)},
            {"list", ListPath(slug, locale)},
            {"action", TerritoryPath(slug, kSection)},
            {"new_href", ListPath(slug, locale) + "&nouvelle=1"},
            {"locale", locale},
            {"locales", locales},
            {"rtl", locale == "ar"}};
  }

  http::Response Show(http::Request& request, const Principal& principal) const {
    const std::string slug = request.Param("territory");
    if (!territory::TerritoryService(context.db).Find(slug)) return http::Response::Error(404);
    const http::FormData query = request.QueryParams();
    const std::string locale = query.Get("langue").value_or("fr");
    if (!KnownLocale(locale)) return http::Response::Error(404);
    const std::string sheet_slug = query.Get("fiche").value_or("");
    const bool is_new = query.Get("nouvelle").value_or("") == "1";
    if (!sheet_slug.empty() || is_new) {
      return Form(request, principal, 200, slug, locale, sheet_slug, std::nullopt, {}, nullptr,
                  query.Get("etat").value_or(""));
    }
    const content::LocalSheetCheck served = Served(slug);
    if (!served.problems.empty()) return Broken(request, principal, served.problems);
    std::vector<const content::Sheet*> all = served.library.All(locale, slug);
    std::sort(all.begin(), all.end(),
              [](const content::Sheet* a, const content::Sheet* b) { return a->slug < b->slug; });
    json sheets = json::array();
    std::size_t local_count = 0;
    for (const content::Sheet* sheet : all) {
      const bool local = !sheet->territory.empty();
      const bool national = served.library.Find(locale, "", sheet->slug) != nullptr;
      const bool console = content::IsConsoleSheet(*sheet);
      local_count += local ? 1 : 0;
      sheets.push_back({{"slug", sheet->slug},
                        {"title", sheet->title},
                        {"state", !local     ? "national"
                                  : national ? "replaced"
                                             : "local"},
                        {"state_label", !local     ? "Nationale"
                                        : national ? "Remplacée localement"
                                                   : "Locale seulement"},
                        {"origin", !local    ? ""
                                   : console ? "enregistrée ici"
                                             : "fichier du territoire"},
                        {"edit", EditPath(slug, locale, sheet->slug)}});
    }
    json data = Base(slug, locale);
    data["sheets"] = sheets;
    data["local_count"] = local_count;
    data["has_sheets"] = !sheets.empty();
    if (query.Get("etat").value_or("") == "supprimee") {
      data["notice"] = "La fiche locale est supprimée : le public ne la voit plus.";
    }
    return Page(context.renderer, request, principal, 200, "console_sheets", "Fiches locales", data);
  }

  // The form of one sheet (or of a new one when `sheet_slug` is empty): its version now (or what
  // she typed), and the preview of `previewed` when given.
  http::Response Form(const http::Request& request, const Principal& principal, int status, const std::string& slug,
                      const std::string& locale, const std::string& sheet_slug, const std::optional<SheetFields>& typed,
                      const std::vector<FieldError>& errors, const content::Sheet* previewed, const std::string& state,
                      const content::SheetLibrary* preview_library = nullptr) const {
    const content::LocalSheetCheck served = Served(slug);
    if (!served.problems.empty()) return Broken(request, principal, served.problems);
    const bool is_new = sheet_slug.empty();
    SheetFields fields;
    bool console = false;
    const content::Sheet* national = nullptr;
    if (!is_new) {
      const content::Sheet* now = served.library.Find(locale, slug, sheet_slug);
      if (now == nullptr) return http::Response::Error(404);
      console = content::IsConsoleSheet(*now);
      national = served.library.Find(locale, "", sheet_slug);
      const auto raw = RawFields(*now, ReadLocalSheets(context.db, slug));
      if (!raw) return http::Response::Error(500);
      fields = *raw;
    } else {
      fields.audience = "victime";
    }
    if (typed) fields = *typed;
    std::map<std::string, std::string> error_of;
    for (const FieldError& e : errors) error_of.emplace(e.field_id, e.message);
    json data = Base(slug, locale);
    data.update(accounts::ErrorData(errors));
    json topics = json::array();
    bool first = true;
    for (const auto& [code, label] : content::Topics()) {
      const bool checked = std::find(fields.topics.begin(), fields.topics.end(), code) != fields.topics.end();
      topics.push_back(
          {{"code", code}, {"label", label}, {"checked", checked}, {"id", first ? "topics" : "topics-" + code}});
      first = false;
    }
    json audiences = json::array();
    for (const auto& [value, label] : Audiences()) {
      audiences.push_back({{"value", value}, {"label", label}, {"selected", value == fields.audience}});
    }
    json sheet = {{"slug", fields.slug},
                  {"title", fields.title},
                  {"summary", fields.summary},
                  {"topics", topics},
                  {"audiences", audiences},
                  {"legal_references", Join(fields.legal_references)},
                  {"sources", Join(fields.sources)},
                  {"written_on", fields.written_on},
                  {"reviewed_on", fields.reviewed_on},
                  {"related", Join(fields.related)},
                  {"easy_read_of", fields.easy_read_of},
                  {"body", fields.body}};
    for (const std::string& field : content::SheetFieldNames()) {
      if (error_of.count(field)) sheet[field + "_error"] = error_of[field];
    }
    data.update({{"sheet", sheet},
                 {"editing", true},
                 {"is_new", is_new},
                 {"console", console},
                 {"has_national", national != nullptr},
                 {"national_title", national ? national->title : ""},
                 {"public_href", (locale == "fr" ? "" : "/" + locale) + "/fiches/" + sheet_slug}});
    if (state == "enregistre")
      data["notice"] = "La fiche est enregistrée : le public du territoire la voit dès maintenant.";
    if (state == "national") data["notice"] = "Cette fiche reprend la version nationale.";
    if (previewed != nullptr && preview_library != nullptr) {
      // Rendered by the public page's own template and view, in the sheet's language.
      http::Request as_public = request;
      as_public.locale = locale;
      json view = content::SheetPageView(context.renderer, *preview_library, locale, slug, *previewed);
      view["preview"] = true;
      data["preview_html"] = context.renderer.Fragment(as_public, "content/_sheet_article", view);
    }
    const std::string title = is_new ? "Nouvelle fiche locale" : "Fiche locale : " + fields.title;
    return Page(context.renderer, request, principal, status, "console_sheets", title, data);
  }

  std::vector<FieldError> ErrorsOf(const std::vector<content::FieldProblem>& problems) const {
    std::vector<FieldError> errors;
    for (const content::FieldProblem& p : problems) {
      errors.push_back({p.field.empty() ? "body" : p.field,
                        p.field.empty() ? "Les fiches ne seraient plus valides : " + p.message : p.message});
    }
    return errors;
  }

  void Changed(const std::string& slug) const {
    if (context.wording.sheets_changed) context.wording.sheets_changed(slug);
  }

  http::Response Save(http::Request& request, const Principal& principal) const {
    const std::string slug = request.Param("territory");
    if (!territory::TerritoryService(context.db).Find(slug)) return http::Response::Error(404);
    const http::FormData form = request.Form();
    const std::string locale = form.Get("langue").value_or("");
    const std::string existing = form.Get("fiche").value_or("");
    const std::string action = form.Get("action").value_or("");
    if (!KnownLocale(locale)) return http::Response::Error(404);
    const content::LocalSheetCheck served = Served(slug);
    if (!served.problems.empty()) return Broken(request, principal, served.problems);
    if (!existing.empty() && served.library.Find(locale, slug, existing) == nullptr) {
      return http::Response::Error(404);
    }
    const std::string actor = "account:" + principal.account_id;
    std::vector<content::LocalSheet> rows = ReadLocalSheets(context.db, slug);
    const auto mine = [&](const std::string& sheet_slug) {
      return [&locale, sheet_slug](const content::LocalSheet& r) { return r.locale == locale && r.slug == sheet_slug; };
    };

    if (action == "national") {
      if (existing.empty()) return http::Response::Error(404);
      const auto before = rows.size();
      rows.erase(std::remove_if(rows.begin(), rows.end(), mine(existing)), rows.end());
      if (rows.size() == before) return http::Response::Redirect(303, EditPath(slug, locale, existing));
      // Another local sheet may link to this one: the territory's sheets must still pass.
      const content::LocalSheetCheck without = content::CheckLocalSheets(ContentDir(), rows);
      if (!without.problems.empty()) {
        return Form(request, principal, 400, slug, locale, existing, std::nullopt, ErrorsOf(without.problems), nullptr,
                    "");
      }
      context.db.InTransaction([&](soci::session& sql) {
        sql << "DELETE FROM territory_sheet WHERE territory_slug = :t AND locale = :l AND slug = :s", soci::use(slug),
            soci::use(locale), soci::use(existing);
        audit::Append(
            sql, audit::Entry{actor, "territory.sheet_reset", "territory:" + slug, "sheet " + locale + " " + existing},
            context.clock());
      });
      Changed(slug);
      if (without.library.Find(locale, slug, existing) == nullptr) {
        return http::Response::Redirect(303, ListPath(slug, locale) + "&etat=supprimee");
      }
      return http::Response::Redirect(303, EditPath(slug, locale, existing) + "&etat=national");
    }

    const std::string sheet_slug = existing.empty() ? form.Get("slug").value_or("") : existing;
    SheetFields typed = FromForm(form, sheet_slug);
    if (existing.empty() && served.library.Find(locale, slug, sheet_slug) != nullptr) {
      return Form(request, principal, 400, slug, locale, existing, typed,
                  {{"slug", "Adresse de la fiche : la fiche « " + sheet_slug +
                                " » existe déjà ; choisissez-la dans la liste pour la modifier."}},
                  nullptr, "");
    }
    // The territory's console sheets with this one replaced, through the checks of `content check`.
    std::vector<content::LineOrigin> origins;
    const content::LocalSheet candidate{slug, locale, sheet_slug, content::ComposeSheet(typed, &origins)};
    rows.erase(std::remove_if(rows.begin(), rows.end(), mine(sheet_slug)), rows.end());
    rows.push_back(candidate);
    const content::LocalSheetCheck checked = content::CheckLocalSheets(ContentDir(), rows, &candidate, origins);
    if (!checked.problems.empty()) {
      return Form(request, principal, 400, slug, locale, existing, typed, ErrorsOf(checked.problems), nullptr, "");
    }
    const content::Sheet* shown = checked.library.Find(locale, slug, sheet_slug);
    if (action == "apercu") {
      return Form(request, principal, 200, slug, locale, existing, typed, {}, shown, "", &checked.library);
    }
    if (action != "enregistrer") {
      return Form(request, principal, 400, slug, locale, existing, typed,
                  {{"body", "Choisissez « Prévisualiser » ou « Enregistrer »."}}, nullptr, "");
    }
    // The version of the files, when there is one: equal to it, nothing is kept.
    const content::LocalSheetCheck files = Files();
    const content::Sheet* base = files.library.Find(locale, slug, sheet_slug);
    const auto base_fields = base ? RawFields(*base, {}) : std::nullopt;
    const bool same_as_files = base_fields && content::ChangedFields(*base_fields, typed).empty();
    // The audit names the fields changed from the version served until now.
    const content::Sheet* before = existing.empty() ? nullptr : served.library.Find(locale, slug, existing);
    const auto before_fields = before ? RawFields(*before, ReadLocalSheets(context.db, slug)) : std::nullopt;
    const std::string changed = content::ChangedFields(before_fields.value_or(SheetFields{}), typed);
    const long long now_s = core::UnixSeconds(context.clock());
    context.db.InTransaction([&](soci::session& sql) {
      sql << "DELETE FROM territory_sheet WHERE territory_slug = :t AND locale = :l AND slug = :s", soci::use(slug),
          soci::use(locale), soci::use(sheet_slug);
      if (!same_as_files) {
        sql << "INSERT INTO territory_sheet (territory_slug, locale, slug, text, updated_at, updated_by)"
               " VALUES (:t, :l, :s, :x, :at, :by)",
            soci::use(slug), soci::use(locale), soci::use(sheet_slug), soci::use(candidate.text), soci::use(now_s),
            soci::use(actor);
      }
      audit::Append(
          sql,
          audit::Entry{actor, same_as_files ? "territory.sheet_reset" : "territory.sheet_changed", "territory:" + slug,
                       "sheet " + locale + " " + sheet_slug + (changed.empty() ? "" : " " + changed)},
          context.clock());
    });
    Changed(slug);
    return http::Response::Redirect(
        303, EditPath(slug, locale, sheet_slug) + "&etat=" + (same_as_files ? "national" : "enregistre"));
  }
};

}  // namespace

std::vector<content::LocalSheet> ReadLocalSheets(storage::Database& db, const std::string& territory_slug) {
  std::vector<content::LocalSheet> out;
  soci::session sql(db.pool());
  soci::rowset<soci::row> rows =
      (sql.prepare << "SELECT locale, slug, text FROM territory_sheet WHERE territory_slug = :t ORDER BY locale, slug",
       soci::use(territory_slug));
  for (const soci::row& row : rows) {
    out.push_back({territory_slug, row.get<std::string>(0), row.get<std::string>(1), row.get<std::string>(2)});
  }
  return out;
}

void RegisterSheets(const ConsoleContext& given) {
  auto page = std::make_shared<Sheets>(Sheets{given});
  given.routes.Get("/pro/territoires/{territory}/fiches", ManagersOfTerritory(), HandlerOf(page, &Sheets::Show));
  given.routes.Post("/pro/territoires/{territory}/fiches", ManagersOfTerritory(), HandlerOf(page, &Sheets::Save));
}

}  // namespace passerelle::console
