#include "help/service.h"

#include <algorithm>
#include <utility>

#include "core/crypto.h"
#include "help/place.h"

namespace passerelle::help {

const territory::Territory* HelpScope::Own() const {
  if (territory_slug.empty() || territories == nullptr) return nullptr;
  return territories->Find(territory_slug);
}

std::set<std::string> HelpScope::LocalCommunes() const {
  if (territories == nullptr) return {};
  if (territory_slug.empty()) return territories->active_communes;
  const territory::Territory* own = Own();
  return own == nullptr ? std::set<std::string>{} : help::LocalCommunes({*own});
}

HelpService::HelpService(HelpScope scope, stats::StatsRepository& stats) : scope_(std::move(scope)), stats_(stats) {}

const territory::Territory* HelpService::TerritoryFor(const FlowState& state) const {
  if (!scope_.territory_slug.empty()) return scope_.Own();
  if (scope_.territories == nullptr) return nullptr;
  for (const char* node : {"location", "youth", "emergency"}) {
    const auto it = state.answers.find(node);
    if (it == state.answers.end()) continue;
    if (const territory::Territory* t = scope_.territories->ActiveOfCommune(InseeOf(it->second))) return t;
  }
  return nullptr;
}

std::string HelpService::TerritorySlugFor(const FlowState& state) const {
  if (!scope_.territory_slug.empty()) return scope_.territory_slug;
  const territory::Territory* t = TerritoryFor(state);
  return t == nullptr ? "" : t->slug;
}

void HelpService::CountOnce(stats::StatEvent event, const std::string& detail, FlowState& state, TimePoint now) const {
  std::string key(stats::CodeOf(event));
  if (!detail.empty()) key += ":" + detail;
  if (std::find(state.counted.begin(), state.counted.end(), key) != state.counted.end()) return;
  if (state.counted.size() >= kMaxCountedPerRun) return;
  state.counted.push_back(std::move(key));
  stats_.Increment(event, TerritorySlugFor(state), detail, now);
}

void HelpService::CountArrival(const Node& node, FlowState& state, TimePoint now) const {
  if (node.type == NodeType::kYouth) CountOnce(stats::StatEvent::kMinorRedirected, "", state, now);
  if (node.type == NodeType::kEmergency) CountOnce(stats::StatEvent::kEmergencyExit, "", state, now);
  if (node.type == NodeType::kEnd) CountOnce(stats::StatEvent::kFlowCompleted, "", state, now);
}

namespace {

// The place given on the emergency page, or else at the location question.
nlohmann::json PlaceGivenAt(const FlowState& state, const std::string& node_id) {
  for (const std::string& id : {node_id, std::string("location")}) {
    const auto it = state.answers.find(id);
    if (it != state.answers.end() && it->second.is_object()) return it->second;
  }
  return nullptr;
}

}  // namespace

ShownStep HelpService::Show(const Node& node, FlowState state, std::uint64_t rotation_seed, TimePoint now) const {
  ShownStep shown;
  // One rotation per run: her results shown again (the report page's way back, Back, a
  // resubmission, the chat and the pages) propose the same professionals; another visitor,
  // another run, another rotation. Hashed (BLAKE2b), so that the order tells nothing of her run secret.
  if (!state.run_secret.empty()) {
    const std::string hash = core::HashHex("passerelle/help/rotation|" + state.run_secret, core::kHashMinBytes);
    rotation_seed = std::stoull(hash.substr(0, 16), nullptr, 16);
  }
  if (node.type == NodeType::kEmergency) {
    const nlohmann::json place = PlaceGivenAt(state, node.id);
    if (!place.is_null()) shown.police = NearestPolice(scope_.matching, place, 2, now);
  }
  // The services of the token she posted: her results shown again keep their order.
  const std::vector<std::string> seen = std::exchange(state.proposed, {});
  if (node.type == NodeType::kEnd) {
    Results results;
    results.request = MatchRequestFrom(state.answers);
    results.match = ProposeProfessionals(results.request, scope_.matching, scope_.Own(), rotation_seed, now);
    std::vector<Proposal>& proposals = results.match.proposals;
    if (!seen.empty()) {
      const auto rank = [&seen](const Proposal& p) {
        return std::find(seen.begin(), seen.end(), p.service_id) - seen.begin();
      };
      std::stable_sort(proposals.begin(), proposals.end(),
                       [&rank](const Proposal& a, const Proposal& b) { return rank(a) < rank(b); });
    }
    if (results.match.outcome == MatchOutcome::kNoMatch) {
      std::string needs;
      for (const std::string& need : results.request.needs) needs += (needs.empty() ? "" : ",") + need;
      CountOnce(stats::StatEvent::kNoMatch, "need:" + needs + "|" + results.match.insee_code, state, now);
    }
    for (const Proposal& p : proposals) state.proposed.push_back(p.service_id);
    results.referral_allowed = AllowsReferral(state);
    shown.results = std::move(results);
  }
  shown.state = std::move(state);
  return shown;
}

}  // namespace passerelle::help
