#include "audit/cli.h"

#include <iostream>

#include "audit/audit_log.h"
#include "core/crypto.h"

namespace passerelle::audit {

int RunAuditVerify(const std::function<std::unique_ptr<storage::Database>()>& open_database) {
  core::InitCrypto();
  auto db = open_database();
  const audit::Verification v = audit::Verify(*db);
  if (!v.ok) {
    std::cerr << "audit log: TAMPERED: first bad entry: seq " << v.first_bad_seq.value_or(0) << ": " << v.reason << " ("
              << v.checked << " entries verified before it)\n";
    return 1;
  }
  const audit::Head head = audit::ReadHead(*db);
  std::cout << "audit log: " << v.checked << " entries verified, chain intact (newest seq " << head.last_seq
            << ", hash " << head.last_hash << "; entries up to seq " << head.anchor_seq << " removed by retention)\n";
  return 0;
}

}  // namespace passerelle::audit
