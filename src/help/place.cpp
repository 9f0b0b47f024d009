#include "help/place.h"

#include <algorithm>

#include "geo/folding.h"

namespace passerelle::help {

namespace {

// The message with what she typed in it (never translated).
std::string Say(const annuaire::TranslateFn& translate, const std::string& msgid, const std::string& typed) {
  std::string text = translate(msgid);
  if (const auto at = text.find("{place}"); at != std::string::npos) text.replace(at, 7, typed);
  return text;
}

nlohmann::json Resolved(const geo::Commune& commune) {
  return nlohmann::json{{"commune", PlaceLabel(commune)}, {"insee", commune.insee_code}};
}

// The instance's communes first, then the most populous; at most kMaxPlaceOptions.
std::vector<PlaceOption> Options(std::vector<const geo::Commune*> communes, const std::set<std::string>& local) {
  std::stable_sort(communes.begin(), communes.end(), [&local](const geo::Commune* a, const geo::Commune* b) {
    return local.count(a->insee_code) > local.count(b->insee_code);
  });
  std::vector<PlaceOption> out;
  for (const geo::Commune* c : communes) {
    if (out.size() == kMaxPlaceOptions) break;
    out.push_back(PlaceOption{c->insee_code, PlaceLabel(*c)});
  }
  return out;
}

std::vector<const geo::Commune*> CommunesOf(const std::vector<geo::NameMatch>& matches) {
  std::vector<const geo::Commune*> out;
  for (const geo::NameMatch& m : matches) {
    if (std::find(out.begin(), out.end(), m.commune) == out.end()) out.push_back(m.commune);
  }
  return out;
}

// "Montreuil-sur-Mer (62170)", the label offered by this page or the autocomplete.
const geo::Commune* FromLabel(const geo::Gazetteer& gazetteer, const std::string& typed) {
  if (typed.size() < 9 || typed.back() != ')' || typed[typed.size() - 7] != '(') return nullptr;
  const std::string code = typed.substr(typed.size() - 6, 5);
  const std::string name = geo::FoldForSearch(typed.substr(0, typed.size() - 7));
  for (const geo::Commune* c : gazetteer.FindByPostalCode(code)) {
    if (geo::FoldForSearch(c->name) == name) return c;
  }
  return nullptr;
}

std::variant<nlohmann::json, AnswerError> CheckName(const geo::Gazetteer& gazetteer, const std::set<std::string>& local,
                                                    const std::string& typed, const annuaire::TranslateFn& translate) {
  if (const geo::Commune* labelled = FromLabel(gazetteer, typed)) return Resolved(*labelled);
  // Communes of that very name, and the instance's communes whose name begins with it
  // ("Montreuil": the Montreuil of Seine-Saint-Denis and Montreuil-sur-Mer in the Montreuillois).
  std::vector<const geo::Commune*> candidates = CommunesOf(gazetteer.FindByName(typed));
  const std::vector<geo::NameMatch> completions = gazetteer.Complete(typed, geo::kMaxCompletions);
  for (const geo::NameMatch& m : completions) {
    if (local.count(m.commune->insee_code) &&
        std::find(candidates.begin(), candidates.end(), m.commune) == candidates.end()) {
      candidates.push_back(m.commune);
    }
  }
  // Nothing of that name: the communes whose name begins with it ("le touquet").
  if (candidates.empty()) candidates = CommunesOf(completions);
  if (candidates.size() == 1) return Resolved(*candidates.front());
  if (candidates.size() > 1) {
    return AnswerError{"place",
                       Say(translate, "Plusieurs communes s’appellent « {place} » : choisissez la vôtre.", typed),
                       Options(candidates, local)};
  }
  std::vector<PlaceOption> close = Options(CommunesOf(gazetteer.FindSimilar(typed, geo::kMaxCompletions)), local);
  if (!close.empty()) {
    return AnswerError{"place",
                       Say(translate, "Nous ne trouvons pas de commune « {place} ». Vouliez-vous dire :", typed),
                       std::move(close)};
  }
  return AnswerError{
      "place",
      Say(translate, "Nous ne trouvons pas de commune « {place} ». Vérifiez l’orthographe, ou indiquez le code postal.",
          typed),
      {}};
}

}  // namespace

std::string PlaceLabel(const geo::Commune& commune) {
  return commune.postal_codes.empty() ? commune.name : commune.name + " (" + commune.postal_codes.front() + ")";
}

std::variant<nlohmann::json, AnswerError> CheckPlace(const geo::Gazetteer& gazetteer,
                                                     const std::set<std::string>& local, const nlohmann::json& given,
                                                     const annuaire::TranslateFn& translate) {
  if (gazetteer.size() == 0 || !given.is_object()) return given;
  if (given.contains("insee") && given["insee"].is_string()) {
    const geo::Commune* commune = gazetteer.FindByInsee(given["insee"].get<std::string>());
    if (commune == nullptr) {
      return AnswerError{"place", translate("Choisissez une commune dans la liste, ou indiquez un code postal."), {}};
    }
    return Resolved(*commune);
  }
  if (given.contains("postal_code") && given["postal_code"].is_string()) {
    const std::string code = given["postal_code"].get<std::string>();
    const std::vector<const geo::Commune*> communes = gazetteer.FindByPostalCode(code);
    if (communes.empty()) {
      return AnswerError{
          "place",
          Say(translate,
              "Aucune commune n’a le code postal « {place} ». Vérifiez-le, ou indiquez le nom de la commune.", code),
          {}};
    }
    // Several communes share most postal codes: the code is precise enough to search around;
    // the instance's own commune is preferred for the statistics and youth services.
    const auto own = std::find_if(communes.begin(), communes.end(),
                                  [&local](const geo::Commune* c) { return local.count(c->insee_code) > 0; });
    return nlohmann::json{{"postal_code", code},
                          {"insee", (own != communes.end() ? *own : communes.front())->insee_code}};
  }
  if (given.contains("commune") && given["commune"].is_string()) {
    return CheckName(gazetteer, local, given["commune"].get<std::string>(), translate);
  }
  return given;  // coordinates: placed by the matching (nearest commune)
}

std::set<std::string> LocalCommunes(const std::vector<territory::Territory>& territories) {
  std::set<std::string> out;
  for (const territory::Territory& t : territories) {
    for (const territory::Commune& c : t.communes) out.insert(c.insee_code);
  }
  return out;
}

const territory::Territory* TerritoryOf(const std::vector<territory::Territory>& territories,
                                        const std::string& insee_code) {
  if (insee_code.empty()) return nullptr;
  for (const territory::Territory& t : territories) {
    for (const territory::Commune& c : t.communes) {
      if (c.insee_code == insee_code) return &t;
    }
  }
  return nullptr;
}

std::string InseeOf(const nlohmann::json& location) {
  if (!location.is_object() || !location.contains("insee") || !location["insee"].is_string()) return "";
  return location["insee"].get<std::string>();
}

}  // namespace passerelle::help
