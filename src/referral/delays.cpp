#include "referral/delays.h"

#include <charconv>

#include "audit/audit_log.h"
#include "core/unix_time.h"

namespace passerelle::referral {

namespace {

struct FieldSpec {
  const char* field;
  const char* what;  // completes "Indiquez le nombre de jours …" and "Le délai … doit …"
  DelayBounds bounds;
};

constexpr FieldSpec kReminder{"reminder_days", "avant le rappel à l’organisation", kReminderBounds};
constexpr FieldSpec kEscalation{"escalation_days", "avant l’alerte à la coordination", kEscalationBounds};
constexpr FieldSpec kExpiry{"expiry_days", "avant l’expiration d’une demande sans activité", kExpiryBounds};
constexpr FieldSpec kRetention{"retention_days", "avant l’effacement du contenu d’une demande terminée",
                               kRetentionBounds};

// Digits only (no sign, no spaces inside, no decimals); surrounding spaces are forgiven.
std::optional<int> ParseDays(const FieldSpec& spec, std::string text, std::vector<DelayError>& errors) {
  const auto first = text.find_first_not_of(" \t");
  const auto last = text.find_last_not_of(" \t");
  text = first == std::string::npos ? "" : text.substr(first, last - first + 1);
  const std::string range = "entre " + std::to_string(spec.bounds.min) + " et " + std::to_string(spec.bounds.max);
  if (text.empty()) {
    errors.push_back({spec.field, std::string("Indiquez le nombre de jours ") + spec.what + " (" + range + ")."});
    return std::nullopt;
  }
  int value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.find_first_not_of("0123456789") != std::string::npos || error != std::errc() ||
      end != text.data() + text.size()) {
    errors.push_back({spec.field, std::string("Le nombre de jours ") + spec.what +
                                      " doit être un nombre entier, sans virgule, par exemple " +
                                      std::to_string(spec.bounds.min + 1) + "."});
    return std::nullopt;
  }
  if (value < spec.bounds.min || value > spec.bounds.max) {
    errors.push_back({spec.field, std::string("Le nombre de jours ") + spec.what + " doit être " + range + "."});
    return std::nullopt;
  }
  return value;
}

}  // namespace

CheckedDelays CheckDelays(const DelaysForm& form) {
  CheckedDelays out;
  const auto reminder = ParseDays(kReminder, form.reminder_days, out.errors);
  const auto escalation = ParseDays(kEscalation, form.escalation_days, out.errors);
  const auto expiry = ParseDays(kExpiry, form.expiry_days, out.errors);
  const auto retention = ParseDays(kRetention, form.retention_days, out.errors);
  if (reminder && escalation && *escalation < *reminder) {
    out.errors.push_back({kEscalation.field,
                          "L’alerte à la coordination ne peut pas venir avant le rappel à "
                          "l’organisation : indiquez au moins " +
                              std::to_string(*reminder) + " jours."});
  } else if (escalation && expiry && *expiry <= *escalation) {
    out.errors.push_back({kExpiry.field,
                          "Une demande ne peut pas expirer avant l’alerte à la coordination : "
                          "indiquez plus de " +
                              std::to_string(*escalation) + " jours."});
  }
  if (out.errors.empty()) out.delays = Delays{*reminder, *escalation, *expiry, *retention};
  return out;
}

std::optional<Delays> TerritoryDelays::Stored(const std::string& territory_slug) {
  soci::session sql(db_.pool());
  return ReferralRepository(sql).StoredDelays(territory_slug);
}

void TerritoryDelays::Save(const std::string& actor, const std::string& territory_slug,
                           const std::optional<Delays>& delays, TimePoint now) {
  db_.InTransaction([&](soci::session& sql) {
    ReferralRepository repository(sql);
    const Delays before = repository.DelaysFor(territory_slug);
    if (delays) {
      repository.SaveDelays(territory_slug, *delays, core::UnixSeconds(now));
    } else {
      repository.DeleteDelays(territory_slug);
    }
    const std::string after = delays ? DescribeDelays(*delays) : "defaults " + DescribeDelays(Delays{});
    audit::Append(
        sql,
        audit::Entry{actor, "territory.delays", "territory:" + territory_slug, DescribeDelays(before) + " -> " + after},
        now);
  });
}

std::string DescribeDelays(const Delays& d) {
  return "reminder=" + std::to_string(d.reminder_days) + " escalation=" + std::to_string(d.escalation_days) +
         " expiry=" + std::to_string(d.expiry_days) + " retention=" + std::to_string(d.retention_days);
}

}  // namespace passerelle::referral
