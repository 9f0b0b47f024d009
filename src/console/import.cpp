#include "console/import.h"

#include <spdlog/spdlog.h>

#include <memory>
#include <sstream>

#include "audit/audit_log.h"
#include "console/handler.h"
#include "console/import_runner.h"
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

using directory::ImportJob;
using directory::ImportJobKind;
using directory::ImportJobState;

// Files up to this size are small enough to check (or apply) while the request waits, up to
// kQuickWait: the answer comes at once, as for the forms. Larger files, or a run still going
// after kQuickWait, get the page that refreshes itself (docs/territory-console.md "Progress").
constexpr std::size_t kQuickBytes = 256 * 1024;
constexpr std::chrono::milliseconds kQuickWait{20'000};
// How often the progress page refreshes itself.
constexpr int kRefreshSeconds = 2;
// PostgreSQL (several instances): a job another instance started and has not finished after this
// long is taken for interrupted (its instance stopped); its file may be checked or applied again.
constexpr std::chrono::minutes kPresumedInterrupted{30};

std::string JobKey(const std::string& upload_id, ImportJobKind kind) {
  return upload_id + (kind == ImportJobKind::kCheck ? "/check" : "/apply");
}

struct Section {
  ConsoleContext context;
  directory::PendingImports pending;
  std::chrono::system_clock::time_point started;  // when this server registered the import
  std::shared_ptr<ImportRunner> runner;           // also held by RegisterConsole's caller, who stops it

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
    return Refused(request, principal, slug, OneError(message), filename);
  }

  static json OneError(const std::string& message) {
    return json::array({{{"field_id", "fichier"}, {"message", message}}});
  }

  // The oldest start of a job still taken for running: on SQLite this server alone runs jobs,
  // so a job it does not know of was interrupted; on PostgreSQL another instance may run it.
  std::chrono::system_clock::time_point RunningSince() const {
    return context.db.backend() == core::DatabaseBackend::kSqlite ? started : context.clock() - kPresumedInterrupted;
  }

  // The state of a stored job as the page shows it: a job that no runner finishes is interrupted.
  ImportJobState StateOf(const ImportJob& job) const {
    if (job.state != ImportJobState::kRunning || runner->Find(JobKey(job.upload_id, job.kind))) return job.state;
    const long long since = core::UnixSeconds(RunningSince());
    const bool elsewhere = context.db.backend() != core::DatabaseBackend::kSqlite && job.started_at >= since;
    return elsewhere ? ImportJobState::kRunning : ImportJobState::kInterrupted;
  }

  // The check (dry run) of a kept file, on the runner's thread: its report, or its errors.
  void Check(const directory::PendingImport& file, const directory::ProgressCallback& progress) {
    std::istringstream in(file.content);
    const auto report = context.directory.Import(
        file.format, file.territory_slug, in, directory::ImportMode::kAllOrNothing, directory::DryRun::kYes, progress);
    ImportJobState state = ImportJobState::kRefused;
    json result;
    if (!report) {
      result = OneError(report.error().public_message);
    } else if (!report.value().rejected.empty()) {
      result = RejectionErrors(report.value().rejected);
    } else {
      state = ImportJobState::kDone;
      result = ReportJson(report.value());
      result["format"] = file.format == Format::kCsv ? "CSV" : "HSDS (JSON)";
    }
    context.db.InTransaction([&](soci::session& sql) {
      directory::PendingImports::FinishJob(sql, file.id, ImportJobKind::kCheck, state, result.dump(), context.clock());
      // A refused file is not kept.
      if (state == ImportJobState::kRefused) directory::PendingImports::Forget(sql, file.id);
    });
  }

  // The apply of a kept file, on the runner's thread: all or nothing, the job's end in its
  // transaction.
  void ApplyFile(const directory::PendingImport& file, const std::string& actor,
                 const directory::ProgressCallback& progress) {
    const auto now = context.clock();
    std::istringstream in(file.content);
    const auto report = context.directory.Import(
        file.format, file.territory_slug, in, directory::ImportMode::kAllOrNothing, directory::DryRun::kNo, progress,
        [&](soci::session& sql, const directory::ImportReport& written) {
          directory::PendingImports::Forget(sql, file.id);
          // The organizations the file creates are drafts, as from the census forms: not public
          // until the coordinator publishes them (docs/territory-console.md "Census of actors").
          directory::DirectoryRepository repository(sql);
          for (const std::string& created : written.created_organization_ids)
            repository.SetPublication(created, directory::Publication::kDraft, core::UnixSeconds(now));
          audit::Append(sql,
                        audit::Entry{actor, "directory.imported", "territory:" + file.territory_slug,
                                     FormatCode(file.format) + " created=" + std::to_string(written.created) +
                                         " updated=" + std::to_string(written.updated) +
                                         " unchanged=" + std::to_string(written.unchanged)},
                        now);
          const json counts = {
              {"created", written.created}, {"updated", written.updated}, {"unchanged", written.unchanged}};
          directory::PendingImports::FinishJob(sql, file.id, ImportJobKind::kApply, ImportJobState::kDone,
                                               counts.dump(), now);
        });
    if (report && report.value().written) return;
    // Refused as a whole (the directory changed since the check): nothing written.
    const json errors = report ? RejectionErrors(report.value().rejected) : OneError(report.error().public_message);
    context.db.InTransaction([&](soci::session& sql) {
      directory::PendingImports::FinishJob(sql, file.id, ImportJobKind::kApply, ImportJobState::kRefused, errors.dump(),
                                           context.clock());
    });
  }

  // Queues the job `kind` of `file`; its end is written by the run, or "interrupted" when the
  // run does not end (stopped server, database failure).
  void Submit(directory::PendingImport file, ImportJobKind kind, const std::string& actor) {
    const std::string id = file.id;
    auto shared = std::make_shared<directory::PendingImport>(std::move(file));
    runner->Submit(
        JobKey(id, kind),
        [this, shared, kind, actor](const directory::ProgressCallback& progress) {
          if (kind == ImportJobKind::kCheck) {
            Check(*shared, progress);
          } else {
            ApplyFile(*shared, actor, progress);
          }
        },
        [this, id, kind] {
          context.db.InTransaction([&](soci::session& sql) {
            directory::PendingImports::FinishJob(sql, id, kind, ImportJobState::kInterrupted, "{}", context.clock());
          });
        });
  }

  // The page that refreshes itself while the job runs ("?auto=non": without the refresh).
  http::Response Progress(http::Request& request, const Principal& principal, const std::string& slug,
                          const ImportJob& job) const {
    const std::string here = ImportPath(slug) + "?envoi=" + job.upload_id;
    const bool automatic = request.QueryParams().Get("auto").value_or("") != "non";
    json data = {{"name", NameOf(context.db, slug)},
                 {"back", ImportPath(slug)},
                 {"filename", job.filename},
                 {"checking", job.kind == ImportJobKind::kCheck},
                 {"here", here},
                 {"automatic", automatic},
                 {"stop", here + "&auto=non"},
                 {"refresh_seconds", kRefreshSeconds}};
    if (!automatic) data.erase("refresh_seconds");
    if (const auto progress = runner->Find(JobKey(job.upload_id, job.kind)); progress && progress->total > 0) {
      data["progress"] = {{"done", progress->done}, {"total", progress->total}};
    }
    return Page(context.renderer, request, principal, 200, "console_import_progress",
                job.kind == ImportJobKind::kCheck ? "Vérification du fichier" : "Application de l’import",
                std::move(data));
  }

  // The diff of a checked file, with "Appliquer".
  http::Response Preview(http::Request& request, const Principal& principal, const std::string& slug,
                         const ImportJob& check, const std::string& notice = "") const {
    json preview = json::parse(check.result);
    preview["filename"] = check.filename;
    preview["envoi"] = check.upload_id;
    preview["apply_action"] = ImportPath(slug) + "/appliquer";
    preview["nothing_to_do"] =
        preview.value("created_count", std::size_t{0}) + preview.value("updated_count", std::size_t{0}) == 0;
    json data = {{"name", NameOf(context.db, slug)}, {"back", ImportPath(slug)}, {"preview", preview}};
    if (!notice.empty()) data["notice"] = notice;
    return Page(context.renderer, request, principal, 200, "console_import_preview", "Aperçu de l’import",
                std::move(data));
  }

  static std::string AppliedNotice(const std::string& created, const std::string& updated,
                                   const std::string& unchanged) {
    return "L’import est appliqué : " + created + " organisation(s) créée(s), " + updated + " modifiée(s), " +
           unchanged + " inchangée(s).";
  }

  static std::string AppliedLocation(const std::string& slug, const ImportJob& apply) {
    const json counts = json::parse(apply.result);
    return ImportPath(slug) + "?etat=applique&crees=" + std::to_string(counts.value("created", 0)) +
           "&modifiees=" + std::to_string(counts.value("updated", 0)) +
           "&inchangees=" + std::to_string(counts.value("unchanged", 0));
  }

  http::Response Show(http::Request& request, const Principal& principal) {
    const std::string slug = request.Param("territory");
    const http::FormData query = request.QueryParams();
    const std::string id = query.Get("envoi").value_or("");
    const std::string state = query.Get("etat").value_or("");
    const std::string kExpired = "Ce fichier n’est plus disponible (il est gardé une heure) : envoyez-le de nouveau.";
    json data = json::object();
    if (state == "applique") {
      data["notice"] = AppliedNotice(query.Get("crees").value_or("0"), query.Get("modifiees").value_or("0"),
                                     query.Get("inchangees").value_or("0"));
    } else if (state == "expire") {
      data["notice"] = kExpired;
    }
    if (id.empty()) return Form(request, principal, 200, slug, std::move(data));
    const auto check = pending.FindJob(id, ImportJobKind::kCheck, slug, principal.account_id);
    if (!check) {
      data["notice"] = kExpired;
      return Form(request, principal, 200, slug, std::move(data));
    }
    if (const auto apply = pending.FindJob(id, ImportJobKind::kApply, slug, principal.account_id)) {
      switch (StateOf(*apply)) {
        case ImportJobState::kRunning:
          return Progress(request, principal, slug, *apply);
        case ImportJobState::kDone:
          return http::Response::Redirect(303, AppliedLocation(slug, *apply));
        case ImportJobState::kRefused:
          return Refused(request, principal, slug, json::parse(apply->result), apply->filename);
        case ImportJobState::kInterrupted:
          if (!pending.Has(id, slug, principal.account_id, context.clock())) break;
          return Preview(request, principal, slug, *check,
                         "L’application du fichier a été interrompue (arrêt du serveur) : rien n’a été écrit. Vous "
                         "pouvez l’appliquer de nouveau.");
      }
      data["notice"] = kExpired;
      return Form(request, principal, 200, slug, std::move(data));
    }
    switch (StateOf(*check)) {
      case ImportJobState::kRunning:
        return Progress(request, principal, slug, *check);
      case ImportJobState::kRefused:
        return Refused(request, principal, slug, json::parse(check->result), check->filename);
      case ImportJobState::kInterrupted:
        data["notice"] = "La vérification du fichier « " + check->filename +
                         " » a été interrompue (arrêt du serveur) : rien n’a été écrit. Envoyez-le de nouveau.";
        return Form(request, principal, 200, slug, std::move(data));
      case ImportJobState::kDone:
        break;
    }
    if (!pending.Has(id, slug, principal.account_id, context.clock())) {
      data["notice"] = kExpired;
      return Form(request, principal, 200, slug, std::move(data));
    }
    return Preview(request, principal, slug, *check);
  }

  // Waits for a small file's job (kQuickBytes) and answers with its result when it ended.
  std::optional<ImportJob> WaitForSmall(std::size_t bytes, const std::string& id, ImportJobKind kind,
                                        const std::string& slug, const Principal& principal) const {
    if (bytes > kQuickBytes || !runner->WaitUntilEnded(JobKey(id, kind), kQuickWait)) return std::nullopt;
    auto job = pending.FindJob(id, kind, slug, principal.account_id);
    if (!job || job->state == ImportJobState::kRunning) return std::nullopt;
    return job;
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
    // Kept first, then checked off the request thread (docs/territory-console.md "Progress").
    directory::PendingImport file{
        "", slug, principal.account_id, FormatOf(filename, part->body), filename, std::string(part->body)};
    const std::size_t bytes = file.content.size();
    const auto now = context.clock();
    file.id = pending.Keep(file, now);
    const std::string id = file.id;
    if (!pending.StartJob(
            ImportJob{id, ImportJobKind::kCheck, slug, principal.account_id, filename, ImportJobState::kRunning, "", 0},
            now, RunningSince())) {
      return http::Response::Redirect(303, ImportPath(slug) + "?envoi=" + id);  // a new id: cannot happen
    }
    Submit(std::move(file), ImportJobKind::kCheck, "account:" + principal.account_id);
    if (const auto check = WaitForSmall(bytes, id, ImportJobKind::kCheck, slug, principal);
        check && check->state == ImportJobState::kRefused) {
      return Refused(request, principal, slug, json::parse(check->result), filename);
    }
    return http::Response::Redirect(303, ImportPath(slug) + "?envoi=" + id);
  }

  http::Response Apply(http::Request& request, const Principal& principal) {
    const std::string slug = request.Param("territory");
    const std::string id = request.Form().Get("envoi").value_or("");
    auto file = pending.Find(id, slug, principal.account_id, context.clock());
    if (!file) return http::Response::Redirect(303, ImportPath(slug) + "?etat=expire");
    const std::size_t bytes = file->content.size();
    // A second "Appliquer" while the first runs only shows its progress.
    if (pending.StartJob(ImportJob{id, ImportJobKind::kApply, slug, principal.account_id, file->filename,
                                   ImportJobState::kRunning, "", 0},
                         context.clock(), RunningSince())) {
      Submit(std::move(*file), ImportJobKind::kApply, "account:" + principal.account_id);
    }
    if (const auto apply = WaitForSmall(bytes, id, ImportJobKind::kApply, slug, principal)) {
      if (apply->state == ImportJobState::kDone) return http::Response::Redirect(303, AppliedLocation(slug, *apply));
      if (apply->state == ImportJobState::kRefused) {
        return Refused(request, principal, slug, json::parse(apply->result), apply->filename);
      }
    }
    return http::Response::Redirect(303, ImportPath(slug) + "?envoi=" + id);
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

std::shared_ptr<ImportRunner> RegisterImport(const ConsoleContext& context) {
  auto section = std::make_shared<Section>(
      Section{context, directory::PendingImports(context.db), context.clock(), std::make_shared<ImportRunner>()});
  // On SQLite this server alone runs the jobs: those left running by a previous process were
  // interrupted (nothing written); say so in their rows.
  if (context.db.backend() == core::DatabaseBackend::kSqlite) {
    if (const std::size_t n = section->pending.InterruptJobsStartedBefore(section->started); n > 0) {
      spdlog::warn("event=console_import_jobs_interrupted count={}", n);
    }
  }
  const auto bind = [section](http::Response (Section::*method)(http::Request&, const Principal&)) {
    return HandlerOf(section, method);
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
  return section->runner;
}

}  // namespace passerelle::console
