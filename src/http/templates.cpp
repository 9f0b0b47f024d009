#include "http/templates.h"

#include <kainjow/mustache.hpp>

#include <fstream>
#include <memory>
#include <random>
#include <regex>
#include <sstream>
#include <unordered_map>

#include "core/error.h"
#include "core/html.h"

namespace passerelle::http {

namespace mustache = kainjow::mustache;

namespace {

std::atomic<std::uint64_t> next_renderer_id{1};

// Letters and digits only: neither HTML nor URL escaping changes it.
std::string RandomPlaceholder() {
  std::random_device device;
  std::string text = "csrfplaceholder";
  for (int i = 0; i < 24; ++i) text += "0123456789abcdef"[device() % 16];
  return text;
}

mustache::data ToData(const nlohmann::json& value) {
  switch (value.type()) {
    case nlohmann::json::value_t::object: {
      mustache::data object{mustache::data::type::object};
      for (const auto& [key, item] : value.items()) object.set(key, ToData(item));
      return object;
    }
    case nlohmann::json::value_t::array: {
      mustache::data list{mustache::data::type::list};
      for (const auto& item : value) list.push_back(ToData(item));
      return list;
    }
    case nlohmann::json::value_t::string:
      return mustache::data{value.get<std::string>()};
    case nlohmann::json::value_t::boolean:
      return value.get<bool>() ? mustache::data{mustache::data::type::bool_true}
                               : mustache::data{mustache::data::type::bool_false};
    case nlohmann::json::value_t::null:
      return mustache::data{mustache::data::type::bool_false};
    default:
      return mustache::data{value.dump()};
  }
}

// kainjow's templates mutate themselves while rendering: each thread keeps its own parsed copy.
using ParsedTemplates = std::unordered_map<std::string, std::unique_ptr<mustache::mustache>>;

}  // namespace

Renderer::Renderer(const std::filesystem::path& dir, const StaticFiles& static_files, const Translator& translator,
                   SiteSettings settings)
    : static_files_(static_files),
      translator_(translator),
      settings_(std::move(settings)),
      id_(next_renderer_id++),
      token_placeholder_(RandomPlaceholder()),
      page_cache_(std::make_unique<PageCache>()) {
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::recursive_directory_iterator it(dir, ec);
  if (ec) throw core::InfrastructureError("cannot read templates directory " + dir.string());
  for (const auto& entry : it) {
    if (!entry.is_regular_file() || entry.path().extension() != ".mustache") continue;
    std::ifstream in(entry.path());
    std::stringstream text;
    text << in.rdbuf();
    mustache::mustache parsed{text.str()};
    if (!parsed.is_valid()) {
      throw core::InfrastructureError("template " + entry.path().string() + ": " + parsed.error_message());
    }
    fs::path name = fs::relative(entry.path(), dir);
    name.replace_extension();
    sources_[name.generic_string()] = text.str();
  }
  if (!Has("layout")) throw core::InfrastructureError("template layout.mustache is missing in " + dir.string());
  // Only templates included somewhere as `{{> name}}` are offered as partials: setting every
  // template on every render cost more than the rendering itself.
  static const std::regex kPartial(R"(\{\{>\s*([A-Za-z0-9_./-]+)\s*\}\})");
  for (const auto& [name, source] : sources_) {
    for (auto m = std::sregex_iterator(source.begin(), source.end(), kPartial); m != std::sregex_iterator(); ++m) {
      const std::string partial = (*m)[1];
      if (!Has(partial)) {
        throw core::InfrastructureError("template " + name + " includes unknown partial " + partial);
      }
      partials_.insert(partial);
    }
  }
}

namespace {

struct Language {
  const char* code;
  const char* label;  // in its own language
  const char* prefix;
};
constexpr Language kLanguages[] = {{"fr", "Français", ""}, {"en", "English", "/en"}, {"ar", "العربية", "/ar"}};

}  // namespace

std::string Renderer::LocalizedPath(const std::string& locale, const std::string& path) {
  for (const Language& language : kLanguages) {
    if (locale == language.code) {
      if (*language.prefix == '\0') return path;
      return std::string(language.prefix) + (path == "/" ? "" : path);
    }
  }
  return path;
}

bool Renderer::IsFrenchOnly(const std::string& path) const {
  const std::string& prefix = settings_.french_only_prefix;
  if (prefix.empty() || path.rfind(prefix, 0) != 0) return false;
  return path.size() == prefix.size() || path[prefix.size()] == '/';
}

nlohmann::json Renderer::CommonData(const Request& request, std::string_view csrf_token) const {
  nlohmann::json languages = nlohmann::json::array();
  for (const Language& language : kLanguages) {
    languages.push_back({{"code", language.code},
                         {"label", language.label},
                         {"href", LocalizedPath(language.code, request.path)},
                         {"current", request.locale == language.code}});
  }
  nlohmann::json data = {
      {"lang", request.locale},
      {"content_lang", request.locale},
      {"languages", languages},
      {"show_languages", !IsFrenchOnly(request.path)},
      {"home_href", LocalizedPath(request.locale, "/")},
      // Prefix for links written in templates: "{{locale_prefix}}/fiches" → "/en/fiches".
      {"locale_prefix", request.locale == Translator::kSourceLanguage ? "" : "/" + request.locale},
      {"dir", translator_.IsRightToLeft(request.locale) ? "rtl" : "ltr"},
      {"csrf_token", csrf_token},
      {"exit_url", settings_.exit_url},
      {"demo", settings_.demo},
  };
  for (const auto& [key, url] : static_files_.TemplateKeys()) data[key] = url;
  return data;
}

std::string Renderer::RenderTemplate(const Request& request, const std::string& name,
                                     const nlohmann::json& data) const {
  thread_local std::unordered_map<std::uint64_t, ParsedTemplates> cache;
  ParsedTemplates& parsed = cache[id_];
  auto it = parsed.find(name);
  if (it == parsed.end()) {
    const auto source = sources_.find(name);
    if (source == sources_.end()) throw core::InfrastructureError("unknown template " + name);
    it = parsed.emplace(name, std::make_unique<mustache::mustache>(source->second)).first;
  }
  mustache::data view = ToData(data);
  const std::string language = request.locale;
  view.set("_", mustache::lambda{[this, language](const std::string& text) {
             return core::HtmlEscape(translator_.Translate(language, text));
           }});
  for (const std::string& partial_name : partials_) {
    const std::string* text = &sources_.at(partial_name);
    view.set(partial_name, mustache::partial{[text] { return *text; }});
  }
  std::string html = it->second->render(view);
  if (!it->second->is_valid()) {
    const std::string message = it->second->error_message();
    parsed.erase(it);
    throw core::InfrastructureError("template " + name + " failed to render: " + message);
  }
  return html;
}

std::string Renderer::Fragment(const Request& request, const std::string& name, const nlohmann::json& data) const {
  nlohmann::json view = CommonData(request, request.csrf_token);
  if (data.is_object()) view.update(data);
  return RenderTemplate(request, name, view);
}

// A template that starts with this comment writes all its text through `{{#_}}…{{/_}}`: the
// catalogs translate it, no per-language copy is needed.
constexpr std::string_view kCatalogMarker = "{{! i18n: catalog }}";

Response Renderer::Page(const Request& request, int status, const std::string& name, const std::string& title,
                        const nlohmann::json& data) const {
  return Response::Html(status, RenderPage(request, request.csrf_token, name, title, data));
}

Response Renderer::PublicPage(const Request& request, int status, const std::string& name, const std::string& title,
                              const nlohmann::json& data) const {
  return PublicPage(request, status, name, title, data, data.dump());
}

Response Renderer::PublicPage(const Request& request, int status, const std::string& name, const std::string& title,
                              const nlohmann::json& data, std::string_view dumped) const {
  // Everything the page is rendered from besides what is fixed at start (templates, catalogs,
  // settings, asset names) and the token.
  std::string key = name;
  key += '\x1f';
  key += std::to_string(status);
  key += '\x1f';
  key += title;
  key += '\x1f';
  key += request.locale;
  key += '\x1f';
  key += request.path;
  key += '\x1f';
  key += dumped;
  // Data that carries the token itself would make a key per token: render it as it is.
  if (!request.csrf_token.empty() && key.find(request.csrf_token) != std::string::npos) {
    return Page(request, status, name, title, data);
  }
  std::shared_ptr<const PageCache::Pieces> pieces = page_cache_->Find(key);
  if (!pieces) {
    const std::uint64_t generation = page_cache_->Generation();
    pieces = page_cache_->Store(key, RenderPage(request, token_placeholder_, name, title, data), token_placeholder_,
                                generation);
  }
  return Response::Html(status, PageCache::Join(*pieces, request.csrf_token));
}

std::string Renderer::RenderPage(const Request& request, std::string_view csrf_token, const std::string& name,
                                 const std::string& title, const nlohmann::json& data) const {
  nlohmann::json view = CommonData(request, csrf_token);
  if (data.is_object()) view.update(data);
  view["title"] = translator_.Translate(request.locale, title);
  // A page not translated yet is shown in French, marked as such for screen readers.
  std::string chosen = name;
  if (request.locale != Translator::kSourceLanguage) {
    if (Has(name + "." + request.locale)) {
      chosen = name + "." + request.locale;
    } else if (const auto source = sources_.find(name);
               source == sources_.end() || source->second.find(kCatalogMarker) == std::string::npos) {
      view["content_lang"] = Translator::kSourceLanguage;
      view["untranslated"] = true;
    }
  }
  view["content"] = RenderTemplate(request, chosen, view);
  return RenderTemplate(request, "layout", view);
}

}  // namespace passerelle::http
