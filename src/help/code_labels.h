#pragma once
// The fixed answers of the contact question (codes and wording), shared by the engine, the
// question pages and API (src/help, worded for her) and the report (src/referral, worded for
// the professional).

#include <nlohmann/json.hpp>

#include <cstddef>
#include <string>
#include <vector>

namespace passerelle::help {

// One fixed answer of the contact question, declared once for everything that reads it: the
// stored code (checked by the engine, kept in reports), her wording (question pages and the
// chat through /api/v1/help, French source text translated by po/*.po) and the professional's
// wording (the report, French).
struct ContactCode {
  const char* code;
  const char* for_her;
  const char* for_professional;
};

inline constexpr ContactCode kContactChannels[] = {
    {"phone", "Par téléphone", "Par téléphone"},
    {"sms", "Par SMS", "Par SMS"},
    {"email", "Par e-mail", "Par e-mail"},
    {"in_person", "En personne, lors d’un rendez-vous", "En personne, lors d’un rendez-vous"},
    {"none", "Je veux seulement un nom : je prendrai contact moi-même",
     "Elle prendra contact elle-même : ne pas la contacter"},
};
inline constexpr ContactCode kContactTimes[] = {
    {"morning", "Le matin", "le matin"},           {"midday", "À l’heure du déjeuner", "à l’heure du déjeuner"},
    {"afternoon", "L’après-midi", "l’après-midi"}, {"evening", "Le soir", "le soir"},
    {"anytime", "À tout moment", "à tout moment"},
};
inline constexpr ContactCode kIfOtherAnswers[] = {
    {"hang_up", "Raccrocher sans rien dire", "Raccrocher sans rien dire"},
    {"pretext", "Donner un prétexte neutre (par exemple un sondage ou une erreur de numéro)",
     "Donner un prétexte neutre (sondage, erreur de numéro)"},
};
inline constexpr ContactCode kYesNo[] = {{"yes", "Oui", "Oui"}, {"no", "Non", "Non"}};

enum class Reader { kHer, kProfessional };

// The wording of `code` in `codes` for `reader`, or the code itself when unknown.
template <std::size_t N>
std::string LabelOf(const ContactCode (&codes)[N], const std::string& code, Reader reader) {
  for (const ContactCode& c : codes) {
    if (code == c.code) return reader == Reader::kHer ? c.for_her : c.for_professional;
  }
  return code;
}

// The codes of `codes`, in order.
template <std::size_t N>
std::vector<std::string> CodesOf(const ContactCode (&codes)[N]) {
  std::vector<std::string> out;
  for (const ContactCode& c : codes) out.emplace_back(c.code);
  return out;
}

// A JSON answer holding one string or a list of strings, as strings (anything else is skipped).
inline std::vector<std::string> Strings(const nlohmann::json& value) {
  std::vector<std::string> out;
  if (value.is_string()) out.push_back(value.get<std::string>());
  if (value.is_array()) {
    for (const auto& item : value) {
      if (item.is_string()) out.push_back(item.get<std::string>());
    }
  }
  return out;
}

}  // namespace passerelle::help
