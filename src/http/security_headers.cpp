#include "http/security_headers.h"

namespace passerelle::http {

void AddSecurityHeaders(Response& response) {
  // No inline script or style anywhere: 'self' only, and no 'unsafe-inline'.
  response.SetHeader("Content-Security-Policy",
                     "default-src 'self'; img-src 'self'; object-src 'none'; base-uri 'none'; "
                     "form-action 'self'; frame-ancestors 'none'");
  response.SetHeader("Referrer-Policy", "no-referrer");
  response.SetHeader("X-Content-Type-Options", "nosniff");
  response.SetHeader("X-Frame-Options", "DENY");
  response.SetHeader("Permissions-Policy",
                     "geolocation=(self), camera=(), microphone=(), payment=(), usb=(), "
                     "bluetooth=(), serial=(), hid=(), midi=(), magnetometer=(), gyroscope=(), "
                     "accelerometer=(), ambient-light-sensor=(), display-capture=(), "
                     "fullscreen=(), browsing-topics=()");
  response.SetHeader("Cross-Origin-Opener-Policy", "same-origin");
  response.SetHeader("Cross-Origin-Resource-Policy", "same-origin");
}

}  // namespace passerelle::http
