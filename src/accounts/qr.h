#pragma once

#include <string>
#include <string_view>

namespace passerelle::accounts {

// `text` as a QR code (libqrencode, error correction M) in an inline SVG: black modules on a
// white background with the 4-module quiet zone, presentation attributes only (no style, no
// script: it passes the site's CSP). `label` is its accessible name.
std::string QrSvg(std::string_view text, std::string_view label);

}  // namespace passerelle::accounts
