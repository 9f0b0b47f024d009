#pragma once

#include "console/console.h"

namespace passerelle::console {

// Invitations (issue 11 §2, docs/territory-console.md "Invitations"): the managers of a
// territory see its organizations' members (/pro/territoires/{territory}/membres), invite a
// member (…/organisations/{organization}/inviter), enable a disabled account again and send a
// new invitation link (…/comptes/{account}/reactiver, …/renvoyer). The links are shown once,
// as the account resets show theirs; every action is audited by accounts.
void RegisterInvitations(const ConsoleContext& context);

}  // namespace passerelle::console
