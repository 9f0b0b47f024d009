#pragma once
// Test-only fixture of the workflow and jobs tests: a migrated database (SQLite and PostgreSQL)
// with two territories, four organizations (A, B and C in Paris 10e, C without key; M in
// Montreuil), their e-mail addresses, coordinators of each territory, and the referral services. Time is frozen: `now_`
// is a fixed instant.
#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <string>

#include "org_keys/sealing.h"
#include "referral/repository.h"
#include "referral/service.h"
#include "referral/workflow.h"
#include "storage/testing.h"

namespace passerelle::referral::testing {

// 10:00 UTC on a calendar day (11:00 or 12:00 in Paris: the same Paris day).
inline std::chrono::system_clock::time_point At(int y, unsigned m, unsigned d, int hour_utc = 10) {
  using namespace std::chrono;
  return sys_days{year{y} / month{m} / day{d}} + hours{hour_utc};
}

class WorkflowDbTest : public storage::testing::BackendTest {
 protected:
  void SetUp() override {
    BackendTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    soci::session sql(db_->pool());
    for (const char* slug : {"paris-10", "montreuil"}) storage::testing::InsertTerritory(sql, slug, 1);
    struct Org {
      const char* id;
      const char* territory;
      const char* email;
    };
    for (const Org& o : {Org{"org-a", "paris-10", "a@example.org"}, Org{"org-b", "paris-10", "b@example.org"},
                         Org{"org-c", "paris-10", "c@example.org"}, Org{"org-m", "montreuil", "m@example.org"}}) {
      storage::testing::InsertOrganization(sql, o.id, o.territory, o.email, 1);
    }
    struct Coordinator {
      const char* id;
      const char* email;
      const char* territory;
    };
    for (const Coordinator& c : {Coordinator{"acc-c1", "coord1@example.org", "paris-10"},
                                 Coordinator{"acc-c2", "coord2@example.org", "paris-10"},
                                 Coordinator{"acc-c3", "coord3@example.org", "montreuil"}}) {
      const std::string id = c.id, email = c.email, territory = c.territory;
      sql << "INSERT INTO account (id, email, role, territory_slug, status, created_at, updated_at) VALUES "
             "(:id, :email, 'coordinator', :territory, 'active', 0, 0)",
          soci::use(id), soci::use(email), soci::use(territory);
    }
    service_ =
        std::make_unique<ReferralService>(*db_, ReferralKeys::From(core::ServerKey::FromBytes(std::string(32, 'k'))));
    workflow_ = std::make_unique<WorkflowService>(*db_);
    keys_a_ = org_keys::GenerateKeyPair();
    keys_b_ = org_keys::GenerateKeyPair();
    keys_m_ = org_keys::GenerateKeyPair();
    service_->SetPublicKey("org-a", keys_a_.public_key, now_);
    service_->SetPublicKey("org-b", keys_b_.public_key, now_);
    service_->SetPublicKey("org-m", keys_m_.public_key, now_);
  }

  SentReferral Send(const std::string& token, bool consent,
                    const std::string& report = R"({"message":"canari-rapport"})", const std::string& org = "org-a") {
    const std::string territory = org == "org-m" ? "montreuil" : "paris-10";
    auto sent = service_->Send(SendRequest{token, territory, org, "svc-" + org, report, consent,
                                           SummaryJson({"Conseil juridique", "Paris 10e"})},
                               now_);
    EXPECT_TRUE(sent.ok());
    return sent.value();
  }

  ReferralRow Row(const std::string& id) {
    soci::session sql(db_->pool());
    return ReferralRepository(sql).FindById(id).value();
  }

  long long Count(const std::string& query, const std::string& value) {
    soci::session sql(db_->pool());
    long long n = 0;
    sql << query, soci::into(n), soci::use(value);
    return n;
  }
  long long Outbox(const std::string& kind) { return Count("SELECT COUNT(*) FROM outbox WHERE kind = :k", kind); }
  long long OutboxTo(const std::string& recipient) {
    return Count("SELECT COUNT(*) FROM outbox WHERE recipient = :r", recipient);
  }
  long long Audit(const std::string& action) {
    return Count("SELECT COUNT(*) FROM audit_log WHERE action = :a", action);
  }
  long long Messages(const std::string& referral_id) {
    return Count("SELECT COUNT(*) FROM referral_message WHERE referral_id = :id", referral_id);
  }

  OrganizationAccess AccessA() const { return OrganizationAccess{"org-a", keys_a_}; }
  OrganizationAccess AccessB() const { return OrganizationAccess{"org-b", keys_b_}; }

  std::chrono::system_clock::time_point now_ = At(2026, 3, 2);  // a Monday
  std::unique_ptr<ReferralService> service_;
  std::unique_ptr<WorkflowService> workflow_;
  org_keys::KeyPair keys_a_, keys_b_, keys_m_;
};

}  // namespace passerelle::referral::testing
