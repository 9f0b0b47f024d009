#include "accounts/keys.h"

#include <sodium.h>

#include "accounts/totp.h"
#include "core/crypto.h"
#include "core/error.h"

namespace passerelle::accounts {

org_keys::KeyPair KeyPairFromSecret(std::string_view secret_key) {
  if (secret_key.size() != crypto_box_SECRETKEYBYTES) throw core::InfrastructureError("accounts: bad secret key size");
  org_keys::KeyPair keys{std::string(crypto_box_PUBLICKEYBYTES, '\0'), std::string(secret_key)};
  crypto_scalarmult_base(reinterpret_cast<unsigned char*>(keys.public_key.data()),
                         reinterpret_cast<const unsigned char*>(keys.secret_key.data()));
  return keys;
}

std::string MembershipContext(std::string_view account_id, std::string_view organization_id) {
  return "membership|" + std::string(account_id) + "|" + std::string(organization_id);
}
std::string AccountSecretContext(std::string_view account_id) { return "account|" + std::string(account_id); }
std::string RecoveryContext(std::string_view organization_id) { return "recovery|" + std::string(organization_id); }
std::string InvitationContext(std::string_view organization_id) { return "invitation|" + std::string(organization_id); }
std::string TotpContext(std::string_view account_id) { return "totp|" + std::string(account_id); }

std::string NewRecoveryCode() {
  const std::string code = Base32Encode(core::RandomBytes(16)).substr(0, 25);
  std::string grouped;
  for (std::size_t i = 0; i < code.size(); ++i) {
    if (i > 0 && i % 5 == 0) grouped += '-';
    grouped += code[i];
  }
  return grouped;
}

std::string CanonicalRecoveryCode(std::string_view typed) {
  std::string out;
  for (char c : typed) {
    if (c == ' ' || c == '-' || c == '\t') continue;
    out += (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
  }
  return out;
}

}  // namespace passerelle::accounts
