#include "http/static_files.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "core/crypto.h"
#include "core/error.h"

namespace passerelle::http {
namespace {

namespace fs = std::filesystem;

TEST(StaticFiles, ServesHashedNamesWithLongCacheOnly) {
  core::InitCrypto();
  const fs::path dir = fs::temp_directory_path() / ("passerelle-static-" + core::RandomHex(6));
  fs::create_directories(dir / "css");
  std::ofstream(dir / "css" / "site.css") << "body{color:#000}";
  StaticFiles files;
  files.AddDirectory(dir, "/static");
  const auto url = files.UrlOf("/static/css/site.css");
  ASSERT_TRUE(url.has_value());
  EXPECT_TRUE(url->starts_with("/static/css/site.")) << *url;
  EXPECT_TRUE(url->ends_with(".css")) << *url;
  EXPECT_EQ(files.TemplateKeys().at("static_css_site_css"), *url);

  const auto served = files.Serve(*url);
  ASSERT_TRUE(served.has_value());
  EXPECT_EQ(served->body, "body{color:#000}");
  EXPECT_EQ(served->Header("Content-Type"), "text/css; charset=utf-8");
  EXPECT_EQ(served->Header("Cache-Control"), "public, max-age=31536000, immutable");
  EXPECT_FALSE(files.Serve("/static/css/site.css").has_value());

  // A changed file gets a new URL.
  std::ofstream(dir / "css" / "site.css") << "body{color:#111}";
  StaticFiles changed;
  changed.AddDirectory(dir, "/static");
  EXPECT_NE(*changed.UrlOf("/static/css/site.css"), *url);
  fs::remove_all(dir);
}

TEST(CompactCss, DropsCommentsAndIndentationButKeepsStrings) {
  EXPECT_EQ(CompactCss("/* Header */\n.a {\n  color: red; /* why */\n\n  content: \"/* not a comment */\";\n}\n"),
            ".a {\ncolor: red; \ncontent: \"/* not a comment */\";\n}\n");
  EXPECT_EQ(CompactCss("[data-x='a\\'/*b']{}"), "[data-x='a\\'/*b']{}") << "an escaped quote stays inside the string";
  EXPECT_EQ(CompactCss("a{}/* never closed"), "a{}");
  EXPECT_EQ(CompactCss("a {\r\n\tb: c;\r\n}"), "a {\r\nb: c;\r\n}");
}

TEST(StaticFiles, ServesStylesheetsCompacted) {
  core::InitCrypto();
  const fs::path dir = fs::temp_directory_path() / ("passerelle-static-" + core::RandomHex(6));
  fs::create_directories(dir / "js");
  std::ofstream(dir / "site.css") << "/* doc */\nbody {\n  margin: 0;\n}\n";
  std::ofstream(dir / "js" / "a.js") << "// kept\n  x();\n";
  StaticFiles files;
  files.AddDirectory(dir, "/static");
  EXPECT_EQ(files.Serve(*files.UrlOf("/static/site.css"))->body, "body {\nmargin: 0;\n}\n");
  EXPECT_EQ(files.Serve(*files.UrlOf("/static/js/a.js"))->body, "// kept\n  x();\n") << "scripts are served as written";
  fs::remove_all(dir);
}

TEST(StaticFiles, MissingDirectoryIsReportedWithItsPath) {
  StaticFiles files;
  try {
    files.AddDirectory("/nonexistent/passerelle-static", "/static");
    FAIL() << "expected InfrastructureError";
  } catch (const core::InfrastructureError& e) {
    EXPECT_NE(std::string(e.what()).find("/nonexistent/passerelle-static"), std::string::npos);
  }
}

}  // namespace
}  // namespace passerelle::http
