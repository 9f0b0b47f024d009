#include "referral/draft.h"

#include <sodium.h>

#include "core/crypto.h"
#include "core/error.h"
#include "core/unix_time.h"

namespace passerelle::referral {

namespace {

constexpr const char* kSelectDraft = "SELECT sealed FROM public_draft WHERE id_hash = :id AND expires_at >= :now";
constexpr const char* kDeleteDraft = "DELETE FROM public_draft WHERE id_hash = :id";
constexpr const char* kDeleteExpired = "DELETE FROM public_draft WHERE expires_at < :now";
// Her draft replaced in place, only while it lives: a row updated says it existed.
constexpr const char* kUpdateDraft =
    "UPDATE public_draft SET sealed = :sealed, expires_at = :expires WHERE id_hash = :id AND expires_at >= :now";
constexpr const char* kInsertDraft =
    "INSERT INTO public_draft (id_hash, sealed, expires_at) VALUES (:id, :sealed, :expires)";

constexpr std::string_view kAssociatedData = "passerelle/public-draft/v1";
constexpr std::size_t kNonceBytes = crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;
constexpr std::size_t kTagBytes = crypto_aead_xchacha20poly1305_ietf_ABYTES;

const unsigned char* Bytes(std::string_view s) { return reinterpret_cast<const unsigned char*>(s.data()); }

std::string Hex(std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  for (unsigned char c : bytes) {
    out.push_back(kDigits[c >> 4]);
    out.push_back(kDigits[c & 15]);
  }
  return out;
}

// Expiry rounded up to the hour: the stored value does not date her last action finer.
long long ExpiryOf(std::chrono::system_clock::time_point now) {
  const long long at = core::UnixSeconds(now) + PublicDrafts::kLifetime.count();
  return (at / 3600 + 1) * 3600;
}

bool IsWellFormedId(const std::string& id) {
  const auto raw = core::Base64UrlDecode(id);
  return raw && raw->size() == PublicDrafts::kIdBytes;
}

}  // namespace

PublicDrafts::PublicDrafts(storage::Database& db, std::string key) : db_(db), key_(std::move(key)) {
  if (key_.size() != crypto_aead_xchacha20poly1305_ietf_KEYBYTES) {
    throw core::InfrastructureError("draft key must be 32 bytes");
  }
}

std::string PublicDrafts::RowOf(const std::string& id) const { return Hex(core::HmacSha256(key_, "row|" + id)); }

std::optional<nlohmann::json> PublicDrafts::Load(const std::string& id, TimePoint now) const {
  if (!IsWellFormedId(id)) return std::nullopt;
  std::string sealed_text;
  soci::indicator ind = soci::i_null;
  {
    soci::session sql(db_.pool());
    const std::string row = RowOf(id);
    const long long now_unix = core::UnixSeconds(now);
    sql << kSelectDraft, soci::into(sealed_text, ind), soci::use(row, "id"), soci::use(now_unix, "now");
    if (!sql.got_data() || ind != soci::i_ok) return std::nullopt;
  }
  const auto raw = core::Base64UrlDecode(sealed_text);
  if (!raw || raw->size() < kNonceBytes + kTagBytes) return std::nullopt;
  const std::string key = core::HmacSha256(key_, "seal|" + id);
  std::string plain(raw->size() - kNonceBytes - kTagBytes, '\0');
  unsigned long long length = 0;
  if (crypto_aead_xchacha20poly1305_ietf_decrypt(
          reinterpret_cast<unsigned char*>(plain.data()), &length, nullptr, Bytes(*raw) + kNonceBytes,
          raw->size() - kNonceBytes, Bytes(kAssociatedData), kAssociatedData.size(), Bytes(*raw), Bytes(key)) != 0) {
    return std::nullopt;
  }
  plain.resize(length);
  try {
    return nlohmann::json::parse(plain);
  } catch (const nlohmann::json::exception&) {
    return std::nullopt;
  }
}

std::string PublicDrafts::Save(const std::string& id, const nlohmann::json& content, TimePoint now) {
  const std::string plain = content.dump();
  const long long now_unix = core::UnixSeconds(now);
  const long long expires = ExpiryOf(now);
  // Sealed under its id's own key, so sealed once the id is known.
  const auto seal = [&](const std::string& used) {
    const std::string key = core::HmacSha256(key_, "seal|" + used);
    std::string out(kNonceBytes + plain.size() + kTagBytes, '\0');
    out.replace(0, kNonceBytes, core::RandomBytes(kNonceBytes));
    unsigned long long written = 0;
    crypto_aead_xchacha20poly1305_ietf_encrypt(reinterpret_cast<unsigned char*>(out.data()) + kNonceBytes, &written,
                                               Bytes(plain), plain.size(), Bytes(kAssociatedData),
                                               kAssociatedData.size(), nullptr, Bytes(out), Bytes(key));
    out.resize(kNonceBytes + written);
    return core::Base64UrlEncode(out);
  };
  // The expired drafts of anyone are swept at most once a minute (kSweepEvery), not at every
  // save: the sweep was one statement more per answer (docs/benchmarks.md, session 13). Until
  // then an expired row stays sealed and unreadable: Load and the update below skip it.
  long long last = last_sweep_.load(std::memory_order_relaxed);
  const bool sweep = (now_unix - last >= kSweepEvery.count() || now_unix < last) &&
                     last_sweep_.compare_exchange_strong(last, now_unix, std::memory_order_relaxed);
  // Her id is kept only when its draft still lives (never an id chosen by the client, nor one
  // whose draft expired or was destroyed): updated in place when it does, else a new id.
  const bool known = IsWellFormedId(id);
  return db_.InTransaction(
      [&](soci::session& sql) {
        if (sweep) sql << kDeleteExpired, soci::use(now_unix, "now");
        if (known) {
          const std::string row = RowOf(id);
          const std::string sealed = seal(id);
          soci::statement update = (sql.prepare << kUpdateDraft, soci::use(sealed, "sealed"),
                                    soci::use(expires, "expires"), soci::use(row, "id"), soci::use(now_unix, "now"));
          update.execute(true);
          if (update.get_affected_rows() > 0) return id;
        }
        const std::string fresh = core::Base64UrlEncode(core::RandomBytes(kIdBytes));
        const std::string row = RowOf(fresh);
        const std::string sealed = seal(fresh);
        sql << kInsertDraft, soci::use(row, "id"), soci::use(sealed, "sealed"), soci::use(expires, "expires");
        return fresh;
      },
      storage::Database::Durability::kRelaxed);  // a draft may be lost with the power, never half-written
}

void PublicDrafts::Destroy(const std::string& id) {
  if (!IsWellFormedId(id)) return;
  soci::session sql(db_.pool());
  const std::string row = RowOf(id);
  sql << kDeleteDraft, soci::use(row, "id");
}

}  // namespace passerelle::referral
