#include "http/router.h"

#include <gtest/gtest.h>

namespace passerelle::http {
namespace {

Request Req(Method method, std::string path) {
  Request r;
  r.method = method;
  r.path = std::move(path);
  return r;
}

class RouterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    router_.Get("/", [](Request&) { return Response::Text(200, "home"); });
    router_.Get("/fiches/{slug}", [](Request& r) { return Response::Text(200, r.Param("slug")); });
    router_.Post("/aide", [](Request&) { return Response::Text(200, "post"); });
    router_.Get("/aide", [](Request&) { return Response::Text(200, "get"); });
  }
  Router router_;
};

TEST_F(RouterTest, MatchesLiteralAndParameterSegments) {
  Request home = Req(Method::kGet, "/");
  auto match = router_.Find(home);
  ASSERT_NE(match.handler, nullptr);
  EXPECT_EQ((*match.handler)(home).body, "home");

  Request sheet = Req(Method::kGet, "/fiches/porter-plainte");
  match = router_.Find(sheet);
  ASSERT_NE(match.handler, nullptr);
  EXPECT_EQ(*match.pattern, "/fiches/{slug}");
  EXPECT_EQ((*match.handler)(sheet).body, "porter-plainte");
}

TEST_F(RouterTest, KnowsTheBodyLimitsOfRoutes) {
  EXPECT_EQ(router_.LargestBodyLimit(), 0U);
  EXPECT_FALSE(router_.BodyLimitOf(Method::kPost, "/aide"));
  router_.SetBodyLimit(Method::kPost, "/aide", 4096);
  EXPECT_EQ(router_.BodyLimitOf(Method::kPost, "/aide"), 4096U);
  EXPECT_FALSE(router_.BodyLimitOf(Method::kGet, "/aide"));
  EXPECT_FALSE(router_.BodyLimitOf(Method::kPost, "/inconnu"));
  EXPECT_EQ(router_.LargestBodyLimit(), 4096U);
}

TEST_F(RouterTest, PicksTheHandlerOfTheMethod) {
  Request post = Req(Method::kPost, "/aide");
  EXPECT_EQ((*router_.Find(post).handler)(post).body, "post");
  Request head = Req(Method::kHead, "/aide");
  EXPECT_EQ((*router_.Find(head).handler)(head).body, "get");
}

TEST_F(RouterTest, UnknownPathHasNoAllowedMethods) {
  Request r = Req(Method::kGet, "/nexiste-pas");
  const auto match = router_.Find(r);
  EXPECT_EQ(match.handler, nullptr);
  EXPECT_TRUE(match.allowed.empty());
  Request deeper = Req(Method::kGet, "/fiches/a/b");
  EXPECT_EQ(router_.Find(deeper).handler, nullptr);
  Request trailing = Req(Method::kGet, "/aide/");
  EXPECT_EQ(router_.Find(trailing).handler, nullptr);
}

TEST_F(RouterTest, KnownPathWithOtherMethodListsAllowedMethods) {
  Request r = Req(Method::kDelete, "/aide");
  const auto match = router_.Find(r);
  EXPECT_EQ(match.handler, nullptr);
  EXPECT_EQ(match.allowed, (std::vector<Method>{Method::kPost, Method::kGet, Method::kHead}));
}

TEST(RouterTapTest, ObservesGetRoutesOfItsScopeAnswering200) {
  Router router;
  std::vector<std::string> seen;
  router.Get("/avant", [](Request&) { return Response::Text(200, "ok"); });
  {
    const Router::TapScope tap(router, [&seen](const std::string& pattern, const Response& response) {
      seen.push_back(pattern + response.visit_scope);
    });
    router.Get("/fiches/{slug}", [](Request& r) {
      Response response = Response::Text(r.Param("slug") == "x" ? 404 : 200, "");
      response.visit_scope = "@" + r.Param("slug");  // what the page is about, as a handler may say
      return response;
    });
    router.Post("/aide", [](Request&) { return Response::Text(200, "post"); });
  }
  router.Get("/apres", [](Request&) { return Response::Text(200, "ok"); });
  for (auto [method, path] : std::vector<std::pair<Method, std::string>>{{Method::kGet, "/avant"},
                                                                         {Method::kGet, "/fiches/a"},
                                                                         {Method::kGet, "/fiches/x"},
                                                                         {Method::kHead, "/fiches/a"},
                                                                         {Method::kPost, "/aide"},
                                                                         {Method::kGet, "/apres"}}) {
    Request request = Req(method, path);
    const auto match = router.Find(request);
    ASSERT_NE(match.handler, nullptr) << path;
    (*match.handler)(request);
  }
  EXPECT_EQ(seen, std::vector<std::string>{"/fiches/{slug}@a"});
}

TEST(RouterPriorityTest, EachRouteKeepsItsClass) {
  Router router;
  const Handler ok = [](Request&) { return Response::Text(200, "ok"); };
  router.Get("/fiches/{slug}", ok);  // no class: public
  {
    const Router::ClassScope help(router, Priority::kHelp);
    router.Get("/aide", ok);
    router.Post("/aide", ok);
    router.Post("/aide/envoi", ok, Priority::kInbox);  // an explicit class wins over the scope
    {
      const Router::ClassScope search(router, Priority::kSearch);
      router.Get("/annuaire", ok);
    }
    router.Get("/suivi", ok);  // the inner scope ended: help again
  }
  router.Post("/pro", ok);  // every scope ended: public
  EXPECT_EQ(router.PriorityOf(Method::kGet, "/aide"), Priority::kHelp);
  EXPECT_EQ(router.PriorityOf(Method::kHead, "/aide"), Priority::kHelp);
  EXPECT_EQ(router.PriorityOf(Method::kPost, "/aide/envoi"), Priority::kInbox);
  EXPECT_EQ(router.PriorityOf(Method::kGet, "/annuaire"), Priority::kSearch);
  EXPECT_EQ(router.PriorityOf(Method::kGet, "/suivi"), Priority::kHelp);
  EXPECT_EQ(router.PriorityOf(Method::kPost, "/pro"), Priority::kPublic);
  EXPECT_EQ(router.PriorityOf(Method::kGet, "/fiches/porter-plainte"), Priority::kPublic);
  // No route: public (a 404 or a 405 is cheap).
  EXPECT_EQ(router.PriorityOf(Method::kDelete, "/aide"), Priority::kPublic);
  EXPECT_EQ(router.PriorityOf(Method::kGet, "/aide/"), Priority::kPublic);
  EXPECT_EQ(router.PriorityOf(Method::kGet, "/nexiste-pas"), Priority::kPublic);
}

}  // namespace
}  // namespace passerelle::http
