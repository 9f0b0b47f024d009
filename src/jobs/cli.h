#pragma once

#include <functional>
#include <memory>
#include <string>

#include "storage/database.h"

namespace passerelle::jobs {

// `passerelle jobs run [--now ISO8601]` (docs/jobs.md): every job once ("" = now); 1 when an
// item failed. Throws core::ConfigException on a bad --now, before `open_database` gives the
// migrated database.
int RunJobs(const std::string& now_iso8601, const std::function<std::unique_ptr<storage::Database>()>& open_database);

}  // namespace passerelle::jobs
