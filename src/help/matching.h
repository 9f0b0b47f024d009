#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

#include "help/engine.h"

namespace passerelle::help {

// What the matching (issue 3 §5) ranks the directory's services by, taken from the answers.
struct MatchRequest {
  std::vector<std::string> needs;  // codes of node `needs`, in the flow's order
  nlohmann::json location;         // answer of node `location`, null when not given
  std::string language;            // code of node `language`, "" when not given
  bool children_at_risk = false;   // node `children` answered yes_at_risk
  std::string contact_channel;     // node `contact`: "none" means she only wants a name
};

MatchRequest MatchRequestFrom(const Answers& answers);

// A professional proposed to the person, with the one-line explanation of why.
struct Proposal {
  std::string organization_name;
  std::string explanation;  // "à 2,3 km · juriste · ouvert aujourd'hui jusqu'à 17 h"
  std::string phone;
};

// THE place where matching plugs in, once the directory search is available: rank the
// territory's services for `request`. Until then it proposes nobody — never invented
// professionals — and the end page shows the national and territory lines instead.
std::vector<Proposal> ProposeProfessionals(const MatchRequest& request);

}  // namespace passerelle::help
