#pragma once

#include "accounts/policy.h"
#include "accounts/session.h"
#include "directory/service.h"
#include "http/templates.h"
#include "referral/workflow.h"

namespace passerelle::referral {

// The referral inbox of the professional space (issue 4 §3-4, docs/referral.md "Inbox pages"):
//   GET  /pro/demandes                      the member's organizations' referrals (minimal data)
//   GET  /pro/demandes/{id}                 safe-contact instructions first, then the report,
//                                           the conversation and the allowed changes
//   POST /pro/demandes/{id}/etat            status change (to, outcome, reason, note)
//   POST /pro/demandes/{id}/transmission    hand-over (service_id of the target)
//   POST /pro/demandes/{id}/messages        message to her (message)
// Every route is declared on `routes` for members only, and those with {id} for a member of the
// referral's organization only (the `referral` resolver is registered here): coordinators and
// operators get nothing. Everything given must outlive the router.
void RegisterReferralInbox(accounts::ProRoutes& routes, accounts::SessionStore& sessions, WorkflowService& workflow,
                           const directory::DirectoryService& directory, const http::Renderer& renderer,
                           accounts::Clock clock);

}  // namespace passerelle::referral
