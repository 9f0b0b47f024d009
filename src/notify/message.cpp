#include "notify/message.h"

#include <sodium.h>

#include <array>
#include <ctime>

namespace passerelle::notify {

namespace {

// The one place of the French wording. Deliberately nothing variable but the site's link: no
// name, need, commune, organization or date (docs/notifications.md).
constexpr const char* kFooter =
    "Ce message ne contient volontairement aucune information sur la demande ni sur la personne.\n"
    "Merci de ne pas y répondre.\n";

struct KindText {
  Kind kind;
  const char* code;
  const char* subject;
  const char* lead;    // first paragraph
  const char* action;  // the sentence before the link
};

constexpr std::array<KindText, 10> kTexts{{
    {Kind::kNewReferral, "new_referral", "Nouvelle demande sur Passerelle",
     "Une nouvelle demande vous attend sur Passerelle.",
     "Pour la consulter, connectez-vous à votre espace professionnel :"},
    {Kind::kNewMessage, "new_message", "Nouveau message sur Passerelle",
     "Un nouveau message vous attend sur Passerelle.", "Pour le lire, connectez-vous à votre espace professionnel :"},
    {Kind::kHandover, "handover", "Demande transmise sur Passerelle",
     "Une demande a été transmise à votre structure sur Passerelle.",
     "Pour la consulter, connectez-vous à votre espace professionnel :"},
    {Kind::kReminder, "reminder", "Rappel : une demande vous attend sur Passerelle",
     "Une demande attend toujours d'être prise en compte sur Passerelle.",
     "Pour la consulter, connectez-vous à votre espace professionnel :"},
    {Kind::kEscalation, "escalation", "Demande en attente sur votre territoire",
     "Une demande adressée à une structure de votre territoire n'a pas été prise en compte dans le "
     "délai prévu.",
     "Pour en savoir plus, connectez-vous à votre espace de coordination :"},
    {Kind::kAddressChange, "address_change", "Adresse de notification modifiée sur Passerelle",
     "L'adresse à laquelle Passerelle envoie les notifications de votre structure a été modifiée : "
     "les prochaines notifications ne seront plus envoyées à cette adresse.\n\n"
     "Si vous n'êtes pas à l'origine de ce changement, signalez-le sans attendre à la coordination "
     "de votre territoire.",
     "Pour vérifier les informations de votre structure, connectez-vous à votre espace "
     "professionnel :"},
    // The freshness question (directory/freshness.h): the link is signed and expires.
    {Kind::kFreshness, "freshness", "Vos informations sur Passerelle sont-elles toujours exactes ?",
     "Passerelle présente les informations publiques de votre structure aux personnes qui cherchent "
     "de l'aide. Merci de nous dire si elles sont toujours exactes.",
     "Pour confirmer qu'elles sont exactes, ou pour les mettre à jour, ouvrez ce lien (valable 60 "
     "jours) :"},
    // The invitation of an organization's first member from the territory console
    // (docs/accounts.md): the link is hers alone, the only way to it.
    {Kind::kInvitation, "invitation", "Votre invitation à l'espace professionnel Passerelle",
     "Vous êtes invitée ou invité à rejoindre l'espace professionnel de Passerelle pour votre "
     "structure. Ce lien vous est personnel : ne le transférez pas.\n\n"
     "Si vous n'attendiez pas cette invitation, ignorez ce message.",
     "Pour choisir votre mot de passe, ouvrez ce lien (valable 72 heures, une seule fois) :"},
    // A call-back asked for during the organization's on-duty time: to be handled now.
    {Kind::kCallBack, "call_back", "Demande de rappel immédiat sur Passerelle",
     "Une personne demande à être rappelée maintenant, pendant votre permanence.",
     "Pour voir comment la joindre sans danger, connectez-vous à votre espace professionnel :"},
    // Her appointment cancelled by her (from her follow-up page, or by deleting her request): the
    // slot is free again. Nothing about when, what or whom.
    {Kind::kAppointmentCancelled, "appointment_cancelled", "Rendez-vous annulé sur Passerelle",
     "Un rendez-vous pris sur Passerelle avec votre structure a été annulé par la personne. Le créneau est de "
     "nouveau proposé.",
     "Pour voir vos rendez-vous, connectez-vous à votre espace professionnel :"},
}};

const KindText& TextOf(Kind kind) {
  for (const KindText& t : kTexts) {
    if (t.kind == kind) return t;
  }
  return kTexts[0];  // unreachable: every Kind has its row
}

std::string Base64(std::string_view bytes) {
  std::string out(sodium_base64_ENCODED_LEN(bytes.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
  sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(),
                    sodium_base64_VARIANT_ORIGINAL);
  out.resize(out.size() - 1);  // the terminating NUL
  return out;
}

// RFC 2047 encoded words of at most 45 bytes of text each (72 characters), folded.
std::string EncodedHeaderText(std::string_view text) {
  constexpr std::size_t kChunk = 45;
  std::string out;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = std::min(text.size(), start + kChunk);
    while (end < text.size() && end > start && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
    if (!out.empty()) out += "\r\n ";
    out += "=?UTF-8?B?" + Base64(text.substr(start, end - start)) + "?=";
    start = end;
  }
  return out;
}

std::string RfcDate(std::chrono::system_clock::time_point now) {
  static constexpr std::array<const char*, 7> kDays{"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static constexpr std::array<const char*, 12> kMonths{"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                       "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  const std::time_t t = std::chrono::system_clock::to_time_t(now);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%s, %02d %s %04d %02d:%02d:%02d +0000", kDays[tm.tm_wday], tm.tm_mday,
                kMonths[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
  return buffer;
}

}  // namespace

std::string KindCode(Kind kind) { return TextOf(kind).code; }

std::optional<Kind> KindFromCode(std::string_view code) {
  for (const KindText& t : kTexts) {
    if (code == t.code) return t.kind;
  }
  return std::nullopt;
}

Wording WordingFor(Kind kind, const std::string& public_url, const std::string& link_path) {
  const KindText& t = TextOf(kind);
  return Wording{t.subject, std::string("Bonjour,\n\n") + t.lead + "\n\n" + t.action + "\n" + public_url + link_path +
                                "\n\n" + kFooter};
}

std::string QuotedPrintable(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  constexpr std::size_t kMaxLine = 75;  // plus the soft break '='
  std::string out;
  std::size_t line_start = 0;
  while (line_start <= text.size()) {
    const std::size_t line_end = std::min(text.find('\n', line_start), text.size());
    const std::string_view line = text.substr(line_start, line_end - line_start);
    std::size_t column = 0;
    for (std::size_t i = 0; i < line.size(); ++i) {
      const auto c = static_cast<unsigned char>(line[i]);
      const bool last = i + 1 == line.size();
      std::string piece;
      if ((c >= 33 && c <= 126 && c != '=') || ((c == ' ' || c == '\t') && !last)) {
        piece = static_cast<char>(c);
      } else {
        piece = {'=', kHex[c >> 4], kHex[c & 0x0F]};
      }
      if (column + piece.size() > kMaxLine) {
        out += "=\r\n";
        column = 0;
      }
      out += piece;
      column += piece.size();
    }
    if (line_end == text.size()) break;
    out += "\r\n";
    line_start = line_end + 1;
  }
  return out;
}

std::string BuildMessage(const std::string& from, const std::string& to, Kind kind, const std::string& public_url,
                         std::chrono::system_clock::time_point now, const std::string& message_id_left,
                         const std::string& link_path) {
  const Wording wording = WordingFor(kind, public_url, link_path);
  const std::string domain = from.substr(from.find('@') + 1);
  std::string m;
  m += "From: Passerelle <" + from + ">\r\n";
  m += "To: <" + to + ">\r\n";
  m += "Subject: " + EncodedHeaderText(wording.subject) + "\r\n";
  m += "Date: " + RfcDate(now) + "\r\n";
  m += "Message-ID: <" + message_id_left + "@" + domain + ">\r\n";
  m += "Auto-Submitted: auto-generated\r\n";
  m += "MIME-Version: 1.0\r\n";
  m += "Content-Type: text/plain; charset=UTF-8\r\n";
  m += "Content-Transfer-Encoding: quoted-printable\r\n";
  m += "\r\n";
  m += QuotedPrintable(wording.body);
  if (m.size() < 2 || m.compare(m.size() - 2, 2, "\r\n") != 0) m += "\r\n";
  return m;
}

}  // namespace passerelle::notify
