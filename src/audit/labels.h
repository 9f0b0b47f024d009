#pragma once

#include <string_view>

// The French wording of the audit log's actions, for the pages that show the log (the console's
// /pro/territoires/{territory}/journal and /pro/journal). The stored action stays the stable code
// each writer appends (`organization.published`); this is the one table of their labels.
namespace passerelle::audit {

struct ActionLabel {
  std::string_view action;  // as stored
  std::string_view label;   // French, for a coordinator
};

// Every action a writer of this tree appends, alphabetical by code.
inline constexpr ActionLabel kActionLabels[] = {
    {"account.disabled", "Compte désactivé"},
    {"account.enabled", "Compte réactivé"},
    {"account.invitation_resent", "Nouvelle invitation envoyée"},
    {"account.invited", "Membre invité"},
    {"directory.imported", "Fichier d’acteurs importé"},
    {"export", "Export de données"},
    {"key.granted", "Clé de l’organisation donnée à un membre"},
    {"key.received", "Clé de l’organisation reçue"},
    {"key.recovered", "Clé retrouvée avec le code de secours"},
    {"login.failure", "Connexion refusée"},
    {"login.success", "Connexion"},
    {"message.sent", "Message envoyé"},
    {"organization.change_approved", "Modification de l’organisation acceptée"},
    {"organization.change_rejected", "Modification de l’organisation refusée"},
    {"organization.change_requested", "Modification de l’organisation demandée"},
    {"organization.changed", "Organisation modifiée"},
    {"organization.created", "Organisation créée (brouillon)"},
    {"organization.demo_key_adopted", "Clé de démonstration adoptée"},
    {"organization.freshness_confirmed", "Informations confirmées par l’organisation"},
    {"organization.freshness_reminded", "Vérification relancée"},
    {"organization.freshness_requested", "Vérification demandée"},
    {"organization.freshness_stale", "Informations à revérifier"},
    {"organization.key_rotated", "Clé de l’organisation changée"},
    {"organization.keys_created", "Clés de l’organisation créées"},
    {"organization.published", "Organisation publiée"},
    {"organization.status_changed", "État de l’organisation changé"},
    {"password.changed", "Mot de passe changé"},
    {"password.reset", "Mot de passe réinitialisé"},
    {"password.set", "Mot de passe choisi"},
    {"referral.content_deleted", "Contenu d’une demande effacé"},
    {"referral.escalated", "Demande signalée à la coordination"},
    {"referral.handed_over", "Demande transmise"},
    {"referral.opened", "Demande ouverte"},
    {"referral.reminded", "Rappel d’une demande"},
    {"referral.status", "État d’une demande changé"},
    {"session.killed", "Session fermée"},
    {"territory.archived", "Territoire archivé"},
    {"territory.changed", "Territoire modifié"},
    {"territory.created", "Territoire créé"},
    {"territory.delays", "Délais du territoire changés"},
    {"territory.freshness", "Période de vérification changée"},
    {"territory.restored", "Territoire rétabli"},
    {"territory.settings", "Réglages locaux changés"},
    {"territory.sheet_changed", "Fiche locale enregistrée"},
    {"territory.sheet_reset", "Fiche nationale rétablie"},
    {"territory.wording_changed", "Textes locaux enregistrés"},
    {"territory.wording_reset", "Textes nationaux rétablis"},
    {"totp.enrolled", "Application de sécurité activée"},
    {"totp.reset", "Application de sécurité réinitialisée"},
};

// The label of `action`; empty for an action the table lacks (the page then shows the code).
constexpr std::string_view LabelOf(std::string_view action) {
  for (const ActionLabel& a : kActionLabels) {
    if (a.action == action) return a.label;
  }
  return {};
}

}  // namespace passerelle::audit
