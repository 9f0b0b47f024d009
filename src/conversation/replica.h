#pragma once

#include <nlohmann/json.hpp>

#include <optional>

#include "conversation/hub.h"

// What the relay (relay.h) carries between instances, as JSON: a conversation's snapshot, a
// forwarded command, a presence at the desk. The relay seals each before it touches the database.
namespace passerelle::conversation {

nlohmann::json ToJson(const Snapshot& snapshot);
nlohmann::json ToJson(const Command& command);
nlohmann::json ToJson(const Presence& presence);

// Nothing when the JSON is not what ToJson wrote.
std::optional<Snapshot> SnapshotFromJson(const nlohmann::json& json);
std::optional<Command> CommandFromJson(const nlohmann::json& json);
std::optional<Presence> PresenceFromJson(const nlohmann::json& json);

}  // namespace passerelle::conversation
