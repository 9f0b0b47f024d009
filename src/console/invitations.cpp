#include "console/invitations.h"

#include <memory>

#include "accounts/register.h"
#include "console/page.h"
#include "http/pipeline.h"
#include "territory/service.h"

namespace passerelle::console {

namespace {

using accounts::AccountStatus;
using accounts::Principal;
using nlohmann::json;

std::string StatusLabel(const accounts::ManagedMember& m) {
  switch (m.status) {
    case AccountStatus::kActive:
      return "Actif";
    case AccountStatus::kDisabled:
      return "Désactivé";
    case AccountStatus::kInvited:
      return m.invitation_expired ? "Invitation expirée" : "Invitation envoyée";
  }
  return "";
}

struct Context {
  ConsoleContext console;

  std::string NameOf(const std::string& slug) const {
    const auto t = territory::TerritoryService(console.db).Find(slug);
    return t ? t->name : slug;
  }

  // The organization named in the path, when it lies in the territory named in the path (an
  // operator may name any pair).
  std::optional<directory::Organization> OrganizationIn(const std::string& slug, const std::string& id) const {
    auto organization = console.directory.Get(id);
    if (!organization || organization->territory_slug != slug) return std::nullopt;
    return organization;
  }

  // The account, when it is a member of an organization of the territory.
  std::optional<accounts::ManagedMember> MemberInTerritory(const std::string& slug,
                                                           const std::string& account_id) const {
    for (const auto& organization : console.directory.ListByTerritory(slug)) {
      for (const auto& m : console.accounts.MembersOfOrganization(organization.id)) {
        if (m.account_id == account_id) return m;
      }
    }
    return std::nullopt;
  }

  http::Response Members(http::Request& request, const Principal& principal) {
    const std::string slug = request.Param("territory");
    json organizations = json::array();
    for (const auto& organization : console.directory.ListByTerritory(slug)) {
      json members = json::array();
      for (const auto& m : console.accounts.MembersOfOrganization(organization.id)) {
        const std::string base = TerritoryPath(slug, "comptes/" + m.account_id);
        members.push_back({{"email", m.email},
                           {"account_id", m.account_id},
                           {"status", StatusLabel(m)},
                           {"disabled", m.status == AccountStatus::kDisabled},
                           {"invited", m.status == AccountStatus::kInvited},
                           {"reenable_action", base + "/reactiver"},
                           {"resend_action", base + "/renvoyer"}});
      }
      organizations.push_back({{"id", organization.id},
                               {"name", organization.name},
                               {"members", members},
                               {"has_members", !members.empty()},
                               {"invite_href", TerritoryPath(slug, "organisations/" + organization.id + "/inviter")}});
    }
    json data = {{"name", NameOf(slug)}, {"hub", TerritoryPath(slug)}, {"organizations", organizations}};
    const std::string state = request.QueryParams().Get("etat").value_or("");
    if (state == "reactive") data["notice"] = "Le compte est de nouveau actif.";
    if (state == "reactive-invite") {
      data["notice"] =
          "Le compte est réactivé ; son inscription n’était pas finie : envoyez-lui une nouvelle invitation.";
    }
    return Page(console.renderer, request, principal, 200, "console_members", "Membres des organisations", data);
  }

  http::Response InviteForm(const http::Request& request, const Principal& principal, int status,
                            const directory::Organization& organization, const std::string& email,
                            const std::string& error) const {
    const std::string slug = request.Param("territory");
    return InvitePage(request, principal, status, "Inviter un membre : " + organization.name,
                      TerritoryPath(slug, "organisations/" + organization.id + "/inviter"), email, error);
  }

  // The invitation form of a member (from InviteForm) or of a coordinator (`coordinator`).
  http::Response InvitePage(const http::Request& request, const Principal& principal, int status,
                            const std::string& heading, const std::string& action, const std::string& email,
                            const std::string& error, bool coordinator = false) const {
    const std::string slug = request.Param("territory");
    json data = {{"name", NameOf(slug)},
                 {"heading", heading},
                 {"email", email},
                 {"coordinator", coordinator},
                 {"back_href", coordinator ? TerritoryPath(slug) : TerritoryPath(slug, "membres")},
                 {"back_label", coordinator ? NameOf(slug) : std::string("Membres des organisations")},
                 {"action", action}};
    if (!error.empty()) {
      data["email_error"] = error;
      data.update(accounts::ErrorData({{"email", error}}));
    }
    return Page(console.renderer, request, principal, status, "console_invite", heading, data);
  }

  // A coordinator of the territory, invited by an operator (what `user add --role coordinator`
  // does): a coordinator carries no key, so the link is shown once to the operator, to be passed
  // on by a safe means, as `user add` prints it.
  std::optional<territory::Territory> OpenTerritory(const std::string& slug) const {
    auto t = territory::TerritoryService(console.db).Find(slug);
    if (!t || t->archived) return std::nullopt;
    return t;
  }

  http::Response ShowInviteCoordinator(http::Request& request, const Principal& principal) {
    const std::string slug = request.Param("territory");
    if (!OpenTerritory(slug)) return http::Response::Error(404);
    return InvitePage(request, principal, 200, "Inviter une coordinatrice ou un coordinateur : " + NameOf(slug),
                      TerritoryPath(slug, "coordination/inviter"), "", "", true);
  }

  http::Response InviteCoordinator(http::Request& request, const Principal& principal) {
    const std::string slug = request.Param("territory");
    if (!OpenTerritory(slug)) return http::Response::Error(404);
    const std::string email = request.Form().Get("email").value_or("");
    accounts::NewUser user;
    user.email = email;
    user.role = accounts::Role::kCoordinator;
    user.territory_slug = slug;
    user.actor = "account:" + principal.account_id;
    const auto added = console.accounts.AddUser(user);
    if (!added) {
      return InvitePage(request, principal, 400, "Inviter une coordinatrice ou un coordinateur : " + NameOf(slug),
                        TerritoryPath(slug, "coordination/inviter"), email, added.error().public_message, true);
    }
    // The link is a secret shown once: this answer is not kept for a GET (as the resets).
    return Link(request, principal, email, added.value().token, false, true);
  }

  http::Response ShowInvite(http::Request& request, const Principal& principal) {
    const auto organization = OrganizationIn(request.Param("territory"), request.Param("organization"));
    if (!organization) return http::Response::Error(404);
    return InviteForm(request, principal, 200, *organization, "", "");
  }

  // `token` empty: the link went by e-mail to her alone (a first member's), and is shown to nobody.
  http::Response Link(const http::Request& request, const Principal& principal, const std::string& email,
                      const std::string& token, bool resent, bool coordinator = false) const {
    const std::string slug = request.Param("territory");
    json data = {{"email", email},
                 {"emailed", token.empty()},
                 {"resent", resent},
                 {"back_href", coordinator ? TerritoryPath(slug) : TerritoryPath(slug, "membres")},
                 {"back_label", coordinator ? "Retour au territoire" : "Retour aux membres"}};
    if (!token.empty()) data["link"] = console.public_url + "/pro/invitation/" + token;
    return Page(console.renderer, request, principal, 200, "console_invite_done", "Invitation", data);
  }

  http::Response Invite(http::Request& request, const Principal& principal) {
    const auto organization = OrganizationIn(request.Param("territory"), request.Param("organization"));
    if (!organization) return http::Response::Error(404);
    const std::string email = request.Form().Get("email").value_or("");
    accounts::NewUser user;
    user.email = email;
    user.role = accounts::Role::kMember;
    user.organization_id = organization->id;
    user.actor = "account:" + principal.account_id;
    user.carried_key = accounts::CarriedKey::kAtEnrolment;
    const auto added = console.accounts.AddUser(user);
    if (!added) return InviteForm(request, principal, 400, *organization, email, added.error().public_message);
    // The link is a secret shown once: this answer is not kept for a GET (as the resets).
    return Link(request, principal, email, added.value().token, false);
  }

  http::Response Reenable(http::Request& request, const Principal& principal) {
    const std::string slug = request.Param("territory");
    const std::string id = request.Param("account");
    if (!MemberInTerritory(slug, id)) return http::Response::Error(404);
    const auto done = console.accounts.Reenable(principal, id);
    if (!done) return http::ErrorFor(done.error());
    const auto member = MemberInTerritory(slug, id);
    const bool active = member && member->status == AccountStatus::kActive;
    return http::Response::Redirect(
        303, TerritoryPath(slug, "membres") + (active ? "?etat=reactive" : "?etat=reactive-invite"));
  }

  http::Response Resend(http::Request& request, const Principal& principal) {
    const std::string slug = request.Param("territory");
    const auto member = MemberInTerritory(slug, request.Param("account"));
    if (!member) return http::Response::Error(404);
    const auto resent = console.accounts.ResendInvitation(principal, member->account_id);
    if (!resent) return http::ErrorFor(resent.error());
    return Link(request, principal, member->email, resent.value().token, true);
  }
};

}  // namespace

void RegisterInvitations(const ConsoleContext& given) {
  auto c = std::make_shared<Context>(Context{given});
  const auto bind = [c](http::Response (Context::*method)(http::Request&, const Principal&)) {
    return
        [c, method](http::Request& request, const Principal& principal) { return ((*c).*method)(request, principal); };
  };
  const auto managers_of = [](std::string param, std::string_view kind) {
    return accounts::Access::Roles(
        {accounts::Role::kCoordinator, accounts::Role::kOperator},
        {{"territory", std::string(accounts::kTerritoryObject)}, {std::move(param), std::string(kind)}});
  };
  const accounts::Access of_organization = managers_of("organization", accounts::kOrganizationObject);
  const accounts::Access of_account = managers_of("account", accounts::kAccountObject);
  auto& routes = given.routes;
  routes.Get("/pro/territoires/{territory}/membres", ManagersOfTerritory(), bind(&Context::Members));
  routes.Get("/pro/territoires/{territory}/organisations/{organization}/inviter", of_organization,
             bind(&Context::ShowInvite));
  routes.Post("/pro/territoires/{territory}/organisations/{organization}/inviter", of_organization,
              bind(&Context::Invite));
  routes.Post("/pro/territoires/{territory}/comptes/{account}/reactiver", of_account, bind(&Context::Reenable));
  routes.Post("/pro/territoires/{territory}/comptes/{account}/renvoyer", of_account, bind(&Context::Resend));
  // Operators only, on a territory that exists: a coordinator manages her territory, she does not
  // appoint another one.
  const accounts::Access operators_of_territory =
      accounts::Access::Roles({accounts::Role::kOperator}, {{"territory", std::string(accounts::kTerritoryObject)}});
  routes.Get("/pro/territoires/{territory}/coordination/inviter", operators_of_territory,
             bind(&Context::ShowInviteCoordinator));
  routes.Post("/pro/territoires/{territory}/coordination/inviter", operators_of_territory,
              bind(&Context::InviteCoordinator));
}

}  // namespace passerelle::console
