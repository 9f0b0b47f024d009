#pragma once
// The SQL of the duty tables (migrations/0019_duty.sql). Called inside the caller's session or
// transaction; bound parameters only.

#include <soci/soci.h>

#include <optional>
#include <string>
#include <vector>

#include "duty/schedule.h"

namespace passerelle::duty {

// The rules of one service; exceptions ending before `from_day` and live toggles ended before
// `from_unix` are left out. Nothing when the service does not exist.
std::optional<ServiceRules> LoadRules(soci::session& sql, const std::string& service_id, const std::string& from_day,
                                      long long from_unix);

// The ids of an organization's services, sorted.
std::vector<std::string> ServicesOf(soci::session& sql, const std::string& organization_id);

// The active members of an organization, sorted.
std::vector<std::string> ActiveMembersOf(soci::session& sql, const std::string& organization_id);

}  // namespace passerelle::duty
