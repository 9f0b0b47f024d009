#include "referral/followup_code.h"

#include <sodium.h>

#include <array>
#include <cstdint>
#include <vector>

#include "core/error.h"
#include "referral/argon2_cost.h"

namespace passerelle::referral {

namespace {

// Generated once from a hand-picked list: short, common, ASCII, neutral French words.
constexpr std::string_view kWords[] = {
    "abeille", "abri",    "acier",    "agneau",   "aigle",   "aile",    "air",      "allee",   "ambre",    "ami",
    "ananas",  "ancre",   "ange",     "anis",     "arbre",   "arc",     "argile",   "arome",   "atelier",  "aube",
    "avion",   "avril",   "azur",     "badge",    "baie",    "balle",   "banc",     "barque",  "bassin",   "bateau",
    "baume",   "bec",     "belle",    "berger",   "bijou",   "bille",   "biscuit",  "blanc",   "ble",      "bleu",
    "bois",    "bol",     "bonbon",   "bord",     "bouton",  "branche", "brise",    "brume",   "bulle",    "cabane",
    "cactus",  "cadre",   "cafe",     "cahier",   "caillou", "calme",   "camion",   "canal",   "canard",   "canne",
    "cape",    "carte",   "castor",   "cedre",    "cerise",  "cerf",    "chaise",   "chalet",  "champ",    "chant",
    "chat",    "chene",   "cheval",   "chou",     "cidre",   "ciel",    "cigale",   "cire",    "citron",   "clair",
    "cloche",  "clou",    "coffre",   "col",      "colline", "comete",  "conte",    "coq",     "coton",    "coude",
    "cour",    "crabe",   "craie",    "crayon",   "creme",   "cube",    "cygne",    "dahlia",  "dame",     "datte",
    "dauphin", "dent",    "desert",   "dune",     "eau",     "ecorce",  "ecureuil", "epi",     "etang",    "etoile",
    "fable",   "facteur", "falaise",  "farine",   "faucon",  "fenetre", "ferme",    "feuille", "figue",    "fil",
    "flute",   "foin",    "fontaine", "foret",    "fraise",  "frene",   "fromage",  "fruit",   "fusee",    "gaufre",
    "gazelle", "genet",   "girafe",   "givre",    "gland",   "globe",   "gomme",    "goutte",  "graine",   "grange",
    "grenier", "griotte", "grue",     "guitare",  "hamac",   "herbe",   "heron",    "hibou",   "hiver",    "houx",
    "ile",     "iris",    "ivoire",   "jade",     "jardin",  "jasmin",  "jeton",    "jonc",    "joue",     "jupe",
    "kayak",   "kiwi",    "lac",      "laine",    "lampe",   "lapin",   "laurier",  "lavande", "lentille", "lettre",
    "lierre",  "lilas",   "lime",     "lin",      "lion",    "livre",   "loutre",   "lune",    "lutin",    "mais",
    "manche",  "mangue",  "marche",   "marron",   "merle",   "miel",    "mimosa",   "miroir",  "moineau",  "montagne",
    "mouette", "moulin",  "mousse",   "mure",     "musique", "nappe",   "navire",   "neige",   "nid",      "noisette",
    "noix",    "nuage",   "ocean",    "olive",    "ombre",   "orange",  "orge",     "ours",    "outil",    "paille",
    "palmier", "panier",  "papier",   "parc",     "pastel",  "pavot",   "peche",    "pelle",   "perle",    "phare",
    "piano",   "pigeon",  "pin",      "plage",    "plume",   "poire",   "pomme",    "pont",    "prairie",  "prune",
    "puits",   "quai",    "quartz",   "radis",    "raisin",  "rame",    "renard",   "riviere", "robe",     "roche",
    "rose",    "roseau",  "ruban",    "ruche",    "sable",   "sapin",   "sauge",    "saule",   "savon",    "seigle",
    "sel",     "serre",   "sirop",    "soleil",   "source",  "sucre",   "table",    "tapis",   "terre",    "thym",
    "tigre",   "tilleul", "toile",    "tomate",   "torrent", "tortue",  "tulipe",   "vague",   "vallee",   "vanille",
    "velo",    "vent",    "verger",   "violette", "voile",   "yaourt",  "zebre",
};

constexpr std::size_t kWordCount = sizeof(kWords) / sizeof(kWords[0]);

std::uint32_t U32(std::string_view bytes, std::size_t at) {
  std::uint32_t v = 0;
  for (std::size_t i = 0; i < 4; ++i) v = (v << 8) | static_cast<unsigned char>(bytes[at + i]);
  return v;
}

bool IsWord(std::string_view w) {
  for (std::string_view known : kWords) {
    if (known == w) return true;
  }
  return false;
}

// Lower-case ASCII of one UTF-8 letter, accents folded ("é" → 'e'); 0 for anything else.
char FoldLetter(std::string_view text, std::size_t& i) {
  const unsigned char c = static_cast<unsigned char>(text[i]);
  if (c < 0x80) {
    ++i;
    if (c >= 'A' && c <= 'Z') return static_cast<char>(c - 'A' + 'a');
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) return static_cast<char>(c);
    return ' ';
  }
  if (c == 0xC3 && i + 1 < text.size()) {
    const unsigned char d = static_cast<unsigned char>(text[i + 1]) | 0x20;  // upper → lower
    i += 2;
    if (d >= 0xA0 && d <= 0xA5) return 'a';
    if (d == 0xA7) return 'c';
    if (d >= 0xA8 && d <= 0xAB) return 'e';
    if (d >= 0xAC && d <= 0xAF) return 'i';
    if (d >= 0xB2 && d <= 0xB6) return 'o';
    if (d >= 0xB9 && d <= 0xBC) return 'u';
    return 0;
  }
  return 0;
}

}  // namespace

std::size_t WordCount() { return kWordCount; }

std::string CodeFromBytes(std::string_view bytes) {
  if (bytes.size() < 16) throw core::InfrastructureError("referral: not enough material for a follow-up code");
  std::string code;
  for (std::size_t i = 0; i < 3; ++i) {
    code += kWords[U32(bytes, 4 * i) % kWordCount];
    code += '-';
  }
  const std::string digits = std::to_string(10000 + U32(bytes, 12) % 10000).substr(1);
  return code + digits;
}

std::optional<std::string> NormalizeCode(std::string_view typed) {
  if (typed.size() > 200) return std::nullopt;
  std::vector<std::string> parts(1);
  for (std::size_t i = 0; i < typed.size();) {
    const char c = FoldLetter(typed, i);
    if (c == 0) return std::nullopt;
    if (c == ' ') {
      if (!parts.back().empty()) parts.emplace_back();
      continue;
    }
    // Letters then digits without a separator ("velo4821") split too.
    if (!parts.back().empty() &&
        ((c >= '0' && c <= '9') != (parts.back().back() >= '0' && parts.back().back() <= '9'))) {
      parts.emplace_back();
    }
    parts.back().push_back(c);
  }
  if (parts.back().empty()) parts.pop_back();
  if (parts.size() != 4 || parts[3].size() != 4) return std::nullopt;
  for (char c : parts[3]) {
    if (c < '0' || c > '9') return std::nullopt;
  }
  for (std::size_t i = 0; i < 3; ++i) {
    if (!IsWord(parts[i])) return std::nullopt;
  }
  return parts[0] + "-" + parts[1] + "-" + parts[2] + "-" + parts[3];
}

std::string WordsOf(std::string_view canonical_code) {
  const auto last = canonical_code.rfind('-');
  return std::string(canonical_code.substr(0, last == std::string_view::npos ? 0 : last));
}

std::string HashCode(std::string_view canonical_code) {
  std::array<char, crypto_pwhash_STRBYTES> out{};
  if (crypto_pwhash_str(out.data(), canonical_code.data(), canonical_code.size(), kHashOpsLimit, kHashMemLimit) != 0) {
    throw core::InfrastructureError("referral: Argon2id hashing failed (out of memory)");
  }
  return std::string(out.data());
}

bool VerifyCode(std::string_view hash, std::string_view canonical_code) {
  const std::string h(hash);
  return crypto_pwhash_str_verify(h.c_str(), canonical_code.data(), canonical_code.size()) == 0;
}

}  // namespace passerelle::referral
