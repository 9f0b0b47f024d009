#include "referral/statistics.h"

#include <vector>

#include "referral/repository.h"
#include "stats/period.h"
#include "stats/suppression.h"

namespace passerelle::referral {

namespace {

// Only codes and days: the sealed columns are never selected.
constexpr const char* kSelect =
    "SELECT r.status, r.created_on, r.acknowledged_on, r.contacted_on, r.outcome, r.refusal_reason, "
    "d.escalation_days FROM referral r LEFT JOIN referral_delays d ON d.territory_slug = r.territory_slug "
    "WHERE r.created_on >= :first AND r.created_on <= :last AND (:all = 1 OR r.territory_slug = :territory)";

std::optional<long long> DaysBetween(const std::string& from, const std::optional<std::string>& to) {
  std::chrono::sys_days a{}, b{};
  if (!to || !stats::ParseIsoDay(from, a) || !stats::ParseIsoDay(*to, b)) return std::nullopt;
  return (b - a).count();
}

}  // namespace

ReferralFigures ReadReferralFigures(storage::Database& db, const std::optional<std::string>& territory_slug,
                                    const std::string& first, const std::string& last) {
  soci::session sql(db.pool());
  const int all = territory_slug ? 0 : 1;
  const std::string territory = territory_slug.value_or("");
  std::string status, created_on;
  std::optional<std::string> acknowledged_on, contacted_on, outcome, reason;
  std::optional<int> escalation_days;
  soci::statement st =
      (sql.prepare << kSelect, soci::use(first, "first"), soci::use(last, "last"), soci::use(all, "all"),
       soci::use(territory, "territory"), soci::into(status), soci::into(created_on), soci::into(acknowledged_on),
       soci::into(contacted_on), soci::into(outcome), soci::into(reason), soci::into(escalation_days));
  st.execute();
  ReferralFigures figures;
  std::vector<long long> to_acknowledgement, to_contact;
  const int default_escalation = Delays{}.escalation_days;
  while (st.fetch()) {
    ++figures.sent;
    if (const auto days = DaysBetween(created_on, acknowledged_on)) {
      ++figures.acknowledged;
      to_acknowledgement.push_back(*days);
      if (*days <= escalation_days.value_or(default_escalation)) ++figures.acknowledged_in_time;
    }
    if (const auto days = DaysBetween(created_on, contacted_on)) {
      ++figures.contacted;
      to_contact.push_back(*days);
    }
    if (status == "closed") ++figures.closed[outcome.value_or("other")];
    if (status == "refused") ++figures.refused[reason.value_or("other")];
    if (status == "handed_over") ++figures.handed_over;
    if (status == "expired") ++figures.expired;
  }
  figures.median_days_to_acknowledgement = stats::Median(std::move(to_acknowledgement));
  figures.median_days_to_contact = stats::Median(std::move(to_contact));
  return figures;
}

}  // namespace passerelle::referral
