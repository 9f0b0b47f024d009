#include "http/pipeline.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "core/crypto.h"
#include "core/work_pool.h"

namespace passerelle::http {
namespace {

namespace fs = std::filesystem;

class PipelineTest : public ::testing::Test {
 protected:
  void SetUp() override {
    core::InitCrypto();
    dir_ = fs::temp_directory_path() / ("passerelle-pipeline-" + core::RandomHex(6));
    fs::create_directories(dir_ / "templates" / "errors");
    fs::create_directories(dir_ / "templates" / "pages");
    fs::create_directories(dir_ / "static" / "js");
    std::ofstream(dir_ / "templates" / "layout.mustache")
        << "<html lang=\"{{lang}}\"><title>{{title}}</title>{{{content}}}</html>";
    std::ofstream(dir_ / "templates" / "errors" / "error.mustache")
        << "<h1>{{heading}}</h1><p>{{message}}</p>{{#given_back}}<textarea>{{text}}</textarea>{{/given_back}}";
    std::ofstream(dir_ / "templates" / "pages" / "form.mustache")
        << "<form>{{#_}}Cacher le site{{/_}}<input name=\"_csrf\" value=\"{{csrf_token}}\"></form>";
    std::ofstream(dir_ / "static" / "js" / "app.js") << "console.log(1)";
    static_files_.AddDirectory(dir_ / "static", "/static");
    renderer_ = std::make_unique<Renderer>(dir_ / "templates", static_files_, translator_, SiteSettings{});
    router_.Get("/form", [this](Request& r) { return renderer_->Page(r, 200, "pages/form", "Formulaire", {}); });
    router_.Post("/form", [](Request& r) { return Response::Text(200, "posted " + r.Form().Get("x").value_or("")); });
    router_.Post(
        "/aide/questions", [](Request&) { return Response::Text(200, "next question"); }, Priority::kHelp);
    router_.Get("/boom", [](Request&) -> Response { throw std::runtime_error("secret personal detail"); });
    router_.Get("/gone", [](Request&) { return Response::Error(404, "Cette fiche a été retirée."); });
    router_.Get("/api/v1/boom", [](Request&) -> Response { throw std::runtime_error("x"); });
    Rebuild(PipelineOptions{1024, 100});
  }
  void TearDown() override { fs::remove_all(dir_); }

  void Rebuild(PipelineOptions options) {
    pipeline_ = std::make_unique<Pipeline>(router_, static_files_, *renderer_, csrf_, options,
                                           [] { return std::chrono::system_clock::now(); });
  }

  Response Send(Method method, std::string path, std::string body = {},
                std::vector<std::pair<std::string, std::string>> headers = {}) {
    Request r;
    r.method = method;
    if (const auto question = path.find('?'); question != std::string::npos) {
      r.query = path.substr(question + 1);
      path.resize(question);
    }
    r.path = std::move(path);
    r.body = std::move(body);
    r.headers = {{"host", "localhost:8080"}, {"content-type", "application/x-www-form-urlencoded"}};
    for (auto& h : headers) r.headers.push_back(h);
    r.remote_address = "127.0.0.1";
    r.request_id = "test";
    return pipeline_->Handle(r);
  }

  static void ExpectSecurityHeaders(const Response& r) {
    const auto csp = r.Header("Content-Security-Policy");
    ASSERT_TRUE(csp.has_value()) << r.status;
    for (const char* directive : {"default-src 'self'", "frame-ancestors 'none'", "base-uri 'none'",
                                  "form-action 'self'", "object-src 'none'"}) {
      EXPECT_NE(csp->find(directive), std::string_view::npos) << directive;
    }
    EXPECT_EQ(csp->find("unsafe-inline"), std::string_view::npos);
    EXPECT_EQ(r.Header("Referrer-Policy"), "no-referrer");
    EXPECT_EQ(r.Header("X-Content-Type-Options"), "nosniff");
    EXPECT_EQ(r.Header("Cross-Origin-Opener-Policy"), "same-origin");
    EXPECT_NE(r.Header("Permissions-Policy")->find("geolocation=(self)"), std::string_view::npos);
    EXPECT_FALSE(r.Header("Server").has_value());
    EXPECT_FALSE(r.Header("Set-Cookie").has_value());
  }

  fs::path dir_;
  StaticFiles static_files_;
  Translator translator_{DefaultLocaleDir()};
  std::unique_ptr<Renderer> renderer_;
  CsrfGuard csrf_{std::string(32, 'c')};
  Router router_;
  std::unique_ptr<Pipeline> pipeline_;
};

std::string TokenIn(const std::string& html) {
  const auto start = html.find("value=\"") + 7;
  return html.substr(start, html.find('"', start) - start);
}

TEST_F(PipelineTest, PagesAreNotCachedAndCarryTheHeaders) {
  const Response r = Send(Method::kGet, "/form");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.Header("Cache-Control"), "no-store");
  EXPECT_NE(r.body.find("<title>Formulaire</title>"), std::string::npos);
  EXPECT_NE(r.body.find("Cacher le site"), std::string::npos);
  ExpectSecurityHeaders(r);
}

TEST_F(PipelineTest, StaticFilesAreCachedLongAndCarryTheHeaders) {
  const Response r = Send(Method::kGet, *static_files_.UrlOf("/static/js/app.js"));
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.Header("Cache-Control"), "public, max-age=31536000, immutable");
  ExpectSecurityHeaders(r);
  const Response missing = Send(Method::kGet, "/static/js/app.js");
  EXPECT_EQ(missing.status, 404);
  ExpectSecurityHeaders(missing);
}

TEST_F(PipelineTest, UnknownPathIs404AndWrongMethodIs405WithAllow) {
  const Response not_found = Send(Method::kGet, "/nexiste-pas");
  EXPECT_EQ(not_found.status, 404);
  EXPECT_NE(not_found.body.find("Page introuvable"), std::string::npos);
  ExpectSecurityHeaders(not_found);
  const std::string token = TokenIn(Send(Method::kGet, "/form").body);
  const Response not_allowed = Send(Method::kDelete, "/form", "_csrf=" + token);
  EXPECT_EQ(not_allowed.status, 405);
  EXPECT_EQ(not_allowed.Header("Allow"), "GET, HEAD, POST");
  ExpectSecurityHeaders(not_allowed);
}

TEST_F(PipelineTest, PostNeedsTheTokenOfAPage) {
  const Response without = Send(Method::kPost, "/form", "x=1");
  EXPECT_EQ(without.status, 403);
  EXPECT_NE(without.body.find("Action refusée"), std::string::npos);
  ExpectSecurityHeaders(without);
  const std::string token = TokenIn(Send(Method::kGet, "/form").body);
  const Response with = Send(Method::kPost, "/form", "_csrf=" + token + "&x=1",
                             {{"origin", "http://localhost:8080"}, {"sec-fetch-site", "same-origin"}});
  EXPECT_EQ(with.status, 200);
  EXPECT_EQ(with.body, "posted 1");
  const Response cross = Send(Method::kPost, "/form", "_csrf=" + token + "&x=1", {{"sec-fetch-site", "cross-site"}});
  EXPECT_EQ(cross.status, 403);
}

TEST_F(PipelineTest, InvalidUtf8InAFormFieldIs400NamingItWithHerTextGivenBack) {
  const std::string token = TokenIn(Send(Method::kGet, "/form").body);
  const Response r = Send(Method::kPost, "/form", "_csrf=" + token + "&pseudonym=L%C3%A9a&x=abc&message=caf%E9+%FF",
                          {{"sec-fetch-site", "same-origin"}});
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.body.find("posted"), std::string::npos) << "the handler never sees invalid text";
  EXPECT_NE(r.body.find("«\u202Fmessage\u202F»"), std::string::npos) << r.body;
  EXPECT_NE(r.body.find("<textarea>caf\xEF\xBF\xBD \xEF\xBF\xBD</textarea>"), std::string::npos) << r.body;
  EXPECT_NE(r.body.find("<textarea>Léa</textarea>"), std::string::npos) << "her other text too";
  EXPECT_EQ(r.body.find("<textarea>abc</textarea>"), std::string::npos) << "not codes";
  EXPECT_EQ(r.body.find(token), std::string::npos) << "not the token";
  EXPECT_TRUE(IsValidUtf8(r.body));
  ExpectSecurityHeaders(r);

  const Response query = Send(Method::kGet, "/form?commune=%FF");
  EXPECT_EQ(query.status, 400);
  EXPECT_NE(query.body.find("«\u202Fcommune\u202F»"), std::string::npos);
  const Response api = Send(Method::kGet, "/api/v1/boom?q=%C0%AF");
  EXPECT_EQ(api.status, 400) << "refused before the handler runs";
  EXPECT_EQ(api.Header("Content-Type"), "application/json");

  EXPECT_EQ(Send(Method::kGet, "/form\xFF").status, 404) << "no page has such a name";
  const Response fine =
      Send(Method::kPost, "/form", "_csrf=" + token + "&x=%C3%A9t%C3%A9", {{"sec-fetch-site", "same-origin"}});
  EXPECT_EQ(fine.body, "posted été");
}

TEST_F(PipelineTest, OversizedBodyIs413BeforeAnythingElse) {
  const Response r = Send(Method::kPost, "/form", std::string(1025, 'a'));
  EXPECT_EQ(r.status, 413);
  EXPECT_NE(r.body.find("trop volumineux"), std::string::npos);
  ExpectSecurityHeaders(r);
}

TEST_F(PipelineTest, TooManyPostsAre429WithRetryAfter) {
  Rebuild(PipelineOptions{1024, 2});
  const std::string token = TokenIn(Send(Method::kGet, "/form").body);
  EXPECT_EQ(Send(Method::kPost, "/form", "_csrf=" + token).status, 200);
  EXPECT_EQ(Send(Method::kPost, "/form", "_csrf=" + token).status, 200);
  const Response limited = Send(Method::kPost, "/form", "_csrf=" + token);
  EXPECT_EQ(limited.status, 429);
  ASSERT_TRUE(limited.Header("Retry-After").has_value());
  EXPECT_GE(std::stoi(std::string(*limited.Header("Retry-After"))), 1);
  ExpectSecurityHeaders(limited);
  // GET pages are never limited by this counter.
  EXPECT_EQ(Send(Method::kGet, "/form").status, 200);
}

TEST_F(PipelineTest, TheHelpFlowHasItsOwnBudgetSoThatWomenBehindOneAddressFinish) {
  // Issue 15, F7: ten women behind one carrier NAT, about 12 POSTs each, while the same address
  // has spent its ordinary budget.
  Rebuild(PipelineOptions{1024, 2, 120});
  const std::string token = TokenIn(Send(Method::kGet, "/form").body);
  const std::vector<std::pair<std::string, std::string>> same_origin{{"sec-fetch-site", "same-origin"}};
  EXPECT_EQ(Send(Method::kPost, "/form", "_csrf=" + token).status, 200);
  EXPECT_EQ(Send(Method::kPost, "/form", "_csrf=" + token).status, 200);
  EXPECT_EQ(Send(Method::kPost, "/form", "_csrf=" + token).status, 429);
  for (int post = 0; post < 120; ++post) {
    // With or without the language prefix: one budget.
    const std::string path = post % 2 == 0 ? "/aide/questions" : "/en/aide/questions";
    ASSERT_EQ(Send(Method::kPost, path, "_csrf=" + token, same_origin).status, 200) << post;
  }
  EXPECT_EQ(Send(Method::kPost, "/aide/questions", "_csrf=" + token, same_origin).status, 429) << "still bounded";
}

TEST_F(PipelineTest, HandlerExceptionIs500WithoutItsMessage) {
  const Response r = Send(Method::kGet, "/boom");
  EXPECT_EQ(r.status, 500);
  EXPECT_EQ(r.body.find("secret personal detail"), std::string::npos);
  EXPECT_NE(r.body.find("Erreur du serveur"), std::string::npos);
  ExpectSecurityHeaders(r);
}

TEST_F(PipelineTest, ExpectedErrorsGetTheErrorPageWithTheirMessage) {
  const Response r = Send(Method::kGet, "/gone");
  EXPECT_EQ(r.status, 404);
  EXPECT_NE(r.body.find("Cette fiche a été retirée."), std::string::npos);
}

TEST_F(PipelineTest, ApiErrorsAreJson) {
  const Response r = Send(Method::kGet, "/api/v1/boom");
  EXPECT_EQ(r.status, 500);
  EXPECT_EQ(r.Header("Content-Type"), "application/json");
  EXPECT_NE(r.body.find("\"status\":500"), std::string::npos);
}

TEST_F(PipelineTest, HeadHasNoBody) {
  const Response r = Send(Method::kHead, "/form");
  EXPECT_EQ(r.status, 200);
  EXPECT_TRUE(r.body.empty());
}

TEST_F(PipelineTest, LanguagePrefixSelectsTheLocaleWithoutCookie) {
  const Response english = Send(Method::kGet, "/en/form");
  EXPECT_EQ(english.status, 200);
  EXPECT_NE(english.body.find("<html lang=\"en\">"), std::string::npos) << english.body;
  EXPECT_NE(english.body.find("Leave this site"), std::string::npos);
  EXPECT_FALSE(english.Header("Set-Cookie").has_value());
  const Response arabic = Send(Method::kGet, "/ar/form");
  EXPECT_NE(arabic.body.find("<html lang=\"ar\">"), std::string::npos);
  EXPECT_EQ(Send(Method::kGet, "/de/form").status, 404);
  EXPECT_EQ(Send(Method::kGet, "/english/form").status, 404);
}

// The class under load is the route's, whatever the language prefix; static files are public.
TEST_F(PipelineTest, PriorityOfIgnoresTheLanguagePrefix) {
  router_.Post(
      "/urgent", [](Request&) { return Response::Text(200, "ok"); }, Priority::kHelp);
  const auto of = [&](Method method, std::string path) {
    Request r;
    r.method = method;
    if (const auto question = path.find('?'); question != std::string::npos) {
      r.query = path.substr(question + 1);
      path.resize(question);
    }
    r.path = std::move(path);
    return pipeline_->PriorityOf(r);
  };
  EXPECT_EQ(of(Method::kPost, "/urgent"), Priority::kHelp);
  EXPECT_EQ(of(Method::kPost, "/en/urgent"), Priority::kHelp);
  EXPECT_EQ(of(Method::kPost, "/ar/urgent"), Priority::kHelp);
  EXPECT_EQ(of(Method::kPost, "/de/urgent"), Priority::kPublic);
  EXPECT_EQ(of(Method::kPost, "/english/urgent"), Priority::kPublic);
  EXPECT_EQ(of(Method::kGet, "/urgent"), Priority::kPublic);
  EXPECT_EQ(of(Method::kGet, "/static/js/app.js"), Priority::kPublic);
}

// ADR 0017: only a GET or HEAD of a static file or of a route marked never blocking, in the
// help or public class, may run on the I/O thread; whatever the language prefix.
TEST_F(PipelineTest, OnlyNeverBlockingPagesOfTheFastClassesMayRunInline) {
  {
    const Router::NonBlockingScope in_memory(router_);
    router_.Get("/page", [](Request&) { return Response::Text(200, "page"); });
    router_.Post("/page", [](Request&) { return Response::Text(200, "posted"); });
    router_.Get(
        "/start", [](Request&) { return Response::Text(200, "start"); }, Priority::kHelp);
    router_.Get(
        "/search", [](Request&) { return Response::Text(200, "results"); }, Priority::kSearch);
  }
  router_.Get("/database", [](Request&) { return Response::Text(200, "read"); });
  const auto of = [&](Method method, std::string path) {
    Request r;
    r.method = method;
    r.path = std::move(path);
    return pipeline_->AdmissionOf(r);
  };
  EXPECT_TRUE(of(Method::kGet, "/page").may_run_inline);
  EXPECT_TRUE(of(Method::kHead, "/page").may_run_inline);
  EXPECT_TRUE(of(Method::kGet, "/en/page").may_run_inline);
  EXPECT_TRUE(of(Method::kGet, "/start").may_run_inline);
  EXPECT_EQ(of(Method::kGet, "/start").priority, Priority::kHelp);
  EXPECT_TRUE(of(Method::kGet, "/static/js/app.js").may_run_inline);
  EXPECT_FALSE(of(Method::kPost, "/page").may_run_inline);  // the scope marks GET routes only
  EXPECT_FALSE(of(Method::kPost, "/static/js/app.js").may_run_inline);
  EXPECT_FALSE(of(Method::kGet, "/search").may_run_inline);  // a slow class, even if marked
  EXPECT_EQ(of(Method::kGet, "/search").priority, Priority::kSearch);
  EXPECT_FALSE(of(Method::kGet, "/database").may_run_inline);
  EXPECT_FALSE(of(Method::kGet, "/form").may_run_inline);
  EXPECT_FALSE(of(Method::kGet, "/nowhere").may_run_inline);  // a 404 renders its page: queued
  EXPECT_FALSE(of(Method::kGet, "/page/").may_run_inline);
  router_.MarkNonBlocking(Method::kGet, "/database");
  EXPECT_TRUE(of(Method::kGet, "/database").may_run_inline);
  EXPECT_THROW(router_.MarkNonBlocking(Method::kGet, "/nowhere"), std::invalid_argument);
}

// A shed request gets 503 with Retry-After, the error page in its language and every header.
TEST_F(PipelineTest, OverloadedAnswers503WithRetryAfter) {
  Request r;
  r.method = Method::kGet;
  r.path = "/en/form";
  r.request_id = "shed";
  const Response response = pipeline_->Overloaded(r, "search");
  EXPECT_EQ(response.status, 503);
  EXPECT_EQ(response.Header("Retry-After"), "5");
  EXPECT_EQ(response.Header("Cache-Control"), "no-store");
  EXPECT_NE(response.body.find("<html lang=\"en\" dir=\"ltr\">"), std::string::npos) << response.body;
  // The emergency numbers and the quick exit, translated; no form, so no token.
  EXPECT_NE(response.body.find("href=\"tel:3919\""), std::string::npos);
  EXPECT_NE(response.body.find("href=\"/sortie\""), std::string::npos);
  EXPECT_NE(response.body.find("Leave this site"), std::string::npos) << response.body;
  EXPECT_EQ(response.body.find("_csrf"), std::string::npos);
  ExpectSecurityHeaders(response);
  Request arabic;
  arabic.method = Method::kPost;
  arabic.path = "/ar/aide";
  EXPECT_NE(pipeline_->Overloaded(arabic, "help").body.find("<html lang=\"ar\" dir=\"rtl\">"), std::string::npos);
  Request api;
  api.method = Method::kGet;
  api.path = "/api/v1/services";
  const Response json = pipeline_->Overloaded(api, "search");
  EXPECT_EQ(json.status, 503);
  EXPECT_NE(json.body.find("\"status\":503"), std::string::npos) << json.body;
}

// A handler whose slow work found its bounded pool full (ADR 0016: the follow-up code's
// derivations) gets the shed answer: 503, Retry-After, no-store, every header, her language.
TEST_F(PipelineTest, ABusyPoolIsAnsweredLikeAShedRequest) {
  router_.Get(
      "/derive", [](Request&) -> Response { throw core::BusyError("work pool: queue full"); }, Priority::kHelp);
  const Response response = Send(Method::kGet, "/en/derive");
  EXPECT_EQ(response.status, 503);
  EXPECT_EQ(response.Header("Retry-After"), "5");
  EXPECT_EQ(response.Header("Cache-Control"), "no-store");
  EXPECT_NE(response.body.find("<html lang=\"en\" dir=\"ltr\">"), std::string::npos) << response.body;
  EXPECT_NE(response.body.find("href=\"tel:3919\""), std::string::npos);
  EXPECT_EQ(response.body.find("queue full"), std::string::npos);
  EXPECT_EQ(response.Header("X-Request-Id"), "test");
  ExpectSecurityHeaders(response);
}

TEST(Renderer, LocalizedPathAddsThePrefix) {
  EXPECT_EQ(Renderer::LocalizedPath("fr", "/fiches"), "/fiches");
  EXPECT_EQ(Renderer::LocalizedPath("en", "/fiches"), "/en/fiches");
  EXPECT_EQ(Renderer::LocalizedPath("ar", "/"), "/ar");
}

TEST(ClientAddress, TrustsForwardedForOnlyFromLoopback) {
  Request r;
  r.remote_address = "127.0.0.1";
  r.headers = {{"x-forwarded-for", "203.0.113.9, 198.51.100.7"}};
  EXPECT_EQ(ClientAddress(r), "198.51.100.7");
  r.remote_address = "192.0.2.1";
  EXPECT_EQ(ClientAddress(r), "192.0.2.1");
}

// Partials: a template included as `{{> name}}` renders; an unknown one fails at start-up.
TEST_F(PipelineTest, PartialsRenderAndAnUnknownPartialFailsAtStart) {
  std::ofstream(dir_ / "templates" / "pages" / "outer.mustache") << "<p>{{#item}}{{> pages/inner}}{{/item}}</p>";
  std::ofstream(dir_ / "templates" / "pages" / "inner.mustache") << "<b>{{name}}</b>";
  const Renderer renderer(dir_ / "templates", static_files_, translator_, SiteSettings{});
  Request request;
  request.locale = "fr";
  EXPECT_EQ(renderer.Fragment(request, "pages/outer", {{"item", {{"name", "x"}}}}), "<p><b>x</b></p>");
  std::ofstream(dir_ / "templates" / "pages" / "broken.mustache") << "{{> pages/missing}}";
  try {
    const Renderer failing(dir_ / "templates", static_files_, translator_, SiteSettings{});
    FAIL() << "an unknown partial must be refused";
  } catch (const core::InfrastructureError& e) {
    EXPECT_NE(std::string(e.what()).find("pages/missing"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace passerelle::http
