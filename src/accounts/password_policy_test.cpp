#include <gtest/gtest.h>

#include <filesystem>

#include "accounts/password_policy.h"

namespace passerelle::accounts {
namespace {

constexpr const char* kJohnList = "/usr/share/john/password.lst";  // Debian package john-data

class PasswordPolicyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(std::filesystem::exists(kJohnList)) << "install john-data (scripts/install-deps.sh)";
    policy_ = std::make_unique<PasswordPolicy>(PasswordPolicy::Load({kJohnList}));
  }
  bool Accepted(const std::string& password, const std::string& email = "marie.dupont@example.org") {
    return policy_->Check(password, email).ok();
  }
  std::unique_ptr<PasswordPolicy> policy_;
};

TEST_F(PasswordPolicyTest, LoadsTheWholeList) {
  EXPECT_GT(policy_->size(), 3000u);
  EXPECT_THROW(PasswordPolicy::Load({"/nonexistent/list.txt"}), std::exception);
}

TEST_F(PasswordPolicyTest, AtLeastTwelveCharactersCountedAsCharactersNotBytes) {
  EXPECT_FALSE(Accepted("Rhubarbe-42"));  // 11
  EXPECT_TRUE(Accepted("Rhubarbe-42x"));  // 12
  EXPECT_FALSE(Accepted("éèàùçéèàùçé"));  // 11 characters, 22 bytes
  const auto refused = policy_->Check("court", "a@b.fr");
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.error().public_message.find("12 caractères"), std::string::npos);
}

TEST_F(PasswordPolicyTest, NoCompositionRulesAndLongPassphrasesAreFine) {
  EXPECT_TRUE(Accepted("trois chats sur un toit"));  // lower case and spaces only
  EXPECT_TRUE(Accepted("la tisane de grand-mère sent la menthe"));
  EXPECT_TRUE(
      Accepted(std::string(10, 'x') + " le vent se lève, il faut tenter de vivre " + std::string(300, 'z') + "!"));
  EXPECT_FALSE(Accepted(std::string(501, 'a') + "b"));  // beyond 500 characters
  EXPECT_TRUE(Accepted("الحرية والكرامة للجميع"));      // a passphrase in Arabic
}

TEST_F(PasswordPolicyTest, ListedPasswordsAreRefusedWhateverTheCaseAndAccents) {
  EXPECT_FALSE(Accepted("winniethepooh"));  // the one entry of 12+ characters in john's list
  EXPECT_FALSE(Accepted("WinnieThePooh"));
  EXPECT_FALSE(Accepted("Winnie-the-Pooh"));
  EXPECT_FALSE(Accepted("password1234"));  // listed word and digits
  EXPECT_FALSE(Accepted("2024Password!!"));
  EXPECT_FALSE(Accepted("Motdepasse2024"));  // built-in French words
  EXPECT_FALSE(Accepted("MotDePassé2024"));  // accent-insensitive
  EXPECT_FALSE(Accepted("Soleil12345678"));  // "soleil" is in john's list
  const auto refused = policy_->Check("Motdepasse2024", "a@b.fr");
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.error().public_message.find("trop courant"), std::string::npos);
}

TEST_F(PasswordPolicyTest, RepetitionsSequencesAndTheEmailNameAreRefused) {
  EXPECT_FALSE(Accepted("azertyazerty"));
  EXPECT_FALSE(Accepted("abcabcabcabc"));
  EXPECT_FALSE(Accepted("aaaaaaaaaaaaaaaa"));
  EXPECT_FALSE(Accepted("123456789012"));
  EXPECT_FALSE(Accepted("qwertyuiopasdf"));
  EXPECT_FALSE(Accepted("azertyuiopqsd"));
  EXPECT_FALSE(Accepted("!!!!!!!!!!!!!"));
  EXPECT_FALSE(Accepted("marie.dupont2024", "marie.dupont@example.org"));
  EXPECT_TRUE(Accepted("marie.dupont2024", "alice@example.org"));
}

TEST(FoldPassword, LowersRemovesAccentsAndSymbols) {
  EXPECT_EQ(FoldPassword("Mot De-Passé 2024 !"), "motdepasse2024");
  EXPECT_EQ(FoldPassword("Œuvre"), "oeuvre");
}

}  // namespace
}  // namespace passerelle::accounts
