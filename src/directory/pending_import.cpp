#include "directory/pending_import.h"

#include "core/crypto.h"

namespace passerelle::directory {

namespace {

long long Seconds(std::chrono::system_clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
}

std::string KindCode(ImportJobKind kind) { return kind == ImportJobKind::kCheck ? "check" : "apply"; }

std::string StateCode(ImportJobState state) {
  switch (state) {
    case ImportJobState::kRunning:
      return "running";
    case ImportJobState::kDone:
      return "done";
    case ImportJobState::kRefused:
      return "refused";
    case ImportJobState::kInterrupted:
      return "interrupted";
  }
  return "interrupted";
}

ImportJobState ParseState(const std::string& code) {
  if (code == "running") return ImportJobState::kRunning;
  if (code == "done") return ImportJobState::kDone;
  if (code == "refused") return ImportJobState::kRefused;
  return ImportJobState::kInterrupted;
}

// Starts a job, or starts again one that is over (or taken for interrupted); leaves a running one.
constexpr const char* kStartJob =
    "INSERT INTO console_import_job (upload_id, kind, territory_slug, account_id, filename, state, result, "
    "started_at, finished_at) VALUES (:upload, :kind, :territory, :account, :filename, 'running', '', :now, NULL) "
    "ON CONFLICT (upload_id, kind) DO UPDATE SET state = 'running', result = '', started_at = excluded.started_at, "
    "finished_at = NULL WHERE console_import_job.state <> 'running' OR console_import_job.started_at < :since";

}  // namespace

std::string PendingImports::Keep(PendingImport file, std::chrono::system_clock::time_point now) {
  const std::string id = core::RandomHex(16);
  const long long now_s = Seconds(now);
  const long long expired_before = now_s - PendingImports::kLifetime.count();
  const std::string format = file.format == Format::kCsv ? "csv" : "hsds";
  soci::session sql(db_.pool());
  storage::Database::Transaction transaction(sql, db_.backend());
  sql << "DELETE FROM console_import_upload WHERE created_at < :before", soci::use(expired_before, "before");
  sql << "DELETE FROM console_import_job WHERE started_at < :before", soci::use(expired_before, "before");
  sql << "INSERT INTO console_import_upload (id, territory_slug, account_id, format, filename, content, created_at) "
         "VALUES (:id, :territory, :account, :format, :filename, :content, :now)",
      soci::use(id, "id"), soci::use(file.territory_slug, "territory"), soci::use(file.account_id, "account"),
      soci::use(format, "format"), soci::use(file.filename, "filename"), soci::use(file.content, "content"),
      soci::use(now_s, "now");
  transaction.Commit();
  return id;
}

std::optional<PendingImport> PendingImports::Find(const std::string& id, const std::string& territory_slug,
                                                  const std::string& account_id,
                                                  std::chrono::system_clock::time_point now) const {
  const long long not_before = Seconds(now) - PendingImports::kLifetime.count();
  PendingImport file;
  std::string format;
  soci::indicator found = soci::i_null;
  soci::session sql(db_.pool());
  sql << "SELECT format, filename, content FROM console_import_upload "
         "WHERE id = :id AND territory_slug = :territory AND account_id = :account AND created_at >= :not_before",
      soci::into(format, found), soci::into(file.filename), soci::into(file.content), soci::use(id, "id"),
      soci::use(territory_slug, "territory"), soci::use(account_id, "account"), soci::use(not_before, "not_before");
  if (!sql.got_data() || found != soci::i_ok) return std::nullopt;
  file.id = id;
  file.territory_slug = territory_slug;
  file.account_id = account_id;
  file.format = format == "csv" ? Format::kCsv : Format::kHsds;
  return file;
}

void PendingImports::Forget(soci::session& sql, const std::string& id) {
  sql << "DELETE FROM console_import_upload WHERE id = :id", soci::use(id, "id");
}

bool PendingImports::Has(const std::string& id, const std::string& territory_slug, const std::string& account_id,
                         std::chrono::system_clock::time_point now) const {
  const long long not_before = Seconds(now) - PendingImports::kLifetime.count();
  int count = 0;
  soci::session sql(db_.pool());
  sql << "SELECT COUNT(*) FROM console_import_upload "
         "WHERE id = :id AND territory_slug = :territory AND account_id = :account AND created_at >= :not_before",
      soci::into(count), soci::use(id, "id"), soci::use(territory_slug, "territory"), soci::use(account_id, "account"),
      soci::use(not_before, "not_before");
  return count > 0;
}

bool PendingImports::StartJob(const ImportJob& job, std::chrono::system_clock::time_point now,
                              std::chrono::system_clock::time_point running_since) {
  const std::string kind = KindCode(job.kind);
  const long long now_s = Seconds(now);
  const long long since_s = Seconds(running_since);
  soci::session sql(db_.pool());
  storage::Database::Transaction transaction(sql, db_.backend());
  soci::statement start = (sql.prepare << kStartJob, soci::use(job.upload_id, "upload"), soci::use(kind, "kind"),
                           soci::use(job.territory_slug, "territory"), soci::use(job.account_id, "account"),
                           soci::use(job.filename, "filename"), soci::use(now_s, "now"), soci::use(since_s, "since"));
  start.execute(true);
  const bool started = start.get_affected_rows() > 0;
  transaction.Commit();
  return started;
}

void PendingImports::FinishJob(soci::session& sql, const std::string& upload_id, ImportJobKind kind,
                               ImportJobState state, const std::string& result,
                               std::chrono::system_clock::time_point now) {
  const std::string kind_code = KindCode(kind);
  const std::string state_code = StateCode(state);
  const long long now_s = Seconds(now);
  sql << "UPDATE console_import_job SET state = :state, result = :result, finished_at = :now "
         "WHERE upload_id = :upload AND kind = :kind",
      soci::use(state_code, "state"), soci::use(result, "result"), soci::use(now_s, "now"),
      soci::use(upload_id, "upload"), soci::use(kind_code, "kind");
}

std::optional<ImportJob> PendingImports::FindJob(const std::string& upload_id, ImportJobKind kind,
                                                 const std::string& territory_slug,
                                                 const std::string& account_id) const {
  const std::string kind_code = KindCode(kind);
  ImportJob job;
  std::string state;
  soci::indicator found = soci::i_null;
  soci::session sql(db_.pool());
  sql << "SELECT filename, state, result, started_at FROM console_import_job "
         "WHERE upload_id = :upload AND kind = :kind AND territory_slug = :territory AND account_id = :account",
      soci::into(job.filename, found), soci::into(state), soci::into(job.result), soci::into(job.started_at),
      soci::use(upload_id, "upload"), soci::use(kind_code, "kind"), soci::use(territory_slug, "territory"),
      soci::use(account_id, "account");
  if (!sql.got_data() || found != soci::i_ok) return std::nullopt;
  job.upload_id = upload_id;
  job.kind = kind;
  job.territory_slug = territory_slug;
  job.account_id = account_id;
  job.state = ParseState(state);
  return job;
}

std::size_t PendingImports::InterruptJobsStartedBefore(std::chrono::system_clock::time_point before) {
  const long long before_s = Seconds(before);
  soci::session sql(db_.pool());
  soci::statement update = (sql.prepare << "UPDATE console_import_job SET state = 'interrupted' "
                                           "WHERE state = 'running' AND started_at <= :before",
                            soci::use(before_s, "before"));
  update.execute(true);
  return static_cast<std::size_t>(update.get_affected_rows());
}

}  // namespace passerelle::directory
