#include "referral/workflow.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>

#include "referral/statistics.h"
#include "referral/workflow_fixture.h"

namespace passerelle::referral {
namespace {

using S = ReferralStatus;
using testing::WorkflowDbTest;

const std::vector<S> kAllStatuses = {S::kNew,     S::kAcknowledged, S::kContacted,  S::kClosed,
                                     S::kRefused, S::kWithdrawn,    S::kHandedOver, S::kExpired};

// The whole table: every pair, with and without her consent to a hand-over.
TEST(TransitionTest, EveryPairFollowsTheTable) {
  const std::map<S, std::set<S>> allowed = {
      {S::kNew, {S::kAcknowledged, S::kRefused, S::kHandedOver}},
      {S::kAcknowledged, {S::kContacted, S::kClosed, S::kRefused, S::kHandedOver}},
      {S::kContacted, {S::kClosed, S::kHandedOver}},
  };
  for (bool consent : {false, true}) {
    for (S from : kAllStatuses) {
      const auto next = AllowedNext(from, consent);
      for (S to : kAllStatuses) {
        const auto row = allowed.find(from);
        const bool expected = row != allowed.end() && row->second.count(to) > 0 && (to != S::kHandedOver || consent);
        const auto checked = CheckTransition(from, to, consent);
        EXPECT_EQ(checked.ok(), expected) << CodeOf(from) << "->" << CodeOf(to) << " consent=" << consent;
        EXPECT_EQ(std::count(next.begin(), next.end(), to) == 1, expected) << CodeOf(from) << "->" << CodeOf(to);
        if (!checked.ok()) {
          EXPECT_FALSE(checked.error().public_message.empty());
          const bool no_consent = IsOpen(from) && from != to && to == S::kHandedOver && !consent;
          EXPECT_EQ(checked.error().code, no_consent ? core::ErrorCode::kForbidden : core::ErrorCode::kConflict)
              << CodeOf(from) << "->" << CodeOf(to);
        }
      }
    }
  }
}

TEST(TransitionTest, MessagesSayWhatToDoInstead) {
  EXPECT_NE(CheckTransition(S::kNew, S::kContacted, true).error().public_message.find("en charge"), std::string::npos);
  EXPECT_NE(CheckTransition(S::kNew, S::kClosed, true).error().public_message.find("refusez"), std::string::npos);
  EXPECT_NE(CheckTransition(S::kClosed, S::kContacted, true).error().public_message.find("close"), std::string::npos);
  EXPECT_NE(CheckTransition(S::kNew, S::kHandedOver, false).error().public_message.find("pas accepté"),
            std::string::npos);
}

TEST(ModelTest, CodesRoundTrip) {
  for (S s : kAllStatuses) EXPECT_EQ(ParseStatus(CodeOf(s)), s);
  for (CloseOutcome o : kAllOutcomes) EXPECT_EQ(ParseOutcome(CodeOf(o)), o);
  for (RefusalReason r : kAllRefusalReasons) EXPECT_EQ(ParseRefusalReason(CodeOf(r)), r);
  EXPECT_FALSE(ParseStatus("ouvert"));
  EXPECT_FALSE(ParseOutcome(""));
  EXPECT_FALSE(ParseRefusalReason("new"));
}

TEST_P(WorkflowDbTest, ValidPathToClosedIsAuditedWithoutContent) {
  const SentReferral sent = Send("t1", false);
  const std::string actor = "account:acc-1";
  ASSERT_TRUE(workflow_->ChangeStatus(sent.id, "org-a", StatusRequest{S::kAcknowledged, {}, {}, ""}, actor, now_).ok());
  ASSERT_TRUE(workflow_->ChangeStatus(sent.id, "org-a", StatusRequest{S::kContacted, {}, {}, ""}, actor, now_).ok());
  ASSERT_TRUE(workflow_
                  ->ChangeStatus(sent.id, "org-a", StatusRequest{S::kClosed, CloseOutcome::kAccompanied, {}, ""}, actor,
                                 now_ + std::chrono::hours(24))
                  .ok());
  const ReferralRow row = Row(sent.id);
  EXPECT_EQ(row.status, "closed");
  EXPECT_EQ(row.outcome, "accompanied");
  EXPECT_EQ(row.status_changed_on, "2026-03-03");
  EXPECT_EQ(Audit("referral.status"), 3);
  soci::session sql(db_->pool());
  std::string details;
  std::string d;
  std::string a;
  soci::statement st =
      (sql.prepare << "SELECT detail, actor FROM audit_log WHERE action = 'referral.status' ORDER BY seq",
       soci::into(d), soci::into(a));
  st.execute();
  while (st.fetch()) {
    details += d + ";";
    EXPECT_EQ(a, actor);
  }
  EXPECT_EQ(details, "new->acknowledged;acknowledged->contacted;contacted->closed outcome=accompanied;");
  EXPECT_EQ(Count("SELECT COUNT(*) FROM audit_log WHERE detail LIKE :p", "%canari%"), 0);
  // What her code shows.
  const auto follow_up = service_->Find(sent.followup_code);
  ASSERT_TRUE(follow_up);
  EXPECT_EQ(follow_up->status, S::kClosed);
  EXPECT_EQ(follow_up->outcome, CloseOutcome::kAccompanied);
}

TEST_P(WorkflowDbTest, InvalidChangesAreRefusedAndChangeNothing) {
  const SentReferral sent = Send("t1", false);
  auto change = [&](StatusRequest request, const std::string& org = "org-a") {
    return workflow_->ChangeStatus(sent.id, org, request, "account:acc-1", now_);
  };
  EXPECT_EQ(change({S::kContacted, {}, {}, ""}).error().code, core::ErrorCode::kConflict);
  EXPECT_EQ(change({S::kClosed, CloseOutcome::kOther, {}, ""}).error().code, core::ErrorCode::kConflict);
  EXPECT_EQ(change({S::kNew, {}, {}, ""}).error().code, core::ErrorCode::kConflict);
  EXPECT_EQ(change({S::kExpired, {}, {}, ""}).error().code, core::ErrorCode::kConflict);
  EXPECT_EQ(change({S::kWithdrawn, {}, {}, ""}).error().code, core::ErrorCode::kConflict);
  EXPECT_EQ(change({S::kHandedOver, {}, {}, ""}).error().code, core::ErrorCode::kInvalidInput);
  EXPECT_EQ(change({S::kRefused, {}, {}, ""}).error().code, core::ErrorCode::kInvalidInput) << "no reason";
  EXPECT_EQ(change({S::kRefused, {}, RefusalReason::kOther, std::string(1001, 'x')}).error().code,
            core::ErrorCode::kInvalidInput);
  EXPECT_EQ(change({S::kAcknowledged, {}, {}, ""}, "org-b").error().code, core::ErrorCode::kNotFound)
      << "another organization's referral";
  EXPECT_EQ(workflow_->ChangeStatus("ref-unknown", "org-a", {S::kAcknowledged, {}, {}, ""}, "x", now_).error().code,
            core::ErrorCode::kNotFound);
  EXPECT_EQ(Row(sent.id).status, "new");
  EXPECT_EQ(Audit("referral.status"), 0);

  ASSERT_TRUE(change({S::kAcknowledged, {}, {}, ""}).ok());
  EXPECT_EQ(change({S::kAcknowledged, {}, {}, ""}).error().code, core::ErrorCode::kConflict);
  EXPECT_EQ(change({S::kClosed, {}, {}, ""}).error().code, core::ErrorCode::kInvalidInput) << "no outcome";
  ASSERT_TRUE(change({S::kClosed, CloseOutcome::kNoContactPossible, {}, ""}).ok());
  for (S to : {S::kAcknowledged, S::kContacted, S::kClosed, S::kNew}) {
    const auto refused = change({to, CloseOutcome::kOther, RefusalReason::kOther, ""});
    ASSERT_FALSE(refused.ok());
    EXPECT_EQ(refused.error().code, core::ErrorCode::kConflict);
    EXPECT_NE(refused.error().public_message.find("close"), std::string::npos);
  }
  EXPECT_EQ(Row(sent.id).outcome, "no_contact_possible");
}

TEST_P(WorkflowDbTest, RefusalNoteIsReadableOnlyWithHerCode) {
  const SentReferral sent = Send("t1", false);
  const SentReferral other = Send("t2", false);
  ASSERT_TRUE(
      workflow_
          ->ChangeStatus(sent.id, "org-a",
                         {S::kRefused, {}, RefusalReason::kOutOfArea, "  Appelez le CIDFF de Lille : canari-refus "},
                         "account:acc-1", now_)
          .ok());
  const ReferralRow row = Row(sent.id);
  EXPECT_EQ(row.status, "refused");
  EXPECT_EQ(row.refusal_reason, "out_of_area");
  ASSERT_TRUE(row.sealed_refusal_note);
  EXPECT_EQ(row.sealed_refusal_note->find("canari"), std::string::npos);
  EXPECT_FALSE(org_keys::Open(*row.sealed_refusal_note, keys_a_)) << "not even the organization";
  const auto seen = service_->Find(sent.followup_code);
  ASSERT_TRUE(seen);
  EXPECT_EQ(seen->status, S::kRefused);
  EXPECT_EQ(seen->refusal_reason, RefusalReason::kOutOfArea);
  EXPECT_EQ(seen->refusal_note, "Appelez le CIDFF de Lille : canari-refus");
  const auto other_seen = service_->Find(other.followup_code);
  ASSERT_TRUE(other_seen);
  EXPECT_TRUE(other_seen->refusal_note.empty());
  // A finished referral takes no more messages, from either side.
  EXPECT_EQ(service_->Reply(sent.followup_code, "encore là ?", now_).error().code, core::ErrorCode::kConflict);
  EXPECT_EQ(workflow_->WriteMessage(sent.id, "org-a", "x", "account:acc-1", now_).error().code,
            core::ErrorCode::kConflict);
}

TEST_P(WorkflowDbTest, MessagesBothWaysAreSealedNotifiedAndAudited) {
  const SentReferral sent = Send("t1", false);
  EXPECT_EQ(Outbox("new_referral"), 1);
  EXPECT_EQ(OutboxTo("a@example.org"), 1);
  Send("t1", false);
  EXPECT_EQ(Outbox("new_referral"), 1) << "a resubmission notifies nobody";
  ASSERT_TRUE(workflow_->WriteMessage(sent.id, "org-a", "Bonjour, canari-pro", "account:acc-1", now_).ok());
  EXPECT_EQ(workflow_->WriteMessage(sent.id, "org-a", "   ", "account:acc-1", now_).error().code,
            core::ErrorCode::kInvalidInput);
  EXPECT_EQ(workflow_->WriteMessage(sent.id, "org-b", "x", "account:acc-2", now_).error().code,
            core::ErrorCode::kNotFound);
  ASSERT_TRUE(service_->Reply(sent.followup_code, "Merci, canari-elle", now_).ok());
  EXPECT_EQ(Outbox("new_message"), 1) << "her reply notifies the organization";
  EXPECT_EQ(Audit("message.sent"), 1) << "the professional's message; hers are not audited";
  EXPECT_EQ(Count("SELECT COUNT(*) FROM referral_message WHERE sealed_body LIKE :p", "%canari%"), 0);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM referral_message WHERE sealed_copy LIKE :p", "%canari%"), 0);

  const auto opened = workflow_->Open(sent.id, AccessA(), "account:acc-1", now_);
  ASSERT_TRUE(opened.ok());
  ASSERT_EQ(opened.value().messages.size(), 2u);
  EXPECT_EQ(opened.value().messages[0].sender, MessageSender::kProfessional);
  EXPECT_EQ(opened.value().messages[0].text, "Bonjour, canari-pro");
  EXPECT_EQ(opened.value().messages[0].organization_id, "org-a");
  EXPECT_EQ(opened.value().messages[1].text, "Merci, canari-elle");
  const auto found = service_->Find(sent.followup_code);
  ASSERT_TRUE(found);
  ASSERT_EQ(found->messages.size(), 2u);
  EXPECT_EQ(found->messages[0].text, "Bonjour, canari-pro");
  EXPECT_EQ(found->messages[1].text, "Merci, canari-elle") << "she reads her own messages too";
  // Another organization's key opens nothing.
  const auto wrong = workflow_->Open(sent.id, OrganizationAccess{"org-a", keys_b_}, "account:acc-9", now_);
  ASSERT_TRUE(wrong.ok());
  EXPECT_EQ(wrong.value().report_state, ReportState::kUnreadable);
  EXPECT_FALSE(wrong.value().messages[0].text);
  EXPECT_FALSE(wrong.value().messages[1].text);
}

TEST_P(WorkflowDbTest, OpeningIsAuditedOnlyWhenTheReportIsRead) {
  const SentReferral sent = Send("t1", true);
  const auto without_key = workflow_->Open(sent.id, OrganizationAccess{"org-a", std::nullopt}, "account:acc-2", now_);
  ASSERT_TRUE(without_key.ok());
  EXPECT_EQ(without_key.value().report_state, ReportState::kNoKey);
  EXPECT_EQ(Audit("referral.opened"), 0);
  const auto opened = workflow_->Open(sent.id, AccessA(), "account:acc-1", now_);
  ASSERT_TRUE(opened.ok());
  EXPECT_EQ(opened.value().report_state, ReportState::kShown);
  EXPECT_EQ(opened.value().report.value("message", ""), "canari-rapport");
  EXPECT_EQ(opened.value().status, S::kNew) << "opening is not acknowledging";
  const std::vector<S> next = {S::kAcknowledged, S::kRefused, S::kHandedOver};
  EXPECT_EQ(opened.value().next, next);
  EXPECT_EQ(Audit("referral.opened"), 1);
  EXPECT_EQ(Count("SELECT COUNT(*) FROM audit_log WHERE actor = :a", "account:acc-1"), 1);
  EXPECT_EQ(workflow_->Open(sent.id, AccessB(), "account:acc-3", now_).error().code, core::ErrorCode::kNotFound);
  EXPECT_EQ(Audit("referral.opened"), 1);
}

TEST_P(WorkflowDbTest, InboxShowsSealedSummaryWithTheKeyOnly) {
  const SentReferral first = Send("t1", false);
  Send("t2", false, "{}", "org-b");
  soci::session sql(db_->pool());
  EXPECT_EQ(Count("SELECT COUNT(*) FROM referral WHERE sealed_summary LIKE :p", "%Paris%"), 0);
  const auto inbox = workflow_->Inbox({AccessA()});
  ASSERT_EQ(inbox.size(), 1u);
  EXPECT_EQ(inbox[0].id, first.id);
  EXPECT_EQ(inbox[0].summary_state, SummaryState::kShown);
  EXPECT_EQ(inbox[0].summary.needs, "Conseil juridique");
  EXPECT_EQ(inbox[0].summary.commune, "Paris 10e");
  const auto no_key = workflow_->Inbox({OrganizationAccess{"org-a", std::nullopt}});
  ASSERT_EQ(no_key.size(), 1u);
  EXPECT_EQ(no_key[0].summary_state, SummaryState::kNoKey);
  EXPECT_TRUE(no_key[0].summary.needs.empty());
  EXPECT_EQ(workflow_->Inbox({OrganizationAccess{"org-a", keys_b_}})[0].summary_state, SummaryState::kUnreadable);
  EXPECT_EQ(workflow_->Inbox({AccessA(), AccessB()}).size(), 2u);
  EXPECT_TRUE(workflow_->Inbox({}).empty());
}

TEST_P(WorkflowDbTest, HandOverWithoutHerConsentIsRefused) {
  const SentReferral sent = Send("t1", false);
  const auto handed =
      workflow_->HandOver(sent.id, AccessA(), HandOverTarget{"org-b", "svc-b", "paris-10"}, "account:acc-1", now_);
  ASSERT_FALSE(handed.ok());
  EXPECT_EQ(handed.error().code, core::ErrorCode::kForbidden);
  EXPECT_EQ(Row(sent.id).status, "new");
  EXPECT_EQ(Count("SELECT COUNT(*) FROM referral WHERE organization_id = :o", "org-b"), 0);
  EXPECT_EQ(Outbox("handover"), 0);
}

TEST_P(WorkflowDbTest, HandOverReSealsEverythingToTheNewOrganization) {
  const SentReferral sent = Send("t1", true);
  ASSERT_TRUE(workflow_->ChangeStatus(sent.id, "org-a", {S::kAcknowledged, {}, {}, ""}, "account:acc-1", now_).ok());
  ASSERT_TRUE(service_->Reply(sent.followup_code, "canari-elle-avant", now_).ok());
  ASSERT_TRUE(workflow_->WriteMessage(sent.id, "org-a", "canari-pro-avant", "account:acc-1", now_).ok());

  // Refused targets: itself, one without key, and without the key of the current organization.
  EXPECT_EQ(workflow_->HandOver(sent.id, AccessA(), {"org-a", "svc-a", "paris-10"}, "account:acc-1", now_).error().code,
            core::ErrorCode::kInvalidInput);
  EXPECT_EQ(workflow_->HandOver(sent.id, AccessA(), {"org-c", "svc-c", "paris-10"}, "account:acc-1", now_).error().code,
            core::ErrorCode::kInvalidInput);
  EXPECT_EQ(workflow_
                ->HandOver(sent.id, OrganizationAccess{"org-a", std::nullopt}, {"org-b", "svc-b", "paris-10"},
                           "account:acc-1", now_)
                .error()
                .code,
            core::ErrorCode::kForbidden);
  EXPECT_EQ(
      workflow_->HandOver(sent.id, AccessB(), {"org-m", "svc-m", "montreuil"}, "account:acc-2", now_).error().code,
      core::ErrorCode::kNotFound);

  const auto handed = workflow_->HandOver(sent.id, AccessA(), HandOverTarget{"org-b", "svc-b", "paris-10"},
                                          "account:acc-1", now_ + std::chrono::hours(24));
  ASSERT_TRUE(handed.ok()) << handed.error().internal_detail;
  const std::string new_id = handed.value();
  const ReferralRow old_row = Row(sent.id);
  const ReferralRow new_row = Row(new_id);
  EXPECT_EQ(old_row.status, "handed_over");
  EXPECT_EQ(old_row.handed_over_to, new_id);
  EXPECT_FALSE(old_row.followup_lookup) << "her code now shows the new referral";
  EXPECT_EQ(new_row.status, "new");
  EXPECT_EQ(new_row.organization_id, "org-b");
  EXPECT_EQ(new_row.service_id, "svc-b");
  EXPECT_EQ(new_row.handed_over_from, sent.id);
  EXPECT_EQ(new_row.created_on, "2026-03-03");
  // Re-sealed: the new organization's key opens it, the old one does not.
  ASSERT_TRUE(new_row.sealed_report);
  EXPECT_EQ(org_keys::Open(*new_row.sealed_report, keys_b_), R"({"message":"canari-rapport"})");
  EXPECT_FALSE(org_keys::Open(*new_row.sealed_report, keys_a_));
  ASSERT_TRUE(new_row.sealed_summary);
  EXPECT_TRUE(org_keys::Open(*new_row.sealed_summary, keys_b_));
  EXPECT_FALSE(org_keys::Open(*new_row.sealed_summary, keys_a_));
  const auto opened = workflow_->Open(new_id, AccessB(), "account:acc-2", now_);
  ASSERT_TRUE(opened.ok());
  EXPECT_EQ(opened.value().report_state, ReportState::kShown);
  EXPECT_EQ(opened.value().handed_over_from_organization, "org-a");
  ASSERT_EQ(opened.value().messages.size(), 2u);
  EXPECT_EQ(opened.value().messages[0].text, "canari-elle-avant");
  EXPECT_EQ(opened.value().messages[1].text, "canari-pro-avant");
  EXPECT_EQ(opened.value().messages[1].organization_id, "org-a");
  const auto with_old_key = workflow_->Open(new_id, OrganizationAccess{"org-b", keys_a_}, "account:acc-1", now_);
  ASSERT_TRUE(with_old_key.ok());
  EXPECT_EQ(with_old_key.value().report_state, ReportState::kUnreadable);
  EXPECT_FALSE(with_old_key.value().messages[0].text);
  EXPECT_EQ(workflow_->Open(new_id, AccessA(), "account:acc-1", now_).error().code, core::ErrorCode::kNotFound);
  // The old organization keeps only the status line (issue 10 §7): her report, summary and the
  // conversation sealed to it are deleted from the database, not hidden.
  EXPECT_FALSE(old_row.sealed_report);
  EXPECT_FALSE(old_row.sealed_summary);
  EXPECT_EQ(old_row.content_deleted_on, "2026-03-03");
  EXPECT_EQ(Messages(sent.id), 0);
  const auto old_view = workflow_->Open(sent.id, AccessA(), "account:acc-1", now_);
  ASSERT_TRUE(old_view.ok());
  EXPECT_EQ(old_view.value().status, S::kHandedOver);
  EXPECT_EQ(old_view.value().handed_over_to_organization, "org-b");
  EXPECT_EQ(old_view.value().status_changed_on, "2026-03-03");
  EXPECT_EQ(old_view.value().report_state, ReportState::kDeleted);
  EXPECT_TRUE(old_view.value().messages.empty());
  EXPECT_TRUE(old_view.value().report.is_null());
  EXPECT_TRUE(old_view.value().next.empty());
  const auto old_inbox = workflow_->Inbox({AccessA()});
  ASSERT_EQ(old_inbox.size(), 1u);
  EXPECT_EQ(old_inbox[0].status, S::kHandedOver);
  EXPECT_EQ(old_inbox[0].summary_state, SummaryState::kDeleted);
  // Her code follows; she reads both sides and can write to the new organization.
  const auto found = service_->Find(sent.followup_code);
  ASSERT_TRUE(found);
  EXPECT_EQ(found->id, new_id);
  EXPECT_EQ(found->organization_id, "org-b");
  EXPECT_EQ(found->handed_over_from_organization, "org-a");
  ASSERT_EQ(found->messages.size(), 2u);
  EXPECT_EQ(found->messages[0].text, "canari-elle-avant");
  EXPECT_EQ(found->messages[1].text, "canari-pro-avant");
  ASSERT_TRUE(service_->Reply(sent.followup_code, "canari-elle-apres", now_).ok());
  EXPECT_EQ(Messages(new_id), 3);
  EXPECT_EQ(Messages(sent.id), 0);
  // Notified and audited, without content.
  EXPECT_EQ(Outbox("handover"), 1);
  EXPECT_EQ(OutboxTo("b@example.org"), 2) << "hand-over, then her message";
  EXPECT_EQ(Audit("referral.handed_over"), 1);
  EXPECT_EQ(workflow_->HandOver(sent.id, AccessA(), {"org-b", "svc-b", "paris-10"}, "account:acc-1", now_).error().code,
            core::ErrorCode::kConflict)
      << "only once";
  // Her deletion removes every copy.
  ASSERT_TRUE(service_->Delete(sent.followup_code, now_).ok());
  EXPECT_EQ(Row(sent.id).status, "withdrawn");
  EXPECT_EQ(Row(new_id).status, "withdrawn");
  EXPECT_FALSE(Row(sent.id).sealed_report);
  EXPECT_FALSE(Row(new_id).sealed_report);
  EXPECT_EQ(Messages(sent.id) + Messages(new_id), 0);
}

INSTANTIATE_TEST_SUITE_P(Backends, WorkflowDbTest,
                         ::testing::Values(core::DatabaseBackend::kSqlite, core::DatabaseBackend::kPostgresql),
                         storage::testing::BackendName);

}  // namespace
}  // namespace passerelle::referral

namespace passerelle::referral {
namespace {

// The console's statistics (issue 11 §4): outcomes and medians from days, never a sealed column.
TEST_P(WorkflowDbTest, FiguresCountOutcomesAndMedianDays) {
  using std::chrono::hours;
  const std::string actor = "account:acc-1";
  const auto change = [&](const std::string& id, StatusRequest request, int days_later) {
    ASSERT_TRUE(workflow_->ChangeStatus(id, "org-a", request, actor, now_ + hours(24 * days_later)).ok());
  };
  const SentReferral fast = Send("f1", false);
  change(fast.id, {S::kAcknowledged, {}, {}, ""}, 1);
  change(fast.id, {S::kContacted, {}, {}, ""}, 2);
  change(fast.id, {S::kClosed, CloseOutcome::kAccompanied, {}, ""}, 3);
  const SentReferral slow = Send("f2", false);
  change(slow.id, {S::kAcknowledged, {}, {}, ""}, 5);  // after the default escalation delay (3 days)
  change(slow.id, {S::kContacted, {}, {}, ""}, 6);
  const SentReferral refused = Send("f3", false);
  change(refused.id, {S::kRefused, {}, RefusalReason::kNoCapacity, ""}, 0);
  Send("f4", false);
  Send("m1", false, R"({"message":"x"})", "org-m");

  const ReferralFigures paris = ReadReferralFigures(*db_, std::string("paris-10"), "2026-03-01", "2026-03-31");
  EXPECT_EQ(paris.sent, 4);
  EXPECT_EQ(paris.acknowledged, 2);
  EXPECT_EQ(paris.acknowledged_in_time, 1);
  EXPECT_EQ(paris.contacted, 2);
  EXPECT_EQ(paris.closed.at("accompanied"), 1);
  EXPECT_EQ(paris.refused.at("no_capacity"), 1);
  EXPECT_EQ(paris.median_days_to_acknowledgement, 3.0);  // 1 and 5 days
  EXPECT_EQ(paris.median_days_to_contact, 4.0);          // 2 and 6 days
  EXPECT_EQ(ReadReferralFigures(*db_, std::nullopt, "2026-03-01", "2026-03-31").sent, 5);
  EXPECT_EQ(ReadReferralFigures(*db_, std::string("paris-10"), "2026-03-03", "2026-03-31").sent, 0);
  EXPECT_FALSE(ReadReferralFigures(*db_, std::string("montreuil"), "2026-03-01", "2026-03-31").median_days_to_contact);
}

}  // namespace
}  // namespace passerelle::referral
