#pragma once

#include <filesystem>
#include <functional>
#include <memory>
#include <string>

#include "accounts/policy.h"
#include "accounts/service.h"
#include "accounts/session.h"
#include "directory/service.h"
#include "help/matching.h"
#include "http/templates.h"
#include "storage/database.h"

// The territory console (issue 11, docs/territory-console.md): what a coordinator (her territory)
// and an operator (every territory) use to launch and run a territory without a developer.
namespace passerelle::console {

// Local wording (console/wording.h) and local sheets (console/sheets.h): the content directory
// (the flow and sheet files), and what the server does once a territory's wording or one of its
// sheets is saved (serve reloads its help flows, or its sheets, at once).
struct WordingSettings {
  std::filesystem::path content_dir;
  std::function<void(const std::string& territory_slug)> changed;
  std::function<void(const std::string& territory_slug)> sheets_changed;
};

// What the console's sections are given. Everything referenced must outlive the router.
struct ConsoleContext {
  accounts::ProRoutes& routes;
  const http::Renderer& renderer;
  storage::Database& db;
  directory::DirectoryService& directory;
  accounts::Clock clock;
  // The key of the freshness links (core::ServerKey::Derive("fresh"), directory/freshness.h).
  std::string freshness_key;
  accounts::AccountService& accounts;  // invitations (console/invitations.h)
  std::string public_url;              // base of the invitation links shown
  // Statistics: every figure under it is shown as "< 5" (docs/territory-console.md, "Small counts").
  long long small_count_threshold = 5;
  // The annuaire's index and the gazetteer: the gap analysis measures from each commune to the
  // nearest public service answering the need (docs/territory-console.md "Statistics"). Empty:
  // the distances are not computed.
  help::MatchDirectory matching;
  WordingSettings wording;
  // Called with the slug after a territory is created, changed, archived or restored, or its
  // settings saved (serve reloads its territories: docs/territory-console.md "Live territories").
  // Null: nothing to do.
  std::function<void(const std::string& slug)> territory_saved;
};

class ImportRunner;

// Registers every console page on `context.routes` (each with its declared access), starting
// with the hub of a territory, /pro/territoires/{territory}. `context` is copied.
// Returns the console's background work (the imports' thread, console/import_runner.h): the
// caller stops it (ImportRunner::Stop) before what `context` refers to is destroyed, since the
// routes that also hold it live as long as the router.
std::shared_ptr<ImportRunner> RegisterConsole(const ConsoleContext& context);

}  // namespace passerelle::console
