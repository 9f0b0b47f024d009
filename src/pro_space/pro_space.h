#pragma once

#include <functional>
#include <memory>
#include <string>

#include "accounts/policy.h"
#include "accounts/register.h"
#include "accounts/session.h"
#include "console/console.h"
#include "conversation/hub.h"
#include "core/crypto.h"
#include "directory/service.h"
#include "help/matching.h"
#include "http/csrf.h"
#include "http/router.h"
#include "http/templates.h"
#include "storage/database.h"

// The professional space as `serve` registers it (issue 4, docs/accounts.md "Access control"):
// one composition unit above the domains that declare /pro routes, so that the generated access
// matrix (pro_space_test.cpp) exercises exactly the routes serve has, with no second list of
// routes to keep in sync.
namespace passerelle::pro_space {

class ProSpace {
 public:
  virtual ~ProSpace() = default;
  // Every /pro route, declared with its access (ProRoutes::Routes()), and the CSRF scope.
  virtual accounts::ProRoutes& routes() = 0;
  virtual accounts::SessionStore& sessions() = 0;
  virtual conversation::Hub& conversations() = 0;
};

// What the territory console is given beyond the pro space's own (src/console/console.h).
struct ConsoleOptions {
  // Statistics: every figure under it is shown as "< 5" (docs/territory-console.md, "Small counts").
  long long small_count_threshold = 5;
  // The gap analysis's distances to the nearest matching service (empty: not computed).
  help::MatchDirectory matching;
  // Where the flow files are and what serve does when a territory's wording is saved.
  console::WordingSettings wording;
  // What serve does when a territory is saved in the console (console::ConsoleContext).
  std::function<void(const std::string& slug)> territory_saved;
};

// Registers on `router`, through one accounts::ProRoutes:
//  - accounts (src/accounts): sign-in, invitations, password, accounts of a territory,
//    organization members and keys;
//  - the referral inbox (src/referral/pro_register.h): /pro/demandes;
//  - the organization profile (src/profile/register.h): /pro/organisations/…/profil,
//    /pro/approbations;
//  - the territory console (src/console/console.h): /pro/territoires/…, with `console`.
//  - the on-duty desk of live conversations (src/conversation/desk.h): /pro/conversations, on
//    `conversations` (the hub her pages share; null: the space keeps one of its own, for tests).
// Everything given must outlive the returned object, which must outlive the router.
std::unique_ptr<ProSpace> RegisterProSpace(http::Router& router, const http::Renderer& renderer,
                                           const http::CsrfGuard& csrf, storage::Database& db,
                                           const core::ServerKey& server_key, directory::DirectoryService& directory,
                                           accounts::AccountsSettings settings, accounts::Clock clock,
                                           ConsoleOptions console = {}, conversation::Hub* conversations = nullptr);

}  // namespace passerelle::pro_space
