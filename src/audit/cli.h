#pragma once

#include <functional>
#include <memory>

#include "storage/database.h"

namespace passerelle::audit {

// `passerelle audit verify`: 0 with the number of entries checked, or 1 naming the first bad
// entry (seq) and why. `open_database` gives the migrated database.
int RunAuditVerify(const std::function<std::unique_ptr<storage::Database>()>& open_database);

}  // namespace passerelle::audit
