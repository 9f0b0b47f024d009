#include "org_keys/demo_keys.h"

#include <sodium.h>
#include <sys/stat.h>

#include <fstream>
#include <sstream>

#include "core/crypto.h"
#include "core/error.h"
#include "org_keys/sealing.h"
#include "org_keys/service.h"

namespace passerelle::org_keys {

namespace fs = std::filesystem;

KeyPair ReadDemoKey(const fs::path& file) {
  std::ifstream in(file);
  std::string text;
  if (!in || !std::getline(in, text)) throw core::InfrastructureError("cannot read demo key " + file.string());
  const auto secret = core::Base64UrlDecode(text);
  if (!secret || secret->size() != crypto_box_SECRETKEYBYTES) {
    throw core::InfrastructureError("malformed demo key " + file.string());
  }
  KeyPair keys{std::string(crypto_box_PUBLICKEYBYTES, '\0'), *secret};
  crypto_scalarmult_base(reinterpret_cast<unsigned char*>(keys.public_key.data()),
                         reinterpret_cast<const unsigned char*>(keys.secret_key.data()));
  return keys;
}

std::size_t ProvisionDemoKeys(storage::Database& db, const std::vector<std::string>& organization_ids,
                              const fs::path& dir, std::chrono::system_clock::time_point now) {
  fs::create_directories(dir);
  fs::permissions(dir, fs::perms::owner_all, fs::perm_options::replace);
  std::size_t created = 0;
  for (const std::string& id : organization_ids) {
    const fs::path file = dir / (id + ".key");
    const auto stored = PublicKeyOf(db, id);
    if (stored && fs::exists(file) && ReadDemoKey(file).public_key == *stored) continue;
    const KeyPair keys = GenerateKeyPair();
    {
      // Created 0600 before anything is written into it.
      const fs::path tmp = dir / (id + ".key.tmp");
      const mode_t old_mask = ::umask(077);
      std::ofstream out(tmp, std::ios::trunc);
      ::umask(old_mask);
      out << core::Base64UrlEncode(keys.secret_key) << "\n";
      out.close();
      if (!out) throw core::InfrastructureError("cannot write demo key " + tmp.string());
      fs::permissions(tmp, fs::perms::owner_read | fs::perms::owner_write, fs::perm_options::replace);
      fs::rename(tmp, file);
    }
    SetPublicKey(db, id, keys.public_key, now);
    ++created;
  }
  return created;
}

void RemoveDemoKey(const fs::path& dir, const std::string& organization_id) {
  if (dir.empty()) return;
  std::error_code ec;
  fs::remove(dir / (organization_id + ".key"), ec);
  if (ec) {
    throw core::InfrastructureError("cannot delete the adopted demo key of " + organization_id + ": " + ec.message());
  }
}

}  // namespace passerelle::org_keys
