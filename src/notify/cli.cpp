#include "notify/cli.h"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <iostream>

#include "core/config.h"
#include "core/crypto.h"
#include "notify/deliverer.h"
#include "notify/smtp.h"

namespace passerelle::notify {

namespace {

// "YYYY-MM-DD", "YYYY-MM-DDTHH:MM[:SS]" with "Z", "+HH:MM" or "-HH:MM" (none: UTC).
std::chrono::system_clock::time_point ParseOutboxNow(const std::string& text) {
  const auto fail = [&]() -> std::chrono::system_clock::time_point {
    throw core::ConfigException(core::ConfigError{"--now", "must be an ISO 8601 time such as 2025-06-15T15:06:40Z"});
  };
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0, consumed = 0;
  if (std::sscanf(text.c_str(), "%4d-%2d-%2d%n", &year, &month, &day, &consumed) != 3 || consumed != 10) return fail();
  std::size_t pos = 10;
  if (pos < text.size()) {
    if (text[pos] != 'T' && text[pos] != ' ') return fail();
    int n = 0;
    if (std::sscanf(text.c_str() + pos + 1, "%2d:%2d%n", &hour, &minute, &n) != 2 || n != 5) return fail();
    pos += 6;
    if (pos < text.size() && text[pos] == ':') {
      if (std::sscanf(text.c_str() + pos + 1, "%2d%n", &second, &n) != 1 || n != 2) return fail();
      pos += 3;
    }
  }
  int offset_minutes = 0;
  if (pos < text.size()) {
    if (text.compare(pos, std::string::npos, "Z") == 0) {
      pos += 1;
    } else if ((text[pos] == '+' || text[pos] == '-') && text.size() == pos + 6 && text[pos + 3] == ':') {
      const int oh = std::atoi(text.substr(pos + 1, 2).c_str());
      const int om = std::atoi(text.substr(pos + 4, 2).c_str());
      offset_minutes = (text[pos] == '-' ? -1 : 1) * (oh * 60 + om);
      pos += 6;
    } else {
      return fail();
    }
  }
  const std::chrono::year_month_day date{std::chrono::year(year), std::chrono::month(static_cast<unsigned>(month)),
                                         std::chrono::day(static_cast<unsigned>(day))};
  if (pos != text.size() || !date.ok() || hour > 23 || minute > 59 || second > 59) return fail();
  return std::chrono::sys_days(date) + std::chrono::hours(hour) + std::chrono::minutes(minute - offset_minutes) +
         std::chrono::seconds(second);
}

}  // namespace

int RunOutboxDeliver(const OutboxDeliverOptions& options,
                     const std::function<std::unique_ptr<storage::Database>()>& open_database) {
  if (options.smtp_url.empty()) {
    throw core::ConfigException(core::ConfigError{"--smtp-url (PASSERELLE_SMTP_URL)", "is required to deliver e-mail"});
  }
  const notify::SmtpSettings smtp = notify::ParseSmtpSettings(options.smtp_url, options.smtp_from);
  const std::string public_url = notify::ParsePublicUrl(options.public_url);
  const auto now = options.now.empty() ? std::chrono::system_clock::now() : ParseOutboxNow(options.now);
  core::InitCrypto();
  auto db = open_database();
  notify::Deliverer deliverer(*db, smtp, public_url);
  const notify::DeliveryCounts c = deliverer.DeliverDue(now);
  std::cout << "outbox: " << c.sent << " sent, " << c.retry_later << " to retry later, " << c.failed << " failed, "
            << c.unknown << " interrupted (not resent)\n";
  return 0;
}

}  // namespace passerelle::notify
