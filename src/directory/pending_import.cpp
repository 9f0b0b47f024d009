#include "directory/pending_import.h"

#include "core/crypto.h"

namespace passerelle::directory {

namespace {

long long Seconds(std::chrono::system_clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
}

}  // namespace

std::string PendingImports::Keep(PendingImport file, std::chrono::system_clock::time_point now) {
  const std::string id = core::RandomHex(16);
  const long long now_s = Seconds(now);
  const long long expired_before = now_s - PendingImports::kLifetime.count();
  const std::string format = file.format == Format::kCsv ? "csv" : "hsds";
  soci::session sql(db_.pool());
  storage::Database::Transaction transaction(sql, db_.backend());
  sql << "DELETE FROM console_import_upload WHERE created_at < :before", soci::use(expired_before, "before");
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

}  // namespace passerelle::directory
