#include <gtest/gtest.h>

#include <sodium.h>

#include <algorithm>
#include <filesystem>
#include <set>
#include <thread>

#include "core/paris_time.h"
#include "core/unix_time.h"
#include "org_keys/demo_keys.h"
#include "org_keys/sealing.h"
#include "referral/draft.h"
#include "referral/followup_code.h"
#include "referral/repository.h"
#include "referral/service.h"
#include "referral/workflow.h"
#include "storage/migrations.h"
#include "storage/testing.h"

namespace passerelle::referral {
namespace {

using namespace std::chrono_literals;

class CryptoTest : public ::testing::Test {
 protected:
  void SetUp() override { core::InitCrypto(); }
};

TEST_F(CryptoTest, SealedOnlyOpensWithTheRightSecretKey) {
  const org_keys::KeyPair right = org_keys::GenerateKeyPair();
  const org_keys::KeyPair wrong = org_keys::GenerateKeyPair();
  const std::string sealed = org_keys::Seal("canari-rapport", right.public_key);
  EXPECT_EQ(sealed.find("canari"), std::string::npos);
  EXPECT_EQ(org_keys::Open(sealed, right), "canari-rapport");
  EXPECT_FALSE(org_keys::Open(sealed, wrong));
  EXPECT_FALSE(org_keys::Open(sealed.substr(0, sealed.size() - 4), right));
  EXPECT_FALSE(org_keys::Open("not base64!", right));
  // Sealing twice gives two ciphertexts (ephemeral sender key).
  EXPECT_NE(org_keys::Seal("x", right.public_key), org_keys::Seal("x", right.public_key));
}

TEST_F(CryptoTest, DerivedKeyPairDependsOnSecretAndSalt) {
  const std::string salt(16, 's');
  EXPECT_EQ(org_keys::DeriveKeyPair("abri-ange-lune-1234", salt).public_key,
            org_keys::DeriveKeyPair("abri-ange-lune-1234", salt).public_key);
  EXPECT_NE(org_keys::DeriveKeyPair("abri-ange-lune-1234", salt).public_key,
            org_keys::DeriveKeyPair("abri-ange-lune-1235", salt).public_key);
  EXPECT_NE(org_keys::DeriveKeyPair("abri-ange-lune-1234", salt).public_key,
            org_keys::DeriveKeyPair("abri-ange-lune-1234", std::string(16, 't')).public_key);
}

TEST_F(CryptoTest, CodeIsThreeListedWordsAndFourDigits) {
  EXPECT_GE(WordCount(), 256u);
  std::set<std::string> seen;
  for (int i = 0; i < 200; ++i) {
    const std::string code = CodeFromBytes(core::RandomBytes(32));
    ASSERT_EQ(NormalizeCode(code), code) << code;
    const auto last = code.rfind('-');
    EXPECT_EQ(code.size() - last - 1, 4u) << code;
    seen.insert(code);
  }
  EXPECT_GT(seen.size(), 195u);
  const std::string bytes = core::RandomBytes(32);
  EXPECT_EQ(CodeFromBytes(bytes), CodeFromBytes(bytes));
}

TEST_F(CryptoTest, NormalizeAcceptsWhatAPersonTypes) {
  EXPECT_EQ(NormalizeCode("Pomme Lune  VÉLO 0482"), "pomme-lune-velo-0482");
  EXPECT_EQ(NormalizeCode("  pomme-lune-velo-0482 "), "pomme-lune-velo-0482");
  EXPECT_EQ(NormalizeCode("pomme lune velo0482"), "pomme-lune-velo-0482");
  EXPECT_EQ(NormalizeCode("pommé, lune; vélo / 0482"), "pomme-lune-velo-0482");
  EXPECT_FALSE(NormalizeCode("pomme lune velo 482"));
  EXPECT_FALSE(NormalizeCode("pomme lune xyzzy 0482"));
  EXPECT_FALSE(NormalizeCode("pomme lune velo ciel 0482"));
  EXPECT_FALSE(NormalizeCode(""));
  EXPECT_FALSE(NormalizeCode("<script>"));
  EXPECT_EQ(WordsOf("pomme-lune-velo-0482"), "pomme-lune-velo");
}

TEST_F(CryptoTest, CodeHashIsArgon2idAndVerifies) {
  const std::string hash = HashCode("pomme-lune-velo-0482");
  EXPECT_EQ(hash.rfind("$argon2id$", 0), 0u);
  EXPECT_EQ(hash.find("pomme"), std::string::npos);
  EXPECT_TRUE(VerifyCode(hash, "pomme-lune-velo-0482"));
  EXPECT_FALSE(VerifyCode(hash, "pomme-lune-velo-0483"));
}

class ReferralDbTest : public storage::testing::BackendTest {
 protected:
  void SetUp() override {
    BackendTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    soci::session sql(db_->pool());
    storage::testing::InsertTerritory(sql, "paris-10", 1);
    for (const char* id : {"org-a", "org-b", "org-nokey"})
      storage::testing::InsertOrganization(sql, id, "paris-10", "", 1);
    service_ =
        std::make_unique<ReferralService>(*db_, ReferralKeys::From(core::ServerKey::FromBytes(std::string(32, 'k'))));
    ASSERT_EQ(org_keys::ProvisionDemoKeys(*db_, {"org-a", "org-b"}, dir_ / "keys", now_), 2u);
    keys_a_ = org_keys::ReadDemoKey(dir_ / "keys" / "org-a.key");
    keys_b_ = org_keys::ReadDemoKey(dir_ / "keys" / "org-b.key");
  }

  SentReferral Send(const std::string& run, const std::string& report, const std::string& org = "org-a",
                    const std::string& service = "svc-1") {
    auto sent = service_->Send(SendRequest{run, "paris-10", org, service, report, true, ""}, now_);
    EXPECT_TRUE(sent.ok());
    return sent.value();
  }

  ReferralRow Row(const std::string& id) {
    soci::session sql(db_->pool());
    return ReferralRepository(sql).FindById(id).value();
  }

  std::chrono::system_clock::time_point now_ = std::chrono::system_clock::now();
  std::unique_ptr<ReferralService> service_;
  org_keys::KeyPair keys_a_, keys_b_;
};

TEST_P(ReferralDbTest, DemoKeysAreSecretFilesAndPublicKeysInTheDatabase) {
  const auto status = std::filesystem::status(dir_ / "keys" / "org-a.key");
  EXPECT_EQ(status.permissions() & std::filesystem::perms::all,
            std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
  EXPECT_EQ(service_->PublicKeyOf("org-a"), keys_a_.public_key);
  EXPECT_EQ(org_keys::ProvisionDemoKeys(*db_, {"org-a", "org-b"}, dir_ / "keys", now_), 0u) << "kept when both exist";
}

TEST_P(ReferralDbTest, ReportIsStoredSealedToTheOrganization) {
  const SentReferral sent = Send("token-1", R"({"message":"canari-libre"})");
  EXPECT_TRUE(sent.created);
  EXPECT_EQ(sent.status, ReferralStatus::kNew);
  const ReferralRow row = Row(sent.id);
  EXPECT_EQ(row.status, "new");
  ASSERT_TRUE(row.sealed_report);
  EXPECT_EQ(row.sealed_report->find("canari"), std::string::npos);
  EXPECT_EQ(org_keys::Open(*row.sealed_report, keys_a_), R"({"message":"canari-libre"})");
  EXPECT_FALSE(org_keys::Open(*row.sealed_report, keys_b_));
  EXPECT_EQ(row.created_on.size(), 10u) << "a day, no time";
  // The code is stored only as a slow lookup index and an Argon2id hash: no keyed HMAC that the
  // database and the server key together would let someone search quickly (issue 15, F1).
  EXPECT_EQ(row.followup_lookup, service_->LookupOf(sent.followup_code));
  EXPECT_EQ(row.followup_lookup->rfind("v2:", 0), 0u);
  EXPECT_NE(row.followup_lookup, service_->LegacyLookupOf(sent.followup_code));
  EXPECT_NE(service_->LookupOf(sent.followup_code), service_->LookupOf(WordsOf(sent.followup_code) + "-0000"));
  EXPECT_TRUE(VerifyCode(*row.followup_hash, sent.followup_code));
  EXPECT_EQ(row.followup_hash->find(WordsOf(sent.followup_code)), std::string::npos);
}

TEST_P(ReferralDbTest, SameTokenReturnsTheSameReferralAndCode) {
  const SentReferral first = Send("token-1", "{}");
  const SentReferral again = Send("token-1", R"({"other":1})");
  EXPECT_FALSE(again.created);
  EXPECT_EQ(again.id, first.id);
  EXPECT_EQ(again.followup_code, first.followup_code);
  const SentReferral other = Send("token-2", "{}");
  EXPECT_NE(other.id, first.id);
  EXPECT_NE(other.followup_code, first.followup_code);
  soci::session sql(db_->pool());
  long long count = 0;
  sql << "SELECT COUNT(*) FROM referral", soci::into(count);
  EXPECT_EQ(count, 2);
}

TEST_P(ReferralDbTest, OrganizationWithoutKeyCannotReceive) {
  auto sent = service_->Send(SendRequest{"t", "paris-10", "org-nokey", "svc", "{}", false, ""}, now_);
  ASSERT_FALSE(sent.ok());
  EXPECT_EQ(sent.error().code, core::ErrorCode::kUnavailable);
}

TEST_P(ReferralDbTest, CodeFindsItsReferralAndNothingElse) {
  const SentReferral sent = Send("token-1", "{}");
  Send("token-2", "{}");
  std::string typed = sent.followup_code;
  for (char& c : typed) c = c == '-' ? ' ' : static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  const auto found = service_->Find(typed);
  ASSERT_TRUE(found);
  EXPECT_EQ(found->id, sent.id);
  EXPECT_EQ(found->status, ReferralStatus::kNew);
  std::string wrong = sent.followup_code;
  wrong.back() = wrong.back() == '9' ? '0' : static_cast<char>(wrong.back() + 1);
  EXPECT_FALSE(service_->Find(wrong));
  EXPECT_FALSE(service_->Find("n'importe quoi"));
}

TEST_P(ReferralDbTest, RepliesAreSealedAndProfessionalMessagesOpenWithTheCode) {
  const SentReferral sent = Send("token-1", "{}");
  ASSERT_TRUE(service_->Reply(sent.followup_code, "canari-reponse", now_).ok());
  EXPECT_EQ(service_->Reply(sent.followup_code, "", now_).error().code, core::ErrorCode::kInvalidInput);
  EXPECT_EQ(service_->Reply("abri-abri-abri-0000", "x", now_).error().code, core::ErrorCode::kNotFound);
  ASSERT_TRUE(
      WorkflowService(*db_).WriteMessage(sent.id, "org-a", "Bonjour, je vous appelle demain.", "account:a", now_).ok());
  soci::session sql(db_->pool());
  const auto stored = ReferralRepository(sql).Messages(sent.id);
  ASSERT_EQ(stored.size(), 2u);
  EXPECT_EQ(stored[0].sender, "person");
  EXPECT_EQ(org_keys::Open(stored[0].sealed_body, keys_a_), "canari-reponse");
  ASSERT_TRUE(stored[0].sealed_copy);
  EXPECT_FALSE(org_keys::Open(*stored[0].sealed_copy, keys_a_)) << "her copy is sealed to her key";
  EXPECT_EQ(stored[1].sealed_body.find("Bonjour"), std::string::npos);
  EXPECT_FALSE(org_keys::Open(stored[1].sealed_body, keys_a_)) << "sealed to her, not to the organization";
  const auto found = service_->Find(sent.followup_code);
  ASSERT_TRUE(found);
  ASSERT_EQ(found->messages.size(), 2u);
  EXPECT_EQ(found->messages[0].text, "canari-reponse") << "she reads her own copy";
  EXPECT_EQ(found->messages[1].sender, MessageSender::kProfessional);
  EXPECT_EQ(found->messages[1].text, "Bonjour, je vous appelle demain.");
}

TEST_P(ReferralDbTest, DeleteRemovesTheContentAtOnce) {
  const SentReferral sent = Send("token-1", R"({"m":"canari"})");
  ASSERT_TRUE(service_->Reply(sent.followup_code, "canari-reponse", now_).ok());
  ASSERT_TRUE(service_->Delete(sent.followup_code, now_).ok());
  const ReferralRow row = Row(sent.id);
  EXPECT_EQ(row.status, "withdrawn");
  EXPECT_FALSE(row.sealed_report);
  EXPECT_FALSE(row.followup_hash);
  EXPECT_FALSE(row.followup_lookup);
  EXPECT_FALSE(row.person_public_key);
  soci::session sql(db_->pool());
  EXPECT_TRUE(ReferralRepository(sql).Messages(sent.id).empty());
  EXPECT_FALSE(service_->Find(sent.followup_code));
  EXPECT_EQ(service_->Delete(sent.followup_code, now_).error().code, core::ErrorCode::kNotFound);
  // The same flow token does not bring it back.
  const SentReferral again = Send("token-1", "{}");
  EXPECT_EQ(again.id, sent.id);
  EXPECT_EQ(again.status, ReferralStatus::kWithdrawn);
}

TEST_P(ReferralDbTest, OneRunGivesOneReferralPerServiceAndTheSameCode) {
  const std::string run = core::RandomBytes(32);
  const SentReferral first = Send(run, "{}", "org-a", "svc-1");
  const SentReferral again = Send(run, R"({"after":"Retour"})", "org-a", "svc-1");
  EXPECT_FALSE(again.created);
  EXPECT_EQ(again.id, first.id);
  EXPECT_EQ(again.followup_code, first.followup_code);
  const SentReferral elsewhere = Send(run, "{}", "org-b", "svc-2");
  EXPECT_TRUE(elsewhere.created) << "another chosen service of the same run";
  EXPECT_NE(elsewhere.followup_code, first.followup_code);
  const SentReferral new_run = Send(core::RandomBytes(32), "{}", "org-a", "svc-1");
  EXPECT_TRUE(new_run.created);
  EXPECT_NE(new_run.followup_code, first.followup_code);
}

TEST_P(ReferralDbTest, FourParallelSendsOfOneRunGiveOneReferralAndOneCode) {
  const std::string run = core::RandomBytes(32);
  std::vector<std::optional<SentReferral>> results(4);
  std::vector<std::thread> threads;
  for (std::size_t i = 0; i < results.size(); ++i) {
    threads.emplace_back([&, i] {
      auto sent = service_->Send(SendRequest{run, "paris-10", "org-a", "svc-1", "{}", true, ""}, now_);
      if (sent.ok()) results[i] = sent.value();
    });
  }
  for (std::thread& t : threads) t.join();
  int created = 0;
  for (const auto& result : results) {
    ASSERT_TRUE(result) << "every submission answered";
    EXPECT_EQ(result->id, results[0]->id);
    EXPECT_EQ(result->followup_code, results[0]->followup_code);
    created += result->created ? 1 : 0;
  }
  EXPECT_EQ(created, 1);
  soci::session sql(db_->pool());
  long long count = 0;
  sql << "SELECT COUNT(*) FROM referral", soci::into(count);
  EXPECT_EQ(count, 1);
}

// Issue 15 F1: whoever holds the database and server.key (a backup of the data folder) must not
// be able to compute her code. Every stored value of her row, under every server sub-key the
// code could be derived with, gives another code; the code itself is nowhere.
TEST_P(ReferralDbTest, TheDatabaseAndTheServerKeyDoNotGiveTheCode) {
  const core::ServerKey server_key = core::ServerKey::FromBytes(std::string(32, 'k'));
  const SentReferral sent = Send(core::RandomBytes(32), "{}");
  const ReferralRow row = Row(sent.id);
  std::vector<std::string> stored = {row.id,
                                     row.idempotency_key,
                                     row.organization_id,
                                     row.service_id,
                                     row.followup_lookup.value_or(""),
                                     row.followup_hash.value_or(""),
                                     row.person_public_key.value_or(""),
                                     row.person_key_salt.value_or(""),
                                     row.created_on};
  for (const std::string& value : std::vector<std::string>(stored)) {
    if (auto decoded = core::Base64UrlDecode(value)) stored.push_back(*decoded);
    if (value.rfind("run:", 0) == 0) stored.push_back(value.substr(4));
  }
  for (const std::string& value : stored) {
    EXPECT_EQ(value.find(sent.followup_code), std::string::npos);
    EXPECT_EQ(value.find(WordsOf(sent.followup_code)), std::string::npos);
    if (value.size() >= 16) {
      EXPECT_NE(CodeFromBytes(value), sent.followup_code);
    }
    for (const char* context : {"fucode", "referral", "followup", "flow", "csrf"}) {
      EXPECT_NE(CodeFromBytes(core::HmacSha256(server_key.Derive(context), value)), sent.followup_code)
          << context << " of " << value;
    }
  }
  // What is stored still recognises the resubmission and proves the code.
  EXPECT_EQ(row.idempotency_key.rfind("run:", 0), 0u);
  EXPECT_TRUE(VerifyCode(*row.followup_hash, sent.followup_code));
}

// Issue 15 F2: her rows do not date her actions finer than the day, and their ids do not
// follow the order of her requests.
TEST_P(ReferralDbTest, RowsKeepDaysAndRandomIdsOnly) {
  std::vector<std::string> ids;
  for (int i = 0; i < 8; ++i) {
    const SentReferral sent = Send(core::RandomBytes(32), "{}");
    ASSERT_TRUE(service_->Reply(sent.followup_code, "canari", now_).ok());
    ids.push_back(sent.id);
    const ReferralRow row = Row(sent.id);
    EXPECT_EQ(row.created_on, core::ParisDate(now_));
    EXPECT_EQ(row.status_changed_on, core::ParisDate(now_));
    soci::session sql(db_->pool());
    for (const MessageRow& m : ReferralRepository(sql).Messages(sent.id)) {
      EXPECT_EQ(m.created_on, core::ParisDate(now_));
      EXPECT_EQ(m.id.size(), 4u + 16u);
    }
  }
  std::vector<std::string> sorted = ids;
  std::sort(sorted.begin(), sorted.end());
  EXPECT_NE(sorted, ids) << "ids sort in insertion order (1 chance in 8! by accident)";
}

// Migration 0010 removes the clear idempotency keys of earlier referrals; their codes still work.
TEST_P(ReferralDbTest, MigrationRemovesOldClearKeysAndOldCodesKeepWorking) {
  const core::ServerKey server_key = core::ServerKey::FromBytes(std::string(32, 'k'));
  const SentReferral sent = Send(core::RandomBytes(32), "{}");
  // Make it look like a referral of before 0010: the clear key and the code derived from it.
  const std::string old_key(64, 'a');
  const std::string old_code = CodeFromBytes(core::HmacSha256(server_key.Derive("fucode"), old_key));
  const std::string salt = core::RandomBytes(16);
  {
    soci::session sql(db_->pool());
    const std::string lookup = service_->LegacyLookupOf(old_code);  // the index of before "v2:"
    const std::string hash = HashCode(old_code);
    const std::string pk = core::Base64UrlEncode(org_keys::DeriveKeyPair(old_code, salt).public_key);
    const std::string salt64 = core::Base64UrlEncode(salt);
    sql << "UPDATE referral SET idempotency_key = :k, followup_lookup = :l, followup_hash = :h, "
           "person_public_key = :pk, person_key_salt = :s WHERE id = :id",
        soci::use(old_key, "k"), soci::use(lookup, "l"), soci::use(hash, "h"), soci::use(pk, "pk"),
        soci::use(salt64, "s"), soci::use(sent.id, "id");
  }
  const SentReferral handed = Send(core::RandomBytes(32), "{}", "org-b", "svc-2");
  {
    soci::session sql(db_->pool());
    const std::string handover_key = "handover:" + sent.id;
    sql << "UPDATE referral SET idempotency_key = :k WHERE id = :id", soci::use(handover_key, "k"),
        soci::use(handed.id, "id");
  }
  ASSERT_EQ(Row(sent.id).idempotency_key, old_key);
  bool ran = false;
  for (const storage::Migration& m : storage::LoadMigrations(storage::testing::AssetsDir() / "migrations")) {
    if (m.version != 10) continue;
    soci::session sql(db_->pool());
    for (const std::string& statement : m.statements) {
      // Its rewrite of existing rows again, on rows made to look older (its tables exist already).
      if (statement.find("UPDATE referral") == std::string::npos) continue;
      sql << statement;
      ran = true;
    }
  }
  ASSERT_TRUE(ran);
  EXPECT_EQ(Row(sent.id).idempotency_key, "legacy:" + sent.id);
  EXPECT_EQ(Row(handed.id).idempotency_key, "handover:" + sent.id) << "hand-over keys hold nothing and stay";
  const auto found = service_->Find(old_code);
  ASSERT_TRUE(found) << "the old code still opens her request";
  EXPECT_EQ(found->id, sent.id);
  EXPECT_TRUE(service_->Reply(old_code, "encore moi", now_).ok());
  // A new referral after the migration is not confused with the migrated one.
  EXPECT_TRUE(Send(core::RandomBytes(32), "{}").created);
}

// ADR 0011: her draft between a POST and its GET, sealed, under a hash of an id only she holds.
TEST_P(ReferralDbTest, DraftsAreSealedUnderAnIdOnlyHerBrowserHolds) {
  PublicDrafts drafts(*db_, core::ServerKey::FromBytes(std::string(32, 'k')).Derive("draft"));
  const nlohmann::json content = {{"message", "CANARY-brouillon"}, {"code", "abri-ange-lune-1234"}};
  const std::string id = drafts.Save("", content, now_);
  EXPECT_EQ(core::Base64UrlDecode(id)->size(), PublicDrafts::kIdBytes);
  EXPECT_EQ(drafts.Load(id, now_), content);
  {
    soci::session sql(db_->pool());
    std::string id_hash, sealed;
    long long expires = 0;
    sql << "SELECT id_hash, sealed, expires_at FROM public_draft", soci::into(id_hash), soci::into(sealed),
        soci::into(expires);
    EXPECT_EQ(id_hash.find(id), std::string::npos);
    EXPECT_EQ(sealed.find("CANARY"), std::string::npos);
    EXPECT_EQ(core::Base64UrlDecode(sealed)->find("CANARY"), std::string::npos) << "encrypted, not encoded";
    EXPECT_EQ(expires % 3600, 0) << "the expiry does not date her action finer than the hour";
    EXPECT_GE(expires, core::UnixSeconds(now_) + 2 * 3600);
  }
  // Saved again under the same id; a client-chosen or unknown id gets a new one.
  EXPECT_EQ(drafts.Save(id, {{"step", 2}}, now_), id);
  EXPECT_EQ(drafts.Load(id, now_), (nlohmann::json{{"step", 2}}));
  const std::string chosen = core::Base64UrlEncode(std::string(32, 'c'));
  EXPECT_NE(drafts.Save(chosen, content, now_), chosen);
  EXPECT_FALSE(drafts.Load("not an id", now_));
  EXPECT_FALSE(drafts.Load(chosen, now_));
  // Another server key cannot open it; it expires; the quick exit destroys it.
  PublicDrafts other(*db_, core::ServerKey::FromBytes(std::string(32, 'z')).Derive("draft"));
  EXPECT_FALSE(other.Load(id, now_));
  EXPECT_FALSE(drafts.Load(id, now_ + std::chrono::hours(4)));
  EXPECT_TRUE(drafts.Load(id, now_ + std::chrono::minutes(119)));
  drafts.Destroy(id);
  EXPECT_FALSE(drafts.Load(id, now_));
  // Expired drafts of anyone are deleted on the next write.
  const std::string old_id = drafts.Save("", content, now_);
  drafts.Save("", content, now_ + std::chrono::hours(5));
  soci::session sql(db_->pool());
  long long rows = 0;
  sql << "SELECT COUNT(*) FROM public_draft", soci::into(rows);
  EXPECT_EQ(rows, 1);
  EXPECT_FALSE(drafts.Load(old_id, now_));
  // A destroyed or expired draft's id is not taken again: the next save gets a new one.
  EXPECT_NE(drafts.Save(id, content, now_ + std::chrono::hours(5)), id);
  EXPECT_NE(drafts.Save(old_id, content, now_ + std::chrono::hours(5)), old_id);
}

// The sweep of expired drafts runs at most once a minute (docs/benchmarks.md, session 13); in
// between, an expired draft is neither read nor taken again, and the next sweep deletes it.
TEST_P(ReferralDbTest, ExpiredDraftsBetweenTwoSweepsAreNeitherReadNorKept) {
  const std::string key = core::ServerKey::FromBytes(std::string(32, 'k')).Derive("draft");
  PublicDrafts drafts(*db_, key);
  const nlohmann::json content = {{"message", "CANARY-brouillon"}};
  const std::string live = drafts.Save("", content, now_);  // sweeps, at now_
  // A draft written four hours ago (another instance of the server): expired now.
  PublicDrafts earlier(*db_, key);
  const std::string old_id = earlier.Save("", content, now_ - std::chrono::hours(4));
  const auto count = [this] {
    soci::session sql(db_->pool());
    long long rows = 0;
    sql << "SELECT COUNT(*) FROM public_draft", soci::into(rows);
    return rows;
  };
  ASSERT_EQ(count(), 2);
  const auto soon = now_ + std::chrono::seconds(10);  // before the next sweep
  EXPECT_FALSE(drafts.Load(old_id, soon));
  EXPECT_NE(drafts.Save(old_id, content, soon), old_id) << "an expired draft's id is not taken again";
  EXPECT_EQ(drafts.Save(live, {{"step", 2}}, soon), live);
  EXPECT_EQ(drafts.Load(live, soon), (nlohmann::json{{"step", 2}}));
  EXPECT_EQ(count(), 3) << "not swept yet";
  EXPECT_EQ(drafts.Save(live, content, now_ + PublicDrafts::kSweepEvery), live);
  EXPECT_EQ(count(), 2) << "swept a minute later";
  EXPECT_FALSE(drafts.Load(old_id, now_));
}

INSTANTIATE_TEST_SUITE_P(Backends, ReferralDbTest,
                         ::testing::Values(core::DatabaseBackend::kSqlite, core::DatabaseBackend::kPostgresql),
                         storage::testing::BackendName);

}  // namespace
}  // namespace passerelle::referral
