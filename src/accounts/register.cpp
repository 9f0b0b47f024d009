#include "accounts/register.h"

#include <spdlog/spdlog.h>

#include <nlohmann/json.hpp>

#include "accounts/qr.h"
#include "accounts/repository.h"
#include "accounts/service.h"
#include "accounts/totp.h"
#include "http/pipeline.h"

namespace passerelle::accounts {

namespace {

using nlohmann::json;

constexpr const char* kTitle = "Espace professionnel";

std::string RoleLabel(Role role) {
  switch (role) {
    case Role::kMember:
      return "Membre d’une organisation";
    case Role::kCoordinator:
      return "Coordination de territoire";
    case Role::kOperator:
      return "Exploitation de la plateforme";
  }
  return "";
}

std::string Field(const http::FormData& form, const char* name) { return form.Get(name).value_or(""); }

class Space final : public AccountsSpace {
 public:
  Space(http::Router& router, const http::Renderer& renderer, const http::CsrfGuard& csrf, storage::Database& db,
        const core::ServerKey& server_key, AccountsSettings settings, Clock clock)
      : settings_(std::move(settings)),
        renderer_(renderer),
        db_(db),
        policy_(PasswordPolicy::Load({settings_.common_passwords_file})),
        hashes_(settings_.max_concurrent_hashes),
        sessions_(db, server_key, clock),
        service_(db, server_key, policy_, hashes_, sessions_, clock,
                 AccountsConfig{settings_.data_dir.empty() ? std::filesystem::path()
                                                           : std::filesystem::path(settings_.data_dir) / "demo-keys",
                                std::chrono::milliseconds(2000)}),
        routes_(router, sessions_, csrf, renderer, CookieSettings{settings_.public_url.rfind("https://", 0) == 0},
                clock) {
    AddResolvers();
    AddRoutes();
  }

  ProRoutes& routes() override { return routes_; }
  SessionStore& sessions() override { return sessions_; }
  AccountService& service() override { return service_; }

 private:
  void AddResolvers();
  void AddRoutes();

  http::Response Page(const http::Request& request, int status, const std::string& name, const std::string& title,
                      json data, const Principal& principal) const {
    data["pro_csrf"] = FormToken(request, principal);
    data["signed_in"] = !principal.account_id.empty();
    data["pro_nav"] = NavLinks(principal);
    return renderer_.Page(request, status, "pro/" + name, title, data);
  }

  // --- sign in ---
  http::Response LoginPage(const http::Request& request, const Principal& principal, int status,
                           const std::vector<FieldError>& errors, const std::string& email,
                           const std::string& notice) const {
    json data = ErrorData(errors);
    data["email"] = email;
    if (!notice.empty()) data["notice"] = notice;
    return Page(request, status, "login", "Connexion", data, principal);
  }

  http::Response ShowLogin(http::Request& request, const Principal& principal) {
    if (!principal.account_id.empty()) return http::Response::Redirect(303, "/pro/accueil");
    const auto state = request.QueryParams().Get("etat").value_or("");
    std::string notice;
    if (state == "active") notice = "Votre compte est prêt. Connectez-vous avec votre mot de passe et un nouveau code.";
    if (state == "deconnecte") notice = "Vous êtes déconnecté·e.";
    return LoginPage(request, principal, 200, {}, "", notice);
  }

  http::Response SignIn(http::Request& request, const Principal& principal) {
    const http::FormData form = request.Form();
    LoginRequest login{Field(form, "email"), Field(form, "password"), Field(form, "code"),
                       http::ClientAddress(request)};
    std::vector<FieldError> missing;
    if (login.email.empty()) missing.push_back({"email", "Saisissez votre adresse e-mail."});
    if (login.password.empty()) missing.push_back({"password", "Saisissez votre mot de passe."});
    if (login.code.empty()) missing.push_back({"code", "Saisissez le code à 6 chiffres de votre application."});
    if (!missing.empty()) return LoginPage(request, principal, 400, missing, login.email, "");
    const LoginResult result = service_.Login(login);
    switch (result.outcome) {
      case LoginResult::Outcome::kSignedIn: {
        http::Response response = http::Response::Redirect(303, "/pro/accueil");
        response.SetHeader("Set-Cookie", routes_.SessionCookie(result.session_token));
        return response;
      }
      case LoginResult::Outcome::kThrottled: {
        const long long minutes = (result.retry_after.count() + 59) / 60;
        http::Response response =
            LoginPage(request, principal, 429,
                      {{"email", "Trop de tentatives de connexion. Réessayez dans " + std::to_string(minutes) +
                                     (minutes > 1 ? " minutes." : " minute.")}},
                      login.email, "");
        response.SetHeader("Retry-After", std::to_string(result.retry_after.count()));
        return response;
      }
      case LoginResult::Outcome::kBusy: {
        http::Response response = http::Response::Error(503);
        response.SetHeader("Retry-After", std::to_string(result.retry_after.count()));
        return response;
      }
      case LoginResult::Outcome::kRefused:
        break;
    }
    return LoginPage(request, principal, 400,
                     {{"email", "Adresse e-mail, mot de passe ou code incorrect. Vérifiez les trois et réessayez."}},
                     login.email, "");
  }

  http::Response SignOut(http::Request&, const Principal& principal) {
    service_.Logout(principal);
    http::Response response = http::Response::Redirect(303, "/pro?etat=deconnecte");
    response.SetHeader("Set-Cookie", routes_.ClearedCookie());
    return response;
  }

  // --- one-time links ---
  http::Response LinkPasswordPage(const http::Request& request, const Principal& principal, const LinkView& link,
                                  int status, const std::vector<FieldError>& errors) const {
    json data = ErrorData(errors);
    data["email"] = link.email;
    data["action"] = request.path;
    data["invite"] = link.kind == LinkKind::kInvite;
    data["password_reset"] = link.kind == LinkKind::kPasswordReset;
    data["totp_reset"] = link.kind == LinkKind::kTotpReset;
    data["new_password"] = link.kind != LinkKind::kTotpReset;
    data["carries_key"] = link.carries_key;
    data["min_length"] = PasswordPolicy::kMinCharacters;
    return Page(request, status, "link_password",
                link.kind == LinkKind::kInvite ? "Créer votre compte" : "Nouvel accès", data, principal);
  }

  http::Response LinkTotpPage(const http::Request& request, const Principal& principal, const std::string& token,
                              int status, const std::vector<FieldError>& errors) {
    auto enrolment = service_.PendingTotp(token);
    if (!enrolment) return http::ErrorFor(enrolment.error());
    const TotpEnrolment& e = enrolment.value();
    json data = ErrorData(errors);
    data["qr_svg"] =
        QrSvg(OtpauthUri(e.secret, e.email), "QR code à scanner avec votre application d’authentification");
    data["manual_key"] = GroupedKey(e.secret);
    data["action"] = "/pro/invitation/" + token + "/totp";
    return Page(request, status, "link_totp", "Code de sécurité", data, principal);
  }

  http::Response ShowLink(http::Request& request, const Principal& principal) {
    const std::string token = request.Param("token");
    auto link = service_.OpenLink(token);
    if (!link) return http::ErrorFor(link.error());
    if (link.value().password_done) return LinkTotpPage(request, principal, token, 200, {});
    return LinkPasswordPage(request, principal, link.value(), 200, {});
  }

  http::Response SubmitLinkPassword(http::Request& request, const Principal& principal) {
    const std::string token = request.Param("token");
    auto link = service_.OpenLink(token);
    if (!link) return http::ErrorFor(link.error());
    const http::FormData form = request.Form();
    const std::string password = Field(form, "password");
    const bool new_password = link.value().kind != LinkKind::kTotpReset;
    if (password.empty()) {
      return LinkPasswordPage(
          request, principal, link.value(), 400,
          {{"password", new_password ? "Choisissez un mot de passe." : "Saisissez votre mot de passe."}});
    }
    auto done =
        service_.CompletePasswordStep(token, password, Field(form, "confirmation"), http::ClientAddress(request));
    if (!done) {
      const core::Error& error = done.error();
      if (error.code == core::ErrorCode::kInvalidInput || error.code == core::ErrorCode::kRateLimited) {
        const bool confirmation = error.internal_detail == "confirmation differs";
        return LinkPasswordPage(request, principal, link.value(),
                                error.code == core::ErrorCode::kRateLimited ? 429 : 400,
                                {{confirmation ? "confirmation" : "password", error.public_message}});
      }
      return http::ErrorFor(error);
    }
    // Her organization's keys were created now (a first member invited from the web): the
    // recovery code is shown once, to her, in this answer (no GET shows it again).
    if (done.value().recovery_code) {
      return Page(request, 200, "link_recovery_code", "Code de récupération de votre organisation",
                  {{"recovery_code", *done.value().recovery_code}, {"next", "/pro/invitation/" + token}}, principal);
    }
    return http::Response::Redirect(303, "/pro/invitation/" + token);
  }

  http::Response SubmitLinkTotp(http::Request& request, const Principal& principal) {
    const std::string token = request.Param("token");
    const std::string code = Field(request.Form(), "code");
    if (code.empty())
      return LinkTotpPage(request, principal, token, 400, {{"code", "Saisissez le code à 6 chiffres."}});
    auto done = service_.ConfirmTotp(token, code);
    if (!done) {
      if (done.error().code == core::ErrorCode::kInvalidInput) {
        return LinkTotpPage(request, principal, token, 400, {{"code", done.error().public_message}});
      }
      return http::ErrorFor(done.error());
    }
    // Any session open in this browser belongs to someone else: the new account signs in afresh.
    http::Response response = http::Response::Redirect(303, "/pro?etat=active");
    if (!principal.account_id.empty()) {
      service_.Logout(principal);
      response.SetHeader("Set-Cookie", routes_.ClearedCookie());
    }
    return response;
  }

  // --- signed in ---
  http::Response Home(http::Request& request, const Principal& principal) {
    json organizations = json::array();
    bool missing_key = false;
    for (const OrganizationAccess& a : service_.AccessOf(principal)) {
      organizations.push_back({{"id", a.organization_id},
                               {"name", a.name},
                               {"has_key", a.has_key},
                               {"grant_pending", a.grant_pending},
                               {"href", "/pro/organisations/" + a.organization_id},
                               {"profile_href", "/pro/organisations/" + a.organization_id + "/profil"},
                               {"recovery_href", "/pro/organisations/" + a.organization_id + "/recuperation"}});
      missing_key = missing_key || !a.has_key;
    }
    json data = {{"email", principal.email},
                 {"role", RoleLabel(principal.role)},
                 {"member", principal.role == Role::kMember},
                 {"manager", principal.role != Role::kMember},
                 {"coordinator", principal.role == Role::kCoordinator},
                 {"organizations", organizations},
                 {"missing_key", missing_key}};
    if (request.QueryParams().Get("etat").value_or("") == "mot-de-passe") {
      data["notice"] = "Votre mot de passe a été changé. Vos autres sessions ont été fermées.";
    }
    return Page(request, 200, "home", kTitle, data, principal);
  }

  http::Response PasswordPage(const http::Request& request, const Principal& principal, int status,
                              const std::vector<FieldError>& errors) const {
    json data = ErrorData(errors);
    data["email"] = principal.email;
    data["min_length"] = PasswordPolicy::kMinCharacters;
    return Page(request, status, "password", "Changer de mot de passe", data, principal);
  }

  http::Response ChangePassword(http::Request& request, const Principal& principal) {
    const http::FormData form = request.Form();
    const std::string current = Field(form, "current");
    const std::string password = Field(form, "password");
    std::vector<FieldError> missing;
    if (current.empty()) missing.push_back({"current", "Saisissez votre mot de passe actuel."});
    if (password.empty()) missing.push_back({"password", "Choisissez un nouveau mot de passe."});
    if (!missing.empty()) return PasswordPage(request, principal, 400, missing);
    auto changed = service_.ChangePassword(principal, current, password, Field(form, "confirmation"));
    if (!changed) {
      const core::Error& error = changed.error();
      if (error.code == core::ErrorCode::kInvalidInput || error.code == core::ErrorCode::kRateLimited) {
        std::string field = "password";
        if (error.internal_detail == "wrong current password") field = "current";
        if (error.internal_detail == "confirmation differs") field = "confirmation";
        return PasswordPage(request, principal, error.code == core::ErrorCode::kRateLimited ? 429 : 400,
                            {{field, error.public_message}});
      }
      return http::ErrorFor(error);
    }
    http::Response response = http::Response::Redirect(303, "/pro/accueil?etat=mot-de-passe");
    response.SetHeader("Set-Cookie", routes_.SessionCookie(changed.value()));
    return response;
  }

  // --- accounts of a territory ---
  http::Response Accounts(http::Request& request, const Principal& principal) {
    json rows = json::array();
    for (const AccountView& a : service_.ListAccounts(principal)) {
      std::string organizations;
      for (const std::string& name : a.organization_names) organizations += (organizations.empty() ? "" : ", ") + name;
      rows.push_back({{"email", a.email},
                      {"role", RoleLabel(a.role)},
                      {"status", std::string(LabelOf(a.status))},
                      {"organizations", organizations},
                      {"territory", a.territory_slug},
                      {"href", "/pro/comptes/" + a.id},
                      {"self", a.id == principal.account_id}});
    }
    json data = {{"accounts", rows},
                 {"operator", principal.role == Role::kOperator},
                 {"territory", principal.territory_slug},
                 {"empty", rows.empty()}};
    return Page(request, 200, "accounts", "Comptes", data, principal);
  }

  std::optional<AccountView> FindAccountView(const Principal& principal, const std::string& id) {
    for (AccountView& a : service_.ListAccounts(principal)) {
      if (a.id == id) return std::move(a);
    }
    return std::nullopt;
  }

  http::Response AccountPage(http::Request& request, const Principal& principal) {
    const auto account = FindAccountView(principal, request.Param("account"));
    if (!account) return http::Response::Error(404);
    std::string organizations;
    for (const std::string& name : account->organization_names)
      organizations += (organizations.empty() ? "" : ", ") + name;
    json data = {{"email", account->email},
                 {"role", RoleLabel(account->role)},
                 {"status", std::string(LabelOf(account->status))},
                 {"organizations", organizations},
                 {"self", account->id == principal.account_id},
                 {"disabled", account->status == AccountStatus::kDisabled},
                 {"active", account->status == AccountStatus::kActive},
                 {"base", "/pro/comptes/" + account->id}};
    return Page(request, 200, "account", "Compte", data, principal);
  }

  http::Response AccountAction(http::Request& request, const Principal& principal, const std::string& action) {
    const std::string id = request.Param("account");
    const auto account = FindAccountView(principal, id);
    if (!account) return http::Response::Error(404);
    json data = {{"email", account->email}, {"accounts_href", "/pro/comptes"}};
    if (action == "disable") {
      auto done = service_.Disable(principal, id);
      if (!done) return http::ErrorFor(done.error());
      data["disabled"] = true;
    } else {
      auto token = action == "totp" ? service_.ResetTotp(principal, id) : service_.ResetPassword(principal, id);
      if (!token) return http::ErrorFor(token.error());
      data["link"] = settings_.public_url + "/pro/invitation/" + token.value();
      data["totp_reset"] = action == "totp";
      data["password_reset"] = action == "password";
    }
    return Page(request, 200, "account_done", "Compte", data, principal);
  }

  // --- organization members and keys ---
  http::Response OrganizationPage(const http::Request& request, const Principal& principal, int status,
                                  const std::string& notice, const std::string& error) {
    const std::string org = request.Param("organization");
    json members = json::array();
    for (const MemberView& m : service_.Members(principal, org)) {
      members.push_back({{"email", m.email},
                         {"status", std::string(LabelOf(m.status))},
                         {"has_key", m.has_key},
                         {"grant_pending", m.grant_pending},
                         {"can_grant", !m.has_key && !m.grant_pending && m.can_receive_grant},
                         {"grant_action", "/pro/organisations/" + org + "/membres/" + m.account_id + "/acces"},
                         {"self", m.account_id == principal.account_id}});
    }
    const bool member = principal.IsMemberOf(org);
    const bool rotation_approved = member && settings_.key_rotation_approved && settings_.key_rotation_approved(org);
    json data = {{"name", service_.OrganizationName(org).value_or(org)},
                 {"members", members},
                 {"viewer_has_key", member && sessions_.OrganizationKey(principal, org).has_value()},
                 {"recovery_href", "/pro/organisations/" + org + "/recuperation"},
                 {"profile_href", "/pro/organisations/" + org + "/profil"},
                 {"duty_href", "/pro/organisations/" + org + "/permanences"},  // src/duty (issue 12)
                 // An approved key rotation waits (docs/adr/0010): its page applies it.
                 {"key_rotation_approved", rotation_approved},
                 {"key_rotation_href", "/pro/organisations/" + org + "/cle/changer"}};
    if (!notice.empty()) data["notice"] = notice;
    if (!error.empty()) data["error"] = error;
    return Page(request, status, "organization", "Organisation", data, principal);
  }

  http::Response Grant(http::Request& request, const Principal& principal) {
    auto done = service_.Grant(principal, request.Param("organization"), request.Param("account"));
    if (!done) {
      if (done.error().code == core::ErrorCode::kNotFound) return http::Response::Error(404);
      return OrganizationPage(request, principal, StatusOf(done.error().code), "", done.error().public_message);
    }
    return OrganizationPage(request, principal, 200,
                            "L’accès est donné : il prendra effet à la prochaine connexion de ce membre.", "");
  }

  http::Response RecoveryPage(const http::Request& request, const Principal& principal, int status,
                              const std::vector<FieldError>& errors) {
    const std::string org = request.Param("organization");
    json data = ErrorData(errors);
    data["name"] = service_.OrganizationName(org).value_or(org);
    data["action"] = "/pro/organisations/" + org + "/recuperation";
    data["has_key"] = sessions_.OrganizationKey(principal, org).has_value();
    return Page(request, status, "recovery", "Code de récupération", data, principal);
  }

  http::Response Recover(http::Request& request, const Principal& principal) {
    const http::FormData form = request.Form();
    const std::string org = request.Param("organization");
    std::vector<FieldError> missing;
    const std::string code = Field(form, "recovery_code");
    const std::string password = Field(form, "password");
    if (code.empty()) missing.push_back({"recovery_code", "Saisissez le code de récupération de l’organisation."});
    if (password.empty()) missing.push_back({"password", "Saisissez votre mot de passe."});
    if (!missing.empty()) return RecoveryPage(request, principal, 400, missing);
    auto done = service_.Recover(principal, org, code, password);
    if (!done) {
      if (done.error().code == core::ErrorCode::kNotFound) return http::Response::Error(404);
      return RecoveryPage(request, principal, StatusOf(done.error().code),
                          {{"recovery_code", done.error().public_message}});
    }
    return http::Response::Redirect(303, "/pro/organisations/" + org);
  }

  static int StatusOf(core::ErrorCode code) { return http::StatusOf(code); }

  AccountsSettings settings_;
  const http::Renderer& renderer_;
  storage::Database& db_;
  PasswordPolicy policy_;
  HashLimiter hashes_;
  SessionStore sessions_;
  AccountService service_;
  ProRoutes routes_;
};

void Space::AddResolvers() { AddOwnerResolvers(routes_, db_); }

void Space::AddRoutes() {
  using std::placeholders::_1;
  using std::placeholders::_2;
  const Access managers =
      Access::Roles({Role::kCoordinator, Role::kOperator}, {{"account", std::string(kAccountObject)}});
  const Access members_of_org = Access::Roles({Role::kMember}, {{"organization", std::string(kOrganizationObject)}});

  // Classes under load (docs/load-shedding.md): the forms are public pages; what runs Argon2id
  // (sign-in, a new password, a recovery code) is the login class, the last but one.
  using http::Priority;
  routes_.Get("/pro", Access::Anonymous(), std::bind(&Space::ShowLogin, this, _1, _2), Priority::kPublic);
  routes_.Post("/pro", Access::Anonymous(), std::bind(&Space::SignIn, this, _1, _2), Priority::kLogin);
  routes_.Get("/pro/invitation/{token}", Access::Anonymous(), std::bind(&Space::ShowLink, this, _1, _2),
              Priority::kPublic);
  routes_.Post("/pro/invitation/{token}", Access::Anonymous(), std::bind(&Space::SubmitLinkPassword, this, _1, _2),
               Priority::kLogin);
  routes_.Post("/pro/invitation/{token}/totp", Access::Anonymous(), std::bind(&Space::SubmitLinkTotp, this, _1, _2),
               Priority::kLogin);

  routes_.Get("/pro/accueil", Access::AnySignedIn(), std::bind(&Space::Home, this, _1, _2));
  routes_.Post("/pro/deconnexion", Access::AnySignedIn(), std::bind(&Space::SignOut, this, _1, _2));
  routes_.Get("/pro/mot-de-passe", Access::AnySignedIn(), [this](http::Request& request, const Principal& principal) {
    return PasswordPage(request, principal, 200, {});
  });
  routes_.Post("/pro/mot-de-passe", Access::AnySignedIn(), std::bind(&Space::ChangePassword, this, _1, _2),
               Priority::kLogin);

  routes_.Get("/pro/comptes", Access::Roles({Role::kCoordinator, Role::kOperator}),
              std::bind(&Space::Accounts, this, _1, _2));
  routes_.Get("/pro/comptes/{account}", managers, std::bind(&Space::AccountPage, this, _1, _2));
  routes_.Post("/pro/comptes/{account}/desactiver", managers,
               [this](http::Request& request, const Principal& principal) {
                 return AccountAction(request, principal, "disable");
               });
  routes_.Post(
      "/pro/comptes/{account}/reinitialiser-totp", managers,
      [this](http::Request& request, const Principal& principal) { return AccountAction(request, principal, "totp"); });
  routes_.Post("/pro/comptes/{account}/reinitialiser-mot-de-passe", managers,
               [this](http::Request& request, const Principal& principal) {
                 return AccountAction(request, principal, "password");
               });

  routes_.Get("/pro/organisations/{organization}", members_of_org,
              [this](http::Request& request, const Principal& principal) {
                return OrganizationPage(request, principal, 200, "", "");
              });
  routes_.Post("/pro/organisations/{organization}/membres/{account}/acces",
               Access::Roles({Role::kMember}, {{"organization", std::string(kOrganizationObject)},
                                               {"account", std::string(kAccountObject)}}),
               std::bind(&Space::Grant, this, _1, _2));
  routes_.Get(
      "/pro/organisations/{organization}/recuperation", members_of_org,
      [this](http::Request& request, const Principal& principal) { return RecoveryPage(request, principal, 200, {}); });
  routes_.Post("/pro/organisations/{organization}/recuperation", members_of_org,
               std::bind(&Space::Recover, this, _1, _2), Priority::kLogin);
}

}  // namespace

json ErrorData(const std::vector<FieldError>& errors) {
  json list = json::array();
  for (const FieldError& e : errors) list.push_back({{"field_id", e.field_id}, {"message", e.message}});
  return {{"has_errors", !errors.empty()}, {"errors", list}};
}

void AddOwnerResolvers(ProRoutes& routes, storage::Database& db) {
  routes.AddResolver(kOrganizationObject, [&db](const std::string& id) -> std::optional<ObjectOwner> {
    soci::session sql(db.pool());
    const auto org = AccountRepository(sql).FindOrganization(id);
    if (!org) return std::nullopt;
    return ObjectOwner{{org->id}, {org->territory_slug}};
  });
  routes.AddResolver(kAccountObject, [&db](const std::string& id) -> std::optional<ObjectOwner> {
    soci::session sql(db.pool());
    AccountRepository repository(sql);
    const auto account = repository.FindAccountById(id);
    if (!account) return std::nullopt;
    ObjectOwner owner;
    if (account->territory_slug) owner.territory_slugs.push_back(*account->territory_slug);
    for (const MembershipRow& m : repository.Memberships(id)) {
      owner.organization_ids.push_back(m.organization_id);
      if (const auto org = repository.FindOrganization(m.organization_id))
        owner.territory_slugs.push_back(org->territory_slug);
    }
    return owner;
  });
  routes.AddResolver(kTerritoryObject, [&db](const std::string& slug) -> std::optional<ObjectOwner> {
    soci::session sql(db.pool());
    int found = 0;
    sql << "SELECT COUNT(*) FROM territory WHERE slug = :slug", soci::use(slug), soci::into(found);
    if (found == 0) return std::nullopt;
    return ObjectOwner{{}, {slug}};
  });
}

std::unique_ptr<AccountsSpace> RegisterAccounts(http::Router& router, const http::Renderer& renderer,
                                                const http::CsrfGuard& csrf, storage::Database& db,
                                                const core::ServerKey& server_key, AccountsSettings settings,
                                                Clock clock) {
  return std::make_unique<Space>(router, renderer, csrf, db, server_key, std::move(settings), std::move(clock));
}

}  // namespace passerelle::accounts
