// SMTP over libcurl against a real sink on 127.0.0.1: credentials, TLS never downgraded, and
// the settings parsed from their URL with errors named without their secret.
#include <gtest/gtest.h>

#include "notify/deliverer.h"
#include "notify/notify_test_support.h"

namespace passerelle::notify::testing {
namespace {

using std::chrono::seconds;

TEST_P(NotifyTest, AuthenticatesWithTheCredentialsOfTheUrl) {
  if (IsSkipped() || HasFatalFailure()) return;
  SmtpSink sink;
  sink.RequireAuth("passerelle", "p@ss word");
  Queue(kOrgAddress, Kind::kNewReferral);
  SmtpSettings wrong =
      ParseSmtpSettings("smtp://passerelle:nope@127.0.0.1:" + std::to_string(sink.port()), "passerelle@example.org");
  EXPECT_EQ(Deliverer(*db_, wrong, kPublicUrl).DeliverDue(kT0).retry_later, 1u);
  EXPECT_EQ(OnlyRow().last_error, "auth");
  EXPECT_TRUE(sink.Received().empty());
  SmtpSettings right = ParseSmtpSettings("smtp://passerelle:p%40ss%20word@127.0.0.1:" + std::to_string(sink.port()),
                                         "passerelle@example.org");
  EXPECT_EQ(Deliverer(*db_, right, kPublicUrl).DeliverDue(kT0 + seconds(60)).sent, 1u);
  ASSERT_EQ(sink.Received().size(), 1u);
  EXPECT_EQ(sink.Received()[0].username, "passerelle");
}

TEST_P(NotifyTest, RequiredTlsIsNeverDowngradedToPlainText) {
  if (IsSkipped() || HasFatalFailure()) return;
  SmtpSink sink;  // offers no STARTTLS
  Queue(kOrgAddress, Kind::kNewReferral);
  const SmtpSettings smtp = ParseSmtpSettings(SinkUrl(sink) + "?tls=required", "passerelle@example.org");
  EXPECT_EQ(smtp.tls, Tls::kStartTls);
  EXPECT_EQ(Deliverer(*db_, smtp, kPublicUrl).DeliverDue(kT0).retry_later, 1u);
  EXPECT_EQ(OnlyRow().last_error, "tls");
  EXPECT_TRUE(sink.Received().empty());
}

// --- no database ---

TEST(SmtpSettingsTest, AcceptsTheDocumentedForms) {
  SmtpSettings s = ParseSmtpSettings("smtp://127.0.0.1:2525", "passerelle@example.org");
  EXPECT_EQ(s.curl_url, "smtp://127.0.0.1:2525");
  EXPECT_EQ(s.tls, Tls::kNone);
  EXPECT_TRUE(s.username.empty());
  s = ParseSmtpSettings("smtp://relay.example.org?tls=required", "passerelle@example.org");
  EXPECT_EQ(s.curl_url, "smtp://relay.example.org");
  EXPECT_EQ(s.tls, Tls::kStartTls);
  s = ParseSmtpSettings("smtps://user%40x:p%3Ass@mail.example.org:465/", "passerelle@example.org");
  EXPECT_EQ(s.curl_url, "smtps://mail.example.org:465");
  EXPECT_EQ(s.tls, Tls::kImplicit);
  EXPECT_EQ(s.username, "user@x");
  EXPECT_EQ(s.password, "p:ss");
}

TEST(SmtpSettingsTest, BadSettingsAreNamedWithoutTheirSecret) {
  const auto error_of = [](const std::string& url, const std::string& from) -> std::string {
    try {
      (void)ParseSmtpSettings(url, from);
    } catch (const core::ConfigException& e) {
      return e.what();
    }
    return "";
  };
  for (const std::string url :
       {"http://mail.example.org", "mail.example.org:25", "smtp://", "smtp://:25", "smtp://h:0", "smtp://h:99999",
        "smtp://h:25x", "smtp://h/path", "smtp://h?tls=maybe", "smtp://u:s3cret%zz@h", "smtp://u:s3cret@h:bad"}) {
    SCOPED_TRACE(url);
    const std::string error = error_of(url, "passerelle@example.org");
    EXPECT_NE(error.find("PASSERELLE_SMTP_URL"), std::string::npos) << error;
    EXPECT_EQ(error.find("s3cret"), std::string::npos) << error;
  }
  for (const std::string from : {"", "passerelle", "a b@example.org", "<a@example.org>", "a@b\r\nBcc: c@d"}) {
    SCOPED_TRACE(from);
    EXPECT_NE(error_of("smtp://127.0.0.1:25", from).find("PASSERELLE_SMTP_FROM"), std::string::npos);
  }
  EXPECT_EQ(RedactSmtpUrl("smtps://user:s3cret@mail.example.org:465"), "smtps://user:***@mail.example.org:465");
  EXPECT_EQ(RedactSmtpUrl("smtp://127.0.0.1:25"), "smtp://127.0.0.1:25");
}

TEST(SmtpSettingsTest, PublicUrl) {
  EXPECT_EQ(ParsePublicUrl("http://127.0.0.1:8080"), "http://127.0.0.1:8080");
  EXPECT_EQ(ParsePublicUrl("https://passerelle.example.org/"), "https://passerelle.example.org");
  EXPECT_EQ(ParsePublicUrl("https://example.org/passerelle/"), "https://example.org/passerelle");
  for (const std::string bad : {"", "ftp://x", "https://", "https://x?y=1", "https://u@x", "javascript:alert(1)"}) {
    SCOPED_TRACE(bad);
    EXPECT_THROW((void)ParsePublicUrl(bad), core::ConfigException);
  }
}

}  // namespace
}  // namespace passerelle::notify::testing
