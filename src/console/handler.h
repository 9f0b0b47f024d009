#pragma once
// One route handler from a method of a console section shared by its routes: the sections
// (sheets, wording, import) register their GET and POST as methods of one object.

#include <memory>
#include <utility>

#include "accounts/policy.h"

namespace passerelle::console {

template <typename Section, typename Method>
accounts::ProHandler HandlerOf(std::shared_ptr<Section> section, Method method) {
  return [section = std::move(section), method](http::Request& request, const accounts::Principal& principal) {
    return ((*section).*method)(request, principal);
  };
}

}  // namespace passerelle::console
