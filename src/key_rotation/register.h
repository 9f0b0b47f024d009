#pragma once

#include "accounts/policy.h"
#include "http/templates.h"
#include "key_rotation/service.h"

namespace passerelle::key_rotation {

// The page that applies an approved key rotation, /pro/organisations/{organization}/cle/changer
// (members of the organization), declared through the accounts access policy. `rotation` must
// outlive the router.
void RegisterKeyRotation(accounts::ProRoutes& routes, const http::Renderer& renderer, KeyRotationService& rotation);

}  // namespace passerelle::key_rotation
