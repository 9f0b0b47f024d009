#include "audit/search.h"

#include <soci/soci.h>

#include <limits>

namespace passerelle::audit {

namespace {

// Every filter is always bound (an empty one matches everything), so that the statement is the
// same text on both databases and every parameter has one name.
constexpr const char* kSearch =
    "SELECT seq, at, actor, action, object, detail FROM audit_log"
    " WHERE at >= :from_at AND at < :to_at"
    " AND (:action = '' OR action = :action2)"
    " AND (:actor = '' OR actor = :actor2)"
    " AND (:object = '' OR object = :object2)"
    " AND (:everywhere = 1"
    "  OR object = :territory_object"
    "  OR (object LIKE 'organization:%' AND substr(object, 14) IN"
    "      (SELECT id FROM organization WHERE territory_slug = :t1))"
    "  OR (object LIKE 'referral:%' AND substr(object, 10) IN"
    "      (SELECT id FROM referral WHERE territory_slug = :t2))"
    "  OR (object LIKE 'account:%' AND substr(object, 9) IN"
    "      (SELECT id FROM account WHERE territory_slug = :t3"
    "       UNION SELECT m.account_id FROM membership m JOIN organization o ON o.id = m.organization_id"
    "       WHERE o.territory_slug = :t4)))"
    " ORDER BY seq DESC LIMIT :limit OFFSET :offset";

}  // namespace

SearchPage Search(storage::Database& db, const SearchFilter& filter, int page, int page_size) {
  soci::session sql(db.pool());
  const long long to_at = filter.to_at.value_or(std::numeric_limits<long long>::max());
  const int everywhere = filter.territory ? 0 : 1;
  const std::string slug = filter.territory.value_or("");
  const std::string territory_object = "territory:" + slug;
  const int limit = page_size + 1;
  const int offset = page * page_size;
  FoundEntry e;
  SearchPage out;
  soci::statement st =
      (sql.prepare << kSearch, soci::use(filter.from_at, "from_at"), soci::use(to_at, "to_at"),
       soci::use(filter.action, "action"), soci::use(filter.action, "action2"), soci::use(filter.actor, "actor"),
       soci::use(filter.actor, "actor2"), soci::use(filter.object, "object"), soci::use(filter.object, "object2"),
       soci::use(everywhere, "everywhere"), soci::use(territory_object, "territory_object"), soci::use(slug, "t1"),
       soci::use(slug, "t2"), soci::use(slug, "t3"), soci::use(slug, "t4"), soci::use(limit, "limit"),
       soci::use(offset, "offset"), soci::into(e.seq), soci::into(e.at), soci::into(e.actor), soci::into(e.action),
       soci::into(e.object), soci::into(e.detail));
  st.execute();
  while (st.fetch()) {
    if (static_cast<int>(out.entries.size()) == page_size) {
      out.has_more = true;
      break;
    }
    out.entries.push_back(e);
  }
  return out;
}

std::vector<std::string> Actions(storage::Database& db) {
  soci::session sql(db.pool());
  std::vector<std::string> out;
  std::string action;
  soci::statement st = (sql.prepare << "SELECT DISTINCT action FROM audit_log ORDER BY action", soci::into(action));
  st.execute();
  while (st.fetch()) out.push_back(action);
  return out;
}

}  // namespace passerelle::audit
