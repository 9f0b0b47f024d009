#include "console/wording.h"

#include <algorithm>
#include <memory>
#include <set>

#include <spdlog/spdlog.h>

#include "accounts/register.h"
#include "audit/audit_log.h"
#include "console/handler.h"
#include "console/page.h"
#include "core/unix_time.h"
#include "territory/service.h"

namespace passerelle::console {

namespace {

using accounts::FieldError;
using accounts::Principal;
using nlohmann::json;

constexpr const char* kSection = "textes";
constexpr const char* kFlowNode = "flow_node";

const std::vector<std::pair<std::string, std::string>>& Locales() {
  static const std::vector<std::pair<std::string, std::string>> locales = {
      {"fr", "Français"}, {"en", "Anglais"}, {"ar", "Arabe"}};
  return locales;
}

std::string Trim(std::string text) {
  text.erase(0, text.find_first_not_of(" \t"));
  text.erase(text.find_last_not_of(" \t") + 1);
  return text;
}

std::string LabelField(const std::string& code) { return "label_" + code; }

// The JSON of a row of territory_wording (kind flow_node).
std::string ToJson(const help::NodeWording& w) {
  json out = json::object();
  if (w.text) out["text"] = *w.text;
  if (w.hint) out["hint"] = *w.hint;
  if (!w.labels.empty()) out["labels"] = w.labels;
  return out.dump();
}

help::NodeWording FromJson(const std::string& node, const std::string& text) {
  help::NodeWording w;
  w.node = node;
  const json in = json::parse(text, nullptr, false);
  if (!in.is_object()) return w;
  if (in.contains("text") && in["text"].is_string()) w.text = in["text"].get<std::string>();
  if (in.contains("hint") && in["hint"].is_string()) w.hint = in["hint"].get<std::string>();
  if (in.contains("labels") && in["labels"].is_object()) {
    for (const auto& [code, label] : in["labels"].items()) {
      if (label.is_string()) w.labels[code] = label.get<std::string>();
    }
  }
  return w;
}

bool IsEmpty(const help::NodeWording& w) { return !w.text && !w.hint && w.labels.empty(); }

// The changed field names, for the audit detail (never the wording itself).
std::string FieldNames(const help::NodeWording& w) {
  std::string out;
  const auto add = [&out](const std::string& name) { out += (out.empty() ? "" : ",") + name; };
  if (w.text) add("text");
  if (w.hint) add("hint");
  for (const auto& [code, label] : w.labels) add("label:" + code);
  return out;
}

// The form's value of each wording field, as she typed it.
struct Typed {
  std::string text;
  std::string hint;
  std::map<std::string, std::string> labels;
};

struct Wording {
  ConsoleContext context;

  bool HasFlow(const std::string& locale) const {
    return std::any_of(Locales().begin(), Locales().end(), [&](const auto& l) { return l.first == locale; }) &&
           std::filesystem::exists(context.wording.content_dir / "flows" / (locale + ".yaml"));
  }

  // The flow of the files only (the national flow and the territory's override file).
  std::optional<help::Flow> FilesFlow(const std::string& slug, const std::string& locale,
                                      std::vector<help::Problem>& problems) const {
    return help::LoadTerritoryFlow(context.wording.content_dir, slug, locale, {}, "", problems);
  }

  // What a coordinator gets when the files themselves do not pass the checks (the server of that
  // territory would not start either): the operators' job, not hers.
  http::Response FilesBroken(const http::Request& request, const Principal& principal,
                             const std::vector<help::Problem>& problems) const {
    spdlog::error("event=console_wording_files_invalid territory={} problems={}", request.Param("territory"),
                  problems.size());
    return Page(context.renderer, request, principal, 500, "console_wording", "Textes locaux",
                {{"broken", true}, {"hub", TerritoryPath(request.Param("territory"))}});
  }

  json LocaleLinks(const std::string& slug, const std::string& current) const {
    json out = json::array();
    for (const auto& [code, name] : Locales()) {
      if (!HasFlow(code)) continue;
      out.push_back(
          {{"href", TerritoryPath(slug, kSection) + "?langue=" + code}, {"name", name}, {"current", code == current}});
    }
    return out;
  }

  json Base(const std::string& slug, const std::string& locale) const {
    const auto territory = territory::TerritoryService(context.db).Find(slug);
    return {{"name", territory ? territory->name : slug},
            {"hub", TerritoryPath(slug)},
            {"list", TerritoryPath(slug, kSection) + "?langue=" + locale},
            {"action", TerritoryPath(slug, kSection)},
            {"locale", locale},
            {"locales", LocaleLinks(slug, locale)},
            {"rtl", locale == "ar"}};
  }

  http::Response Show(http::Request& request, const Principal& principal) const {
    const std::string slug = request.Param("territory");
    if (!territory::TerritoryService(context.db).Find(slug)) return http::Response::Error(404);
    const http::FormData query = request.QueryParams();
    const std::string locale = query.Get("langue").value_or("fr");
    if (!HasFlow(locale)) return http::Response::Error(404);
    const std::string node_id = query.Get("noeud").value_or("");
    if (!node_id.empty()) {
      return Form(request, principal, 200, slug, locale, node_id, std::nullopt, {}, false,
                  query.Get("etat").value_or(""));
    }
    std::vector<help::Problem> problems;
    const help::WebWording web = ReadFlowWording(context.db, slug);
    const auto worded = web.find(locale);
    std::set<std::string> local;
    if (worded != web.end()) {
      for (const help::NodeWording& w : worded->second) local.insert(w.node);
    }
    const auto flow = help::LoadTerritoryFlow(context.wording.content_dir, slug, locale,
                                              worded == web.end() ? std::vector<help::NodeWording>{} : worded->second,
                                              "console", problems);
    if (!flow || !problems.empty()) return FilesBroken(request, principal, problems);
    json nodes = json::array();
    for (const help::Node& node : flow->nodes) {
      json labels = json::array();
      for (const help::Choice& c : node.choices) labels.push_back(c.label);
      nodes.push_back({{"id", node.id},
                       {"text", node.text},
                       {"labels", labels},
                       {"local", local.count(node.id) > 0},
                       {"edit", TerritoryPath(slug, kSection) + "?langue=" + locale + "&noeud=" + node.id}});
    }
    json data = Base(slug, locale);
    data["nodes"] = nodes;
    data["local_count"] = local.size();
    return Page(context.renderer, request, principal, 200, "console_wording", "Textes locaux", data);
  }

  // The form of one node: its wording now (or what she typed), the national wording beside each
  // field, and the preview when asked.
  http::Response Form(const http::Request& request, const Principal& principal, int status, const std::string& slug,
                      const std::string& locale, const std::string& node_id, const std::optional<Typed>& typed,
                      const std::vector<FieldError>& errors, bool preview, const std::string& state,
                      const std::optional<help::Flow>& previewed = std::nullopt) const {
    std::vector<help::Problem> problems;
    const auto files = FilesFlow(slug, locale, problems);
    if (!files || !problems.empty()) return FilesBroken(request, principal, problems);
    const help::WebWording web = ReadFlowWording(context.db, slug);
    const auto worded = web.find(locale);
    const auto current = help::LoadTerritoryFlow(
        context.wording.content_dir, slug, locale,
        worded == web.end() ? std::vector<help::NodeWording>{} : worded->second, "console", problems);
    if (!current || !problems.empty()) return FilesBroken(request, principal, problems);
    const help::Node* national = files->Find(node_id);
    const help::Node* now = current->Find(node_id);
    if (national == nullptr || now == nullptr) return http::Response::Error(404);
    const bool local =
        worded != web.end() && std::any_of(worded->second.begin(), worded->second.end(),
                                           [&](const help::NodeWording& w) { return w.node == node_id; });
    std::map<std::string, std::string> error_of;
    for (const FieldError& e : errors) error_of.emplace(e.field_id, e.message);
    json data = Base(slug, locale);
    data.update(accounts::ErrorData(errors));
    json choices = json::array();
    for (const help::Choice& c : now->choices) {
      const help::Choice* n = national->FindChoice(c.code);
      const std::string field = LabelField(c.code);
      json choice = {
          {"field", field},
          {"code", c.code},
          {"value", typed ? (typed->labels.count(c.code) ? typed->labels.at(c.code) : std::string()) : c.label},
          {"national", n ? n->label : ""}};
      if (error_of.count(field)) choice["error"] = error_of[field];
      choices.push_back(choice);
    }
    data.update({{"node",
                  {{"id", node_id},
                   {"type", std::string(help::CodeOf(now->type))},
                   {"text", typed ? typed->text : now->text},
                   {"hint", typed ? typed->hint : now->hint},
                   {"national_text", national->text},
                   {"national_hint", national->hint},
                   {"choices", choices},
                   {"has_choices", !choices.empty()}}},
                 {"editing", true},
                 {"local", local},
                 {"max_text", help::kMaxNodeTextLength},
                 {"max_hint", help::kMaxHintLength},
                 {"max_label", help::kMaxLabelLength}});
    if (error_of.count("text")) data["node"]["text_error"] = error_of["text"];
    if (error_of.count("hint")) data["node"]["hint_error"] = error_of["hint"];
    if (state == "enregistre") data["notice"] = "Les textes sont enregistrés : le public les voit dès maintenant.";
    if (state == "national") data["notice"] = "Cette question reprend les textes nationaux.";
    if (preview && previewed) {
      if (const help::Node* shown = previewed->Find(node_id)) {
        json labels = json::array();
        for (const help::Choice& c : shown->choices) labels.push_back({{"label", c.label}, {"hint", c.hint}});
        data["preview"] = {{"text", shown->text},
                           {"hint", shown->hint},
                           {"body", shown->body},
                           {"choices", labels},
                           {"multiple", shown->type == help::NodeType::kMultiChoice},
                           {"optional", shown->optional}};
      }
    }
    return Page(context.renderer, request, principal, status, "console_wording",
                "Textes locaux : " + (typed ? typed->text : now->text), data);
  }

  // The message of a problem of the checks on her field, in French.
  static std::string Message(const help::Problem& p, const std::string& label) {
    if (p.code == "missing") return label + " : le texte est obligatoire.";
    if (p.code == "too_long") {
      const std::size_t max = p.field == "text"   ? help::kMaxNodeTextLength
                              : p.field == "hint" ? help::kMaxHintLength
                                                  : help::kMaxLabelLength;
      return label + " : " + std::to_string(max) + " caractères au plus.";
    }
    if (p.code == "markup") {
      return label + " : du texte simple seulement, sans balise (ni « < » ni « > ») ni retour à la ligne.";
    }
    return label + " : " + p.message;
  }

  http::Response Save(http::Request& request, const Principal& principal) const {
    const std::string slug = request.Param("territory");
    if (!territory::TerritoryService(context.db).Find(slug)) return http::Response::Error(404);
    const http::FormData form = request.Form();
    const std::string locale = form.Get("langue").value_or("");
    const std::string node_id = form.Get("noeud").value_or("");
    const std::string action = form.Get("action").value_or("");
    if (!HasFlow(locale)) return http::Response::Error(404);
    std::vector<help::Problem> problems;
    const auto files = FilesFlow(slug, locale, problems);
    if (!files || !problems.empty()) return FilesBroken(request, principal, problems);
    const help::Node* national = files->Find(node_id);
    if (national == nullptr) return http::Response::Error(404);
    const std::string back = TerritoryPath(slug, kSection) + "?langue=" + locale + "&noeud=" + node_id;
    const std::string actor = "account:" + principal.account_id;

    const std::string kind = kFlowNode;
    if (action == "national") {
      const bool removed = context.db.InTransaction([&](soci::session& sql) {
        soci::statement st = (sql.prepare << "DELETE FROM territory_wording WHERE territory_slug = :t AND kind = :k"
                                             " AND locale = :l AND item = :i",
                              soci::use(slug), soci::use(kind), soci::use(locale), soci::use(node_id));
        st.execute(true);
        if (st.get_affected_rows() == 0) return false;
        audit::Append(
            sql, audit::Entry{actor, "territory.wording_reset", "territory:" + slug, "flow " + locale + " " + node_id},
            context.clock());
        return true;
      });
      if (removed && context.wording.changed) context.wording.changed(slug);
      return http::Response::Redirect(303, back + "&etat=national");
    }

    // What she typed, and the wording it makes: only what differs from the files is kept.
    Typed typed;
    typed.text = Trim(form.Get("text").value_or(""));
    typed.hint = form.Get("hint").value_or("");
    std::replace(typed.hint.begin(), typed.hint.end(), '\r', ' ');
    std::replace(typed.hint.begin(), typed.hint.end(), '\n', ' ');
    typed.hint = Trim(typed.hint);
    help::NodeWording wording;
    wording.node = node_id;
    if (typed.text != national->text) wording.text = typed.text;
    if (typed.hint != national->hint) wording.hint = typed.hint;
    for (const help::Choice& c : national->choices) {
      const std::string label = Trim(form.Get(LabelField(c.code)).value_or(""));
      typed.labels[c.code] = label;
      if (label != c.label) wording.labels[c.code] = label;
    }

    // The territory's wording with this node's replaced, through the checks of `flow check`.
    help::WebWording web = ReadFlowWording(context.db, slug);
    std::vector<help::NodeWording>& mine = web[locale];
    mine.erase(std::remove_if(mine.begin(), mine.end(), [&](const help::NodeWording& w) { return w.node == node_id; }),
               mine.end());
    if (!IsEmpty(wording)) mine.push_back(wording);
    problems.clear();
    auto checked = help::LoadTerritoryFlow(context.wording.content_dir, slug, locale, mine, "console", problems);
    if (checked && locale != "fr") {
      std::vector<help::NodeWording> french;
      if (const auto f = web.find(std::string_view("fr")); f != web.end()) french = f->second;
      std::vector<help::Problem> ignored;
      if (const auto reference =
              help::LoadTerritoryFlow(context.wording.content_dir, slug, "fr", french, "console", ignored)) {
        help::CheckTranslation(*checked, *reference, problems);
      }
    }
    std::vector<FieldError> errors;
    for (const help::Problem& p : problems) {
      if (p.node == node_id && p.field == "text") {
        errors.push_back({"text", Message(p, "Question ou titre")});
      } else if (p.node == node_id && p.field == "hint") {
        errors.push_back({"hint", Message(p, "Aide sous la question")});
      } else if (p.node == node_id && p.field.rfind("label:", 0) == 0) {
        const std::string code = p.field.substr(6);
        const help::Choice* c = national->FindChoice(code);
        errors.push_back({LabelField(code), Message(p, "Réponse « " + (c ? c->label : code) + " »")});
      } else {
        errors.push_back({"text", "Le parcours ne serait plus valide : " + p.ToString()});
      }
    }
    if (!checked && errors.empty()) errors.push_back({"text", "Ces textes ne peuvent pas être lus."});
    if (!errors.empty()) {
      return Form(request, principal, 400, slug, locale, node_id, typed, errors, false, "");
    }
    if (action == "apercu") {
      return Form(request, principal, 200, slug, locale, node_id, typed, {}, true, "", checked);
    }
    if (action != "enregistrer") {
      return Form(request, principal, 400, slug, locale, node_id, typed,
                  {{"text", "Choisissez « Prévisualiser » ou « Enregistrer »."}}, false, "");
    }
    const long long now_s = core::UnixSeconds(context.clock());
    context.db.InTransaction([&](soci::session& sql) {
      sql << "DELETE FROM territory_wording WHERE territory_slug = :t AND kind = :k AND locale = :l AND item = :i",
          soci::use(slug), soci::use(kind), soci::use(locale), soci::use(node_id);
      if (!IsEmpty(wording)) {
        const std::string stored = ToJson(wording);
        sql << "INSERT INTO territory_wording (territory_slug, kind, locale, item, wording, updated_at, updated_by)"
               " VALUES (:t, :k, :l, :i, :w, :at, :by)",
            soci::use(slug), soci::use(kind), soci::use(locale), soci::use(node_id), soci::use(stored),
            soci::use(now_s), soci::use(actor);
      }
      audit::Append(sql,
                    audit::Entry{actor, IsEmpty(wording) ? "territory.wording_reset" : "territory.wording_changed",
                                 "territory:" + slug, "flow " + locale + " " + node_id + " " + FieldNames(wording)},
                    context.clock());
    });
    if (context.wording.changed) context.wording.changed(slug);
    return http::Response::Redirect(303, back + "&etat=" + (IsEmpty(wording) ? "national" : "enregistre"));
  }
};

}  // namespace

help::WebWording ReadFlowWording(storage::Database& db, const std::string& territory_slug) {
  help::WebWording out;
  const std::string kind = kFlowNode;
  soci::session sql(db.pool());
  soci::rowset<soci::row> rows =
      (sql.prepare << "SELECT locale, item, wording FROM territory_wording WHERE territory_slug = :t AND kind = :k"
                      " ORDER BY locale, item",
       soci::use(territory_slug), soci::use(kind));
  for (const soci::row& row : rows) {
    out[row.get<std::string>(0)].push_back(FromJson(row.get<std::string>(1), row.get<std::string>(2)));
  }
  return out;
}

void RegisterWording(const ConsoleContext& given) {
  auto page = std::make_shared<Wording>(Wording{given});
  given.routes.Get("/pro/territoires/{territory}/textes", ManagersOfTerritory(), HandlerOf(page, &Wording::Show));
  given.routes.Post("/pro/territoires/{territory}/textes", ManagersOfTerritory(), HandlerOf(page, &Wording::Save));
}

}  // namespace passerelle::console
