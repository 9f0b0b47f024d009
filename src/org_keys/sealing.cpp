#include "org_keys/sealing.h"

#include <sodium.h>

#include "core/crypto.h"
#include "core/error.h"

namespace passerelle::org_keys {

namespace {

unsigned char* Bytes(std::string& s) { return reinterpret_cast<unsigned char*>(s.data()); }
const unsigned char* Bytes(std::string_view s) { return reinterpret_cast<const unsigned char*>(s.data()); }

}  // namespace

KeyPair GenerateKeyPair() {
  KeyPair keys{std::string(crypto_box_PUBLICKEYBYTES, '\0'), std::string(crypto_box_SECRETKEYBYTES, '\0')};
  crypto_box_keypair(Bytes(keys.public_key), Bytes(keys.secret_key));
  return keys;
}

KeyPair DeriveKeyPair(std::string_view secret, std::string_view salt) {
  if (salt.size() != crypto_pwhash_SALTBYTES) throw core::InfrastructureError("referral: bad key salt size");
  std::string seed(crypto_box_SEEDBYTES, '\0');
  if (crypto_pwhash(Bytes(seed), seed.size(), secret.data(), secret.size(), Bytes(salt),
                    crypto_pwhash_OPSLIMIT_INTERACTIVE, crypto_pwhash_MEMLIMIT_INTERACTIVE,
                    crypto_pwhash_ALG_ARGON2ID13) != 0) {
    throw core::InfrastructureError("referral: Argon2id key derivation failed (out of memory)");
  }
  KeyPair keys{std::string(crypto_box_PUBLICKEYBYTES, '\0'), std::string(crypto_box_SECRETKEYBYTES, '\0')};
  crypto_box_seed_keypair(Bytes(keys.public_key), Bytes(keys.secret_key), Bytes(std::string_view(seed)));
  sodium_memzero(seed.data(), seed.size());
  return keys;
}

std::string Seal(std::string_view plaintext, std::string_view public_key) {
  if (public_key.size() != crypto_box_PUBLICKEYBYTES) throw core::InfrastructureError("referral: bad public key size");
  std::string sealed(plaintext.size() + crypto_box_SEALBYTES, '\0');
  if (crypto_box_seal(Bytes(sealed), Bytes(plaintext), plaintext.size(), Bytes(public_key)) != 0) {
    throw core::InfrastructureError("referral: crypto_box_seal failed");
  }
  return core::Base64UrlEncode(sealed);
}

std::optional<std::string> Open(std::string_view sealed, const KeyPair& keys) {
  const auto raw = core::Base64UrlDecode(sealed);
  if (!raw || raw->size() < crypto_box_SEALBYTES || keys.public_key.size() != crypto_box_PUBLICKEYBYTES ||
      keys.secret_key.size() != crypto_box_SECRETKEYBYTES) {
    return std::nullopt;
  }
  std::string plaintext(raw->size() - crypto_box_SEALBYTES, '\0');
  if (crypto_box_seal_open(Bytes(plaintext), Bytes(std::string_view(*raw)), raw->size(), Bytes(keys.public_key),
                           Bytes(keys.secret_key)) != 0) {
    return std::nullopt;
  }
  return plaintext;
}

}  // namespace passerelle::org_keys
