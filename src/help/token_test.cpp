#include "help/token.h"

#include <gtest/gtest.h>

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

TEST_F(TokenTest, RefusesAWrongKeySize) {
  EXPECT_THROW(FlowTokens(std::string(16, 'k')), core::InfrastructureError);
}

TEST_F(TokenTest, PublicMessageIsFrenchAndOffersToStartAgain) {
  const auto refused = tokens_.Open("x", now_);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, core::ErrorCode::kInvalidInput);
  EXPECT_NE(refused.error().public_message.find("recommencez"), std::string::npos);
}

}  // namespace
}  // namespace passerelle::help
