#include "console/statistics.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstdio>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <variant>
#include <vector>

#include "accounts/register.h"
#include "annuaire/index.h"
#include "console/page.h"
#include "core/epoch_cache.h"
#include "core/paris_time.h"
#include "geo/repository.h"
#include "geo/spatial_index.h"
#include "help/matching.h"
#include "referral/statistics.h"
#include "stats/period.h"
#include "stats/repository.h"
#include "stats/suppression.h"
#include "stats/svg.h"
#include "territory/service.h"

namespace passerelle::console {

namespace {

using nlohmann::json;
using stats::StatEvent;

// The counted events, in the order of the pages (the visitor's path through the site).
struct EventLine {
  StatEvent event;
  const char* label;
};
constexpr EventLine kVisitLines[] = {
    {StatEvent::kVisitHome, "Visites de l’accueil"},
    {StatEvent::kVisitHelp, "Visites de la page « J’ai besoin d’aide »"},
    {StatEvent::kVisitSheets, "Visites des fiches"},
    {StatEvent::kVisitDirectory, "Visites de l’annuaire"},
};
constexpr EventLine kFlowLines[] = {
    {StatEvent::kHelpButtonClick, "Clics sur « J’ai besoin d’aide »"},
    {StatEvent::kFlowStarted, "Parcours d’aide commencés"},
    {StatEvent::kFlowCompleted, "Parcours d’aide terminés"},
    {StatEvent::kMinorRedirected, "Personnes mineures orientées vers les services jeunesse"},
    {StatEvent::kEmergencyExit, "Sorties vers les numéros d’urgence"},
    {StatEvent::kReferralSent, "Demandes envoyées aux professionnels"},
};
// Immediate connection (issue 12 §4): a table and a chart of their own.
constexpr EventLine kImmediateLines[] = {
    // The call-back (docs/immediate-connection.md).
    {StatEvent::kCallBackRequested, "Rappels immédiats demandés"},
    {StatEvent::kCallBackMade, "Rappels immédiats faits (marqués « appelée »)"},
    // "Écrire maintenant" (docs/conversation.md).
    {StatEvent::kConversationOffered, "Pages de résultats proposant « Écrire maintenant »"},
    {StatEvent::kConversationStarted, "Conversations commencées"},
    {StatEvent::kConversationAnswered, "Conversations prises par un professionnel"},
    {StatEvent::kConversationAbandoned, "Conversations abandonnées avant une réponse"},
    // Appointments (docs/immediate-connection.md).
    {StatEvent::kAppointmentBooked, "Rendez-vous pris"},
    {StatEvent::kAppointmentHonoured, "Rendez-vous honorés (marqués par le professionnel)"},
    {StatEvent::kAppointmentCancelled, "Rendez-vous annulés (par la personne ou l’organisation)"},
};
// The wait of each answered conversation, in the buckets it is counted in (stats::WaitBucketOf).
struct WaitLine {
  StatEvent event;
  const char* label;
  const char* median;    // the median when it falls in this bucket
  long long plotted_at;  // minutes: the bucket's upper bound (20 for the open one), on the chart
};
constexpr WaitLine kWaitLines[] = {
    {StatEvent::kConversationWait1m, "Au plus 1 minute", "au plus 1 minute", 1},
    {StatEvent::kConversationWait3m, "De 1 à 3 minutes", "entre 1 et 3 minutes", 3},
    {StatEvent::kConversationWait5m, "De 3 à 5 minutes", "entre 3 et 5 minutes", 5},
    {StatEvent::kConversationWait10m, "De 5 à 10 minutes", "entre 5 et 10 minutes", 10},
    {StatEvent::kConversationWaitLonger, "Plus de 10 minutes", "plus de 10 minutes", 20},
};
constexpr std::size_t kWaitBuckets = std::size(kWaitLines);

// The bucket holding the median of answered waits counted by bucket (the lower middle one for an
// even count); nothing when there is none.
std::optional<std::size_t> MedianWaitBucket(const std::array<long long, kWaitBuckets>& counts) {
  long long n = 0;
  for (long long c : counts) n += c;
  if (n <= 0) return std::nullopt;
  const long long rank = (n + 1) / 2;  // 1-based
  long long seen = 0;
  for (std::size_t i = 0; i < kWaitBuckets; ++i) {
    seen += counts[i];
    if (seen >= rank) return i;
  }
  return kWaitBuckets - 1;
}

// "entre 1 et 3 minutes", or why it is not published: fewer answered conversations than the
// threshold would let one conversation's wait be read.
std::string MedianWaitText(const std::array<long long, kWaitBuckets>& counts, long long threshold) {
  long long n = 0;
  for (long long c : counts) n += c;
  const auto median = MedianWaitBucket(counts);
  if (!median || n < threshold) {
    return "non publiée (moins de " + std::to_string(threshold) + " conversations prises)";
  }
  return kWaitLines[*median].median;
}

// The needs of the help flow (content/flows/fr.yaml, question "needs"), as coordinators read them.
const std::map<std::string, std::string>& NeedLabels() {
  static const std::map<std::string, std::string> labels = {
      {"listening", "Être écoutée"},
      {"rights", "Connaître ses droits"},
      {"lawyer", "Un avocat ou une avocate"},
      {"complaint", "Porter plainte"},
      {"protection_order", "Une ordonnance de protection"},
      {"housing", "Un hébergement ou un logement"},
      {"medical", "Voir un médecin, faire constater des blessures"},
      {"psychological", "Un soutien psychologique"},
      {"children", "De l’aide pour ses enfants"},
      {"financial", "Une aide financière"},
      {"other", "Autre chose"},
  };
  return labels;
}

std::string NeedLabel(const std::string& code) {
  const auto it = NeedLabels().find(code);
  return it == NeedLabels().end() ? code : it->second;
}

const std::map<std::string, std::string> kOutcomeLabels = {
    {"accompanied", "Close : accompagnement par l’organisation"},
    {"oriented_elsewhere", "Close : orientée vers un autre professionnel"},
    {"no_contact_possible", "Close : contact impossible en sécurité"},
    {"declined", "Close : la personne n’a pas souhaité poursuivre"},
    {"other", "Close : autre issue"},
};
const std::map<std::string, std::string> kReasonLabels = {
    {"out_of_area", "Refusée : hors de la zone couverte"},
    {"not_our_field", "Refusée : hors du champ de l’organisation"},
    {"no_capacity", "Refusée : pas de disponibilité"},
    {"other", "Refusée : autre raison"},
};

// One table of the page, as counted: raw figures, suppressed only when shown.
struct Table {
  std::string id;     // the CSV's `table` value
  std::string title;  // French
  std::string description;
  std::vector<std::string> columns;  // the first names the rows
  struct Row {
    std::string label;
    std::vector<long long> cells;
  };
  std::vector<Row> rows;
  bool total = false;  // a last row of column totals (stats::SuppressTotal)
  enum class Chart { kNone, kBars, kLine } chart = Chart::kNone;
  // A last column of text, one per row (a distance), never suppressed; empty: none.
  std::vector<std::string> notes = {};
  // What the chart draws instead of the first column's suppressed counts (a median's minutes,
  // nothing where it is not published); empty: the first column.
  std::vector<stats::Shown> plotted = {};
};

// The scope of a page: one territory, or every territory (operators).
struct Scope {
  std::optional<std::string> slug;
  std::string name;
  std::string base;  // "/pro/territoires/<slug>/statistiques" or "/pro/statistiques"
};

struct Report {
  stats::Period period;
  std::vector<Table> tables;
  referral::ReferralFigures referrals;
  std::map<StatEvent, long long> totals;
  std::string median_wait;  // MedianWaitText of the period
};

std::string BucketLabel(std::chrono::sys_days start, stats::Bucket bucket) {
  const std::string iso = stats::IsoDay(start);
  const std::string french = iso.substr(8, 2) + "/" + iso.substr(5, 2) + "/" + iso.substr(0, 4);
  if (bucket == stats::Bucket::kWeek) return "Semaine du " + french;
  if (bucket == stats::Bucket::kMonth) return iso.substr(5, 2) + "/" + iso.substr(0, 4);
  return french;
}

// "jour", "semaine" or "mois": how a time series is cut, in a table's description.
std::string BucketWord(stats::Bucket bucket) {
  if (bucket == stats::Bucket::kDay) return "jour";
  return bucket == stats::Bucket::kWeek ? "semaine" : "mois";
}

// "need:housing,legal|93048" → needs and INSEE code.
void ParseNoMatch(const std::string& detail, std::vector<std::string>& needs, std::string& insee) {
  needs.clear();
  insee.clear();
  std::string rest = detail.rfind("need:", 0) == 0 ? detail.substr(5) : detail;
  const auto bar = rest.find('|');
  if (bar != std::string::npos) {
    insee = rest.substr(bar + 1);
    rest.resize(bar);
  }
  std::size_t start = 0;
  while (start <= rest.size()) {
    const auto comma = rest.find(',', start);
    const std::string need = rest.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    if (!need.empty()) needs.push_back(need);
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
}

// The gap analysis searches this far for the nearest matching service (the spatial index's limit).
constexpr double kNearestSearchKm = geo::kMaxRadiusKm;

// "12,3 km"; "aucun à moins de 1 000 km"; "non calculée" for an unknown commune.
std::string NearestText(const help::MatchDirectory& matching, const std::string& insee, const std::string& need) {
  const geo::Commune* commune =
      matching.gazetteer == nullptr || insee.empty() ? nullptr : matching.gazetteer->FindByInsee(insee);
  if (commune == nullptr || matching.index == nullptr) return "non calculée";
  const auto km = help::NearestMatchingKm(matching, commune->lat, commune->lon, need, kNearestSearchKm);
  if (!km) return "aucun à moins de 1 000 km";
  char text[32];
  std::snprintf(text, sizeof text, "%.1f", *km);
  std::string shown = text;
  std::replace(shown.begin(), shown.end(), '.', ',');
  return shown + " km";
}

// NearestText per commune and need, for as long as the annuaire's index is unchanged: one search
// up to 1,000 km walks many cells of the spatial index (measured with callgrind: 73 % of a month
// page with 700 gap rows), and the index changes rarely (docs/benchmarks.md "Statistics").
class NearestCache {
 public:
  std::string Text(const help::MatchDirectory& matching, const std::string& insee, const std::string& need) {
    const std::uint64_t generation = matching.index == nullptr ? 0 : matching.index->Generation();
    const std::string key = insee + "|" + need;
    if (auto kept = texts_.Find(generation, key)) return *std::move(kept);
    std::string text = NearestText(matching, insee, need);
    texts_.Store(generation, key, text);
    return text;
  }

 private:
  // Every commune × need of a period's gaps; a new generation of the annuaire empties it.
  static constexpr std::size_t kMaxTexts = 1 << 16;
  core::EpochCache<std::uint64_t, std::string> texts_{kMaxTexts};
};

Report Build(storage::Database& db, const Scope& scope, const stats::Period& period, const std::string& today,
             const help::MatchDirectory& matching, stats::SumsCache& cache, NearestCache& nearest,
             long long threshold) {
  Report report{period, {}, {}, {}, {}};
  const stats::Bucket bucket = period.bucket();
  const stats::CounterSums sums =
      cache.Sums(db, scope.slug, period.FirstIso(), period.LastIso(), today,
                 bucket == stats::Bucket::kMonth ? stats::StatsRepository::Resolution::kMonths
                                                 : stats::StatsRepository::Resolution::kDays);
  const std::vector<std::chrono::sys_days> starts = stats::BucketStarts(period);
  std::map<std::string, std::size_t> index_of_bucket;
  for (std::size_t i = 0; i < starts.size(); ++i) index_of_bucket[stats::IsoDay(starts[i])] = i;

  // By kind, by bucket (visits together), by territory.
  std::vector<long long> visits(starts.size()), clicks(starts.size()), started(starts.size()), sent(starts.size());
  std::vector<std::array<long long, kWaitBuckets>> waits(starts.size(), std::array<long long, kWaitBuckets>{});
  std::map<std::string, std::map<StatEvent, long long>> by_territory;
  for (const stats::DayCount& row : sums.by_day) {
    const auto event = stats::ParseStatEvent(row.kind);
    if (!event) continue;
    report.totals[*event] += row.count;
    by_territory[row.territory_slug][*event] += row.count;
    std::chrono::sys_days day{};
    if (!stats::ParseIsoDay(row.day, day)) continue;
    const auto it = index_of_bucket.find(stats::IsoDay(stats::BucketStart(day, bucket)));
    if (it == index_of_bucket.end()) continue;
    if (row.kind.rfind("visit_", 0) == 0) visits[it->second] += row.count;
    if (*event == StatEvent::kHelpButtonClick) clicks[it->second] += row.count;
    if (*event == StatEvent::kFlowStarted) started[it->second] += row.count;
    if (*event == StatEvent::kReferralSent) sent[it->second] += row.count;
    for (std::size_t w = 0; w < kWaitBuckets; ++w) {
      if (*event == kWaitLines[w].event) waits[it->second][w] += row.count;
    }
  }

  Table events{"activite",
               "Activité du site",
               "Chaque nombre compte des événements, jamais des personnes.",
               {"Événement", "Nombre"},
               {},
               false,
               Table::Chart::kBars};
  for (const auto& lines : {std::vector<EventLine>(std::begin(kVisitLines), std::end(kVisitLines)),
                            std::vector<EventLine>(std::begin(kFlowLines), std::end(kFlowLines))}) {
    for (const EventLine& line : lines) events.rows.push_back({line.label, {report.totals[line.event]}});
  }
  report.tables.push_back(std::move(events));

  Table over_time{"evolution",
                  "Évolution sur la période",
                  "Visites des pages publiques par " + BucketWord(bucket) +
                      " ; le tableau donne aussi les clics, les parcours commencés et les demandes envoyées.",
                  {"Période", "Visites", "Clics « J’ai besoin d’aide »", "Parcours commencés", "Demandes envoyées"},
                  {},
                  true,
                  Table::Chart::kLine};
  for (std::size_t i = 0; i < starts.size(); ++i) {
    over_time.rows.push_back({BucketLabel(starts[i], bucket), {visits[i], clicks[i], started[i], sent[i]}});
  }
  report.tables.push_back(std::move(over_time));

  // Immediate connection (issue 12 §4): the call-back, the conversation, the appointments.
  Table immediate{"immediat",
                  "Mise en relation immédiate",
                  "Rappels immédiats, conversations « Écrire maintenant » et rendez-vous : des événements, jamais "
                  "des personnes.",
                  {"Événement", "Nombre"},
                  {},
                  false,
                  Table::Chart::kBars};
  for (const EventLine& line : kImmediateLines) immediate.rows.push_back({line.label, {report.totals[line.event]}});
  report.tables.push_back(std::move(immediate));

  // The wait before a professional takes a conversation: its buckets, and its median over time.
  std::array<long long, kWaitBuckets> all_waits{};
  Table wait{"attente",
             "Attente avant une réponse dans « Écrire maintenant »",
             "Conversations prises par un professionnel, selon l’attente avant qu’il les prenne.",
             {"Attente", "Conversations prises"},
             {},
             false,
             Table::Chart::kBars};
  for (std::size_t w = 0; w < kWaitBuckets; ++w) {
    all_waits[w] = report.totals[kWaitLines[w].event];
    wait.rows.push_back({kWaitLines[w].label, {all_waits[w]}});
  }
  report.tables.push_back(std::move(wait));
  report.median_wait = MedianWaitText(all_waits, threshold);
  Table median_wait{"attente_mediane",
                    "Attente médiane dans « Écrire maintenant », sur la période",
                    "L’attente médiane avant qu’un professionnel prenne une conversation, par " + BucketWord(bucket) +
                        ", lue dans les tranches où chaque attente est comptée. Le graphique place chaque point à la "
                        "borne haute de sa tranche, en minutes (1, 3, 5, 10 ; 20 pour plus de 10 minutes) ; la "
                        "médiane n’est publiée qu’à partir de " +
                        std::to_string(threshold) + " conversations prises.",
                    {"Période", "Conversations prises", "Attente médiane"},
                    {},
                    false,
                    Table::Chart::kLine};
  for (std::size_t i = 0; i < starts.size(); ++i) {
    long long answered = 0;
    for (long long c : waits[i]) answered += c;
    median_wait.rows.push_back({BucketLabel(starts[i], bucket), {answered}});
    median_wait.notes.push_back(MedianWaitText(waits[i], threshold));
    const auto median = MedianWaitBucket(waits[i]);
    median_wait.plotted.push_back(median && answered >= threshold ? stats::Shown(kWaitLines[*median].plotted_at)
                                                                  : std::nullopt);
  }
  report.tables.push_back(std::move(median_wait));

  // Referrals (src/referral: codes and days, never a sealed column).
  report.referrals = referral::ReadReferralFigures(db, scope.slug, period.FirstIso(), period.LastIso());
  const referral::ReferralFigures& r = report.referrals;
  Table outcomes{"suites",
                 "Suites des demandes envoyées pendant la période",
                 "État actuel des demandes envoyées pendant la période.",
                 {"Suite", "Nombre"},
                 {},
                 false,
                 Table::Chart::kBars};
  outcomes.rows.push_back({"Demandes envoyées", {r.sent}});
  outcomes.rows.push_back({"Prises en compte dans le délai d’alerte", {r.acknowledged_in_time}});
  outcomes.rows.push_back({"Prises en compte", {r.acknowledged}});
  outcomes.rows.push_back({"Personne contactée", {r.contacted}});
  for (const auto& [code, label] : kOutcomeLabels) {
    const auto it = r.closed.find(code);
    outcomes.rows.push_back({label, {it == r.closed.end() ? 0 : it->second}});
  }
  for (const auto& [code, label] : kReasonLabels) {
    const auto it = r.refused.find(code);
    outcomes.rows.push_back({label, {it == r.refused.end() ? 0 : it->second}});
  }
  outcomes.rows.push_back({"Transmises à une autre organisation", {r.handed_over}});
  outcomes.rows.push_back({"Expirées sans suite", {r.expired}});
  report.tables.push_back(std::move(outcomes));

  // The gap analysis: "no match" by need and by commune.
  std::map<std::string, long long> by_need, by_commune;
  std::map<std::pair<std::string, std::string>, long long> by_commune_need;
  for (const stats::DetailCount& row : sums.no_match) {
    std::vector<std::string> needs;
    std::string insee;
    ParseNoMatch(row.detail, needs, insee);
    if (needs.empty()) needs.push_back("other");
    for (const std::string& need : needs) {
      by_need[need] += row.count;
      by_commune_need[{insee, need}] += row.count;
    }
    by_commune[insee] += row.count;
  }
  Table needs{"besoins",
              "Besoins sans réponse, par besoin",
              "Parcours terminés sans aucun professionnel à proposer, par besoin exprimé (une personne peut en "
              "exprimer plusieurs).",
              {"Besoin", "Parcours sans réponse"},
              {},
              false,
              Table::Chart::kBars};
  for (const auto& [need, count] : by_need) needs.rows.push_back({NeedLabel(need), {count}});
  std::stable_sort(needs.rows.begin(), needs.rows.end(),
                   [](const Table::Row& a, const Table::Row& b) { return a.cells[0] > b.cells[0]; });
  report.tables.push_back(std::move(needs));

  std::vector<std::string> codes;
  for (const auto& [insee, count] : by_commune) {
    if (!insee.empty()) codes.push_back(insee);
  }
  const std::map<std::string, std::string> names = geo::CommuneNames(db, codes);
  Table communes{"communes",
                 "Besoins sans réponse, par commune",
                 "Communes classées du plus grand nombre de parcours sans réponse au plus petit.",
                 {"Commune", "Parcours sans réponse"},
                 {},
                 true,
                 Table::Chart::kBars};
  for (const auto& [insee, count] : by_commune) {
    const auto name = names.find(insee);
    const std::string label = insee.empty()         ? "Commune inconnue"
                              : name == names.end() ? insee
                                                    : name->second + " (" + insee + ")";
    communes.rows.push_back({label, {count}});
  }
  std::stable_sort(communes.rows.begin(), communes.rows.end(),
                   [](const Table::Row& a, const Table::Row& b) { return a.cells[0] > b.cells[0]; });
  report.tables.push_back(std::move(communes));

  // By commune and need, with the distance from the commune's centre to the nearest public
  // service answering that need (any territory): how far the gap is from being filled.
  Table gaps{"communes_besoins",
             "Besoins sans réponse, par commune et par besoin",
             "Pour chaque commune et chaque besoin, la distance du centre de la commune au service public le plus "
             "proche qui y répond (dans n’importe quel territoire).",
             {"Commune et besoin", "Parcours sans réponse", "Service correspondant le plus proche"},
             {},
             false,
             Table::Chart::kNone};
  std::vector<std::pair<std::pair<std::string, std::string>, long long>> gap_rows(by_commune_need.begin(),
                                                                                  by_commune_need.end());
  std::stable_sort(gap_rows.begin(), gap_rows.end(), [](const auto& a, const auto& b) { return a.second > b.second; });
  for (const auto& [key, count] : gap_rows) {
    const auto& [insee, need] = key;
    const auto name = names.find(insee);
    const std::string commune = insee.empty()         ? "Commune inconnue"
                                : name == names.end() ? insee
                                                      : name->second + " (" + insee + ")";
    gaps.rows.push_back({commune + " : " + NeedLabel(need), {count}});
    gaps.notes.push_back(nearest.Text(matching, insee, need));
  }
  report.tables.push_back(std::move(gaps));

  if (!scope.slug) {
    Table territories{"territoires",
                      "Par territoire",
                      "Chaque territoire, le site national (sans territoire) et le total national.",
                      {"Territoire", "Visites", "Parcours commencés", "Demandes envoyées"},
                      {},
                      true,
                      Table::Chart::kNone};
    territory::TerritoryService service(db);
    std::vector<std::string> slugs = service.ListSlugs();
    for (const auto& [slug, counts] : by_territory) {
      if (std::find(slugs.begin(), slugs.end(), slug) == slugs.end()) slugs.push_back(slug);
    }
    for (const std::string& slug : slugs) {
      const auto found = by_territory.find(slug);
      const std::map<StatEvent, long long> none;
      const auto& counts = found == by_territory.end() ? none : found->second;
      const auto count = [&counts](StatEvent e) {
        const auto it = counts.find(e);
        return it == counts.end() ? 0LL : it->second;
      };
      const auto t = slug.empty() ? std::nullopt : service.Find(slug);
      territories.rows.push_back({slug.empty() ? "Site national"
                                  : t          ? t->name
                                               : slug,
                                  {count(StatEvent::kVisitHome) + count(StatEvent::kVisitHelp) +
                                       count(StatEvent::kVisitSheets) + count(StatEvent::kVisitDirectory),
                                   count(StatEvent::kFlowStarted), count(StatEvent::kReferralSent)}});
    }
    report.tables.push_back(std::move(territories));
  }
  return report;
}

// The shown figures of a table: every cell through Suppress, the total row through SuppressTotal.
std::vector<std::vector<std::string>> ShownRows(const Table& table, long long threshold, bool csv) {
  const auto show = [&](const stats::Shown& shown) {
    return csv ? stats::ShowInCsv(shown, threshold) : stats::ShowOnPage(shown, threshold);
  };
  std::vector<std::vector<std::string>> rows;
  for (std::size_t r = 0; r < table.rows.size(); ++r) {
    const Table::Row& row = table.rows[r];
    std::vector<std::string> shown{row.label};
    for (long long cell : row.cells) shown.push_back(show(stats::Suppress(cell, threshold)));
    if (r < table.notes.size()) shown.push_back(table.notes[r]);
    rows.push_back(std::move(shown));
  }
  if (table.total) {
    std::vector<std::string> total{"Total"};
    const std::size_t note_columns = table.notes.empty() ? 0 : 1;
    for (std::size_t c = 0; c + 1 + note_columns < table.columns.size(); ++c) {
      std::vector<long long> column;
      for (const Table::Row& row : table.rows) column.push_back(row.cells[c]);
      total.push_back(show(stats::SuppressTotal(column, threshold)));
    }
    total.resize(table.columns.size());
    rows.push_back(std::move(total));
  }
  return rows;
}

std::string ChartOf(const Table& table, long long threshold) {
  if (table.chart == Table::Chart::kNone || table.rows.empty()) return "";
  stats::Chart chart{"chart-" + table.id, table.title, table.description, {}, threshold};
  for (std::size_t i = 0; i < table.rows.size(); ++i) {
    const Table::Row& row = table.rows[i];
    chart.points.push_back(
        {row.label, table.plotted.empty() ? stats::Suppress(row.cells[0], threshold) : table.plotted[i]});
  }
  return table.chart == Table::Chart::kLine ? stats::LineChart(chart) : stats::BarChart(chart);
}

std::string PeriodQuery(const stats::Period& period) {
  if (period.kind == "custom") return "period=custom&du=" + period.FirstIso() + "&au=" + period.LastIso();
  return "period=" + period.kind;
}

std::string FrenchDay(const std::string& iso) {
  return iso.substr(8, 2) + "/" + iso.substr(5, 2) + "/" + iso.substr(0, 4);
}

std::string Days(const std::optional<double>& days, long long values, long long threshold) {
  if (!days || values < threshold) return "non publié (moins de " + std::to_string(threshold) + " demandes)";
  char text[32];
  std::snprintf(text, sizeof text, "%.1f", *days);
  std::string shown = text;
  if (shown.size() > 2 && shown.substr(shown.size() - 2) == ".0") shown.resize(shown.size() - 2);
  std::replace(shown.begin(), shown.end(), '.', ',');
  return shown + (*days <= 1 ? " jour" : " jours");
}

json PeriodChoices(const std::string& chosen) {
  json choices = json::array();
  for (const auto& [value, label] :
       std::vector<std::pair<std::string, std::string>>{{"week", "Les 7 derniers jours"},
                                                        {"month", "Le mois en cours"},
                                                        {"quarter", "Le trimestre en cours"},
                                                        {"year", "L’année en cours"},
                                                        {"custom", "Des dates choisies"}}) {
    choices.push_back({{"value", value}, {"label", label}, {"selected", value == chosen}});
  }
  return choices;
}

// Rows of a long ranking shown on the page; the CSV has them all.
constexpr std::size_t kPageRows = 50;

struct Handler {
  ConsoleContext context;
  long long threshold;
  // The sums of the days before today, read once per period (docs/benchmarks.md "Statistics").
  std::shared_ptr<stats::SumsCache> sums_cache;
  std::shared_ptr<NearestCache> nearest_cache;  // the gap analysis's distances

  std::string Today() const { return stats::IsoDay(core::ParisDay(context.clock())); }

  Scope ScopeOf(const http::Request& request) const {
    const std::string slug = request.Param("territory");
    if (slug.empty()) return Scope{std::nullopt, "Tous les territoires", "/pro/statistiques"};
    const auto territory = territory::TerritoryService(context.db).Find(slug);
    return Scope{slug, territory ? territory->name : slug, TerritoryPath(slug, "statistiques")};
  }

  stats::PeriodForm FormOf(const http::Request& request) const {
    const auto q = request.QueryParams();
    return {q.Get("period").value_or(""), q.Get("du").value_or(""), q.Get("au").value_or("")};
  }

  // The page with its period form; `error` names the refused field (400).
  http::Response Statistics(http::Request& request, const accounts::Principal& principal) const {
    const Scope scope = ScopeOf(request);
    const stats::PeriodForm form = FormOf(request);
    const auto parsed = stats::ParsePeriod(form, core::ParisDay(context.clock()));
    json data = {{"name", scope.name},
                 {"operator_scope", !scope.slug},
                 {"action", scope.base},
                 {"hub", scope.slug ? TerritoryPath(*scope.slug) : "/pro/territoires"},
                 {"periods", PeriodChoices(form.period.empty() ? "month" : form.period)},
                 {"du", form.from},
                 {"au", form.to},
                 {"threshold", threshold}};
    if (const auto* error = std::get_if<stats::PeriodError>(&parsed)) {
      json errors = accounts::ErrorData({{error->field, error->message}});
      data.update(errors);
      data[error->field + "_error"] = error->message;
      return Page(context.renderer, request, principal, 400, "console_statistics", "Statistiques : " + scope.name,
                  data);
    }
    const stats::Period& period = std::get<stats::Period>(parsed);
    const Report report =
        Build(context.db, scope, period, Today(), context.matching, *sums_cache, *nearest_cache, threshold);
    json tables = json::array();
    for (const Table& whole : report.tables) {
      // A long ranking (communes, communes and needs) shows its first rows on the page and
      // every row in its CSV: a page of hundreds of rows is read by nobody and is the cost of
      // the page (docs/benchmarks.md "Statistics").
      const bool cut = !whole.total && whole.chart != Table::Chart::kLine && whole.rows.size() > kPageRows;
      Table first_rows;
      if (cut) {
        first_rows = Table{whole.id, whole.title, whole.description, whole.columns, {}, false, whole.chart, {}};
        first_rows.rows.assign(whole.rows.begin(), whole.rows.begin() + kPageRows);
        if (!whole.notes.empty()) first_rows.notes.assign(whole.notes.begin(), whole.notes.begin() + kPageRows);
      }
      const Table& table = cut ? first_rows : whole;
      json rows = json::array();
      const auto shown = ShownRows(table, threshold, false);
      for (std::size_t i = 0; i < shown.size(); ++i) {
        rows.push_back({{"label", shown[i][0]},
                        {"cells", std::vector<std::string>(shown[i].begin() + 1, shown[i].end())},
                        {"total", table.total && i + 1 == shown.size()}});
      }
      tables.push_back({{"id", table.id},
                        {"title", table.title},
                        {"description", table.description},
                        {"svg", ChartOf(table, threshold)},
                        {"label_column", table.columns[0]},
                        {"columns", std::vector<std::string>(table.columns.begin() + 1, table.columns.end())},
                        {"rows", rows},
                        {"empty", table.rows.empty()},
                        {"csv", scope.base + ".csv?table=" + table.id + "&" + PeriodQuery(period)}});
      if (cut) tables.back()["more"] = whole.rows.size() - kPageRows;  // mustache: 0 would be shown
    }
    const referral::ReferralFigures& r = report.referrals;
    data["tables"] = tables;
    data["from"] = FrenchDay(period.FirstIso());
    data["to"] = FrenchDay(period.LastIso());
    data["summary"] = scope.base + "/synthese?" + PeriodQuery(period);
    data["median_acknowledgement"] = Days(r.median_days_to_acknowledgement, r.acknowledged, threshold);
    data["median_contact"] = Days(r.median_days_to_contact, r.contacted, threshold);
    data["median_wait"] = report.median_wait;
    return Page(context.renderer, request, principal, 200, "console_statistics", "Statistiques : " + scope.name, data);
  }

  http::Response Csv(http::Request& request, const accounts::Principal& principal) const {
    const Scope scope = ScopeOf(request);
    const auto parsed = stats::ParsePeriod(FormOf(request), core::ParisDay(context.clock()));
    if (const auto* error = std::get_if<stats::PeriodError>(&parsed)) {
      return http::Response::Error(400, "Paramètre « " + error->field + " » : " + error->message);
    }
    const std::string wanted = request.QueryParams().Get("table").value_or("");
    const Report report = Build(context.db, scope, std::get<stats::Period>(parsed), Today(), context.matching,
                                *sums_cache, *nearest_cache, threshold);
    const auto table =
        std::find_if(report.tables.begin(), report.tables.end(), [&wanted](const Table& t) { return t.id == wanted; });
    if (table == report.tables.end()) {
      std::string known;
      for (const Table& t : report.tables) known += (known.empty() ? "" : ", ") + t.id;
      return http::Response::Error(400, "Paramètre « table » : choisissez l’un des tableaux " + known + ".");
    }
    (void)principal;
    const auto quote = [](const std::string& field) {
      std::string out = "\"";
      // A leading =, +, - or @ would be a formula in a spreadsheet.
      if (!field.empty() && std::string("=+-@").find(field[0]) != std::string::npos) out += "'";
      for (char c : field) out += c == '"' ? std::string("\"\"") : std::string(1, c);
      return out + "\"";
    };
    std::string csv;
    for (std::size_t i = 0; i < table->columns.size(); ++i) csv += (i ? "," : "") + quote(table->columns[i]);
    csv += "\r\n";
    for (const auto& row : ShownRows(*table, threshold, true)) {
      for (std::size_t i = 0; i < row.size(); ++i) csv += (i ? "," : "") + quote(row[i]);
      csv += "\r\n";
    }
    http::Response response = http::Response::Text(200, csv);
    response.SetHeader("Content-Type", "text/csv; charset=utf-8");
    const std::string file = (scope.slug ? *scope.slug : std::string("national")) + "-" + table->id + "-" +
                             report.period.FirstIso() + "-" + report.period.LastIso() + ".csv";
    response.SetHeader("Content-Disposition", "attachment; filename=\"" + file + "\"");
    return response;
  }

  // One printable page for the town hall: the figures a partner reports.
  http::Response Summary(http::Request& request, const accounts::Principal& principal) const {
    const Scope scope = ScopeOf(request);
    const auto parsed = stats::ParsePeriod(FormOf(request), core::ParisDay(context.clock()));
    if (const auto* error = std::get_if<stats::PeriodError>(&parsed)) {
      json data = {{"name", scope.name}, {"back", scope.base}};
      data.update(accounts::ErrorData({{error->field, error->message}}));
      return Page(context.renderer, request, principal, 400, "console_stat_summary", "Synthèse : " + scope.name, data);
    }
    const Report report = Build(context.db, scope, std::get<stats::Period>(parsed), Today(), context.matching,
                                *sums_cache, *nearest_cache, threshold);
    const auto total = [&report](StatEvent e) {
      const auto it = report.totals.find(e);
      return it == report.totals.end() ? 0LL : it->second;
    };
    const auto shown = [this](long long n) { return stats::ShowOnPage(stats::Suppress(n, threshold), threshold); };
    const long long visits = total(StatEvent::kVisitHome) + total(StatEvent::kVisitHelp) +
                             total(StatEvent::kVisitSheets) + total(StatEvent::kVisitDirectory);
    const referral::ReferralFigures& r = report.referrals;
    json figures = json::array({
        {{"value", shown(visits)}, {"label", "visites des pages publiques"}},
        {{"value", shown(total(StatEvent::kHelpButtonClick))}, {"label", "clics sur « J’ai besoin d’aide »"}},
        {{"value", shown(total(StatEvent::kFlowStarted))}, {"label", "parcours d’aide commencés"}},
        {{"value", shown(total(StatEvent::kFlowCompleted))}, {"label", "parcours d’aide terminés"}},
        {{"value", shown(total(StatEvent::kReferralSent))}, {"label", "demandes envoyées aux professionnels"}},
        {{"value", shown(r.acknowledged_in_time)}, {"label", "demandes prises en compte dans le délai d’alerte"}},
        {{"value", shown(total(StatEvent::kEmergencyExit))}, {"label", "sorties vers les numéros d’urgence"}},
    });
    json gaps = json::array();
    for (const Table& table : report.tables) {
      if (table.id != "communes") continue;
      for (std::size_t i = 0; i < table.rows.size() && i < 5; ++i) {
        gaps.push_back({{"label", table.rows[i].label}, {"value", shown(table.rows[i].cells[0])}});
      }
    }
    return Page(context.renderer, request, principal, 200, "console_stat_summary", "Synthèse : " + scope.name,
                {{"name", scope.name},
                 {"back", scope.base + "?" + PeriodQuery(report.period)},
                 {"from", FrenchDay(report.period.FirstIso())},
                 {"to", FrenchDay(report.period.LastIso())},
                 {"figures", figures},
                 {"gaps", gaps},
                 {"has_gaps", !gaps.empty()},
                 {"median_acknowledgement", Days(r.median_days_to_acknowledgement, r.acknowledged, threshold)},
                 {"threshold", threshold}});
  }
};

}  // namespace

void RegisterStatistics(const ConsoleContext& context) {
  auto handler = std::make_shared<const Handler>(Handler{
      context, context.small_count_threshold, std::make_shared<stats::SumsCache>(), std::make_shared<NearestCache>()});
  const auto bind = [handler](http::Response (Handler::*method)(http::Request&, const accounts::Principal&) const) {
    return [handler, method](http::Request& request, const accounts::Principal& principal) {
      return ((*handler).*method)(request, principal);
    };
  };
  context.routes.Get("/pro/territoires/{territory}/statistiques", ManagersOfTerritory(), bind(&Handler::Statistics));
  context.routes.Get("/pro/territoires/{territory}/statistiques.csv", ManagersOfTerritory(), bind(&Handler::Csv));
  context.routes.Get("/pro/territoires/{territory}/statistiques/synthese", ManagersOfTerritory(),
                     bind(&Handler::Summary));
  context.routes.Get("/pro/statistiques", Operators(), bind(&Handler::Statistics));
  context.routes.Get("/pro/statistiques.csv", Operators(), bind(&Handler::Csv));
  context.routes.Get("/pro/statistiques/synthese", Operators(), bind(&Handler::Summary));
}

}  // namespace passerelle::console
