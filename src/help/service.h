#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "help/engine.h"
#include "help/flow.h"
#include "help/matching.h"
#include "stats/repository.h"
#include "territory/live.h"
#include "territory/model.h"

// The help flow's use cases beyond the engine (issue 13 §3): which territory she is in, what a
// step counts, and what the end of the questions proposes. No HTTP: the question pages and the
// JSON API render what these decide, and seal the state they return.
namespace passerelle::help {

// Where the questions run and what the end proposes from.
struct HelpScope {
  std::string territory_slug;  // "" for the national site (statistics)
  // Every territory as the request found them (territory::LiveTerritories::Current): the
  // instance's own by its slug, or on the national site the active ones. Null: none known.
  std::shared_ptr<const territory::TerritorySet> territories;
  MatchDirectory matching;

  // The instance's territory (its slug's, archived or not); null on the national site or when
  // it is not in `territories`.
  const territory::Territory* Own() const;
  // The INSEE codes of the communes the instance serves (its own territory's, on the national
  // site every active territory's): first among homonyms.
  std::set<std::string> LocalCommunes() const;
};

// The end of the questions, decided once for the page, the API and the token.
struct Results {
  MatchRequest request;
  // Her proposals in the order she sees them: ranked, or when she comes back to her results
  // (action "resume"), in the order of the token's `proposed`.
  MatchResult match;
  bool referral_allowed = false;  // not when she only wants a name (AllowsReferral)
};

// A step as it is shown.
struct ShownStep {
  // What the step's token carries: on the end node `proposed` holds the services shown, in
  // order (the report page accepts only one of them, and "resume" shows them again in that
  // order); empty on every other node.
  FlowState state;
  std::optional<Results> results;  // on the end node only
  // On the emergency page with a place: the nearest police stations or gendarmeries.
  std::vector<Proposal> police;
};

class HelpService {
 public:
  // `stats` and the scope's directory must outlive the service.
  HelpService(HelpScope scope, stats::StatsRepository& stats);

  const HelpScope& scope() const { return scope_; }

  // The territory of her commune: the instance's own, or on a national instance the one whose
  // communes include the place she gave (null when unknown).
  const territory::Territory* TerritoryFor(const FlowState& state) const;
  // Its slug, for the statistics ("" when unknown).
  std::string TerritorySlugFor(const FlowState& state) const;

  // Counts her arrival at a youth, emergency or end node, under TerritorySlugFor, once per run:
  // the event is then written in `state.counted`, which the next token carries.
  void CountArrival(const Node& node, FlowState& state, TimePoint now) const;

  // `state` as its page shows it. On the end node: runs the matching (a seed keyed on the run
  // secret spreads visitors over equivalent professionals; `rotation_seed` only for a state
  // without a run), counts a search that found nobody for the
  // coordinators' gap analysis (her needs and commune, nothing else; once per run and search),
  // and keeps the services proposed in the state to seal.
  ShownStep Show(const Node& node, FlowState state, std::uint64_t rotation_seed, TimePoint now) const;

  // At most this many events counted per run: beyond (a run trying commune after commune), a
  // further search counts nothing, and the token stays small.
  static constexpr std::size_t kMaxCountedPerRun = 16;

 private:
  // Increments `event` (with `detail`) unless this run counted it already; records it in
  // `state.counted` as its code, and ":" and the detail when there is one.
  void CountOnce(stats::StatEvent event, const std::string& detail, FlowState& state, TimePoint now) const;

  HelpScope scope_;
  stats::StatsRepository& stats_;
};

}  // namespace passerelle::help
