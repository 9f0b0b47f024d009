#include "key_rotation/register.h"

#include <nlohmann/json.hpp>

#include "accounts/register.h"
#include "http/pipeline.h"

namespace passerelle::key_rotation {

namespace {

using json = nlohmann::json;
using accounts::ErrorData;
using accounts::FieldError;
using accounts::Principal;

class Pages {
 public:
  Pages(const http::Renderer& renderer, KeyRotationService& rotation) : renderer_(renderer), rotation_(rotation) {}

  http::Response Form(const http::Request& request, const Principal& principal, int status,
                      const std::vector<FieldError>& errors) const {
    const std::string org = request.Param("organization");
    const std::string base = "/pro/organisations/" + org;
    const KeyRotationState state = rotation_.StateOf(principal, org);
    json data = ErrorData(errors);
    data["name"] = rotation_.OrganizationName(org);
    data["approved"] = state.approved;
    data["has_key"] = state.has_key;
    data["can_apply"] = state.approved && state.has_key;
    data["action"] = base + "/cle/changer";
    data["organization_href"] = base;
    data["profile_href"] = base + "/profil";
    data["recovery_href"] = base + "/recuperation";
    return Page(request, status, "key_rotation", "Changer la clé de l’organisation", data, principal);
  }

  http::Response Apply(http::Request& request, const Principal& principal) const {
    const std::string org = request.Param("organization");
    const std::string password = request.Form().Get("password").value_or("");
    if (password.empty()) return Form(request, principal, 400, {{"password", "Saisissez votre mot de passe."}});
    auto done = rotation_.Rotate(principal, org, password);
    if (!done) {
      const core::Error& error = done.error();
      if (error.code == core::ErrorCode::kNotFound || error.code == core::ErrorCode::kUnavailable) {
        return http::ErrorFor(error);
      }
      const bool about_password =
          error.code == core::ErrorCode::kInvalidInput || error.code == core::ErrorCode::kRateLimited;
      return Form(request, principal, http::StatusOf(error.code),
                  {{about_password ? "password" : "rotation", error.public_message}});
    }
    const KeyRotated& rotated = done.value();
    // Rendered in the answer to the POST, never stored in clear: the code is shown this once.
    json data = {{"name", rotation_.OrganizationName(org)},
                 {"recovery_code", rotated.recovery_code},
                 {"referrals", rotated.referrals},
                 {"grants", rotated.grants},
                 {"has_grants", rotated.grants > 0},
                 {"access_removed", rotated.access_removed},
                 {"has_access_removed", rotated.access_removed > 0},
                 {"organization_href", "/pro/organisations/" + org}};
    return Page(request, 200, "key_rotation_done", "Nouvelle clé de l’organisation", data, principal);
  }

 private:
  http::Response Page(const http::Request& request, int status, const std::string& name, const std::string& title,
                      json data, const Principal& principal) const {
    data["pro_csrf"] = accounts::FormToken(request, principal);
    data["signed_in"] = !principal.account_id.empty();
    data["pro_nav"] = accounts::NavLinks(principal);
    return renderer_.Page(request, status, "pro/" + name, title, data);
  }

  const http::Renderer& renderer_;
  KeyRotationService& rotation_;
};

}  // namespace

void RegisterKeyRotation(accounts::ProRoutes& routes, const http::Renderer& renderer, KeyRotationService& rotation) {
  using accounts::Access;
  using accounts::Role;
  const auto pages = std::make_shared<const Pages>(renderer, rotation);
  const Access members_of_org =
      Access::Roles({Role::kMember}, {{"organization", std::string(accounts::kOrganizationObject)}});
  routes.Get(
      "/pro/organisations/{organization}/cle/changer", members_of_org,
      [pages](http::Request& request, const Principal& principal) { return pages->Form(request, principal, 200, {}); });
  routes.Post("/pro/organisations/{organization}/cle/changer", members_of_org,
              [pages](http::Request& request, const Principal& principal) { return pages->Apply(request, principal); });
}

}  // namespace passerelle::key_rotation
