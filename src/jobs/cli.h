#pragma once

#include <functional>
#include <memory>
#include <string>

#include "storage/database.h"

namespace passerelle::jobs {

// `passerelle jobs run [--now ISO8601] [--data-dir DIR]` (docs/jobs.md): every job once ("" =
// now); 1 when an item failed. The freshness step needs the server key of `data_dir` (the same
// as `serve`'s, so that its links open): without `<data_dir>/server.key` it is skipped (never
// created here). Throws core::ConfigException on a bad --now, before `open_database` gives the
// migrated database.
int RunJobs(const std::string& now_iso8601, const std::string& data_dir,
            const std::function<std::unique_ptr<storage::Database>()>& open_database);

}  // namespace passerelle::jobs
