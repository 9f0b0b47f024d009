#pragma once
// Shared by her pages (register.cpp) and the desk (desk.cpp): the lines of a conversation as the
// templates show them. Not part of the domain's interface.

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

#include "conversation/hub.h"
#include "http/templates.h"

namespace passerelle::conversation {

// Each line: {"mine": bool, "text"} or {"system": true, "text"} (system lines in `locale`).
nlohmann::json MessagesJson(const http::Renderer& renderer, const std::string& locale,
                            const std::vector<Message>& messages, bool for_her);

// GET …/flux: Server-Sent Events of the conversation `id` (her id or a desk id): "changed" with
// its version at each change and every keep-alive, "gone" once it is over (at once when unknown).
http::Response EventStream(Hub& hub, const std::string& id);

}  // namespace passerelle::conversation
