#pragma once

#include "http/message.h"

namespace passerelle::http {

// The headers every response carries, error pages and static files included.
void AddSecurityHeaders(Response& response);

}  // namespace passerelle::http
