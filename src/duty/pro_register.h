#pragma once
// The on-duty pages of the professional space (issue 12 §1, docs/immediate-connection.md), all
// declared on `routes` (deny by default, src/pro_space/expected_access.cpp):
//   GET|POST /pro/organisations/{organization}/permanences  the weekly slots and exceptions of
//            its services (members of the organization); POST action = creneau | fermeture |
//            supplement | supprimer
//   POST     /pro/organisations/{organization}/disponible    "Je suis disponible maintenant"
//            (action=debut, service, duree in minutes) / "Je ne le suis plus" (action=fin)
//   GET      /pro/territoires/{territory}/permanences        the week's coverage of a territory
//            (its coordinators, operators; ?semaine=YYYY-MM-DD)
//   GET|POST /pro/organisations/{organization}/rendez-vous    appointment slots (members of the
//            organization; appointment_pages.cpp): POST action = publier | annuler | venue | absente
// Everything given must outlive the router.

#include "accounts/policy.h"
#include "accounts/session.h"
#include "http/templates.h"
#include "storage/database.h"

namespace passerelle::duty {

void RegisterDutyPages(accounts::ProRoutes& routes, const http::Renderer& renderer, storage::Database& db,
                       accounts::Clock clock);
// The appointment page alone (RegisterDutyPages registers it too).
void RegisterAppointmentPages(accounts::ProRoutes& routes, const http::Renderer& renderer, storage::Database& db,
                              accounts::Clock clock);

}  // namespace passerelle::duty
