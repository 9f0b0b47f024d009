#include "help/flow_file.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "core/crypto.h"
#include "help/test_flows.h"

namespace passerelle::help {
namespace {

namespace fs = std::filesystem;

// The smallest flow with every stable node of the help-flow issue.
constexpr const char* kValid = R"(flow: aide
version: 1
locale: fr
start: age
nodes:
  - id: age
    type: choice
    text: Âge ?
    choices:
      - {code: minor, label: Mineure, next: youth}
      - {code: adult, label: Majeure, next: danger_now}
  - id: youth
    type: youth
    text: Jeunes
  - id: danger_now
    type: choice
    text: Danger ?
    choices:
      - {code: "yes", label: Oui, next: emergency}
      - {code: "no", label: Non}
      - {code: unsure, label: Je ne sais pas}
    next: who
  - id: emergency
    type: emergency
    text: Urgence
    next: who
  - id: who
    type: choice
    text: Qui ?
    choices:
      - {code: self, label: Moi}
      - {code: relative, label: Proche}
      - {code: professional, label: Pro}
    next: needs
  - id: needs
    type: multi_choice
    text: Besoins ?
    choices:
      - {code: listen, label: Écoute}
      - {code: legal, label: Droits}
      - {code: lawyer, label: Avocat}
      - {code: complaint, label: Plainte}
      - {code: protection_order, label: Ordonnance}
      - {code: housing, label: Logement}
      - {code: medical, label: Médecin}
      - {code: psychological, label: Psy}
      - {code: children, label: Enfants}
      - {code: financial, label: Argent}
      - {code: other, label: Autre}
    next:
      - when: {needs: other}
        to: needs_other
      - to: children
  - id: needs_other
    type: text
    text: Autre ?
    optional: true
    next: children
  - id: children
    type: choice
    text: Enfants ?
    choices:
      - {code: none, label: Non}
      - {code: yes_safe, label: En sécurité}
      - {code: yes_at_risk, label: En danger}
    next: location
  - id: location
    type: location
    text: Où ?
    next: language
  - id: language
    type: choice
    text: Langue ?
    choices:
      - {code: fr, label: Français}
      - {code: en, label: Anglais}
      - {code: ar, label: Arabe}
      - {code: other, label: Autre}
    next: contact
  - id: contact
    type: contact
    text: Contact ?
    next: end
  - id: end
    type: end
    text: Fin
)";

// 1-based line of the first occurrence of `needle` in `text` (0 when absent).
int LineOf(const std::string& text, const std::string& needle) {
  const auto at = text.find(needle);
  if (at == std::string::npos) return 0;
  return 1 + static_cast<int>(std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(at), '\n'));
}

std::string Replace(std::string text, const std::string& from, const std::string& to) {
  const auto at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  if (at != std::string::npos) text.replace(at, from.size(), to);
  return text;
}

// Parses and checks `text`; every problem as "line: message".
std::vector<std::string> Problems(const std::string& text) {
  std::vector<Problem> problems;
  if (auto flow = ParseFlow(text, "f.yaml", problems)) CheckFlow(*flow, problems);
  std::vector<std::string> out;
  for (const Problem& p : problems) {
    EXPECT_EQ(p.file, "f.yaml");
    out.push_back(std::to_string(p.line) + ": " + p.message);
  }
  return out;
}

std::string Joined(const std::vector<std::string>& lines) {
  std::string all;
  for (const auto& l : lines) all += l + "\n";
  return all;
}

#define EXPECT_ONLY_PROBLEM(text, expected)                                \
  do {                                                                     \
    const auto found = Problems(text);                                     \
    EXPECT_EQ(found, std::vector<std::string>{expected}) << Joined(found); \
  } while (false)

TEST(FlowFileTest, TheSmallestCompleteFlowHasNoProblem) { EXPECT_EQ(Problems(kValid), std::vector<std::string>{}); }

TEST(FlowFileTest, TheDefaultFrenchFlowHasNoProblem) {
  const Flow flow = testing::DefaultFrenchFlow();
  EXPECT_EQ(flow.start, "age");
  EXPECT_EQ(flow.locale, "fr");
  const auto problems = CheckFlowFile(testing::AssetsDir() / "content" / "flows" / "fr.yaml", testing::AssetsDir());
  EXPECT_TRUE(problems.empty()) << (problems.empty() ? "" : problems.front().ToString());
}

TEST(FlowFileTest, ParsesTransitionsConditionsAndOptions) {
  std::vector<Problem> problems;
  const auto flow = ParseFlow(kValid, "f.yaml", problems);
  ASSERT_TRUE(flow);
  const Node* needs = flow->Find("needs");
  ASSERT_NE(needs, nullptr);
  ASSERT_EQ(needs->next.size(), 2U);
  ASSERT_TRUE(needs->next[0].when);
  EXPECT_EQ(needs->next[0].when->node, "needs");
  EXPECT_EQ(needs->next[0].when->code, "other");
  EXPECT_EQ(needs->next[0].line, LineOf(kValid, "- when: {needs: other}"));
  EXPECT_FALSE(needs->next[1].when);
  EXPECT_TRUE(flow->Find("needs_other")->optional);
  EXPECT_EQ(flow->Find("needs_other")->max_length, 200U);
  EXPECT_EQ(flow->Find("danger_now")->FindChoice("yes")->next, "emergency");
  EXPECT_EQ(flow->Find("age")->line, LineOf(kValid, "- id: age"));
}

TEST(FlowFileTest, ReportsYamlSyntaxErrorsWithTheirLine) {
  const std::string text = Replace(kValid, "    text: Qui ?", "    text: [Qui ?");
  const auto found = Problems(text);
  ASSERT_EQ(found.size(), 1U) << Joined(found);
  EXPECT_NE(found[0].find("YAML syntax"), std::string::npos) << found[0];
  EXPECT_GE(std::stoi(found[0]), LineOf(text, "[Qui ?"));
}

TEST(FlowFileTest, ReportsAnUnknownNodeType) {
  const std::string text = Replace(kValid, "type: location", "type: map");
  const auto found = Problems(text);
  ASSERT_FALSE(found.empty());
  EXPECT_EQ(found[0],
            std::to_string(LineOf(text, "type: map")) +
                ": node location: unknown node type \"map\" (choice, multi_choice, text, location, contact, info, "
                "emergency, youth, end)");
}

TEST(FlowFileTest, ReportsADuplicateId) {
  const std::string text = Replace(kValid, "  - id: needs_other", "  - id: location");
  const auto found = Problems(text);
  ASSERT_FALSE(found.empty());
  const int first = LineOf(text, "  - id: location");
  const int second =
      1 + static_cast<int>(std::count(
              text.begin(), text.begin() + static_cast<std::ptrdiff_t>(text.rfind("  - id: location")), '\n'));
  EXPECT_EQ(found[0], std::to_string(second) + ": duplicate node id \"location\" (first defined line " +
                          std::to_string(first) + ")");
}

TEST(FlowFileTest, ReportsTheLineOfTheSecondDuplicate) {
  const std::string text = std::string(kValid) + "  - id: youth\n    type: youth\n    text: Encore\n";
  const int second = LineOf(text, "    text: Encore") - 2;
  EXPECT_ONLY_PROBLEM(text, std::to_string(second) + ": duplicate node id \"youth\" (first defined line " +
                                std::to_string(LineOf(text, "- id: youth")) + ")");
}

TEST(FlowFileTest, ReportsAnAnswerLeadingToAnUnknownNode) {
  const std::string text = Replace(kValid, "next: danger_now}", "next: danger}");
  const auto found = Problems(text);
  ASSERT_FALSE(found.empty());
  EXPECT_EQ(found[0],
            std::to_string(LineOf(text, "{code: adult")) + ": node age: answer adult leads to unknown node \"danger\"");
}

TEST(FlowFileTest, ReportsUnreachableNodes) {
  const std::string text = std::string(kValid) + "  - id: orphan\n    type: info\n    text: Seule\n    next: end\n";
  EXPECT_ONLY_PROBLEM(
      text, std::to_string(LineOf(text, "- id: orphan")) + ": node orphan: unreachable from start node \"age\"");
}

TEST(FlowFileTest, ReportsANodeWithoutWayForward) {
  const std::string text = Replace(kValid, "    text: Urgence\n    next: who\n", "    text: Urgence\n");
  EXPECT_ONLY_PROBLEM(
      text, std::to_string(LineOf(text, "- id: emergency")) + ": node emergency: dead end: no next without condition");
}

TEST(FlowFileTest, ReportsAChoiceWithoutNextAndNoDefault) {
  const std::string text = Replace(kValid, "      - {code: unsure, label: Je ne sais pas}\n    next: who\n",
                                   "      - {code: unsure, label: Je ne sais pas}\n");
  const auto found = Problems(text);
  ASSERT_FALSE(found.empty());
  EXPECT_EQ(found[0], std::to_string(LineOf(text, "- id: danger_now")) +
                          ": node danger_now: dead end: an answer has no next and the node has no default next");
}

TEST(FlowFileTest, ReportsLoopsThatNeverEnd) {
  std::string text = Replace(kValid, "    text: Urgence\n    next: who\n", "    text: Urgence\n    next: loop\n");
  text += "  - id: loop\n    type: info\n    text: Boucle\n    next: emergency\n";
  const auto found = Problems(text);
  EXPECT_EQ(found,
            (std::vector<std::string>{std::to_string(LineOf(text, "- id: emergency")) +
                                          ": node emergency: dead end: no youth or end node can be reached from it",
                                      std::to_string(LineOf(text, "- id: loop")) +
                                          ": node loop: dead end: no youth or end node can be reached from it"}))
      << Joined(found);
}

TEST(FlowFileTest, ReportsMissingTranslations) {
  const std::string no_text = Replace(kValid, "    text: Où ?\n", "");
  EXPECT_ONLY_PROBLEM(no_text, std::to_string(LineOf(no_text, "- id: location")) +
                                   ": node location: missing text (missing translation)");
  const std::string no_label = Replace(kValid, "{code: ar, label: Arabe}", "{code: ar}");
  EXPECT_ONLY_PROBLEM(no_label, std::to_string(LineOf(no_label, "{code: ar}")) +
                                    ": node language: answer ar has no label (missing translation)");
}

TEST(FlowFileTest, ReportsUnknownAnswerCodes) {
  const std::string condition = Replace(kValid, "when: {needs: other}", "when: {needs: jetpack}");
  EXPECT_ONLY_PROBLEM(condition, std::to_string(LineOf(condition, "- when:")) +
                                     ": node needs: condition on unknown answer code \"jetpack\" of node needs");
  const std::string contract =
      Replace(kValid, "{code: minor, label: Mineure, next: youth}", "{code: teen, label: Ado, next: youth}");
  const auto found = Problems(contract);
  EXPECT_EQ(found, (std::vector<std::string>{
                       std::to_string(LineOf(contract, "{code: teen")) + ": node age: unknown answer code \"teen\"",
                       std::to_string(LineOf(contract, "- id: age")) + ": node age: missing answer code \"minor\""}))
      << Joined(found);
  const std::string unknown_node = Replace(kValid, "when: {needs: other}", "when: {wishes: other}");
  EXPECT_ONLY_PROBLEM(unknown_node, std::to_string(LineOf(unknown_node, "- when:")) +
                                        ": node needs: condition on unknown node \"wishes\"");
}

TEST(FlowFileTest, ReportsStableNodesWithTheWrongTypeOrMissing) {
  const std::string wrong = Replace(kValid, "    type: contact\n", "    type: text\n");
  EXPECT_ONLY_PROBLEM(wrong,
                      std::to_string(LineOf(wrong, "- id: contact")) + ": node contact: must be of type contact");
  const std::string minor =
      Replace(kValid, "{code: minor, label: Mineure, next: youth}", "{code: minor, label: Mineure, next: who}");
  const auto found = Problems(minor);
  ASSERT_FALSE(found.empty());
  EXPECT_EQ(found.back(),
            std::to_string(LineOf(minor, "{code: minor")) + ": node age: answer minor must lead to youth");
}

TEST(FlowFileTest, ReportsUnknownKeysDuplicateCodesAndReservedCodes) {
  const std::string typo = Replace(kValid, "    text: Fin\n", "    text: Fin\n    nxt: age\n");
  EXPECT_ONLY_PROBLEM(typo, std::to_string(LineOf(typo, "nxt:")) + ": unknown key \"nxt\" in node end");
  const std::string duplicate = Replace(kValid, "{code: en, label: Anglais}", "{code: fr, label: Anglais}");
  auto found = Problems(duplicate);
  ASSERT_FALSE(found.empty());
  EXPECT_EQ(found[0], std::to_string(LineOf(duplicate, "{code: fr, label: Anglais}")) +
                          ": node language: duplicate answer code \"fr\"");
  const std::string reserved = Replace(kValid, "{code: en, label: Anglais}", "{code: skip, label: Anglais}");
  found = Problems(reserved);
  ASSERT_FALSE(found.empty());
  EXPECT_EQ(found[0], std::to_string(LineOf(reserved, "{code: skip")) +
                          ": node language: the answer code \"skip\" is reserved (use optional: true)");
}

TEST(FlowFileTest, ReportsMissingTopLevelKeysAndABadStart) {
  const std::string no_version = Replace(kValid, "version: 1\n", "");
  EXPECT_ONLY_PROBLEM(no_version, "1: the flow: missing \"version\"");
  const std::string bad_start = Replace(kValid, "start: age", "start: nowhere");
  const auto found = Problems(bad_start);
  ASSERT_FALSE(found.empty());
  EXPECT_EQ(found[0], "0: start node \"nowhere\" does not exist");
}

TEST(FlowFileTest, TranslationMustHaveTheSameNodesAndCodes) {
  std::vector<Problem> problems;
  const auto french = ParseFlow(kValid, "fr.yaml", problems);
  std::string english_text =
      Replace(Replace(kValid, "locale: fr", "locale: en"), "      - {code: ar, label: Arabe}\n", "");
  english_text = Replace(english_text, "{code: yes_safe, label: En sécurité}", "{code: safe, label: Safe}");
  const auto english = ParseFlow(english_text, "en.yaml", problems);
  ASSERT_TRUE(french && english);
  CheckTranslation(*english, *french, problems);
  std::vector<std::string> found;
  for (const Problem& p : problems) found.push_back(p.ToString());
  EXPECT_EQ(found, (std::vector<std::string>{
                       "en.yaml:" + std::to_string(LineOf(english_text, "- id: children")) +
                           ": node children: answer yes_safe of fr.yaml is missing (missing translation)",
                       "en.yaml:" + std::to_string(LineOf(english_text, "{code: safe")) +
                           ": node children: unknown answer code \"safe\" (not in fr.yaml)",
                       "en.yaml:" + std::to_string(LineOf(english_text, "- id: language")) +
                           ": node language: answer ar of fr.yaml is missing (missing translation)"}))
      << Joined(found);
}

constexpr const char* kOverride = R"(overrides: aide
locale: fr
nodes:
  - id: needs
    text: De quoi avez-vous besoin, dans le Montreuillois ?
  - id: who
    choices:
      - {code: self, label: Pour moi-même}
  - id: local_info
    type: info
    text: Permanence locale
    next: needs
)";

TEST(FlowFileTest, AnOverrideChangesWordingAndAddsNodes) {
  std::vector<Problem> problems;
  const auto base = ParseFlow(kValid, "fr.yaml", problems);
  ASSERT_TRUE(base);
  const auto merged = ApplyOverride(*base, kOverride, "t/fr.yaml", problems);
  ASSERT_TRUE(merged);
  EXPECT_EQ(merged->Find("needs")->text, "De quoi avez-vous besoin, dans le Montreuillois ?");
  EXPECT_EQ(merged->Find("needs")->choices.size(), 11U) << "choices kept";
  EXPECT_EQ(merged->Find("who")->FindChoice("self")->label, "Pour moi-même");
  EXPECT_EQ(merged->Find("who")->FindChoice("relative")->label, "Proche");
  ASSERT_NE(merged->Find("local_info"), nullptr);
  EXPECT_TRUE(problems.empty());
  CheckFlow(*merged, problems);
  ASSERT_EQ(problems.size(), 1U);
  EXPECT_EQ(problems[0].ToString(), "t/fr.yaml:" + std::to_string(LineOf(kOverride, "- id: local_info")) +
                                        ": node local_info: unreachable from start node \"age\"");
}

TEST(FlowFileTest, AnOverrideCannotChangeATypeNorAddAnUntypedNode) {
  std::vector<Problem> problems;
  const auto base = ParseFlow(kValid, "fr.yaml", problems);
  const std::string text =
      "overrides: aide\nlocale: fr\nnodes:\n  - id: age\n    type: info\n  - id: extra\n    text: Sans type\n";
  ASSERT_TRUE(ApplyOverride(*base, text, "o.yaml", problems));
  std::vector<std::string> found;
  for (const Problem& p : problems) found.push_back(p.ToString());
  EXPECT_EQ(found, (std::vector<std::string>{"o.yaml:4: node age: an override cannot change a node's type",
                                             "o.yaml:6: node extra: not in the flow, so it needs a type"}));
}

TEST(FlowFileTest, CheckFlowFileComparesATranslationWithTheFrenchFlow) {
  core::InitCrypto();
  const fs::path dir = fs::temp_directory_path() / ("passerelle-flows-" + core::RandomHex(6));
  fs::create_directories(dir / "content" / "flows");
  std::ofstream(dir / "content" / "flows" / "fr.yaml") << kValid;
  const std::string english =
      Replace(Replace(kValid, "locale: fr", "locale: en"), "      - {code: ar, label: Arabe}\n", "");
  std::ofstream(dir / "en.yaml") << english;
  const auto problems = CheckFlowFile(dir / "en.yaml", dir);
  ASSERT_EQ(problems.size(), 2U);
  EXPECT_EQ(problems[0].message, "node language: missing answer code \"ar\"");
  EXPECT_EQ(problems[1].message, "node language: answer ar of " + (dir / "content" / "flows" / "fr.yaml").string() +
                                     " is missing (missing translation)");
  for (const Problem& problem : problems) {
    EXPECT_EQ(problem.line, LineOf(english, "- id: language"));
    EXPECT_EQ(problem.file, (dir / "en.yaml").string());
  }
  const auto missing = CheckFlowFile(dir / "absent.yaml", dir);
  ASSERT_EQ(missing.size(), 1U);
  EXPECT_EQ(missing[0].message, "cannot read the file");
  fs::remove_all(dir);
}

// The console's wording goes through the override parser and CheckFlow (docs/territory-console.md
// "Local wording"): the text, a hint and an answer label are replaced; what a problem concerns
// is named (node, field, what is wrong), so that the console can name the form field.
TEST(FlowFileTest, ConsoleWordingIsAnOverrideCheckedLikeAFile) {
  std::vector<Problem> problems;
  const auto base = ParseFlow(kValid, "fr.yaml", problems);
  ASSERT_TRUE(base);
  NodeWording wording{"who", "Pour qui : « quotes », #hash: et \"guillemets\" ?", "", {{"self", "Moi"}}};
  NodeWording unknown{"gone", "Plus dans le fichier", std::nullopt, {}};
  NodeWording unknown_code{"age", std::nullopt, std::nullopt, {{"gone", "Ancienne réponse"}}};
  const std::string yaml = WordingOverride(*base, {wording, unknown, unknown_code});
  const auto merged = ApplyOverride(*base, yaml, "console", problems);
  ASSERT_TRUE(merged);
  EXPECT_TRUE(problems.empty()) << Joined([&] {
    std::vector<std::string> all;
    for (const Problem& p : problems) all.push_back(p.ToString());
    return all;
  }());
  EXPECT_EQ(merged->Find("who")->text, "Pour qui : « quotes », #hash: et \"guillemets\" ?");
  EXPECT_EQ(merged->Find("who")->hint, "");
  EXPECT_EQ(merged->Find("who")->FindChoice("self")->label, "Moi");
  EXPECT_EQ(merged->Find("who")->FindChoice("relative")->label, "Proche") << "other labels kept";
  EXPECT_EQ(merged->Find("gone"), nullptr) << "a row for a node the flow no longer has is left out";
  EXPECT_EQ(merged->Find("age")->choices.size(), 2U) << "a label for a code the node no longer has is left out";
  CheckFlow(*merged, problems);
  EXPECT_TRUE(problems.empty());

  const auto checked = [&](NodeWording bad) {
    std::vector<Problem> found;
    const auto flow = ApplyOverride(*base, WordingOverride(*base, {std::move(bad)}), "console", found);
    if (flow) CheckFlow(*flow, found);
    return found;
  };
  auto empty = checked(NodeWording{"who", "", std::nullopt, {}});
  ASSERT_EQ(empty.size(), 1U);
  EXPECT_EQ(empty[0].node, "who");
  EXPECT_EQ(empty[0].field, "text");
  EXPECT_EQ(empty[0].code, "missing");
  auto empty_label = checked(NodeWording{"who", std::nullopt, std::nullopt, {{"self", ""}}});
  ASSERT_EQ(empty_label.size(), 1U) << "an override's empty label replaces the label (and is refused)";
  EXPECT_EQ(empty_label[0].field, "label:self");
  EXPECT_EQ(empty_label[0].code, "missing");
  auto long_text = checked(NodeWording{"who", std::string(kMaxNodeTextLength, 'a') + "é", std::nullopt, {}});
  ASSERT_EQ(long_text.size(), 1U);
  EXPECT_EQ(long_text[0].code, "too_long");
  EXPECT_TRUE(checked(NodeWording{"who", std::string(kMaxNodeTextLength - 1, 'a') + "é", std::nullopt, {}}).empty())
      << "characters are counted, not bytes";
  auto markup = checked(NodeWording{"who", std::nullopt, "<script>alert(1)</script>", {}});
  ASSERT_EQ(markup.size(), 1U);
  EXPECT_EQ(markup[0].field, "hint");
  EXPECT_EQ(markup[0].code, "markup");
  EXPECT_EQ(checked(NodeWording{"who", "Ligne\nsuivante", std::nullopt, {}}).at(0).code, "markup");
}

TEST(FlowFileTest, AFlowLibraryIsReplacedWhileAReaderKeepsItsFlow) {
  std::vector<Problem> problems;
  auto first = ParseFlow(kValid, "fr.yaml", problems);
  ASSERT_TRUE(first);
  FlowLibrary library = FlowLibrary::FromFlows({*first});
  const auto held = library.For("fr");
  Flow changed = *first;
  changed.nodes.front().text = "Quel âge avez-vous ?";
  library.Replace(FlowLibrary::FromFlows({changed}));
  EXPECT_EQ(library.For("en")->nodes.front().text, "Quel âge avez-vous ?") << "the French flow for a missing locale";
  EXPECT_EQ(held->nodes.front().text, "Âge ?") << "a request under way keeps the flow it started with";
}

}  // namespace
}  // namespace passerelle::help
