#include "help/flow.h"

#include "core/enum_codes.h"

namespace passerelle::help {

namespace {

constexpr auto kTypeCodes = core::MakeEnumCodes<NodeType>({
    {NodeType::kChoice, "choice"},
    {NodeType::kMultiChoice, "multi_choice"},
    {NodeType::kText, "text"},
    {NodeType::kLocation, "location"},
    {NodeType::kContact, "contact"},
    {NodeType::kInfo, "info"},
    {NodeType::kEmergency, "emergency"},
    {NodeType::kYouth, "youth"},
    {NodeType::kEnd, "end"},
});
static_assert(kTypeCodes.IsComplete());

}  // namespace

std::optional<NodeType> ParseNodeType(std::string_view code) { return kTypeCodes.FromCode(code); }

std::string_view CodeOf(NodeType type) { return kTypeCodes.ToCode(type); }

bool TakesAnswer(NodeType type) {
  switch (type) {
    case NodeType::kChoice:
    case NodeType::kMultiChoice:
    case NodeType::kText:
    case NodeType::kLocation:
    case NodeType::kContact:
      return true;
    case NodeType::kInfo:
    case NodeType::kEmergency:
    case NodeType::kYouth:
    case NodeType::kEnd:
      return false;
  }
  return false;
}

bool IsTerminal(NodeType type) { return type == NodeType::kYouth || type == NodeType::kEnd; }

const Choice* Node::FindChoice(std::string_view code) const {
  for (const Choice& choice : choices) {
    if (choice.code == code) return &choice;
  }
  return nullptr;
}

const Node* Flow::Find(std::string_view id) const {
  for (const Node& node : nodes) {
    if (node.id == id) return &node;
  }
  return nullptr;
}

}  // namespace passerelle::help
