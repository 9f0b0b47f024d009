#include "pro_space/pro_space.h"

#include "console/console.h"
#include "console/import_runner.h"
#include "conversation/desk.h"
#include "duty/pro_register.h"
#include "key_rotation/register.h"
#include "key_rotation/service.h"
#include "profile/register.h"
#include "referral/delays_register.h"
#include "referral/pro_register.h"
#include "referral/workflow.h"

namespace passerelle::pro_space {

namespace {

class Space final : public ProSpace {
 public:
  Space(http::Router& router, const http::Renderer& renderer, const http::CsrfGuard& csrf, storage::Database& db,
        const core::ServerKey& server_key, directory::DirectoryService& directory, accounts::AccountsSettings settings,
        const accounts::Clock& clock, ConsoleOptions console, conversation::Hub* conversations)
      : own_conversations_(conversations == nullptr
                               ? std::make_unique<conversation::Hub>(conversation::Settings{}, [](auto&&...) {})
                               : nullptr),
        conversations_(conversations == nullptr ? *own_conversations_ : *conversations),
        accounts_(
            accounts::RegisterAccounts(router, renderer, csrf, db, server_key, WithKeyRotationBanner(settings), clock)),
        workflow_(db),
        rotation_(db, accounts_->service(), accounts_->sessions()) {
    key_rotation::RegisterKeyRotation(accounts_->routes(), renderer, rotation_);
    referral::RegisterReferralInbox(accounts_->routes(), accounts_->sessions(), workflow_, directory, renderer, clock);
    profile::RegisterProfile(accounts_->routes(), renderer, db, directory, clock);
    referral::RegisterTerritoryDelays(accounts_->routes(), renderer, db, clock);
    console_imports_ =
        console::RegisterConsole({accounts_->routes(), renderer, db, directory, clock, server_key.Derive("fresh"),
                                  accounts_->service(), settings.public_url, console.small_count_threshold,
                                  console.matching, std::move(console.wording), std::move(console.territory_saved)});
    duty::RegisterDutyPages(accounts_->routes(), renderer, db, clock);
    conversation::RegisterConversationDesk(accounts_->routes(), renderer, conversations_, clock);
  }

  // The console's imports use the directory and the database given: stopped here, before them.
  ~Space() override { console_imports_->Stop(); }

  accounts::ProRoutes& routes() override { return accounts_->routes(); }
  accounts::SessionStore& sessions() override { return accounts_->sessions(); }
  conversation::Hub& conversations() override { return conversations_; }

 private:
  // The organization page's banner asks the key rotation use case (above accounts); called
  // only while serving, once rotation_ exists.
  accounts::AccountsSettings WithKeyRotationBanner(accounts::AccountsSettings settings) {
    settings.key_rotation_approved = [this](const std::string& organization_id) {
      return rotation_.Approved(organization_id);
    };
    return settings;
  }

  std::unique_ptr<conversation::Hub> own_conversations_;
  conversation::Hub& conversations_;
  std::unique_ptr<accounts::AccountsSpace> accounts_;
  referral::WorkflowService workflow_;
  key_rotation::KeyRotationService rotation_;
  std::shared_ptr<console::ImportRunner> console_imports_;
};

}  // namespace

std::unique_ptr<ProSpace> RegisterProSpace(http::Router& router, const http::Renderer& renderer,
                                           const http::CsrfGuard& csrf, storage::Database& db,
                                           const core::ServerKey& server_key, directory::DirectoryService& directory,
                                           accounts::AccountsSettings settings, accounts::Clock clock,
                                           ConsoleOptions console, conversation::Hub* conversations) {
  return std::make_unique<Space>(router, renderer, csrf, db, server_key, directory, std::move(settings), clock,
                                 std::move(console), conversations);
}

}  // namespace passerelle::pro_space
