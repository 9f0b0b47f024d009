// The wording and the RFC 5322 message: one content-free wording per kind, quoted-printable,
// ASCII headers.
#include <gtest/gtest.h>

#include <set>

#include "notify/deliverer.h"
#include "notify/notify_test_support.h"

namespace passerelle::notify::testing {
namespace {

// A row with a link path (the signed link of a freshness question) links there instead of /pro.
TEST_P(NotifyTest, ALinkPathReplacesTheLinkToTheProSpace) {
  if (IsSkipped() || HasFatalFailure()) return;
  SmtpSink sink;
  db_->InTransaction([&](soci::session& sql) {
    Enqueue(sql, kOrgAddress, Kind::kFreshness, kT0, std::string("/pro/fraicheur/abc.def"));
  });
  Deliverer deliverer(*db_, Smtp(sink), kPublicUrl);
  EXPECT_EQ(deliverer.DeliverDue(kT0).sent, 1u);
  ASSERT_EQ(sink.Received().size(), 1u);
  const ParsedMail mail = Parse(sink.Received().front().data);
  EXPECT_EQ(mail.body, WordingFor(Kind::kFreshness, kPublicUrl, "/pro/fraicheur/abc.def").body);
  EXPECT_NE(mail.body.find("https://passerelle.example.org/pro/fraicheur/abc.def\n"), std::string::npos);
}

TEST_P(NotifyTest, EveryKindHasItsOwnContentFreeWording) {
  if (IsSkipped() || HasFatalFailure()) return;
  SmtpSink sink;
  const std::vector<Kind> kinds = {Kind::kNewReferral, Kind::kNewMessage,          Kind::kHandover,  Kind::kReminder,
                                   Kind::kEscalation,  Kind::kAddressChange,       Kind::kFreshness, Kind::kInvitation,
                                   Kind::kCallBack,    Kind::kAppointmentCancelled};
  for (Kind kind : kinds) Queue(kOrgAddress, kind);
  Deliverer deliverer(*db_, Smtp(sink), kPublicUrl);
  EXPECT_EQ(deliverer.DeliverDue(kT0).sent, kinds.size());
  std::set<std::string> subjects;
  std::set<std::string> bodies;
  for (const ReceivedMail& received : sink.Received()) {
    const ParsedMail mail = Parse(received.data);
    subjects.insert(mail.headers.at("Subject"));
    bodies.insert(mail.body);
  }
  EXPECT_EQ(subjects.size(), kinds.size());
  EXPECT_EQ(bodies.size(), kinds.size());
  for (Kind kind : kinds) {
    SCOPED_TRACE(KindCode(kind));
    const Wording w = WordingFor(kind, kPublicUrl);
    EXPECT_TRUE(subjects.count(w.subject));
    EXPECT_TRUE(bodies.count(w.body));
    // The only variable part is the link; the rest is fixed text.
    EXPECT_NE(w.body.find("https://passerelle.example.org/pro\n"), std::string::npos);
    EXPECT_NE(w.body.find("aucune information sur la demande"), std::string::npos);
    EXPECT_EQ(KindFromCode(KindCode(kind)), kind);
  }
  EXPECT_EQ(KindFromCode("nonsense"), std::nullopt);
}

TEST(MessageTest, QuotedPrintableKeepsLinesShortAndRoundTrips) {
  const std::string text = "Un très long paragraphe " + std::string(200, 'a') + " = fin \nligne 2\t\n";
  const std::string qp = QuotedPrintable(text);
  std::size_t start = 0;
  while (start < qp.size()) {
    const auto end = std::min(qp.find("\r\n", start), qp.size());
    EXPECT_LE(end - start, 76u);
    start = end + 2;
  }
  EXPECT_EQ(qp.find('\n', 0) == std::string::npos || qp[qp.find('\n') - 1] == '\r', true);
  EXPECT_NE(qp.find("=3D"), std::string::npos);
  EXPECT_NE(qp.find("=20\r\n"), std::string::npos);  // trailing space
  EXPECT_NE(qp.find("=09\r\n"), std::string::npos);  // trailing tab
  EXPECT_EQ(DecodeQuotedPrintable(qp), text);
}

TEST(MessageTest, HeadersAreAsciiAndTheSubjectIsEncoded) {
  const std::string m =
      BuildMessage("passerelle@example.org", kOrgAddress, Kind::kAddressChange, kPublicUrl, kT0, "abc123");
  for (char c : m) EXPECT_LT(static_cast<unsigned char>(c), 128u);
  const ParsedMail mail = Parse(m);
  EXPECT_EQ(mail.headers.at("Subject"), "Adresse de notification modifiée sur Passerelle");
  EXPECT_EQ(mail.headers.at("Date"), "Sun, 15 Jun 2025 15:06:40 +0000");
  EXPECT_EQ(mail.headers.at("Message-ID"), "<abc123@example.org>");
  EXPECT_EQ(mail.body, WordingFor(Kind::kAddressChange, kPublicUrl).body);
}

}  // namespace
}  // namespace passerelle::notify::testing
