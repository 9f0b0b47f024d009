#include "http/page_cache.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "core/crypto.h"
#include "http/templates.h"

namespace passerelle::http {
namespace {

namespace fs = std::filesystem;

TEST(PageCacheTest, SplitsAtThePlaceholderAndJoinsWithTheToken) {
  const auto pieces = PageCache::Split("<a>PH</a><b>PH</b>", "PH");
  ASSERT_EQ(pieces->parts.size(), 3U);
  EXPECT_EQ(pieces->bytes, 14U);
  EXPECT_EQ(PageCache::Join(*pieces, "tok"), "<a>tok</a><b>tok</b>");
  EXPECT_EQ(PageCache::Join(*PageCache::Split("no token", "PH"), "tok"), "no token");
  EXPECT_EQ(PageCache::Join(*PageCache::Split("PH", "PH"), "t"), "t");
}

TEST(PageCacheTest, FindsWhatWasStoredAndCountsHitsAndMisses) {
  PageCache cache;
  EXPECT_EQ(cache.Find("k"), nullptr);
  cache.Store("k", "page PH", "PH", cache.Generation());
  const auto found = cache.Find("k");
  ASSERT_NE(found, nullptr);
  EXPECT_EQ(PageCache::Join(*found, "x"), "page x");
  const PageCache::Stats stats = cache.Statistics();
  EXPECT_EQ(stats.hits, 1U);
  EXPECT_EQ(stats.misses, 1U);
  EXPECT_EQ(stats.entries, 1U);
  EXPECT_EQ(stats.bytes, 1U + 5U);
}

TEST(PageCacheTest, InvalidateDropsEveryPageAndWhatWasRenderedBeforeIt) {
  PageCache cache;
  cache.Store("a", "A", "PH", cache.Generation());
  const std::uint64_t before = cache.Generation();
  cache.Invalidate();
  EXPECT_EQ(cache.Find("a"), nullptr);
  // Rendered from the old wording while Invalidate ran: returned, not kept.
  const auto pieces = cache.Store("b", "B", "PH", before);
  EXPECT_EQ(PageCache::Join(*pieces, ""), "B");
  EXPECT_EQ(cache.Find("b"), nullptr);
  cache.Store("b", "B", "PH", cache.Generation());
  EXPECT_NE(cache.Find("b"), nullptr);
}

TEST(PageCacheTest, StaysWithinItsBudget) {
  PageCache cache(100);
  cache.Store("one", std::string(60, 'x'), "PH", cache.Generation());
  cache.Store("two", std::string(60, 'y'), "PH", cache.Generation());  // over 100: the first goes
  EXPECT_EQ(cache.Find("one"), nullptr);
  EXPECT_NE(cache.Find("two"), nullptr);
  EXPECT_LE(cache.Statistics().bytes, 100U);
  cache.Store("big", std::string(200, 'z'), "PH", cache.Generation());  // larger than the budget
  EXPECT_EQ(cache.Find("big"), nullptr);
  EXPECT_NE(cache.Find("two"), nullptr);
}

class PublicPageTest : public ::testing::Test {
 protected:
  void SetUp() override {
    core::InitCrypto();
    dir_ = fs::temp_directory_path() / ("passerelle-page-cache-" + core::RandomHex(6));
    fs::create_directories(dir_ / "templates" / "pages");
    std::ofstream(dir_ / "templates" / "layout.mustache")
        << "<html lang=\"{{lang}}\"><title>{{title}}</title>{{{content}}}<footer>{{csrf_token}}</footer></html>";
    std::ofstream(dir_ / "templates" / "pages" / "sheet.mustache")
        << "<h1>{{heading}}</h1><form><input name=\"_csrf\" value=\"{{csrf_token}}\"></form>"
           "<a href=\"/x?t={{csrf_token}}\">x</a>";
    renderer_ = std::make_unique<Renderer>(dir_ / "templates", static_files_, translator_, SiteSettings{});
  }
  void TearDown() override { fs::remove_all(dir_); }

  Request Visit(std::string path, std::string token, std::string locale = "fr") {
    Request request;
    request.path = std::move(path);
    request.csrf_token = std::move(token);
    request.locale = std::move(locale);
    return request;
  }

  fs::path dir_;
  StaticFiles static_files_;
  Translator translator_{DefaultLocaleDir()};
  std::unique_ptr<Renderer> renderer_;
};

TEST_F(PublicPageTest, AnswersTheSameBytesAsPageWithEachRequestsOwnToken) {
  const nlohmann::json data = {{"heading", "Porter plainte"}};
  for (const char* token : {"first-token", "second-token", ""}) {
    const Request request = Visit("/fiches/porter-plainte", token);
    const Response cached = renderer_->PublicPage(request, 200, "pages/sheet", "Fiche", data);
    const Response rendered = renderer_->Page(request, 200, "pages/sheet", "Fiche", data);
    EXPECT_EQ(cached.body, rendered.body) << token;
    EXPECT_EQ(cached.status, 200);
    EXPECT_EQ(cached.Header("Content-Type"), rendered.Header("Content-Type"));
  }
  EXPECT_EQ(renderer_->PageCacheStatistics().entries, 1U);
  EXPECT_EQ(renderer_->PageCacheStatistics().hits, 2U);
}

TEST_F(PublicPageTest, AnotherInputIsAnotherPage) {
  // Tokens as long as real ones (32 characters): a short one would be found in the key itself.
  const std::string token = "AAAAAGlVgLbh0Q2pXc9kWm3vYt7sQ4nE";
  const Request fr = Visit("/fiches/a", token);
  const Request en = Visit("/fiches/a", token, "en");
  const Request other_path = Visit("/fiches/b", token);
  EXPECT_NE(renderer_->PublicPage(fr, 200, "pages/sheet", "Fiche", {{"heading", "Un"}}).body,
            renderer_->PublicPage(fr, 200, "pages/sheet", "Fiche", {{"heading", "Deux"}}).body);
  EXPECT_NE(renderer_->PublicPage(fr, 200, "pages/sheet", "Fiche", {{"heading", "Un"}}).body,
            renderer_->PublicPage(en, 200, "pages/sheet", "Fiche", {{"heading", "Un"}}).body);
  EXPECT_NE(renderer_->PublicPage(fr, 200, "pages/sheet", "Fiche", {{"heading", "Un"}}).body,
            renderer_->PublicPage(fr, 200, "pages/sheet", "Autre", {{"heading", "Un"}}).body);
  EXPECT_EQ(renderer_->PublicPage(other_path, 200, "pages/sheet", "Fiche", {{"heading", "Un"}}).body,
            renderer_->Page(other_path, 200, "pages/sheet", "Fiche", {{"heading", "Un"}}).body);
  EXPECT_EQ(renderer_->PageCacheStatistics().entries, 5U);
}

TEST_F(PublicPageTest, DataCarryingTheTokenIsNotCached) {
  const Request request = Visit("/fiches/a", "tok-123");
  const nlohmann::json data = {{"heading", "tok-123"}};
  EXPECT_EQ(renderer_->PublicPage(request, 200, "pages/sheet", "Fiche", data).body,
            renderer_->Page(request, 200, "pages/sheet", "Fiche", data).body);
  EXPECT_EQ(renderer_->PageCacheStatistics().entries, 0U);
}

TEST_F(PublicPageTest, InvalidateEmptiesTheCache) {
  const Request request = Visit("/", "AAAAAGlVgLbh0Q2pXc9kWm3vYt7sQ4nE");
  renderer_->PublicPage(request, 200, "pages/sheet", "Accueil", {{"heading", "x"}});
  EXPECT_EQ(renderer_->PageCacheStatistics().entries, 1U);
  renderer_->InvalidatePageCache();
  EXPECT_EQ(renderer_->PageCacheStatistics().entries, 0U);
  EXPECT_EQ(renderer_->PublicPage(request, 200, "pages/sheet", "Accueil", {{"heading", "x"}}).body,
            renderer_->Page(request, 200, "pages/sheet", "Accueil", {{"heading", "x"}}).body);
}

}  // namespace
}  // namespace passerelle::http
