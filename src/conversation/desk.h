#pragma once

#include "accounts/policy.h"
#include "conversation/hub.h"
#include "conversation/register.h"
#include "http/templates.h"

namespace passerelle::conversation {

// The object kind of a desk id in the access policy: its organization and territory.
inline constexpr std::string_view kConversationObject = "conversation";

// The professionals' on-duty desk (docs/conversation.md), members only, each conversation for
// the members of its organization (src/pro_space/expected_access.cpp):
//   GET  /pro/conversations                         the queue (needs, commune) and their conversations
//   GET  /pro/conversations/{conversation}          one conversation (refreshes without JavaScript)
//   GET  /pro/conversations/{conversation}/ecrire   the same with the message box and quick replies
//   POST /pro/conversations/{conversation}/prendre | messages | mot-convenu | confier | terminer | fermer
// `hub` must outlive the routes.
void RegisterConversationDesk(accounts::ProRoutes& routes, const http::Renderer& renderer, Hub& hub, Clock clock);

}  // namespace passerelle::conversation
