#pragma once

#include <nlohmann/json.hpp>

#include <atomic>
#include <filesystem>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <string_view>

#include "http/i18n.h"
#include "http/message.h"
#include "http/page_cache.h"
#include "http/static_files.h"

namespace passerelle::http {

struct SiteSettings {
  bool demo = false;  // the instance runs demonstration data
  std::string exit_url = "/sortie";
  // Pages under this path prefix exist in French only: no language links in their footer
  // (the professional space, "/pro"); "" = every page has them.
  std::string french_only_prefix;
};

// Mustache templates (escaping by default), read and checked once at start-up. A page template
// is rendered, then wrapped in `layout`. Handlers pass their data as JSON, so that no domain
// depends on the template engine.
class Renderer {
 public:
  // Reads every `*.mustache` under `dir`; a template's name is its relative path without the
  // extension ("pages/home"). Throws InfrastructureError naming the file of a syntax error.
  Renderer(const std::filesystem::path& dir, const StaticFiles& static_files, const Translator& translator,
           SiteSettings settings);

  bool Has(const std::string& name) const { return sources_.count(name) > 0; }

  // The page `name` inside the layout, for `request`'s language and CSRF token.
  Response Page(const Request& request, int status, const std::string& name, const std::string& title,
                const nlohmann::json& data) const;

  // Page(), answered from the cache of rendered pages when it was rendered before with the same
  // input (http/page_cache.h, docs/adr/0015-public-page-cache.md): the request's own CSRF token
  // is spliced into the stored bytes. ONLY for pages whose data is public (a sheet, the
  // directory, the start of the help): never her answers or her text, never a signed-in page,
  // never an error page — the key and the page stay in memory until evicted.
  Response PublicPage(const Request& request, int status, const std::string& name, const std::string& title,
                      const nlohmann::json& data) const;
  // The same, for a handler that keeps its data already serialised (`dumped` is `data.dump()`):
  // the directory's list reuses it for the whole minute (docs/adr/0015-public-page-cache.md).
  Response PublicPage(const Request& request, int status, const std::string& name, const std::string& title,
                      const nlohmann::json& data, std::string_view dumped) const;
  // Changes at each InvalidatePageCache(): what a handler keeps of translated text is stale.
  std::uint64_t PageCacheGeneration() const { return page_cache_->Generation(); }
  // Drops every cached page. Call it when something pages show changes outside the data handed
  // to PublicPage: wording edited while the server runs, catalogs reloaded. Changes of the data
  // itself (a sheet, a service, a setting read by the handler) need no call: they change the key.
  void InvalidatePageCache() const { page_cache_->Invalidate(); }
  PageCache::Stats PageCacheStatistics() const { return page_cache_->Statistics(); }

  // One template without the layout.
  std::string Fragment(const Request& request, const std::string& name, const nlohmann::json& data) const;

  const SiteSettings& settings() const { return settings_; }

  // `text` (French, the source language) in `locale`, or unchanged when not translated.
  std::string Translate(const std::string& locale, const std::string& text) const {
    return translator_.Translate(locale, text);
  }

  // `path` (without language prefix) in `locale`: "/fiches" → "/en/fiches".
  static std::string LocalizedPath(const std::string& locale, const std::string& path);

 private:
  nlohmann::json CommonData(const Request& request, std::string_view csrf_token) const;
  // Page()'s HTML with `csrf_token` where the request's token goes.
  std::string RenderPage(const Request& request, std::string_view csrf_token, const std::string& name,
                         const std::string& title, const nlohmann::json& data) const;
  // Whether `path` lies under SiteSettings::french_only_prefix.
  bool IsFrenchOnly(const std::string& path) const;
  std::string RenderTemplate(const Request& request, const std::string& name, const nlohmann::json& data) const;

  std::map<std::string, std::string> sources_;
  std::set<std::string> partials_;  // names used as `{{> name}}` by some template
  const StaticFiles& static_files_;
  const Translator& translator_;
  SiteSettings settings_;
  const std::uint64_t id_;  // keys the per-thread cache of parsed templates
  // Rendered in place of the token in cached pages: random, so that no page text contains it.
  const std::string token_placeholder_;
  std::unique_ptr<PageCache> page_cache_;
};

}  // namespace passerelle::http
