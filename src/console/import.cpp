#include "console/import.h"

#include <spdlog/spdlog.h>

#include <memory>
#include <sstream>

#include "audit/audit_log.h"
#include "console/page.h"
#include "core/unix_time.h"
#include "directory/export.h"
#include "directory/pending_import.h"
#include "directory/repository.h"
#include "http/multipart.h"
#include "territory/service.h"

namespace passerelle::console {

namespace {

using accounts::Principal;
using directory::Format;
using nlohmann::json;

// What an upload may weigh: the largest file the import reads, and room for the form's other
// parts and the multipart framing.
constexpr std::size_t kMaxUploadBytes = directory::kMaxImportBytes + 64 * 1024;
// Errors shown on the page at most (the rest are counted).
constexpr std::size_t kShownRejections = 200;

std::string ImportPath(const std::string& slug) { return TerritoryPath(slug, "import"); }

std::string NameOf(storage::Database& db, const std::string& slug) {
  const auto territory = territory::TerritoryService(db).Find(slug);
  return territory ? territory->name : slug;
}

std::string FormatCode(Format format) { return format == Format::kCsv ? "csv" : "hsds"; }

// HSDS when the file name ends in .json or the file starts with "{", CSV otherwise.
Format FormatOf(const std::string& filename, std::string_view content) {
  if (filename.size() >= 5 && filename.compare(filename.size() - 5, 5, ".json") == 0) return Format::kHsds;
  const std::size_t first = content.find_first_not_of(" \t\r\n\xEF\xBB\xBF");
  return first != std::string_view::npos && content[first] == '{' ? Format::kHsds : Format::kCsv;
}

std::string Where(const directory::Rejection& r) {
  return r.line != 0 ? "Ligne " + std::to_string(r.line) : "Élément " + r.json_path;
}

// The dry run's report as the page shows it.
json ReportJson(const directory::ImportReport& report) {
  json created = json::array();
  json updated = json::array();
  for (const directory::OrganizationChange& change : report.changes) {
    json fields = json::array();
    for (const directory::FieldChange& f : change.fields) {
      fields.push_back({{"field", f.field}, {"before", f.before}, {"after", f.after}});
    }
    json row = {{"id", change.id}, {"name", change.name}, {"fields", fields}};
    (change.created ? created : updated).push_back(std::move(row));
  }
  return {{"entries", report.entries},
          {"created_count", report.created},
          {"updated_count", report.updated},
          {"unchanged_count", report.unchanged},
          {"created", created},
          {"updated", updated},
          {"unchanged_ids", report.unchanged_organization_ids},
          {"has_created", !created.empty()},
          {"has_updated", !updated.empty()},
          {"has_unchanged", !report.unchanged_organization_ids.empty()}};
}

// The errors of a refused file: one per rejection (up to kShownRejections), each linked to the
// file field.
json RejectionErrors(const std::vector<directory::Rejection>& rejected) {
  json errors = json::array();
  for (std::size_t i = 0; i < rejected.size() && i < kShownRejections; ++i) {
    errors.push_back({{"field_id", "fichier"}, {"message", Where(rejected[i]) + " : " + rejected[i].reason}});
  }
  if (rejected.size() > kShownRejections) {
    errors.push_back({{"field_id", "fichier"},
                      {"message", "… et " + std::to_string(rejected.size() - kShownRejections) + " autres erreurs"}});
  }
  return errors;
}

struct Section {
  ConsoleContext context;
  directory::PendingImports pending;

  http::Response Form(const http::Request& request, const Principal& principal, int status, const std::string& slug,
                      json data) const {
    data["name"] = NameOf(context.db, slug);
    data["action"] = ImportPath(slug);
    data["hub"] = TerritoryPath(slug);
    data["export_csv"] = TerritoryPath(slug, "export.csv");
    data["export_json"] = TerritoryPath(slug, "export.json");
    data["max_megabytes"] = directory::kMaxImportBytes / (1024 * 1024);
    return Page(context.renderer, request, principal, status, "console_import", "Import et export des acteurs",
                std::move(data));
  }

  // A file refused as a whole or line by line: 400, nothing kept, nothing written.
  http::Response Refused(const http::Request& request, const Principal& principal, const std::string& slug, json errors,
                         const std::string& filename) const {
    json data = {{"has_errors", true}, {"errors", errors}, {"fichier_error", errors.at(0).at("message")}};
    data["refused"] = {{"filename", filename}, {"count", errors.size()}};
    return Form(request, principal, 400, slug, std::move(data));
  }

  http::Response RefusedFile(const http::Request& request, const Principal& principal, const std::string& slug,
                             const std::string& message, const std::string& filename = "") const {
    return Refused(request, principal, slug, json::array({{{"field_id", "fichier"}, {"message", message}}}), filename);
  }

  core::Result<directory::ImportReport> DryRun(const directory::PendingImport& file) const {
    std::istringstream in(file.content);
    return context.directory.Import(file.format, file.territory_slug, in, directory::ImportMode::kAllOrNothing,
                                    directory::DryRun::kYes);
  }

  http::Response Show(http::Request& request, const Principal& principal) {
    const std::string slug = request.Param("territory");
    const http::FormData query = request.QueryParams();
    const std::string id = query.Get("envoi").value_or("");
    const std::string state = query.Get("etat").value_or("");
    json data = json::object();
    if (state == "applique") {
      data["notice"] = "L’import est appliqué : " + query.Get("crees").value_or("0") + " organisation(s) créée(s), " +
                       query.Get("modifiees").value_or("0") + " modifiée(s), " + query.Get("inchangees").value_or("0") +
                       " inchangée(s).";
    } else if (state == "expire") {
      data["notice"] = "Ce fichier n’est plus disponible (il est gardé une heure) : envoyez-le de nouveau.";
    }
    if (id.empty()) return Form(request, principal, 200, slug, std::move(data));
    const auto file = pending.Find(id, slug, principal.account_id, context.clock());
    if (!file) {
      data["notice"] = "Ce fichier n’est plus disponible (il est gardé une heure) : envoyez-le de nouveau.";
      return Form(request, principal, 200, slug, std::move(data));
    }
    const auto report = DryRun(*file);
    if (!report) return RefusedFile(request, principal, slug, report.error().public_message, file->filename);
    if (!report.value().rejected.empty()) {
      // The directory changed since the upload (an identifier taken meanwhile).
      return Refused(request, principal, slug, RejectionErrors(report.value().rejected), file->filename);
    }
    data["preview"] = ReportJson(report.value());
    data["preview"]["filename"] = file->filename;
    data["preview"]["format"] = file->format == Format::kCsv ? "CSV" : "HSDS (JSON)";
    data["preview"]["envoi"] = file->id;
    data["preview"]["apply_action"] = ImportPath(slug) + "/appliquer";
    data["preview"]["nothing_to_do"] = report.value().created + report.value().updated == 0;
    return Page(context.renderer, request, principal, 200, "console_import_preview", "Aperçu de l’import",
                {{"name", NameOf(context.db, slug)}, {"back", ImportPath(slug)}, {"preview", data["preview"]}});
  }

  http::Response Upload(http::Request& request, const Principal& principal) {
    const std::string slug = request.Param("territory");
    const std::string type(request.Header("content-type").value_or(""));
    std::string why;
    const auto form = http::ParseMultipart(type, request.body, {}, &why);
    if (!form) {
      spdlog::info("event=console_import_refused request_id={} reason=\"{}\"", request.request_id, why);
      return RefusedFile(request, principal, slug, "Choisissez un fichier CSV ou HSDS (JSON) à envoyer.");
    }
    const http::MultipartPart* part = form->Find("fichier");
    if (part == nullptr || !part->filename || part->filename->empty() || part->body.empty()) {
      return RefusedFile(request, principal, slug, "Choisissez un fichier CSV ou HSDS (JSON) à envoyer.");
    }
    const std::string filename = http::RepairUtf8(*part->filename);
    if (part->body.size() > directory::kMaxImportBytes) {
      return RefusedFile(request, principal, slug, "Le fichier est trop gros (64 Mio au plus).", filename);
    }
    if (part->body.find('\0') != std::string_view::npos || !http::IsValidUtf8(part->body)) {
      return RefusedFile(request, principal, slug,
                         "Le fichier n’est pas du texte UTF-8 : enregistrez-le en CSV UTF-8 ou en JSON.", filename);
    }
    directory::PendingImport file{
        "", slug, principal.account_id, FormatOf(filename, part->body), filename, std::string(part->body)};
    const auto report = DryRun(file);
    if (!report) return RefusedFile(request, principal, slug, report.error().public_message, filename);
    if (!report.value().rejected.empty()) {
      return Refused(request, principal, slug, RejectionErrors(report.value().rejected), filename);
    }
    const std::string id = pending.Keep(std::move(file), context.clock());
    return http::Response::Redirect(303, ImportPath(slug) + "?envoi=" + id);
  }

  http::Response Apply(http::Request& request, const Principal& principal) {
    const std::string slug = request.Param("territory");
    const std::string id = request.Form().Get("envoi").value_or("");
    const auto file = pending.Find(id, slug, principal.account_id, context.clock());
    if (!file) return http::Response::Redirect(303, ImportPath(slug) + "?etat=expire");
    const std::string actor = "account:" + principal.account_id;
    const auto now = context.clock();
    std::istringstream in(file->content);
    const auto report = context.directory.Import(
        file->format, slug, in, directory::ImportMode::kAllOrNothing, directory::DryRun::kNo, {},
        [&](soci::session& sql, const directory::ImportReport& written) {
          directory::PendingImports::Forget(sql, file->id);
          // The organizations the file creates are drafts, as from the census forms: not public
          // until the coordinator publishes them (docs/territory-console.md "Census of actors").
          directory::DirectoryRepository repository(sql);
          for (const std::string& created : written.created_organization_ids)
            repository.SetPublication(created, directory::Publication::kDraft, core::UnixSeconds(now));
          audit::Append(sql,
                        audit::Entry{actor, "directory.imported", "territory:" + slug,
                                     FormatCode(file->format) + " created=" + std::to_string(written.created) +
                                         " updated=" + std::to_string(written.updated) +
                                         " unchanged=" + std::to_string(written.unchanged)},
                        now);
        });
    if (!report) return RefusedFile(request, principal, slug, report.error().public_message, file->filename);
    if (!report.value().written) {
      return Refused(request, principal, slug, RejectionErrors(report.value().rejected), file->filename);
    }
    const auto& r = report.value();
    return http::Response::Redirect(303, ImportPath(slug) + "?etat=applique&crees=" + std::to_string(r.created) +
                                             "&modifiees=" + std::to_string(r.updated) +
                                             "&inchangees=" + std::to_string(r.unchanged));
  }

  http::Response Download(http::Request& request, const Principal& principal, Format format) {
    const std::string slug = request.Param("territory");
    // The coordinator's download is the full professional data (confidential places included):
    // what she edits and imports again.
    std::string body = directory::ExportDirectory(context.db, format, slug, directory::Confidential::kInclude);
    audit::AppendCommitted(context.db,
                           audit::Entry{"account:" + principal.account_id, "export", "territory:" + slug,
                                        "directory " + FormatCode(format) + " full"},
                           context.clock());
    http::Response response(200, {}, std::move(body));
    response.SetHeader("Content-Type", format == Format::kCsv ? "text/csv; charset=utf-8" : "application/json");
    response.SetHeader("Content-Disposition",
                       "attachment; filename=\"passerelle-" + slug + (format == Format::kCsv ? ".csv\"" : ".json\""));
    response.SetHeader("Cache-Control", "no-store");
    return response;
  }
};

}  // namespace

void RegisterImport(const ConsoleContext& context) {
  auto section = std::make_shared<Section>(Section{context, directory::PendingImports(context.db)});
  const auto bind = [section](http::Response (Section::*method)(http::Request&, const Principal&)) {
    return [section, method](http::Request& request, const Principal& principal) {
      return ((*section).*method)(request, principal);
    };
  };
  const std::string base = "/pro/territoires/{territory}";
  context.routes.Get(base + "/import", ManagersOfTerritory(), bind(&Section::Show));
  context.routes.Post(base + "/import", ManagersOfTerritory(), bind(&Section::Upload));
  context.routes.SetBodyLimit(http::Method::kPost, base + "/import", kMaxUploadBytes);
  context.routes.Post(base + "/import/appliquer", ManagersOfTerritory(), bind(&Section::Apply));
  context.routes.Get(base + "/export.csv", ManagersOfTerritory(),
                     [section](http::Request& request, const Principal& principal) {
                       return section->Download(request, principal, Format::kCsv);
                     });
  context.routes.Get(base + "/export.json", ManagersOfTerritory(),
                     [section](http::Request& request, const Principal& principal) {
                       return section->Download(request, principal, Format::kHsds);
                     });
}

}  // namespace passerelle::console
