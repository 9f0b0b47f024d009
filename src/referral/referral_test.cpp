#include <gtest/gtest.h>

#include <sodium.h>

#include <filesystem>
#include <set>

#include "referral/demo_keys.h"
#include "referral/followup_code.h"
#include "referral/repository.h"
#include "referral/sealing.h"
#include "referral/service.h"
#include "referral/workflow.h"
#include "storage/testing.h"

namespace passerelle::referral {
namespace {

using namespace std::chrono_literals;

class CryptoTest : public ::testing::Test {
 protected:
  void SetUp() override { core::InitCrypto(); }
};

TEST_F(CryptoTest, SealedOnlyOpensWithTheRightSecretKey) {
  const KeyPair right = GenerateKeyPair();
  const KeyPair wrong = GenerateKeyPair();
  const std::string sealed = Seal("canari-rapport", right.public_key);
  EXPECT_EQ(sealed.find("canari"), std::string::npos);
  EXPECT_EQ(Open(sealed, right), "canari-rapport");
  EXPECT_FALSE(Open(sealed, wrong));
  EXPECT_FALSE(Open(sealed.substr(0, sealed.size() - 4), right));
  EXPECT_FALSE(Open("not base64!", right));
  // Sealing twice gives two ciphertexts (ephemeral sender key).
  EXPECT_NE(Seal("x", right.public_key), Seal("x", right.public_key));
}

TEST_F(CryptoTest, DerivedKeyPairDependsOnSecretAndSalt) {
  const std::string salt(16, 's');
  EXPECT_EQ(DeriveKeyPair("abri-ange-lune-1234", salt).public_key, DeriveKeyPair("abri-ange-lune-1234", salt).public_key);
  EXPECT_NE(DeriveKeyPair("abri-ange-lune-1234", salt).public_key, DeriveKeyPair("abri-ange-lune-1235", salt).public_key);
  EXPECT_NE(DeriveKeyPair("abri-ange-lune-1234", salt).public_key,
            DeriveKeyPair("abri-ange-lune-1234", std::string(16, 't')).public_key);
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
    for (const char* id : {"org-a", "org-b", "org-nokey"}) storage::testing::InsertOrganization(sql, id, "paris-10", "", 1);
    service_ = std::make_unique<ReferralService>(*db_, ReferralKeys::From(core::ServerKey::FromBytes(std::string(32, 'k'))));
    ASSERT_EQ(ProvisionDemoKeys(*service_, {"org-a", "org-b"}, dir_ / "keys", now_), 2u);
    keys_a_ = ReadDemoKey(dir_ / "keys" / "org-a.key");
    keys_b_ = ReadDemoKey(dir_ / "keys" / "org-b.key");
  }

  SentReferral Send(const std::string& token, const std::string& report, const std::string& org = "org-a") {
    auto sent = service_->Send(SendRequest{token, "paris-10", org, "svc-1", report, true, ""}, now_);
    EXPECT_TRUE(sent.ok());
    return sent.value();
  }

  ReferralRow Row(const std::string& id) {
    soci::session sql(db_->pool());
    return ReferralRepository(sql).FindById(id).value();
  }

  std::chrono::system_clock::time_point now_ = std::chrono::system_clock::now();
  std::unique_ptr<ReferralService> service_;
  KeyPair keys_a_, keys_b_;
};

TEST_P(ReferralDbTest, DemoKeysAreSecretFilesAndPublicKeysInTheDatabase) {
  const auto status = std::filesystem::status(dir_ / "keys" / "org-a.key");
  EXPECT_EQ(status.permissions() & std::filesystem::perms::all,
            std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
  EXPECT_EQ(service_->PublicKeyOf("org-a"), keys_a_.public_key);
  EXPECT_EQ(ProvisionDemoKeys(*service_, {"org-a", "org-b"}, dir_ / "keys", now_), 0u) << "kept when both exist";
}

TEST_P(ReferralDbTest, ReportIsStoredSealedToTheOrganization) {
  const SentReferral sent = Send("token-1", R"({"message":"canari-libre"})");
  EXPECT_TRUE(sent.created);
  EXPECT_EQ(sent.status, ReferralStatus::kNew);
  const ReferralRow row = Row(sent.id);
  EXPECT_EQ(row.status, "new");
  ASSERT_TRUE(row.sealed_report);
  EXPECT_EQ(row.sealed_report->find("canari"), std::string::npos);
  EXPECT_EQ(Open(*row.sealed_report, keys_a_), R"({"message":"canari-libre"})");
  EXPECT_FALSE(Open(*row.sealed_report, keys_b_));
  EXPECT_EQ(row.created_on.size(), 10u) << "a day, no time";
  // The code is stored only as a keyed HMAC and an Argon2id hash.
  EXPECT_EQ(row.followup_lookup, service_->LookupOf(sent.followup_code));
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
  ASSERT_TRUE(WorkflowService(*db_).WriteMessage(sent.id, "org-a", "Bonjour, je vous appelle demain.", "account:a", now_).ok());
  soci::session sql(db_->pool());
  const auto stored = ReferralRepository(sql).Messages(sent.id);
  ASSERT_EQ(stored.size(), 2u);
  EXPECT_EQ(stored[0].sender, "person");
  EXPECT_EQ(Open(stored[0].sealed_body, keys_a_), "canari-reponse");
  ASSERT_TRUE(stored[0].sealed_copy);
  EXPECT_FALSE(Open(*stored[0].sealed_copy, keys_a_)) << "her copy is sealed to her key";
  EXPECT_EQ(stored[1].sealed_body.find("Bonjour"), std::string::npos);
  EXPECT_FALSE(Open(stored[1].sealed_body, keys_a_)) << "sealed to her, not to the organization";
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

INSTANTIATE_TEST_SUITE_P(Backends, ReferralDbTest,
                         ::testing::Values(core::DatabaseBackend::kSqlite, core::DatabaseBackend::kPostgresql),
                         storage::testing::BackendName);

}  // namespace
}  // namespace passerelle::referral
