#pragma once

#include "console/console.h"

// The census of actors (issue 11 §2, docs/territory-console.md "Census"): the list of a
// territory's organizations with their state, and the forms that add and edit an organization,
// its places and its services, close, archive and publish it. Every form applies the import's
// validation (directory::CheckOrganization: one code path for the forms, the CSV and the HSDS
// imports); every write is audited in its transaction.
//   GET       /pro/territoires/{territory}/acteurs
//   GET|POST  /pro/territoires/{territory}/acteurs/nouveau                    a new draft
//   GET|POST  /pro/territoires/{territory}/acteurs/{organization}             its own fields
//   GET|POST  /pro/territoires/{territory}/acteurs/{organization}/lieu        ?id= a place
//   GET|POST  /pro/territoires/{territory}/acteurs/{organization}/service     ?id= a service
//   POST      /pro/territoires/{territory}/acteurs/{organization}/etat        publish, close,
//                                                                             reopen, archive
namespace passerelle::console {

void RegisterCensus(const ConsoleContext& context);

}  // namespace passerelle::console
