#include "help/matching.h"

namespace passerelle::help {

MatchRequest MatchRequestFrom(const Answers& answers) {
  MatchRequest request;
  auto find = [&answers](const char* id) -> const nlohmann::json* {
    const auto it = answers.find(id);
    return it == answers.end() ? nullptr : &it->second;
  };
  if (const auto* needs = find("needs"); needs && needs->is_array()) {
    request.needs = needs->get<std::vector<std::string>>();
  }
  if (const auto* location = find("location"); location && location->is_object()) request.location = *location;
  if (const auto* language = find("language"); language && language->is_string()) {
    request.language = language->get<std::string>();
  }
  if (const auto* children = find("children"); children && children->is_string()) {
    request.children_at_risk = children->get<std::string>() == "yes_at_risk";
  }
  if (const auto* contact = find("contact"); contact && contact->is_object() && contact->contains("channel")) {
    request.contact_channel = contact->at("channel").get<std::string>();
  }
  return request;
}

std::vector<Proposal> ProposeProfessionals(const MatchRequest& /*request*/) {
  // Issue 3 §5 (needs the directory search): not implemented yet.
  return {};
}

}  // namespace passerelle::help
