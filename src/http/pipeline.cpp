#include "http/pipeline.h"

#include <spdlog/spdlog.h>

#include <nlohmann/json.hpp>

#include <algorithm>

#include "core/html.h"
#include "core/logging.h"
#include "core/work_pool.h"
#include "http/security_headers.h"

namespace passerelle::http {

namespace {

struct ErrorText {
  const char* heading;
  const char* message;
};

ErrorText TextOf(int status) {
  switch (status) {
    case 400:
      return {"Demande incorrecte", "La demande n'a pas pu être comprise. Revenez à la page précédente et réessayez."};
    case 403:
      return {"Action refusée",
              "Pour votre sécurité, cette action a été refusée. La page a peut-être expiré : revenez en arrière, "
              "rechargez la page et réessayez."};
    case 404:
      return {"Page introuvable", "Cette page n'existe pas ou n'existe plus."};
    case 405:
      return {"Action impossible sur cette page", "Cette page ne permet pas cette action."};
    case 409:
      return {"Conflit", "Cette action n'est plus possible : les informations ont changé entre-temps."};
    case 413:
      return {"Envoi trop volumineux",
              "Ce que vous avez envoyé est trop long. Raccourcissez votre texte et réessayez."};
    case 429:
      return {"Trop de demandes",
              "Trop de demandes ont été envoyées en peu de temps. Patientez une minute puis réessayez."};
    case 503:
      return {"Service momentanément indisponible",
              "Le service est momentanément indisponible. Réessayez dans quelques instants."};
    default:
      return {"Erreur du serveur", "Une erreur s'est produite de notre côté. Réessayez dans quelques instants."};
  }
}

// Requests of anonymous visitors are never logged one by one (core::VisitorLog, issue 15 F2):
// only the professional space's are.
bool IsVisitorClass(Priority priority) {
  return priority == Priority::kHelp || priority == Priority::kPublic || priority == Priority::kSearch;
}

bool IsLoopback(std::string_view address) {
  return address.substr(0, 4) == "127." || address == "::1" || address == "::ffff:127.0.0.1";
}

std::string Trim(std::string_view text) {
  const auto first = text.find_first_not_of(" \t");
  if (first == std::string_view::npos) return {};
  const auto last = text.find_last_not_of(" \t");
  return std::string(text.substr(first, last - first + 1));
}

void SelectLanguage(Request& request) {
  for (std::string_view language : {"en", "ar"}) {
    const std::string prefix = "/" + std::string(language);
    if (request.path == prefix || request.path.rfind(prefix + "/", 0) == 0) {
      request.locale = std::string(language);
      request.path = request.path.size() == prefix.size() ? "/" : request.path.substr(prefix.size());
      return;
    }
  }
}

}  // namespace

std::optional<std::chrono::seconds> RateLimiter::Hit(const std::string& client,
                                                     std::chrono::steady_clock::time_point now) {
  std::lock_guard lock(mutex_);
  if (now - window_start_ >= window_) {
    window_start_ = now;
    counts_.clear();  // nothing about a client outlives its window
  }
  if (++counts_[client] <= limit_) return std::nullopt;
  const auto left = std::chrono::duration_cast<std::chrono::seconds>(window_ - (now - window_start_));
  return std::max(left, std::chrono::seconds(1));
}

int StatusOf(core::ErrorCode code) {
  switch (code) {
    case core::ErrorCode::kInvalidInput:
      return 400;
    case core::ErrorCode::kForbidden:
      return 403;
    case core::ErrorCode::kNotFound:
      return 404;
    case core::ErrorCode::kConflict:
      return 409;
    case core::ErrorCode::kTooLarge:
      return 413;
    case core::ErrorCode::kRateLimited:
      return 429;
    case core::ErrorCode::kUnavailable:
      return 503;
  }
  return 500;
}

std::string ClientAddress(const Request& request) {
  if (IsLoopback(request.remote_address)) {
    if (const auto forwarded = request.Header("x-forwarded-for")) {
      const auto comma = forwarded->rfind(',');
      const std::string last = Trim(comma == std::string_view::npos ? *forwarded : forwarded->substr(comma + 1));
      if (!last.empty()) return last;
    }
  }
  return request.remote_address;
}

Pipeline::Pipeline(const Router& router, const StaticFiles& static_files, const Renderer& renderer,
                   const CsrfGuard& csrf, PipelineOptions options, Clock clock, ErrorDescriber describe_error)
    : router_(router),
      static_files_(static_files),
      renderer_(renderer),
      csrf_(csrf),
      options_(options),
      clock_(std::move(clock)),
      describe_error_(std::move(describe_error)),
      post_limiter_(options.post_limit_per_minute, std::chrono::seconds(60)),
      help_post_limiter_(options.help_post_limit_per_minute, std::chrono::seconds(60)) {}

Response Pipeline::ErrorResponse(const Request& request, int status, const std::string& message) const {
  return ErrorPage(request, status, message, nlohmann::json::array());
}

Response Pipeline::ErrorPage(const Request& request, int status, const std::string& message,
                             const nlohmann::json& given_back) const {
  const ErrorText french = TextOf(status);
  struct {
    std::string heading;
  } text{renderer_.Translate(request.locale, french.heading)};
  const std::string shown = renderer_.Translate(request.locale, message.empty() ? french.message : message);
  Response response;
  if (request.path.rfind("/api/", 0) == 0) {
    response = Response::Json(status, nlohmann::json{{"error", {{"status", status}, {"message", shown}}}}.dump());
  } else {
    try {
      response = renderer_.Page(
          request, status, "errors/error", text.heading,
          {{"status", status}, {"heading", text.heading}, {"message", shown}, {"given_back", given_back}});
    } catch (const std::exception& e) {
      // The error page itself failed: answer a minimal page rather than nothing.
      spdlog::error("event=error_page_failed request_id={} status={} error=\"{}\"", request.request_id, status,
                    e.what());
      response = Response::Html(status, "<!doctype html><html lang=\"fr\"><title>Passerelle</title><h1>" +
                                            core::HtmlEscape(text.heading) + "</h1><p>" + core::HtmlEscape(shown) +
                                            "</p><p>Urgence : 17 · SMS 114 · 3919</p></html>");
    }
  }
  return response;
}

namespace {

bool IsFormBody(const Request& request) {
  if (request.body.empty()) return false;
  const auto content_type = request.Header("content-type");
  // Handlers read a body without a type as a form too (Request::Form()).
  return !content_type || content_type->substr(0, 33) == "application/x-www-form-urlencoded";
}

// Text a person typed (spaces or letters beyond ASCII), not a token or a code: what the error
// page gives back.
bool LooksTyped(const std::string& name, const std::string& value) {
  if (name.empty() || name.front() == '_' || value.empty()) return false;
  return std::any_of(value.begin(), value.end(),
                     [](char c) { return c == ' ' || c == '\n' || static_cast<unsigned char>(c) >= 0x80; });
}

}  // namespace

std::optional<Response> Pipeline::RefuseInvalidUtf8(const Request& request) const {
  for (const FormData& form : {request.QueryParams(), IsFormBody(request) ? request.Form() : FormData{}}) {
    const auto invalid = form.InvalidUtf8Pairs();
    if (invalid.empty()) continue;
    const std::string field = RepairUtf8(invalid.front().first);
    std::string message = renderer_.Translate(
        request.locale,
        "Le champ « {champ} » contient des caractères qui n’ont pas pu être lus. Votre texte est repris "
        "ci-dessous, les caractères illisibles remplacés par « � » : copiez-le, revenez en arrière, "
        "collez-le et envoyez à nouveau.");
    if (const auto at = message.find("{champ}"); at != std::string::npos) message.replace(at, 7, field);
    nlohmann::json given_back = nlohmann::json::array();
    for (const auto& [name, value] : form.Pairs()) {
      const bool bad = !IsValidUtf8(name) || !IsValidUtf8(value);
      if (bad || LooksTyped(name, value)) {
        given_back.push_back({{"field", RepairUtf8(name)}, {"text", RepairUtf8(value)}, {"invalid", bad}});
      }
    }
    return ErrorPage(request, 400, message, given_back);
  }
  return std::nullopt;
}

Response Pipeline::Dispatch(Request& request, std::string& route_for_log) {
  // The language is chosen by the path prefix (/en/…, /ar/…; French at the root), never by a
  // cookie; routes are declared once, without the prefix.
  SelectLanguage(request);
  if (request.body.size() > BodyLimitOf(request)) return ErrorResponse(request, 413);

  if (request.path.rfind("/static/", 0) == 0 && IsSafe(request.method)) {
    route_for_log = "static";
    if (auto file = static_files_.Serve(request.path)) return *file;
    return ErrorResponse(request, 404);
  }

  // Every page, error pages included, carries the "J'ai besoin d'aide" form and its token.
  request.csrf_token = csrf_.Issue("public", clock_());
  if (!IsSafe(request.method)) {
    RateLimiter& limiter =
        router_.PriorityOf(request.method, request.path) == Priority::kHelp ? help_post_limiter_ : post_limiter_;
    if (const auto retry = limiter.Hit(ClientAddress(request), std::chrono::steady_clock::now())) {
      Response response = ErrorResponse(request, 429);
      response.SetHeader("Retry-After", std::to_string(retry->count()));
      return response;
    }
    const auto verdict = csrf_.Check(request, csrf_scope_ ? csrf_scope_(request) : "public", clock_());  // accounts
    if (verdict != CsrfGuard::Verdict::kAllowed) {
      route_for_log = verdict == CsrfGuard::Verdict::kCrossSite ? "csrf_cross_site" : "csrf_bad_token";
      return ErrorResponse(request, 403);
    }
  }

  // Text that is not UTF-8 never reaches a handler: the JSON and template layers would throw
  // (a 500, and her message lost). Checked after CSRF, so that a foreign site learns nothing.
  if (auto refused = RefuseInvalidUtf8(request)) return *refused;
  // No page has a name that is not UTF-8 (and path parameters are shown on pages).
  if (!IsValidUtf8(request.path)) return ErrorResponse(request, 404);

  const Router::Match match = router_.Find(request);
  if (match.handler == nullptr) {
    if (match.allowed.empty()) return ErrorResponse(request, 404);
    Response response = ErrorResponse(request, 405);
    std::string allow;
    for (Method m : match.allowed) allow += (allow.empty() ? "" : ", ") + std::string(MethodName(m));
    response.SetHeader("Allow", allow);
    return response;
  }
  route_for_log = *match.pattern;
  Response response = (*match.handler)(request);
  if (response.status >= 400 && response.body.empty()) {
    Response page = ErrorResponse(request, response.status, response.error_message);
    for (auto& [name, value] : response.headers) page.SetHeader(name, value);
    return page;
  }
  return response;
}

namespace {

// The path of a route, without the language prefix.
std::string_view RoutePath(std::string_view path) {
  for (std::string_view prefix : {std::string_view("/en"), std::string_view("/ar")}) {
    if (path == prefix || path.substr(0, prefix.size() + 1) == std::string(prefix) + "/") {
      return path.size() == prefix.size() ? std::string_view("/") : path.substr(prefix.size());
    }
  }
  return path;
}

}  // namespace

Priority Pipeline::PriorityOf(const Request& request) const {
  const std::string_view path = RoutePath(request.path);
  if (path.rfind("/static/", 0) == 0) return Priority::kPublic;
  return router_.PriorityOf(request.method, path);
}

Admission Pipeline::AdmissionOf(const Request& request) const {
  const std::string_view path = RoutePath(request.path);
  const bool safe = request.method == Method::kGet || request.method == Method::kHead;
  if (path.rfind("/static/", 0) == 0) return {Priority::kPublic, safe};
  const Router::Class route = router_.ClassOf(request.method, path);
  // Never a slow class, even if marked: a search on the I/O thread would take the place the
  // reserved worker keeps for the help path (docs/load-shedding.md).
  const bool fast_class = route.priority == Priority::kHelp || route.priority == Priority::kPublic;
  return {route.priority, safe && route.non_blocking && fast_class};
}

std::size_t Pipeline::BodyLimitOf(const Request& request) const {
  return router_.BodyLimitOf(request.method, RoutePath(request.path)).value_or(options_.max_body_bytes);
}

std::size_t Pipeline::LargestBodyLimit() const { return std::max(options_.max_body_bytes, router_.LargestBodyLimit()); }

Response Pipeline::Overloaded(Request& request, std::string_view priority_class) {
  // Cheap on purpose (it runs on the I/O thread, maybe thousands of times a second): no template,
  // no token; the emergency numbers and the quick exit, in her language.
  SelectLanguage(request);
  const std::string& locale = request.locale;
  const auto t = [&](const char* french) { return core::HtmlEscape(renderer_.Translate(locale, french)); };
  const ErrorText french = TextOf(503);
  Response response;
  if (request.path.rfind("/api/", 0) == 0) {
    response = Response::Json(
        503,
        nlohmann::json{{"error", {{"status", 503}, {"message", renderer_.Translate(locale, french.message)}}}}.dump());
  } else {
    response = Response::Html(
        503,
        "<!doctype html><html lang=\"" + locale + "\" dir=\"" + (locale == "ar" ? "rtl" : "ltr") +
            "\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, "
            "initial-scale=1\"><title>Passerelle</title></head><body><main><h1>" +
            t(french.heading) + "</h1><p>" + t(french.message) + "</p><p>" +
            t("Passerelle ne remplace pas les secours : en cas de danger, appelez le 17 ou envoyez un SMS au 114.") +
            "</p><p><a href=\"tel:3919\">" + t("Appeler le 3919") + "</a></p><p><a href=\"" +
            core::HtmlEscape(renderer_.settings().exit_url) + "\">" + t("Cacher le site") +
            "</a></p></main></body></html>");
  }
  response.SetHeader("Retry-After", "5");
  response.SetHeader("Cache-Control", "no-store");
  if (request.method == Method::kHead) response.body.clear();
  AddSecurityHeaders(response);
  response.SetHeader("X-Request-Id", request.request_id);
  if (IsVisitorClass(router_.PriorityOf(request.method, request.path))) {
    core::VisitorLog::Instance().Count(priority_class, 503);
  } else {
    spdlog::warn("event=shed request_id={} method={} class={} status=503", request.request_id,
                 MethodName(request.method), priority_class);
  }
  return response;
}

Response Pipeline::Handle(Request& request) {
  const auto started = std::chrono::steady_clock::now();
  std::string route_for_log = "unmatched";
  Response response;
  try {
    response = Dispatch(request, route_for_log);
  } catch (const core::BusyError&) {
    // Slow work of the handler found its bounded pool full (ADR 0016) before anything was
    // written: the same "busy, retry" as a request shed by the scheduler (its headers, its count).
    return Overloaded(request, PriorityName(router_.PriorityOf(request.method, request.path)));
  } catch (const std::exception& e) {
    std::optional<std::string> description;
    if (describe_error_) description = describe_error_(e);
    // Our own infrastructure messages name files and templates, never personal data.
    if (!description && dynamic_cast<const core::InfrastructureError*>(&e)) description = e.what();
    const std::string error = description.value_or(std::string("exception of type ") + typeid(e).name());
    const Priority priority = router_.PriorityOf(request.method, request.path);
    if (IsVisitorClass(priority)) {
      // Held until the full hour, without route or request id: the route would say what she did.
      core::VisitorLog::Instance().Hold(
          spdlog::level::err, fmt::format("event=handler_failed class={} error=\"{}\"", PriorityName(priority), error));
    } else {
      spdlog::error("event=handler_failed request_id={} route={} error=\"{}\"", request.request_id, route_for_log,
                    error);
    }
    response = ErrorResponse(request, 500);
  }
  if (!response.Header("Cache-Control")) response.SetHeader("Cache-Control", "no-store");
  if (request.method == Method::kHead) response.body.clear();
  AddSecurityHeaders(response);
  response.SetHeader("X-Request-Id", request.request_id);
  const auto micros =
      std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - started).count();
  // Static files and unknown paths are kPublic (PriorityOf of the path without language prefix).
  const Priority priority =
      route_for_log == "static" ? Priority::kPublic : router_.PriorityOf(request.method, request.path);
  if (IsVisitorClass(priority)) {
    core::VisitorLog::Instance().Count(PriorityName(priority), response.status);
    return response;
  }
  spdlog::info("event=request request_id={} method={} route={} status={} duration_us={}", request.request_id,
               MethodName(request.method), route_for_log, response.status, micros);
  return response;
}

}  // namespace passerelle::http
