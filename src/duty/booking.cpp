#include "duty/booking.h"

#include <algorithm>

#include <cstdio>

#include "core/crypto.h"
#include "core/paris_time.h"
#include "core/unix_time.h"
#include "duty/service.h"
#include "notify/outbox.h"
#include "storage/database.h"

namespace passerelle::duty {

namespace {

constexpr std::size_t kMaxPlace = 300;

constexpr const char* kServiceOfOrganization = "SELECT name FROM service WHERE id = :s AND organization_id = :o";
constexpr const char* kInsert =
    "INSERT INTO appointment_slot (id, service_id, organization_id, starts_at, ends_at, mode, place, status, booking, "
    "created_at) VALUES (:id, :s, :o, :b, :e, :m, :p, 'open', NULL, :t)";
constexpr const char* kColumns =
    "SELECT id, service_id, organization_id, starts_at, ends_at, mode, place, status, booking, cancelled_booking, "
    "outcome FROM appointment_slot ";
constexpr const char* kHeldBy = "SELECT COUNT(*) FROM appointment_slot WHERE booking = :k";
constexpr const char* kStatusOf = "SELECT status, starts_at FROM appointment_slot WHERE id = :id";
// The guard of the whole design: only an open slot becomes booked, in one statement.
constexpr const char* kBook =
    "UPDATE appointment_slot SET status = 'booked', booking = :k WHERE id = :id AND status = 'open' AND starts_at > :t";
constexpr const char* kReopen =
    "UPDATE appointment_slot SET status = 'open', booking = NULL WHERE booking = :k AND status = 'booked'";
// The booking leaves `booking` (she may book again) for `cancelled_booking` (her /suivi says so).
constexpr const char* kCancel =
    "UPDATE appointment_slot SET status = 'cancelled', cancelled_booking = booking, booking = NULL WHERE id = :id AND "
    "organization_id = :o AND status <> 'cancelled'";
constexpr const char* kSetOutcome =
    "UPDATE appointment_slot SET outcome = :x WHERE id = :id AND organization_id = :o AND status = 'booked' AND "
    "starts_at <= :t";
constexpr const char* kTerritoryOf = "SELECT territory_slug FROM organization WHERE id = :o";

core::Error Invalid(const std::string& field, const std::string& message) {
  return core::Error{core::ErrorCode::kInvalidInput, message, "duty: invalid " + field};
}

Instant FromUnix(long long seconds) { return Instant{std::chrono::seconds(seconds)}; }

std::vector<AppointmentSlot> Select(soci::session& sql, const std::string& where, const std::vector<std::string>& text,
                                    const std::vector<long long>& numbers) {
  std::vector<AppointmentSlot> out;
  AppointmentSlot row;
  long long starts = 0, ends = 0;
  soci::statement st(sql);
  st.alloc();
  st.prepare(std::string(kColumns) + where);
  st.exchange(soci::into(row.id));
  st.exchange(soci::into(row.service_id));
  st.exchange(soci::into(row.organization_id));
  st.exchange(soci::into(starts));
  st.exchange(soci::into(ends));
  st.exchange(soci::into(row.mode));
  st.exchange(soci::into(row.place));
  st.exchange(soci::into(row.status));
  st.exchange(soci::into(row.booking));
  st.exchange(soci::into(row.cancelled_booking));
  st.exchange(soci::into(row.outcome));
  for (const std::string& value : text) st.exchange(soci::use(value));
  for (const long long& value : numbers) st.exchange(soci::use(value));
  st.define_and_bind();
  st.execute();
  while (st.fetch()) {
    row.starts = FromUnix(starts);
    row.ends = FromUnix(ends);
    out.push_back(row);
  }
  return out;
}

}  // namespace

core::Result<Instant> ParisInstant(const std::string& day, const std::string& clock) {
  int y = 0;
  unsigned m = 0, d = 0;
  char tail = 0;
  const bool parsed = day.size() == 10 && std::sscanf(day.c_str(), "%4d-%2u-%2u%c", &y, &m, &d, &tail) == 3;
  const std::chrono::year_month_day ymd{std::chrono::year{y}, std::chrono::month{m}, std::chrono::day{d}};
  if (!parsed || !ymd.ok()) return Invalid("day", "Le jour doit être une date de la forme 2026-01-13.");
  const auto minute = ParseClock(clock);
  if (!minute || *minute >= 24 * 60) return Invalid("starts", "L’heure doit être de la forme 14:00.");
  const auto span = LocalSpan(std::chrono::sys_days{ymd}, *minute, *minute + 1);
  if (span.empty()) return Invalid("starts", "Cette heure n’existe pas ce jour-là (changement d’heure).");
  return span.front().start;
}

core::Result<std::string> Appointments::Publish(const std::string& organization_id, const std::string& service_id,
                                                Instant starts, std::chrono::minutes length, const std::string& mode,
                                                const std::string& place, Instant now) {
  if (starts <= now) return Invalid("starts", "Le rendez-vous doit commencer dans le futur.");
  if (length < std::chrono::minutes(5) || length > std::chrono::minutes(240)) {
    return Invalid("length", "Un rendez-vous dure de 5 minutes à 4 heures.");
  }
  if (mode != "in_person" && mode != "phone" && mode != "video") {
    return Invalid("mode", "Choisissez : en personne, par téléphone ou en vidéo.");
  }
  if (place.size() > kMaxPlace) return Invalid("place", "Le lieu ou le lien fait au plus 300 caractères.");
  if (mode == "video" && place.rfind("https://", 0) != 0) {
    return Invalid("place", "Le lien de la vidéo commence par https://.");
  }
  if (mode == "in_person" && place.empty()) return Invalid("place", "Indiquez l’adresse du rendez-vous.");
  return db_.InTransaction([&](soci::session& sql) -> core::Result<std::string> {
    std::string name;
    sql << kServiceOfOrganization, soci::into(name), soci::use(service_id, "s"), soci::use(organization_id, "o");
    if (!sql.got_data()) {
      return core::Error{core::ErrorCode::kNotFound, "Ce service n’est pas celui de l’organisation.",
                         "duty: service of another organization"};
    }
    const std::string id = "rdv-" + core::RandomHex(10);
    const long long b = core::UnixSeconds(starts), e = core::UnixSeconds(starts + length), t = core::UnixSeconds(now);
    sql << kInsert, soci::use(id, "id"), soci::use(service_id, "s"), soci::use(organization_id, "o"), soci::use(b, "b"),
        soci::use(e, "e"), soci::use(mode, "m"), soci::use(place, "p"), soci::use(t, "t");
    return id;
  });
}

std::vector<AppointmentSlot> Appointments::OpenSlots(const std::vector<std::string>& service_ids, Instant from,
                                                     Instant to) const {
  soci::session sql(db_.pool());
  std::vector<AppointmentSlot> out;
  for (const std::string& id : service_ids) {
    for (AppointmentSlot& slot : Select(
             sql,
             "WHERE service_id = :s AND status = 'open' AND starts_at >= :f AND starts_at < :u ORDER BY starts_at, id",
             {id}, {core::UnixSeconds(from), core::UnixSeconds(to)})) {
      out.push_back(std::move(slot));
    }
  }
  std::sort(out.begin(), out.end(), [](const AppointmentSlot& a, const AppointmentSlot& b) {
    return a.starts != b.starts ? a.starts < b.starts : a.id < b.id;
  });
  return out;
}

core::Result<core::Ok> Appointments::Book(const std::string& slot_id, const std::string& booking, Instant now) {
  return db_.InTransaction([&](soci::session& sql) { return Book(sql, slot_id, booking, now); });
}

core::Result<core::Ok> Appointments::Book(soci::session& sql, const std::string& slot_id, const std::string& booking,
                                          Instant now) {
  long long held = 0;
  sql << kHeldBy, soci::into(held), soci::use(booking, "k");
  if (held > 0) {
    return core::Error{core::ErrorCode::kConflict, "Vous avez déjà un rendez-vous : annulez-le d’abord.",
                       "duty: booking holds a slot"};
  }
  const long long t = core::UnixSeconds(now);
  soci::statement st = (sql.prepare << kBook, soci::use(booking, "k"), soci::use(slot_id, "id"), soci::use(t, "t"));
  st.execute(true);
  if (st.get_affected_rows() == 1) return core::Ok{};
  std::string status;
  long long starts = 0;
  sql << kStatusOf, soci::into(status), soci::into(starts), soci::use(slot_id, "id");
  if (!sql.got_data()) {
    return core::Error{core::ErrorCode::kNotFound, "Ce créneau n’existe pas.", "duty: no such appointment slot"};
  }
  return core::Error{core::ErrorCode::kConflict,
                     "Ce créneau vient d’être pris ou n’est plus proposé : choisissez-en un autre.",
                     "duty: appointment slot not open"};
}

core::Result<core::Ok> Appointments::CancelByPerson(const std::string& booking, Instant now) {
  // Who is told, read before the transaction (OnDutyEmails takes a session of its own).
  const auto held = OfBooking(booking);
  const std::vector<std::string> on_duty =
      held ? OnDutyEmails(db_, held->organization_id, now) : std::vector<std::string>{};
  return db_.InTransaction([&](soci::session& sql) -> core::Result<core::Ok> {
    soci::statement st = (sql.prepare << kReopen, soci::use(booking, "k"));
    st.execute(true);
    if (st.get_affected_rows() != 1 || !held) {
      return core::Error{core::ErrorCode::kNotFound, "Vous n’avez pas de rendez-vous à annuler.",
                         "duty: no appointment for this booking"};
    }
    for (const std::string& to : on_duty) notify::Enqueue(sql, to, notify::Kind::kAppointmentCancelled, now);
    const auto address = notify::OrganizationAddress(sql, held->organization_id);
    if (address && std::find(on_duty.begin(), on_duty.end(), *address) == on_duty.end()) {
      notify::Enqueue(sql, *address, notify::Kind::kAppointmentCancelled, now);
    }
    return core::Ok{};
  });
}

core::Result<std::optional<std::string>> Appointments::CancelByOrganization(const std::string& organization_id,
                                                                            const std::string& slot_id) {
  return db_.InTransaction([&](soci::session& sql) -> core::Result<std::optional<std::string>> {
    const auto rows = Select(sql, "WHERE id = :id AND organization_id = :o", {slot_id, organization_id}, {});
    if (rows.empty()) {
      return core::Error{core::ErrorCode::kNotFound, "Ce créneau n’existe pas.", "duty: no such appointment slot"};
    }
    soci::statement st = (sql.prepare << kCancel, soci::use(slot_id, "id"), soci::use(organization_id, "o"));
    st.execute(true);
    if (st.get_affected_rows() != 1) {
      return core::Error{core::ErrorCode::kConflict, "Ce créneau est déjà annulé.", "duty: already cancelled"};
    }
    return rows.front().booking;
  });
}

std::optional<AppointmentSlot> Appointments::OfBooking(const std::string& booking) const {
  soci::session sql(db_.pool());
  auto rows = Select(sql, "WHERE booking = :k", {booking}, {});
  if (rows.empty()) return std::nullopt;
  return std::move(rows.front());
}

std::optional<AppointmentSlot> Appointments::LastOfBooking(const std::string& booking) const {
  if (auto held = OfBooking(booking)) return held;
  soci::session sql(db_.pool());
  auto rows = Select(sql, "WHERE cancelled_booking = :k ORDER BY starts_at DESC, id", {booking}, {});
  if (rows.empty()) return std::nullopt;
  return std::move(rows.front());
}

core::Result<bool> Appointments::MarkOutcome(const std::string& organization_id, const std::string& slot_id,
                                             const std::string& outcome, Instant now) {
  if (outcome != "honoured" && outcome != "missed") {
    return Invalid("outcome", "Choisissez : venue ou pas venue.");
  }
  return db_.InTransaction([&](soci::session& sql) -> core::Result<bool> {
    const auto rows = Select(sql, "WHERE id = :id AND organization_id = :o", {slot_id, organization_id}, {});
    if (rows.empty()) {
      return core::Error{core::ErrorCode::kNotFound, "Ce créneau n’existe pas.", "duty: no such appointment slot"};
    }
    const long long t = core::UnixSeconds(now);
    soci::statement st = (sql.prepare << kSetOutcome, soci::use(outcome, "x"), soci::use(slot_id, "id"),
                          soci::use(organization_id, "o"), soci::use(t, "t"));
    st.execute(true);
    if (st.get_affected_rows() != 1) {
      return core::Error{core::ErrorCode::kConflict, "Seul un rendez-vous réservé et déjà commencé peut être marqué.",
                         "duty: appointment not booked or not started"};
    }
    return outcome == "honoured" && rows.front().outcome.value_or("") != "honoured";
  });
}

std::string Appointments::TerritoryOf(const std::string& organization_id) const {
  soci::session sql(db_.pool());
  std::string slug;
  sql << kTerritoryOf, soci::into(slug), soci::use(organization_id, "o");
  return sql.got_data() ? slug : "";
}

std::vector<AppointmentSlot> Appointments::OfOrganization(const std::string& organization_id, Instant from,
                                                          Instant to) const {
  soci::session sql(db_.pool());
  return Select(sql, "WHERE organization_id = :o AND starts_at >= :f AND starts_at < :u ORDER BY starts_at, id",
                {organization_id}, {core::UnixSeconds(from), core::UnixSeconds(to)});
}

std::vector<AppointmentSlot> Appointments::Day(const std::string& organization_id, std::chrono::sys_days day) const {
  soci::session sql(db_.pool());
  return Select(sql, "WHERE organization_id = :o AND starts_at >= :f AND starts_at < :u ORDER BY starts_at, id",
                {organization_id},
                {core::UnixSeconds(core::ParisMidnight(day)),
                 core::UnixSeconds(core::ParisMidnight(day + std::chrono::days(1)))});
}

}  // namespace passerelle::duty
