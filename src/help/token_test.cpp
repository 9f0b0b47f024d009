#include "help/token.h"

#include <gtest/gtest.h>

#include <sodium.h>

#include "core/crypto.h"

namespace passerelle::help {
namespace {

using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::seconds;

class TokenTest : public ::testing::Test {
 protected:
  void SetUp() override {
    core::InitCrypto();
    state_.flow_id = "aide";
    state_.flow_version = 1;
    state_.current = "contact";
    state_.history = {"age", "danger_now", "who"};
    state_.answers = {{"age", "adult"}, {"needs", {"legal", "lawyer"}}, {"needs_other", "CANARY-secret"}};
    state_.run_secret = std::string(FlowTokens::kRunSecretBytes, 'r');
  }
  static std::string Key(char c) { return core::ServerKey::FromBytes(std::string(32, c)).Derive("flow"); }
  static std::string DetailOf(const core::Result<FlowState>& result) {
    return result ? "opened" : result.error().internal_detail;
  }

  FlowTokens tokens_{Key('k')};
  FlowState state_;
  const std::chrono::system_clock::time_point now_ = std::chrono::system_clock::time_point(seconds(1'800'000'000));
};

TEST_F(TokenTest, RoundTripsTheStateWithoutShowingIt) {
  const std::string token = tokens_.Seal(state_, now_);
  EXPECT_EQ(token.find("CANARY"), std::string::npos);
  EXPECT_EQ(core::Base64UrlDecode(token)->find("CANARY"), std::string::npos) << "encrypted, not just encoded";
  const auto opened = tokens_.Open(token, now_ + minutes(5));
  ASSERT_TRUE(opened) << DetailOf(opened);
  EXPECT_EQ(opened.value(), state_);
}

TEST_F(TokenTest, CarriesTheProposedServicesOfTheEndPage) {
  FlowState at_end = state_;
  at_end.proposed = {"svc-a", "svc-b"};
  const auto opened = tokens_.Open(tokens_.Seal(at_end, now_), now_);
  ASSERT_TRUE(opened) << DetailOf(opened);
  EXPECT_EQ(opened.value().proposed, (std::vector<std::string>{"svc-a", "svc-b"}));
  EXPECT_TRUE(tokens_.Open(tokens_.Seal(state_, now_), now_).value().proposed.empty());
}

// What the run has counted (HelpService::CountOnce) travels with it, so that a second arrival at
// the end of the same run counts nothing.
TEST_F(TokenTest, CarriesWhatTheRunHasCounted) {
  FlowState counted = state_;
  counted.counted = {"flow_completed", "no_match:need:legal|75010"};
  const auto opened = tokens_.Open(tokens_.Seal(counted, now_), now_);
  ASSERT_TRUE(opened) << DetailOf(opened);
  EXPECT_EQ(opened.value().counted, counted.counted);
  EXPECT_TRUE(tokens_.Open(tokens_.Seal(state_, now_), now_).value().counted.empty());
}

// A token of format 1 as sealed before runs existed (no "r"), for the upgrade test.
// A token of the current format around any payload, sealed with `key` (what only a server bug
// could produce).
std::string SealedPayload(const std::string& key, const nlohmann::json& payload) {
  const std::string plain = payload.dump();
  const std::string nonce = core::RandomBytes(crypto_aead_xchacha20poly1305_ietf_NPUBBYTES);
  const std::string ad = "passerelle/flow-token/v1";
  std::string sealed(plain.size() + crypto_aead_xchacha20poly1305_ietf_ABYTES, '\0');
  unsigned long long written = 0;
  auto bytes = [](const std::string& s) { return reinterpret_cast<const unsigned char*>(s.data()); };
  crypto_aead_xchacha20poly1305_ietf_encrypt(reinterpret_cast<unsigned char*>(sealed.data()), &written, bytes(plain),
                                             plain.size(), bytes(ad), ad.size(), nullptr, bytes(nonce), bytes(key));
  return core::Base64UrlEncode(std::string(1, '\x01') + nonce + sealed.substr(0, written));
}

nlohmann::json LegacyPayload(long long issued) {
  return {{"f", "aide"}, {"v", 1}, {"c", "contact"}, {"h", {"age"}}, {"a", nlohmann::json::object()}, {"t", issued}};
}

std::string LegacyToken(const std::string& key, long long issued) { return SealedPayload(key, LegacyPayload(issued)); }

// Found by the help_token fuzz target: a float or an out-of-range integer as the issue time or
// the flow version was converted to an integer (undefined behaviour) before the age check.
TEST_F(TokenTest, AnAuthenticTokenWithNumbersOutOfRangeIsMalformed) {
  const auto with = [](const char* field, nlohmann::json value) {
    nlohmann::json payload = LegacyPayload(1'800'000'000);
    payload[field] = std::move(value);
    return payload;
  };
  for (const nlohmann::json& payload :
       {with("t", 1.95778e+63), with("t", 1'800'000'000.5), with("t", 18'446'744'073'709'551'615ULL), with("t", -5),
        with("t", 253'402'300'800LL), with("v", 1e30), with("v", 4'294'967'296LL), with("v", -1),
        with("t", "1800000000")}) {
    EXPECT_EQ(DetailOf(tokens_.Open(SealedPayload(Key('k'), payload), now_)), "malformed") << payload.dump();
  }
  EXPECT_EQ(DetailOf(tokens_.Open(SealedPayload(Key('k'), LegacyPayload(1'800'000'000)), now_)), "opened");
}

TEST_F(TokenTest, TheRunIsBornAtTheFirstSealAndKeptByEveryLaterToken) {
  FlowState start;
  start.flow_id = "aide";
  start.flow_version = 1;
  start.current = "age";
  ASSERT_TRUE(start.run_secret.empty());
  const auto first = tokens_.Open(tokens_.Seal(start, now_), now_);
  ASSERT_TRUE(first) << DetailOf(first);
  ASSERT_EQ(first.value().run_secret.size(), FlowTokens::kRunSecretBytes);
  const auto other_start = tokens_.Open(tokens_.Seal(start, now_), now_);
  EXPECT_NE(other_start.value().run_secret, first.value().run_secret) << "each start is a new run";
  FlowState later = first.value();
  later.current = "contact";
  later.history = {"age"};
  const auto reopened = tokens_.Open(tokens_.Seal(later, now_ + minutes(10)), now_ + minutes(10));
  EXPECT_EQ(reopened.value().run_secret, first.value().run_secret);
  // The run is inside the encrypted payload, not readable from the token.
  const std::string raw = *core::Base64UrlDecode(tokens_.Seal(later, now_));
  EXPECT_EQ(raw.find(first.value().run_secret), std::string::npos);
  EXPECT_EQ(raw.find(core::Base64UrlEncode(first.value().run_secret)), std::string::npos);
}

TEST_F(TokenTest, ALegacyTokenWithoutRunGetsAStableRunOfItsOwn) {
  const std::string legacy = LegacyToken(Key('k'), 1'800'000'000);
  const auto a = tokens_.Open(legacy, now_);
  ASSERT_TRUE(a) << DetailOf(a);
  EXPECT_EQ(a.value().run_secret.size(), FlowTokens::kRunSecretBytes);
  EXPECT_EQ(tokens_.Open(legacy, now_ + minutes(3)).value().run_secret, a.value().run_secret) << "resubmissions meet";
  const std::string other = LegacyToken(Key('k'), 1'800'000'000);
  EXPECT_NE(tokens_.Open(other, now_).value().run_secret, a.value().run_secret);
}

TEST_F(TokenTest, TwoSealsOfOneStateDiffer) {
  EXPECT_NE(tokens_.Seal(state_, now_), tokens_.Seal(state_, now_)) << "a fresh random nonce each time";
}

TEST_F(TokenTest, ExpiresTwoHoursAfterIssue) {
  const std::string token = tokens_.Seal(state_, now_);
  EXPECT_TRUE(tokens_.Open(token, now_ + hours(2)));
  EXPECT_EQ(DetailOf(tokens_.Open(token, now_ + hours(2) + seconds(1))), "expired");
  EXPECT_EQ(DetailOf(tokens_.Open(token, now_ - minutes(5))), "expired") << "issued in the future";
  EXPECT_TRUE(tokens_.Open(token, now_ - seconds(30))) << "a little clock skew between instances";
}

TEST_F(TokenTest, EveryFlippedByteIsDetected) {
  const std::string raw = *core::Base64UrlDecode(tokens_.Seal(state_, now_));
  for (std::size_t i = 1; i < raw.size(); ++i) {
    std::string tampered = raw;
    tampered[i] = static_cast<char>(tampered[i] ^ 0x01);
    EXPECT_EQ(DetailOf(tokens_.Open(core::Base64UrlEncode(tampered), now_)), "forged") << "byte " << i;
  }
  std::string other_format = raw;
  other_format[0] = 0x02;
  EXPECT_EQ(DetailOf(tokens_.Open(core::Base64UrlEncode(other_format), now_)), "malformed");
}

TEST_F(TokenTest, TruncatedOrGarbageTokensAreRefused) {
  const std::string token = tokens_.Seal(state_, now_);
  const std::string raw = *core::Base64UrlDecode(token);
  EXPECT_EQ(DetailOf(tokens_.Open(core::Base64UrlEncode(raw.substr(0, raw.size() - 1)), now_)), "forged");
  EXPECT_EQ(DetailOf(tokens_.Open(core::Base64UrlEncode(raw.substr(0, raw.size() - 17)), now_)), "forged");
  EXPECT_EQ(DetailOf(tokens_.Open(core::Base64UrlEncode(raw.substr(0, 30)), now_)), "malformed");
  EXPECT_NE(DetailOf(tokens_.Open(token.substr(0, token.size() - 3), now_)), "opened");
  EXPECT_EQ(DetailOf(tokens_.Open("", now_)), "malformed");
  EXPECT_EQ(DetailOf(tokens_.Open("not a token!", now_)), "malformed");
  EXPECT_EQ(DetailOf(tokens_.Open(std::string(FlowTokens::kMaxLength + 1, 'A'), now_)), "malformed");
}

TEST_F(TokenTest, ATokenOfAnotherServerKeyIsRefused) {
  const FlowTokens other(Key('z'));
  EXPECT_EQ(DetailOf(tokens_.Open(other.Seal(state_, now_), now_)), "forged");
}

TEST_F(TokenTest, ACsrfKeyCannotOpenAFlowToken) {
  const FlowTokens csrf_keyed(core::ServerKey::FromBytes(std::string(32, 'k')).Derive("csrf"));
  EXPECT_EQ(DetailOf(csrf_keyed.Open(tokens_.Seal(state_, now_), now_)), "forged");
}

TEST_F(TokenTest, ReplayIsHarmlessAndGivesTheSameState) {
  // Tokens are bearer state, not one-time tickets: the browser's resubmission and a second
  // instance must both work. Idempotence of the referral is the referral's job.
  const std::string token = tokens_.Seal(state_, now_);
  EXPECT_EQ(tokens_.Open(token, now_).value(), tokens_.Open(token, now_ + hours(1)).value());
}

TEST_F(TokenTest, RefusesAWrongKeySize) { EXPECT_THROW(FlowTokens(std::string(16, 'k')), core::InfrastructureError); }

TEST_F(TokenTest, PublicMessageIsFrenchAndOffersToStartAgain) {
  const auto refused = tokens_.Open("x", now_);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, core::ErrorCode::kInvalidInput);
  EXPECT_NE(refused.error().public_message.find("recommencez"), std::string::npos);
}

}  // namespace
}  // namespace passerelle::help
