#pragma once

#include <string>
#include <string_view>

namespace passerelle::content {

// GitHub-flavoured Markdown to HTML with cmark-gfm in its safe mode: raw HTML is dropped and
// `javascript:`/`data:` links are emptied. Tables, strikethrough and autolinks are enabled.
std::string RenderMarkdown(std::string_view markdown);

}  // namespace passerelle::content
