#pragma once

#include <string>

#include "content/library.h"
#include "http/router.h"
#include "http/templates.h"

namespace passerelle::content {

// The public pages of the shell (home, "Sécurité en ligne", legal drafts) and the practical
// sheets: `/fiches` (by topic), `/fiches/{slug}`, `/fiches/recherche` (search). `territory` is the
// instance's territory, whose sheets add to or replace national ones ("" for none). `sheets` is
// read at each request: a library it is given later (ServedSheets::Replace) is served at once.
void RegisterContent(http::Router& router, const http::Renderer& renderer, const ServedSheets& sheets,
                     std::string territory);

// What templates/content/sheet.mustache (and its part content/_sheet_article) shows of `sheet`
// to a reader of `locale` on the instance of `territory`: the public page and the console's
// preview (docs/territory-console.md "Local sheets") render the same view.
nlohmann::json SheetPageView(const http::Renderer& renderer, const SheetLibrary& sheets, const std::string& locale,
                             const std::string& territory, const Sheet& sheet);

// "23 novembre 2026" for "2026-11-23".
std::string FrenchDate(const std::string& iso_date);
// "2026-11-23" written out in `locale` (fr, en, ar); other input is returned unchanged.
std::string LocalDate(const std::string& locale, const std::string& iso_date);

}  // namespace passerelle::content
