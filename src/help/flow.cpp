#include "help/flow.h"

namespace passerelle::help {

namespace {

struct TypeCode {
  NodeType type;
  std::string_view code;
};
constexpr TypeCode kTypeCodes[] = {
    {NodeType::kChoice, "choice"},   {NodeType::kMultiChoice, "multi_choice"},
    {NodeType::kText, "text"},       {NodeType::kLocation, "location"},
    {NodeType::kContact, "contact"}, {NodeType::kInfo, "info"},
    {NodeType::kEmergency, "emergency"}, {NodeType::kYouth, "youth"},
    {NodeType::kEnd, "end"},
};

}  // namespace

std::optional<NodeType> ParseNodeType(std::string_view code) {
  for (const TypeCode& t : kTypeCodes) {
    if (t.code == code) return t.type;
  }
  return std::nullopt;
}

std::string_view CodeOf(NodeType type) {
  for (const TypeCode& t : kTypeCodes) {
    if (t.type == type) return t.code;
  }
  return "unknown";
}

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
