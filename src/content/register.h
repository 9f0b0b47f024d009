#pragma once

#include <string>

#include "content/library.h"
#include "http/router.h"
#include "http/templates.h"

namespace passerelle::content {

// The public pages of the shell (home, "Sécurité en ligne", legal drafts) and the practical
// sheets: `/fiches` (by topic), `/fiches/{slug}`, `/fiches/recherche` (search). `territory` is the
// instance's territory, whose sheets add to or replace national ones ("" for none).
void RegisterContent(http::Router& router, const http::Renderer& renderer, const SheetLibrary& sheets,
                     std::string territory);

// "23 novembre 2026" for "2026-11-23".
std::string FrenchDate(const std::string& iso_date);
// "2026-11-23" written out in `locale` (fr, en, ar); other input is returned unchanged.
std::string LocalDate(const std::string& locale, const std::string& iso_date);

}  // namespace passerelle::content
