#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "http/message.h"

namespace passerelle::http {

// Static files, loaded in memory at start-up and served under content-hashed names
// (`/static/css/site.3f2a9c1b0d.css`) with a one-year immutable cache: a new version gets a new
// URL, so no visitor ever runs stale JavaScript. Unhashed names are not served.
// `css` without comments, leading indentation and blank lines; strings are kept as they are.
std::string CompactCss(std::string_view css);

class StaticFiles {
 public:
  // Loads every regular file under `dir`; `url_prefix` such as "/static". Throws
  // InfrastructureError naming the directory when it cannot be read.
  void AddDirectory(const std::filesystem::path& dir, const std::string& url_prefix);

  // The public URL of a file by its logical path ("/static/css/site.css"), or nullopt.
  std::optional<std::string> UrlOf(const std::string& logical_path) const;

  // For templates: key `static_css_site_css` → hashed URL (see TemplateKey).
  const std::map<std::string, std::string>& TemplateKeys() const { return template_keys_; }
  static std::string TemplateKey(const std::string& logical_path);

  // The response for `path` if it names a hashed static file.
  std::optional<Response> Serve(const std::string& path) const;

 private:
  struct File {
    std::string content_type;
    std::string body;
  };
  std::map<std::string, File> by_url_;
  std::map<std::string, std::string> url_by_logical_;
  std::map<std::string, std::string> template_keys_;
};

}  // namespace passerelle::http
