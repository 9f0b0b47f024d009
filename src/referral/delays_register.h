#pragma once

#include "accounts/policy.h"
#include "http/templates.h"
#include "storage/database.h"

namespace passerelle::referral {

// The territories' job delays in the professional space (issue 4 §6; docs/jobs.md):
//   GET  /pro/territoires                      the territories in the manager's scope, with delays
//   GET  /pro/territoires/{territory}/delais   the form
//   POST /pro/territoires/{territory}/delais   action=enregistrer (the four delays) or
//                                              action=defaut (back to the defaults); audited
// Coordinators of the territory and operators only (the `territory` resolver is registered
// here): members never change when their own reminders come. Everything given must outlive the
// router.
void RegisterTerritoryDelays(accounts::ProRoutes& routes, const http::Renderer& renderer, storage::Database& db,
                             accounts::Clock clock);

}  // namespace passerelle::referral
