#include "pro_space/expected_access.h"

#include <algorithm>

namespace passerelle::pro_space::testing {

const char* NameOf(Who who) {
  switch (who) {
    case Who::kAnonymous:
      return "anonymous";
    case Who::kMemberA:
      return "member of A";
    case Who::kMemberB:
      return "member of B";
    case Who::kCoordinator1:
      return "coordinator of territory 1";
    case Who::kCoordinator2:
      return "coordinator of territory 2";
    case Who::kOperator:
      return "operator";
  }
  return "";
}

const char* NameOf(Owner owner) {
  switch (owner) {
    case Owner::kA:
      return "A";
    case Owner::kB:
      return "B";
    case Owner::kGuessed:
      return "guessed";
  }
  return "";
}

bool IsMember(Who who) { return who == Who::kMemberA || who == Who::kMemberB; }
bool IsManager(Who who) { return who == Who::kCoordinator1 || who == Who::kCoordinator2 || who == Who::kOperator; }
// The organization of a member (A or B), the territory of a coordinator (1 → A's, 2 → B's).
Owner HomeOf(Who who) { return (who == Who::kMemberA || who == Who::kCoordinator1) ? Owner::kA : Owner::kB; }

// One line per route and method: issue 4 §1-3, §8-9; docs/accounts.md, docs/referral.md,
// docs/organization-profile.md. Coordinators and operators never reach a referral (§2).
const std::vector<Expectation>& ExpectedAccess() {
  static const std::vector<Expectation> table = {
      // Sign-in and one-time links (docs/accounts.md).
      {GET, "/pro", Rule::kAnyone},
      {POST, "/pro", Rule::kAnyone},
      {GET, "/pro/invitation/{token}", Rule::kAnyone},
      {POST, "/pro/invitation/{token}", Rule::kAnyone},
      {POST, "/pro/invitation/{token}/totp", Rule::kAnyone},
      // Every signed-in person: home, sign-out, own password, the organizations they may see.
      {GET, "/pro/accueil", Rule::kSignedIn},
      {POST, "/pro/deconnexion", Rule::kSignedIn},
      {GET, "/pro/mot-de-passe", Rule::kSignedIn},
      {POST, "/pro/mot-de-passe", Rule::kSignedIn},
      {GET, "/pro/organisations", Rule::kSignedIn},
      // Accounts of a territory: coordinators (their territory), operators (all).
      {GET, "/pro/comptes", Rule::kManagers},
      {GET, "/pro/comptes/{account}", Rule::kManagerOfOwner},
      {POST, "/pro/comptes/{account}/desactiver", Rule::kManagerOfOwner},
      {POST, "/pro/comptes/{account}/reinitialiser-totp", Rule::kManagerOfOwner},
      {POST, "/pro/comptes/{account}/reinitialiser-mot-de-passe", Rule::kManagerOfOwner},
      // An organization's members and keys: its members only (a key never reaches a manager).
      {GET, "/pro/organisations/{organization}", Rule::kMemberOfOwner},
      {POST, "/pro/organisations/{organization}/membres/{account}/acces", Rule::kMemberOfOwner},
      {GET, "/pro/organisations/{organization}/recuperation", Rule::kMemberOfOwner},
      {POST, "/pro/organisations/{organization}/recuperation", Rule::kMemberOfOwner},
      // A new organization key once a coordinator approved it (docs/adr/0010): members only.
      {GET, "/pro/organisations/{organization}/cle/changer", Rule::kMemberOfOwner},
      {POST, "/pro/organisations/{organization}/cle/changer", Rule::kMemberOfOwner},
      // The referral inbox: members of the referral's organization only.
      {GET, "/pro/demandes", Rule::kMembers},
      {GET, "/pro/demandes/{id}", Rule::kMemberOfOwner},
      {POST, "/pro/demandes/{id}/etat", Rule::kMemberOfOwner},
      {POST, "/pro/demandes/{id}/transmission", Rule::kMemberOfOwner},
      {POST, "/pro/demandes/{id}/messages", Rule::kMemberOfOwner},
      // Call-backs (issue 12 §2): the marks, and the open inbox's count of those waiting.
      {POST, "/pro/demandes/{id}/rappel", Rule::kMemberOfOwner},
      {GET, "/pro/rappels-en-attente", Rule::kMembers},
      // The on-duty desk of live conversations (docs/conversation.md): members; a conversation
      // for the members of its organization only (never a manager: it is her words).
      {GET, "/pro/conversations", Rule::kMembers},
      {GET, "/pro/conversations/{conversation}", Rule::kMemberOfOwner},
      {GET, "/pro/conversations/{conversation}/ecrire", Rule::kMemberOfOwner},
      {GET, "/pro/conversations/{conversation}/flux", Rule::kMemberOfOwner},
      {POST, "/pro/conversations/{conversation}/prendre", Rule::kMemberOfOwner},
      {POST, "/pro/conversations/{conversation}/messages", Rule::kMemberOfOwner},
      {POST, "/pro/conversations/{conversation}/mot-convenu", Rule::kMemberOfOwner},
      {POST, "/pro/conversations/{conversation}/confier", Rule::kMemberOfOwner},
      {POST, "/pro/conversations/{conversation}/terminer", Rule::kMemberOfOwner},
      {POST, "/pro/conversations/{conversation}/fermer", Rule::kMemberOfOwner},
      // The organization profile: its members, coordinators of its territory, operators; what
      // needs an approval is asked by members and decided by managers.
      {GET, "/pro/organisations/{organization}/profil", Rule::kEditorOfOwner},
      {POST, "/pro/organisations/{organization}/profil", Rule::kEditorOfOwner},
      {POST, "/pro/organisations/{organization}/accepte-demandes", Rule::kEditorOfOwner},
      {GET, "/pro/organisations/{organization}/services/{service}", Rule::kEditorOfOwner},
      {POST, "/pro/organisations/{organization}/services/{service}", Rule::kEditorOfOwner},
      {GET, "/pro/organisations/{organization}/adresse-notification", Rule::kMemberOfOwner},
      {POST, "/pro/organisations/{organization}/adresse-notification", Rule::kMemberOfOwner},
      {POST, "/pro/organisations/{organization}/cle", Rule::kMemberOfOwner},
      {GET, "/pro/approbations", Rule::kManagers},
      {POST, "/pro/approbations/{change}", Rule::kManagerOfOwner},
      // The territories' job delays (docs/jobs.md): coordinators of the territory, operators.
      {GET, "/pro/territoires", Rule::kManagers},
      {GET, "/pro/territoires/{territory}/delais", Rule::kManagerOfOwner},
      {POST, "/pro/territoires/{territory}/delais", Rule::kManagerOfOwner},
      // The territory console (issue 11, docs/territory-console.md): its hub.
      {GET, "/pro/territoires/{territory}", Rule::kManagerOfOwner},
      // The census of actors (issue 11 §2): coordinators of the territory, operators; an
      // organization's pages need it to be of that territory too.
      {GET, "/pro/territoires/{territory}/acteurs", Rule::kManagerOfOwner},
      {GET, "/pro/territoires/{territory}/acteurs/nouveau", Rule::kManagerOfOwner},
      {POST, "/pro/territoires/{territory}/acteurs/nouveau", Rule::kManagerOfOwner},
      {GET, "/pro/territoires/{territory}/acteurs/{organization}", Rule::kManagerOfOwner},
      {POST, "/pro/territoires/{territory}/acteurs/{organization}", Rule::kManagerOfOwner},
      {POST, "/pro/territoires/{territory}/acteurs/{organization}/etat", Rule::kManagerOfOwner},
      {GET, "/pro/territoires/{territory}/acteurs/{organization}/lieu", Rule::kManagerOfOwner},
      {POST, "/pro/territoires/{territory}/acteurs/{organization}/lieu", Rule::kManagerOfOwner},
      {GET, "/pro/territoires/{territory}/acteurs/{organization}/service", Rule::kManagerOfOwner},
      {POST, "/pro/territoires/{territory}/acteurs/{organization}/service", Rule::kManagerOfOwner},
      // Freshness (§3): the console page, and the signed link of the e-mail (anonymous: the
      // link is the credential; the GET only shows a button).
      {GET, "/pro/territoires/{territory}/fraicheur", Rule::kManagerOfOwner},
      {POST, "/pro/territoires/{territory}/fraicheur", Rule::kManagerOfOwner},
      {GET, "/pro/fraicheur/{token}", Rule::kAnyone},
      {POST, "/pro/fraicheur/{token}", Rule::kAnyone},
      // The audit log (§5): a territory's entries for its managers, everything for operators.
      {GET, "/pro/territoires/{territory}/journal", Rule::kManagerOfOwner},
      {GET, "/pro/journal", Rule::kOperators},
      // Territories (docs/territory-console.md "Territories"): operators create, edit and
      // archive; the managers of a territory edit its local settings.
      {GET, "/pro/territoires/nouveau", Rule::kOperators},
      {POST, "/pro/territoires/nouveau", Rule::kOperators},
      {GET, "/pro/territoires/{territory}/modifier", Rule::kOperatorOfExisting},
      {POST, "/pro/territoires/{territory}/modifier", Rule::kOperatorOfExisting},
      {POST, "/pro/territoires/{territory}/archiver", Rule::kOperatorOfExisting},
      {GET, "/pro/territoires/{territory}/parametres", Rule::kManagerOfOwner},
      {POST, "/pro/territoires/{territory}/parametres", Rule::kManagerOfOwner},
      // Invitations (docs/territory-console.md "Invitations"): the managers of the territory.
      {GET, "/pro/territoires/{territory}/membres", Rule::kManagerOfOwner},
      {GET, "/pro/territoires/{territory}/organisations/{organization}/inviter", Rule::kManagerOfOwner},
      {POST, "/pro/territoires/{territory}/organisations/{organization}/inviter", Rule::kManagerOfOwner},
      {POST, "/pro/territoires/{territory}/comptes/{account}/reactiver", Rule::kManagerOfOwner},
      {POST, "/pro/territoires/{territory}/comptes/{account}/renvoyer", Rule::kManagerOfOwner},
      {GET, "/pro/territoires/{territory}/coordination/inviter", Rule::kOperatorOfExisting},
      {POST, "/pro/territoires/{territory}/coordination/inviter", Rule::kOperatorOfExisting},
      // Local wording of the help flow (console/wording.cpp): the managers of the territory.
      {GET, "/pro/territoires/{territory}/textes", Rule::kManagerOfOwner},
      {POST, "/pro/territoires/{territory}/textes", Rule::kManagerOfOwner},
      // Local sheets (console/sheets.cpp): the managers of the territory.
      {GET, "/pro/territoires/{territory}/fiches", Rule::kManagerOfOwner},
      {POST, "/pro/territoires/{territory}/fiches", Rule::kManagerOfOwner},
      // Census by file (console/import.cpp).
      {GET, "/pro/territoires/{territory}/import", Rule::kManagerOfOwner},
      {POST, "/pro/territoires/{territory}/import", Rule::kManagerOfOwner},
      {POST, "/pro/territoires/{territory}/import/appliquer", Rule::kManagerOfOwner},
      {GET, "/pro/territoires/{territory}/export.csv", Rule::kManagerOfOwner},
      {GET, "/pro/territoires/{territory}/export.json", Rule::kManagerOfOwner},
      // Statistics and gap analysis (§4): a territory's for its managers, every territory's for operators.
      {GET, "/pro/territoires/{territory}/statistiques", Rule::kManagerOfOwner},
      {GET, "/pro/territoires/{territory}/statistiques.csv", Rule::kManagerOfOwner},
      {GET, "/pro/territoires/{territory}/statistiques/synthese", Rule::kManagerOfOwner},
      {GET, "/pro/statistiques", Rule::kOperators},
      {GET, "/pro/statistiques.csv", Rule::kOperators},
      {GET, "/pro/statistiques/synthese", Rule::kOperators},
      // On-duty time (issue 12 §1, docs/immediate-connection.md): an organization's slots and
      // "disponible maintenant" for its members; a territory's week of coverage for its managers.
      {GET, "/pro/organisations/{organization}/permanences", Rule::kMemberOfOwner},
      {POST, "/pro/organisations/{organization}/permanences", Rule::kMemberOfOwner},
      {POST, "/pro/organisations/{organization}/disponible", Rule::kMemberOfOwner},
      {GET, "/pro/territoires/{territory}/permanences", Rule::kManagerOfOwner},
      // Appointment slots (issue 12 §2): publish, cancel, the day, honoured; its members only.
      {GET, "/pro/organisations/{organization}/rendez-vous", Rule::kMemberOfOwner},
      {POST, "/pro/organisations/{organization}/rendez-vous", Rule::kMemberOfOwner},
  };
  return table;
}

bool ObjectRule(Rule rule) {
  return rule == Rule::kMemberOfOwner || rule == Rule::kManagerOfOwner || rule == Rule::kEditorOfOwner ||
         rule == Rule::kOperatorOfExisting;
}

bool Expected(Rule rule, Who who, const std::vector<Owner>& owners) {
  const bool exist = std::find(owners.begin(), owners.end(), Owner::kGuessed) == owners.end();
  const bool all_home = std::all_of(owners.begin(), owners.end(), [&](Owner o) { return o == HomeOf(who); });
  const bool member_of_owner = IsMember(who) && exist && all_home;
  const bool manager_of_owner =
      exist && (who == Who::kOperator || ((who == Who::kCoordinator1 || who == Who::kCoordinator2) && all_home));
  switch (rule) {
    case Rule::kAnyone:
      return true;
    case Rule::kSignedIn:
      return who != Who::kAnonymous;
    case Rule::kMembers:
      return IsMember(who);
    case Rule::kManagers:
      return IsManager(who);
    case Rule::kMemberOfOwner:
      return member_of_owner;
    case Rule::kManagerOfOwner:
      return manager_of_owner;
    case Rule::kEditorOfOwner:
      return member_of_owner || manager_of_owner;
    case Rule::kOperators:
      return who == Who::kOperator;
    case Rule::kOperatorOfExisting:
      return exist && who == Who::kOperator;
  }
  return false;
}

}  // namespace passerelle::pro_space::testing
