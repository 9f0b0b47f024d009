// The access policy of /pro through the real router, pipeline, sessions and ownership resolvers,
// on SQLite and PostgreSQL: every role against every kind of route and object owner.
#include <gtest/gtest.h>

#include <fstream>
#include <regex>

#include "accounts/policy.h"
#include "accounts/register.h"
#include "accounts/repository.h"
#include "accounts/session.h"
#include "http/pipeline.h"
#include "storage/testing.h"

namespace passerelle::accounts {
namespace {

using std::chrono::system_clock;

class PolicyTest : public storage::testing::BackendTest {
 protected:
  void SetUp() override {
    BackendTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    now_ = system_clock::time_point(std::chrono::seconds(1'800'000'000));
    const Clock clock = [this] { return now_; };
    std::filesystem::create_directories(dir_ / "templates" / "pro");
    std::filesystem::create_directories(dir_ / "templates" / "errors");
    std::ofstream(dir_ / "templates" / "layout.mustache")
        << "{{{content}}}<form><input name=\"_csrf\" value=\"{{csrf_token}}\"></form>";
    std::ofstream(dir_ / "templates" / "errors" / "error.mustache") << "error {{status}}";
    std::ofstream(dir_ / "templates" / "pro" / "signed_out.mustache") << "session ended";
    renderer_ = std::make_unique<http::Renderer>(dir_ / "templates", static_files_, translator_, http::SiteSettings{});
    server_key_ = std::make_unique<core::ServerKey>(core::ServerKey::FromBytes(std::string(32, 'k')));
    csrf_ = std::make_unique<http::CsrfGuard>(server_key_->Derive("csrf"));
    sessions_ = std::make_unique<SessionStore>(*db_, *server_key_, clock);
    routes_ = std::make_unique<ProRoutes>(router_, *sessions_, *csrf_, *renderer_, CookieSettings{false}, clock);
    AddOwnerResolvers(*routes_, *db_);
    pipeline_ =
        std::make_unique<http::Pipeline>(router_, static_files_, *renderer_, *csrf_, http::PipelineOptions{}, clock);
    pipeline_->SetCsrfScope([this](const http::Request& request) { return routes_->CsrfScope(request); });

    const auto ok = [](http::Request&, const Principal& p) { return http::Response::Text(200, "ok " + p.account_id); };
    const Access managers =
        Access::Roles({Role::kCoordinator, Role::kOperator}, {{"account", std::string(kAccountObject)}});
    const Access org_members = Access::Roles({Role::kMember}, {{"organization", std::string(kOrganizationObject)}});
    routes_->Get("/pro/anon", Access::Anonymous(), ok);
    routes_->Get("/pro/any", Access::AnySignedIn(), ok);
    routes_->Get("/pro/org/{organization}", org_members, ok);
    routes_->Post("/pro/org/{organization}/act", org_members, ok);
    routes_->Get("/pro/acc/{account}", managers, ok);
    routes_->Get("/pro/nobody", Access::Roles({}), ok);
    routes_->Get("/pro/bad-rule/{organization}", Access::Roles({Role::kMember}, {{"organization", "no-such-kind"}}),
                 ok);
    routes_->Get("/pro/bad-param/{organization}",
                 Access::Roles({Role::kMember}, {{"org", std::string(kOrganizationObject)}}), ok);

    soci::session sql(db_->pool());
    for (const char* t : {"t1", "t2"}) storage::testing::InsertTerritory(sql, t);
    for (const auto& [org, territory] :
         {std::pair{"org-a", "t1"}, std::pair{"org-b", "t1"}, std::pair{"org-c", "t2"}}) {
      storage::testing::InsertOrganization(sql, org, territory);
    }
    AddAccount("member-a", "member", "", "org-a");
    AddAccount("member-b", "member", "", "org-b");
    AddAccount("member-c", "member", "", "org-c");
    AddAccount("coord-1", "coordinator", "t1", "");
    AddAccount("coord-2", "coordinator", "t2", "");
    AddAccount("operator", "operator", "", "");
  }

  void AddAccount(const std::string& id, const std::string& role, const std::string& territory,
                  const std::string& org) {
    db_->InTransaction([&](soci::session& sql) {
      AccountRepository repository(sql);
      AccountRow row;
      row.id = id;
      row.email = id + "@example.org";
      row.role = role;
      if (!territory.empty()) row.territory_slug = territory;
      row.status = AccountStatus::kActive;
      repository.InsertAccount(row);
      if (!org.empty()) {
        repository.InsertMembership(
            MembershipRow{id, org, std::nullopt, std::nullopt, 0, std::nullopt, std::nullopt, std::nullopt});
      }
      tokens_[id] = sessions_->Create(sql, id, *ParseRole(role), {});
    });
  }

  http::Response Send(http::Method method, const std::string& path, const std::string& who,
                      const std::string& csrf = "") {
    http::Request request;
    request.method = method;
    request.path = path;
    request.remote_address = "127.0.0.1";
    request.request_id = "test";
    if (!who.empty()) request.headers.emplace_back("cookie", "other=1; passerelle_pro=" + tokens_.at(who));
    if (method == http::Method::kPost) {
      request.headers.emplace_back("sec-fetch-site", "same-origin");
      request.headers.emplace_back("content-type", "application/x-www-form-urlencoded");
      request.body = "_csrf=" + csrf;
    }
    return pipeline_->Handle(request);
  }

  // The session-bound CSRF token of `who`.
  std::string SessionToken(const std::string& who) {
    http::Request request;
    request.path = "/pro/any";
    request.headers.emplace_back("cookie", "passerelle_pro=" + tokens_.at(who));
    const auto principal = routes_->Authenticate(request);
    return principal ? principal->csrf_token : "";
  }

  system_clock::time_point now_;
  http::StaticFiles static_files_;
  http::Translator translator_{http::DefaultLocaleDir()};
  std::unique_ptr<http::Renderer> renderer_;
  std::unique_ptr<core::ServerKey> server_key_;
  std::unique_ptr<http::CsrfGuard> csrf_;
  std::unique_ptr<SessionStore> sessions_;
  http::Router router_;
  std::unique_ptr<ProRoutes> routes_;
  std::unique_ptr<http::Pipeline> pipeline_;
  std::map<std::string, std::string> tokens_;
};

#define SKIP_IF_NEEDED() \
  if (IsSkipped() || HasFatalFailure()) return

TEST_P(PolicyTest, EveryRoleAgainstEveryRouteAndOwner) {
  SKIP_IF_NEEDED();
  const std::vector<std::string> who = {"", "member-a", "member-b", "coord-1", "coord-2", "operator"};
  struct Case {
    std::string path;
    std::vector<int> expected;  // in the order of `who`
  };
  const std::vector<Case> cases = {
      {"/pro/anon", {200, 200, 200, 200, 200, 200}},
      {"/pro/any", {303, 200, 200, 200, 200, 200}},
      {"/pro/org/org-a", {303, 200, 404, 404, 404, 404}},
      {"/pro/org/org-b", {303, 404, 200, 404, 404, 404}},
      {"/pro/org/org-c", {303, 404, 404, 404, 404, 404}},
      {"/pro/org/org-unknown", {303, 404, 404, 404, 404, 404}},
      {"/pro/acc/member-a", {303, 404, 404, 200, 404, 200}},
      {"/pro/acc/member-c", {303, 404, 404, 404, 200, 200}},
      {"/pro/acc/coord-1", {303, 404, 404, 200, 404, 200}},
      {"/pro/acc/coord-2", {303, 404, 404, 404, 200, 200}},
      {"/pro/acc/operator", {303, 404, 404, 404, 404, 200}},
      {"/pro/acc/acc-guessed", {303, 404, 404, 404, 404, 404}},
      {"/pro/nobody", {303, 404, 404, 404, 404, 404}},
      {"/pro/bad-rule/org-a", {303, 404, 404, 404, 404, 404}},
      {"/pro/bad-param/org-a", {303, 404, 404, 404, 404, 404}},
  };
  for (const Case& c : cases) {
    for (std::size_t i = 0; i < who.size(); ++i) {
      const http::Response response = Send(http::Method::kGet, c.path, who[i]);
      EXPECT_EQ(response.status, c.expected[i]) << c.path << " as " << (who[i].empty() ? "anonymous" : who[i]);
      if (response.status == 303) {
        EXPECT_EQ(response.Header("Location"), "/pro");
      }
      if (response.status == 200 && !who[i].empty() && c.path != "/pro/anon") {
        EXPECT_EQ(response.body, "ok " + who[i]);
      }
    }
  }
}

TEST_P(PolicyTest, ADeniedObjectLooksExactlyLikeAMissingPage) {
  SKIP_IF_NEEDED();
  const http::Response other_owner = Send(http::Method::kGet, "/pro/org/org-b", "member-a");
  const http::Response unknown_object = Send(http::Method::kGet, "/pro/org/org-zzz", "member-a");
  const http::Response no_route = Send(http::Method::kGet, "/pro/no-such-page", "member-a");
  EXPECT_EQ(other_owner.status, 404);
  EXPECT_EQ(other_owner.body, unknown_object.body);
  EXPECT_EQ(other_owner.body, no_route.body);
  EXPECT_FALSE(other_owner.Header("Set-Cookie"));
}

TEST_P(PolicyTest, PostsNeedTheSessionBoundToken) {
  SKIP_IF_NEEDED();
  const std::string public_token = csrf_->Issue("public", now_);
  const std::string alice_token = SessionToken("member-a");
  ASSERT_FALSE(alice_token.empty());
  EXPECT_EQ(Send(http::Method::kPost, "/pro/org/org-a/act", "member-a", public_token).status, 403);
  EXPECT_EQ(Send(http::Method::kPost, "/pro/org/org-a/act", "member-a", SessionToken("member-b")).status, 403);
  EXPECT_EQ(Send(http::Method::kPost, "/pro/org/org-a/act", "member-a", alice_token).status, 200);
  // Policy still applies to a well-formed POST.
  EXPECT_EQ(Send(http::Method::kPost, "/pro/org/org-b/act", "member-a", alice_token).status, 404);
  // Without a session: the public token passes CSRF, then sign-in is required (401, not a redirect).
  const http::Response anonymous = Send(http::Method::kPost, "/pro/org/org-a/act", "", public_token);
  EXPECT_EQ(anonymous.status, 401);
  // Outside /pro the scope stays public, cookie or not.
  http::Request aide;
  aide.path = "/aide";
  aide.headers.emplace_back("cookie", "passerelle_pro=" + tokens_.at("member-a"));
  EXPECT_EQ(routes_->CsrfScope(aide), "public");
  aide.path = "/pro/org/org-a/act";
  EXPECT_EQ(routes_->CsrfScope(aide), SessionStore::CsrfScopeOf(tokens_.at("member-a")));
}

TEST_P(PolicyTest, StaleCookiesAreClearedAndDisabledAccountsSignedOut) {
  SKIP_IF_NEEDED();
  tokens_["stale"] = "not-a-session";
  const http::Response anon = Send(http::Method::kGet, "/pro/anon", "stale");
  EXPECT_EQ(anon.status, 200);
  EXPECT_EQ(anon.Header("Set-Cookie"), "passerelle_pro=; Path=/pro; Max-Age=0; HttpOnly; SameSite=Strict");
  const http::Response signed_in = Send(http::Method::kGet, "/pro/any", "stale");
  EXPECT_EQ(signed_in.status, 303);
  EXPECT_TRUE(signed_in.Header("Set-Cookie"));

  EXPECT_EQ(Send(http::Method::kGet, "/pro/any", "member-a").status, 200);
  db_->InTransaction(
      [](soci::session& sql) { AccountRepository(sql).SetStatus("member-a", AccountStatus::kDisabled, 0); });
  EXPECT_EQ(Send(http::Method::kGet, "/pro/any", "member-a").status, 303);
  // Idle for more than 30 minutes.
  now_ += std::chrono::minutes(31);
  EXPECT_EQ(Send(http::Method::kGet, "/pro/any", "member-b").status, 303);
}

TEST_P(PolicyTest, CookieAttributesAndDeclaredRoutes) {
  SKIP_IF_NEEDED();
  EXPECT_EQ(routes_->SessionCookie("T"), "passerelle_pro=T; Path=/pro; HttpOnly; SameSite=Strict");
  SessionStore& sessions = *sessions_;
  http::Router other;
  const ProRoutes secure(other, sessions, *csrf_, *renderer_, CookieSettings{true}, [this] { return now_; });
  EXPECT_EQ(secure.SessionCookie("T"), "__Host-passerelle_pro=T; Path=/; HttpOnly; SameSite=Strict; Secure");
  EXPECT_EQ(secure.ClearedCookie(), "__Host-passerelle_pro=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict; Secure");

  ASSERT_EQ(routes_->Routes().size(), 8u);
  for (const DeclaredRoute& route : routes_->Routes()) EXPECT_EQ(route.pattern.rfind("/pro", 0), 0u);
  EXPECT_TRUE(routes_->Routes()[0].access.anonymous);
  EXPECT_EQ(routes_->Routes()[4].access.objects.size(), 1u);
  // Decide, without HTTP: nobody signed in.
  EXPECT_EQ(routes_->Decide(Access::AnySignedIn(), nullptr, {}), Decision::kSignIn);
  Principal coordinator;
  coordinator.role = Role::kCoordinator;  // without a territory: no account is in it
  EXPECT_EQ(routes_->Decide(routes_->Routes()[4].access, &coordinator, {{"account", "member-a"}}), Decision::kNotFound);
}

INSTANTIATE_TEST_SUITE_P(Backends, PolicyTest,
                         ::testing::Values(core::DatabaseBackend::kSqlite, core::DatabaseBackend::kPostgresql),
                         storage::testing::BackendName);

}  // namespace
}  // namespace passerelle::accounts
