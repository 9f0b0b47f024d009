#include "territory/demo.h"

namespace passerelle::territory {

namespace {

constexpr const char* kNeutralExitUrl = "https://meteofrance.com/";

std::vector<YouthService> NationalYouthServices() {
  return {
      {"Allô enfance en danger", "119",
       "Gratuit, 24 h/24, pour les enfants et adolescents en danger ou qui s'inquiètent pour un enfant."},
      {"Fil Santé Jeunes", "0800 235 236",
       "Gratuit et anonyme, pour les 12-25 ans : écoute, santé, relations amoureuses."},
  };
}

}  // namespace

std::vector<EmergencyContact> NationalEmergencyContacts() {
  return {
      {"Police / gendarmerie en cas de danger immédiat", "17", "voice"},
      {"Par SMS si vous ne pouvez pas parler", "114", "sms"},
      {"Hébergement d'urgence", "115", "voice"},
      {"Violences Femmes Info, gratuit et anonyme, 24 h/24", "3919", "voice"},
      {"Enfance en danger", "119", "voice"},
  };
}

std::vector<Territory> DemoTerritories() {
  Territory paris;
  paris.slug = "paris-10";
  paris.name = "Paris 10e arrondissement";
  paris.communes = {{"75110", "Paris 10e Arrondissement", "75010"}};
  paris.centre_lat = 48.87596;
  paris.centre_lon = 2.3624;
  paris.default_radius_km = 3;
  paris.youth_services = NationalYouthServices();
  paris.emergency_contacts = NationalEmergencyContacts();
  paris.neutral_exit_url = kNeutralExitUrl;
  paris.languages = {"fr", "en", "ar"};
  paris.is_demo = true;

  Territory montreuillois;
  montreuillois.slug = "montreuillois";
  montreuillois.name = "Montreuillois (agglomération des Deux Baies en Montreuillois)";
  // The main communes of the agglomeration; a coordinator completes the list after the census.
  montreuillois.communes = {
      {"62588", "Montreuil-sur-Mer", "62170"},
      {"62108", "Berck", "62600"},
      {"62318", "Étaples", "62630"},
      {"62826", "Le Touquet-Paris-Plage", "62520"},
      {"62201", "Camiers", "62176"},
      {"62261", "Cucq", "62780"},
      {"62571", "Merlimont", "62155"},
      {"62688", "Rang-du-Fliers", "62180"},
      {"62849", "Verton", "62180"},
      {"62390", "Groffliers", "62600"},
      {"62752", "Saint-Josse", "62170"},
      {"62289", "Écuires", "62170"},
      {"62799", "Sorrus", "62170"},
      {"62535", "La Madelaine-sous-Montreuil", "62170"},
      {"62610", "Neuville-sous-Montreuil", "62170"},
      {"62870", "Wailly-Beaucamp", "62170"},
      {"62233", "Conchil-le-Temple", "62180"},
      {"62866", "Waben", "62180"},
      {"62016", "Airon-Saint-Vaast", "62180"},
      {"62044", "Attin", "62170"},
      {"62499", "Lépine", "62170"},
      {"62094", "Beaumerie-Saint-Martin", "62170"},
      {"62196", "La Calotterie", "62170"},
      {"62207", "Campigneulles-les-Petites", "62170"},
  };
  montreuillois.centre_lat = 50.465;
  montreuillois.centre_lon = 1.70;
  montreuillois.default_radius_km = 25;  // rural: services are far apart
  montreuillois.youth_services = NationalYouthServices();
  montreuillois.youth_services.insert(montreuillois.youth_services.begin(),
                                      {"Maison des Adolescents du Littoral Est", "03 91 18 15 80",
                                       "Accueil gratuit et confidentiel des 11-25 ans et de leurs proches."});
  montreuillois.emergency_contacts = NationalEmergencyContacts();
  montreuillois.neutral_exit_url = kNeutralExitUrl;
  montreuillois.languages = {"fr", "en", "ar"};
  montreuillois.is_demo = true;

  return {paris, montreuillois};
}

}  // namespace passerelle::territory
