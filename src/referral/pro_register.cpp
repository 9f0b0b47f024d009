#include "referral/pro_register.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <memory>

#include "http/pipeline.h"

namespace passerelle::referral {

namespace {

using accounts::Access;
using accounts::Principal;
using accounts::Role;
using json = nlohmann::json;

constexpr const char* kInboxTitle = "Demandes reçues";
constexpr const char* kReferralTitle = "Demande";

struct Context {
  accounts::SessionStore& sessions;
  WorkflowService& workflow;
  const directory::DirectoryService& directory;
  const http::Renderer& renderer;
  accounts::Clock clock;
};

struct FieldError {
  std::string field_id;
  std::string message;
};

// --- wording (codes are English in storage, French here) ---

const char* StatusLabel(ReferralStatus status) {
  switch (status) {
    case ReferralStatus::kNew:
      return "Nouvelle";
    case ReferralStatus::kAcknowledged:
      return "Prise en charge";
    case ReferralStatus::kContacted:
      return "Personne contactée";
    case ReferralStatus::kClosed:
      return "Close";
    case ReferralStatus::kRefused:
      return "Refusée";
    case ReferralStatus::kWithdrawn:
      return "Retirée par la personne";
    case ReferralStatus::kHandedOver:
      return "Transmise";
    case ReferralStatus::kExpired:
      return "Expirée";
  }
  return "";
}

const char* OutcomeLabel(CloseOutcome outcome) {
  switch (outcome) {
    case CloseOutcome::kAccompanied:
      return "Accompagnée par notre structure";
    case CloseOutcome::kOrientedElsewhere:
      return "Orientée vers un autre professionnel";
    case CloseOutcome::kNoContactPossible:
      return "Contact impossible sans danger";
    case CloseOutcome::kDeclined:
      return "Elle ne souhaite pas donner suite";
    case CloseOutcome::kOther:
      return "Autre";
  }
  return "";
}

const char* ReasonLabel(RefusalReason reason) {
  switch (reason) {
    case RefusalReason::kOutOfArea:
      return "Hors de notre secteur";
    case RefusalReason::kNotOurField:
      return "Ne relève pas de nos missions";
    case RefusalReason::kNoCapacity:
      return "Pas de disponibilité en ce moment";
    case RefusalReason::kOther:
      return "Autre raison";
  }
  return "";
}

// "2026-11-23" → "23/11/2026".
std::string FrenchDay(const std::string& day) {
  if (day.size() != 10) return day;
  return day.substr(8, 2) + "/" + day.substr(5, 2) + "/" + day.substr(0, 4);
}

std::string OrganizationName(const Context& context, const std::string& organization_id) {
  const auto organization = context.directory.Get(organization_id);
  return organization ? organization->name : organization_id;
}

std::string ReferralPath(const std::string& id) { return "/pro/demandes/" + id; }

int StatusOf(core::ErrorCode code) { return http::StatusOf(code); }

// What the professional marked on a call-back (issue 12).
std::string CallBackLabel(const std::optional<std::string>& outcome) {
  const std::string code = outcome.value_or("");
  if (code == "called") return "Rappel immédiat : appelée";
  if (code == "no_answer") return "Rappel immédiat : pas de réponse";
  if (code == "later") return "Rappel immédiat : à rappeler plus tard";
  return "Rappel immédiat demandé : à appeler maintenant";
}

OrganizationAccess AccessFor(const Context& context, const Principal& principal, const std::string& organization_id) {
  return OrganizationAccess{organization_id, context.sessions.OrganizationKey(principal, organization_id)};
}

json Page(const http::Request& request, const Principal& principal, json data) {
  data["pro_csrf"] = accounts::FormToken(request, principal);
  data["signed_in"] = true;
  data["pro_nav"] = accounts::NavLinks(principal);  // the signed-in navigation's links
  return data;
}

json ErrorData(const std::vector<FieldError>& errors) {
  json list = json::array();
  for (const FieldError& e : errors) list.push_back({{"field_id", e.field_id}, {"message", e.message}});
  return {{"has_errors", !errors.empty()}, {"errors", list}};
}

// --- the inbox ---

http::Response InboxPage(const Context& context, const http::Request& request, const Principal& principal) {
  std::vector<OrganizationAccess> access;
  bool missing_key = false;
  for (const std::string& organization_id : principal.organization_ids) {
    access.push_back(AccessFor(context, principal, organization_id));
    missing_key = missing_key || !access.back().keys;
  }
  json items = json::array();
  for (const InboxItem& item : context.workflow.Inbox(access)) {
    json row = {
        {"href", ReferralPath(item.id)},
        {"created_on", FrenchDay(item.created_on)},
        {"status", std::string(CodeOf(item.status))},
        {"status_label", StatusLabel(item.status)},
        {"organization", OrganizationName(context, item.organization_id)},
        {"handed_over_in", item.handed_over_in},
        {"call_back", item.call_back},
        {"callback_pending", item.call_back && IsOpen(item.status) && item.callback_outcome.value_or("") != "called"},
        {"callback_label", item.call_back ? CallBackLabel(item.callback_outcome) : ""}};
    switch (item.summary_state) {
      case SummaryState::kShown:
        row["needs"] = item.summary.needs.empty() ? "Non précisé" : item.summary.needs;
        row["commune"] = item.summary.commune.empty() ? "Non précisée" : item.summary.commune;
        break;
      case SummaryState::kNoKey:
        row["unreadable"] = "Illisible sans accès aux demandes";
        break;
      case SummaryState::kUnreadable:
        row["unreadable"] = "Illisible avec votre clé actuelle";
        break;
      case SummaryState::kDeleted:
        row["unreadable"] = item.status == ReferralStatus::kHandedOver ? "Transmise : le contenu n’est plus chez vous"
                                                                       : "Contenu effacé";
        break;
    }
    items.push_back(std::move(row));
  }
  // Call-backs waiting for a call come first (issue 12): she asked to be called now.
  std::stable_partition(items.begin(), items.end(), [](const json& row) { return row["callback_pending"] == true; });
  json data = {{"items", items},
               {"has_items", !items.empty()},
               {"pending_callbacks", context.workflow.PendingCallBacks(principal.organization_ids)},
               {"pending_callbacks_href", "/pro/rappels-en-attente"},
               {"several_organizations", principal.organization_ids.size() > 1},
               {"missing_key", missing_key}};
  return context.renderer.Page(request, 200, "pro/demandes", kInboxTitle, Page(request, principal, std::move(data)));
}

// --- one referral ---

json MessagesView(const Context& context, const OpenedReferral& opened) {
  json out = json::array();
  for (const ThreadMessage& m : opened.messages) {
    const bool professional = m.sender == MessageSender::kProfessional;
    out.push_back({{"from_person", !professional},
                   {"author", professional ? OrganizationName(context, m.organization_id) : "La personne"},
                   {"day", FrenchDay(m.day)},
                   {"readable", m.text.has_value()},
                   {"text", m.text.value_or("")}});
  }
  return out;
}

// The services a referral may be handed over to: those of the other published organizations of
// its territory that accept referrals and can receive them (a key). A draft is not offered: the
// hand-over itself takes only a public service (HandOver, GetPublicService), so choosing one
// would be refused.
json HandOverTargets(const Context& context, const OpenedReferral& opened) {
  json out = json::array();
  for (const directory::Organization& o : context.directory.ListByTerritory(opened.territory_slug)) {
    if (o.id == opened.organization_id || o.publication != directory::Publication::kPublic || !o.accepts_referrals ||
        o.status != directory::OrganizationStatus::kActive || !context.workflow.CanReceive(o.id)) {
      continue;
    }
    for (const directory::Service& s : o.services) {
      out.push_back({{"service_id", s.id}, {"label", o.name + " — " + s.name}});
    }
  }
  return out;
}

http::Response ReferralPage(const Context& context, const http::Request& request, const Principal& principal,
                            const std::string& id, int status, const std::vector<FieldError>& errors,
                            const std::string& notice) {
  const auto owner = context.workflow.OwnerOf(id);
  if (!owner) return http::Response::Error(404);
  const auto opened = context.workflow.Open(id, AccessFor(context, principal, owner->organization_id),
                                            "account:" + principal.account_id, context.clock());
  if (!opened) return http::Response::Error(StatusOf(opened.error().code), opened.error().public_message);
  const OpenedReferral& r = opened.value();
  const bool is_open = IsOpen(r.status);
  json data = ErrorData(errors);
  data.update({{"id", r.id},
               {"inbox", "/pro/demandes"},
               {"organization", OrganizationName(context, r.organization_id)},
               {"created_on", FrenchDay(r.created_on)},
               {"status", std::string(CodeOf(r.status))},
               {"status_label", StatusLabel(r.status)},
               {"status_changed_on", FrenchDay(r.status_changed_on)},
               {"report_shown", r.report_state == ReportState::kShown},
               {"no_key", r.report_state == ReportState::kNoKey},
               {"unreadable", r.report_state == ReportState::kUnreadable},
               {"content_deleted", r.report_state == ReportState::kDeleted},
               {"content_deleted_on", FrenchDay(r.content_deleted_on)},
               {"withdrawn", r.status == ReferralStatus::kWithdrawn},
               // Handed over by this organization: only the status line is left (the content went).
               {"handed_over_out", r.status == ReferralStatus::kHandedOver},
               {"messages", MessagesView(context, r)},
               {"has_messages", !r.messages.empty()},
               {"can_write", is_open && r.report_state != ReportState::kDeleted},
               {"max_message", WorkflowService::kMaxMessageLength},
               {"max_note", WorkflowService::kMaxNoteLength},
               {"message_action", ReferralPath(r.id) + "/messages"},
               {"status_action", ReferralPath(r.id) + "/etat"},
               {"handover_action", ReferralPath(r.id) + "/transmission"},
               {"handover_consent", r.handover_consent},
               {"call_back", r.call_back},
               {"callback_label", r.call_back ? CallBackLabel(r.callback_outcome) : ""},
               {"can_mark_call_back", r.call_back && IsOpen(r.status)},
               {"callback_action", ReferralPath(r.id) + "/rappel"}});
  if (r.report_state == ReportState::kShown) data["report"] = r.report;
  if (r.outcome) data["outcome_label"] = OutcomeLabel(*r.outcome);
  if (r.refusal_reason) data["reason_label"] = ReasonLabel(*r.refusal_reason);
  if (r.handed_over_from_organization)
    data["handed_over_from"] = OrganizationName(context, *r.handed_over_from_organization);
  if (r.handed_over_to_organization) data["handed_over_to"] = OrganizationName(context, *r.handed_over_to_organization);
  if (!notice.empty()) data["notice"] = notice;
  // The changes allowed now, each as its own form with its own fields.
  for (ReferralStatus next : r.next) {
    switch (next) {
      case ReferralStatus::kAcknowledged:
        data["can_acknowledge"] = true;
        break;
      case ReferralStatus::kContacted:
        data["can_contact"] = true;
        break;
      case ReferralStatus::kClosed: {
        json outcomes = json::array();
        for (CloseOutcome o : kAllOutcomes) {
          outcomes.push_back({{"code", std::string(CodeOf(o))},
                              {"label", OutcomeLabel(o)},
                              {"input_id", "outcome-" + std::string(CodeOf(o))}});
        }
        data["can_close"] = true;
        data["outcomes"] = outcomes;
        break;
      }
      case ReferralStatus::kRefused: {
        json reasons = json::array();
        for (RefusalReason reason : kAllRefusalReasons) {
          reasons.push_back({{"code", std::string(CodeOf(reason))},
                             {"label", ReasonLabel(reason)},
                             {"input_id", "reason-" + std::string(CodeOf(reason))}});
        }
        data["can_refuse"] = true;
        data["reasons"] = reasons;
        break;
      }
      case ReferralStatus::kHandedOver: {
        if (r.report_state != ReportState::kShown) break;  // re-sealing needs the report opened
        const json targets = HandOverTargets(context, r);
        data["can_hand_over"] = !targets.empty();
        data["no_target"] = targets.empty();
        data["targets"] = targets;
        break;
      }
      default:
        break;
    }
  }
  data["has_actions"] = !r.next.empty();
  return context.renderer.Page(request, status, "pro/demande", kReferralTitle,
                               Page(request, principal, std::move(data)));
}

http::Response Redirect(const std::string& id, const char* done) {
  return http::Response::Redirect(303, ReferralPath(id) + "?fait=" + done);
}

std::string NoticeFor(const http::Request& request) {
  const std::string done = request.QueryParams().Get("fait").value_or("");
  if (done == "rappel") return "Le rappel est noté.";
  if (done == "etat") return "L’état de la demande a été mis à jour.";
  if (done == "message") return "Votre message a été envoyé. La personne le lira avec son code de suivi.";
  if (done == "transmission") return "La demande a été transmise. L’organisation choisie a été prévenue.";
  return "";
}

// The field an error of a status change belongs to.
std::string FieldOf(const core::Error& error) {
  if (error.internal_detail == "no outcome") return "outcome-" + std::string(CodeOf(kAllOutcomes.front()));
  if (error.internal_detail == "no reason") return "reason-" + std::string(CodeOf(kAllRefusalReasons.front()));
  if (error.internal_detail == "note length") return "note";
  return "actions";
}

http::Response ChangeStatus(const Context& context, http::Request& request, const Principal& principal) {
  const std::string id = request.Param("id");
  const auto owner = context.workflow.OwnerOf(id);
  if (!owner) return http::Response::Error(404);
  const http::FormData form = request.Form();
  const auto to = ParseStatus(form.Get("to").value_or(""));
  if (!to) return ReferralPage(context, request, principal, id, 400, {{"actions", "Choisissez une action."}}, "");
  StatusRequest change{*to, ParseOutcome(form.Get("outcome").value_or("")),
                       ParseRefusalReason(form.Get("reason").value_or("")), form.Get("note").value_or("")};
  const auto done = context.workflow.ChangeStatus(id, owner->organization_id, change, "account:" + principal.account_id,
                                                  context.clock());
  if (!done) {
    return ReferralPage(context, request, principal, id, StatusOf(done.error().code),
                        {{FieldOf(done.error()), done.error().public_message}}, "");
  }
  return Redirect(id, "etat");
}

// POST /pro/demandes/{id}/rappel: "Appelée", "Pas de réponse", "Rappeler plus tard" (issue 12).
http::Response MarkCallBack(const Context& context, http::Request& request, const Principal& principal) {
  const std::string id = request.Param("id");
  const auto owner = context.workflow.OwnerOf(id);
  if (!owner) return http::Response::Error(404);
  const auto done =
      context.workflow.MarkCallBack(id, owner->organization_id, request.Form().Get("outcome").value_or(""),
                                    "account:" + principal.account_id, context.clock());
  if (!done) {
    return ReferralPage(context, request, principal, id, StatusOf(done.error().code),
                        {{"callback-called", done.error().public_message}}, "");
  }
  return Redirect(id, "rappel");
}

// GET /pro/rappels-en-attente: how many call-backs of the member's organizations wait, for the
// open inbox page's sound and title badge (static/js/inbox-alert.js). A count, nothing else.
http::Response PendingCallBacks(const Context& context, const Principal& principal) {
  const long long pending = context.workflow.PendingCallBacks(principal.organization_ids);
  return http::Response::Json(200, json{{"pending", pending}}.dump());  // no-store: the pipeline's default
}

http::Response HandOver(const Context& context, http::Request& request, const Principal& principal) {
  const std::string id = request.Param("id");
  const auto owner = context.workflow.OwnerOf(id);
  if (!owner) return http::Response::Error(404);
  const std::string service_id = request.Form().Get("service_id").value_or("");
  // The target must be a service of the directory whose organization accepts referrals.
  const auto service = context.directory.GetPublicService(service_id);
  if (!service || !service->organization.accepts_referrals) {
    return ReferralPage(context, request, principal, id, 400,
                        {{"target", "Choisissez l’organisation à qui transmettre la demande."}}, "");
  }
  const auto done = context.workflow.HandOver(
      id, AccessFor(context, principal, owner->organization_id),
      HandOverTarget{service->organization.id, service->service.id, service->organization.territory_slug},
      "account:" + principal.account_id, context.clock());
  if (!done) {
    return ReferralPage(context, request, principal, id, StatusOf(done.error().code),
                        {{"target", done.error().public_message}}, "");
  }
  return Redirect(id, "transmission");
}

http::Response WriteMessage(const Context& context, http::Request& request, const Principal& principal) {
  const std::string id = request.Param("id");
  const auto owner = context.workflow.OwnerOf(id);
  if (!owner) return http::Response::Error(404);
  const auto done =
      context.workflow.WriteMessage(id, owner->organization_id, request.Form().Get("message").value_or(""),
                                    "account:" + principal.account_id, context.clock());
  if (!done) {
    return ReferralPage(context, request, principal, id, StatusOf(done.error().code),
                        {{"message", done.error().public_message}}, "");
  }
  return Redirect(id, "message");
}

}  // namespace

void RegisterReferralInbox(accounts::ProRoutes& routes, accounts::SessionStore& sessions, WorkflowService& workflow,
                           const directory::DirectoryService& directory, const http::Renderer& renderer,
                           accounts::Clock clock) {
  auto context = std::make_shared<Context>(Context{sessions, workflow, directory, renderer, std::move(clock)});
  routes.AddResolver(accounts::kReferralObject,
                     [context](const std::string& id) -> std::optional<accounts::ObjectOwner> {
                       const auto owner = context->workflow.OwnerOf(id);
                       if (!owner) return std::nullopt;
                       return accounts::ObjectOwner{{owner->organization_id}, {owner->territory_slug}};
                     });
  // Members only; with an {id}, members of that referral's organization only. Coordinators and
  // operators never see a referral here, not even its existence.
  const Access inbox = Access::Roles({Role::kMember});
  const Access one = Access::Roles({Role::kMember}, {{"id", std::string(accounts::kReferralObject)}});
  routes.Get("/pro/demandes", inbox, [context](http::Request& request, const Principal& principal) {
    return InboxPage(*context, request, principal);
  });
  routes.Get("/pro/demandes/{id}", one, [context](http::Request& request, const Principal& principal) {
    return ReferralPage(*context, request, principal, request.Param("id"), 200, {}, NoticeFor(request));
  });
  routes.Post("/pro/demandes/{id}/etat", one, [context](http::Request& request, const Principal& principal) {
    return ChangeStatus(*context, request, principal);
  });
  routes.Post("/pro/demandes/{id}/transmission", one, [context](http::Request& request, const Principal& principal) {
    return HandOver(*context, request, principal);
  });
  routes.Post("/pro/demandes/{id}/messages", one, [context](http::Request& request, const Principal& principal) {
    return WriteMessage(*context, request, principal);
  });
  routes.Post("/pro/demandes/{id}/rappel", one, [context](http::Request& request, const Principal& principal) {
    return MarkCallBack(*context, request, principal);
  });
  routes.Get("/pro/rappels-en-attente", inbox,
             [context](http::Request&, const Principal& principal) { return PendingCallBacks(*context, principal); });
}

}  // namespace passerelle::referral
