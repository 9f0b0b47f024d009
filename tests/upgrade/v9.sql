PRAGMA foreign_keys=OFF;
BEGIN TRANSACTION;
CREATE TABLE schema_migrations ( version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL);
INSERT INTO schema_migrations VALUES(1,'foundation',1796530985);
INSERT INTO schema_migrations VALUES(2,'gazetteer',1796530985);
INSERT INTO schema_migrations VALUES(3,'directory',1796530985);
INSERT INTO schema_migrations VALUES(4,'referral',1796530985);
INSERT INTO schema_migrations VALUES(5,'audit',1796530985);
INSERT INTO schema_migrations VALUES(6,'outbox',1796530985);
INSERT INTO schema_migrations VALUES(7,'accounts',1796530985);
INSERT INTO schema_migrations VALUES(8,'referral_workflow',1796530985);
INSERT INTO schema_migrations VALUES(9,'profile',1796530985);
CREATE TABLE territory (
  slug TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  centre_lat DOUBLE PRECISION NOT NULL,
  centre_lon DOUBLE PRECISION NOT NULL,
  default_radius_km DOUBLE PRECISION NOT NULL,
  neutral_exit_url TEXT NOT NULL,
  languages TEXT NOT NULL,
  youth_services TEXT NOT NULL,
  emergency_contacts TEXT NOT NULL,
  is_demo INTEGER NOT NULL DEFAULT 0,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
INSERT INTO territory VALUES('paris-10','Paris 10e arrondissement',48.875959999999999184,2.3624000000000000554,3.0,'https://meteofrance.com/','fr,en,ar','[{"description":"Gratuit, 24 h/24, pour les enfants et adolescents en danger ou qui s''inquiètent pour un enfant.","name":"Allô enfance en danger","phone":"119"},{"description":"Gratuit et anonyme, pour les 12-25 ans : écoute, santé, relations amoureuses.","name":"Fil Santé Jeunes","phone":"0800 235 236"}]','[{"kind":"voice","label":"Police / gendarmerie en cas de danger immédiat","number":"17"},{"kind":"sms","label":"Par SMS si vous ne pouvez pas parler","number":"114"},{"kind":"voice","label":"Hébergement d''urgence","number":"115"},{"kind":"voice","label":"Violences Femmes Info, gratuit et anonyme, 24 h/24","number":"3919"},{"kind":"voice","label":"Enfance en danger","number":"119"}]',1,1796530985,1796530985);
INSERT INTO territory VALUES('montreuillois','Montreuillois (agglomération des Deux Baies en Montreuillois)',50.465000000000003409,1.6999999999999999555,25.0,'https://meteofrance.com/','fr,en,ar','[{"description":"Accueil gratuit et confidentiel des 11-25 ans et de leurs proches.","name":"Maison des Adolescents du Littoral Est","phone":"03 91 18 15 80"},{"description":"Gratuit, 24 h/24, pour les enfants et adolescents en danger ou qui s''inquiètent pour un enfant.","name":"Allô enfance en danger","phone":"119"},{"description":"Gratuit et anonyme, pour les 12-25 ans : écoute, santé, relations amoureuses.","name":"Fil Santé Jeunes","phone":"0800 235 236"}]','[{"kind":"voice","label":"Police / gendarmerie en cas de danger immédiat","number":"17"},{"kind":"sms","label":"Par SMS si vous ne pouvez pas parler","number":"114"},{"kind":"voice","label":"Hébergement d''urgence","number":"115"},{"kind":"voice","label":"Violences Femmes Info, gratuit et anonyme, 24 h/24","number":"3919"},{"kind":"voice","label":"Enfance en danger","number":"119"}]',1,1796530985,1796530985);
CREATE TABLE territory_commune (
  territory_slug TEXT NOT NULL REFERENCES territory (slug) ON DELETE CASCADE,
  insee_code TEXT NOT NULL,
  name TEXT NOT NULL,
  postal_code TEXT NOT NULL,
  PRIMARY KEY (territory_slug, insee_code)
);
INSERT INTO territory_commune VALUES('paris-10','75110','Paris 10e Arrondissement','75010');
INSERT INTO territory_commune VALUES('montreuillois','62588','Montreuil-sur-Mer','62170');
INSERT INTO territory_commune VALUES('montreuillois','62108','Berck','62600');
INSERT INTO territory_commune VALUES('montreuillois','62318','Étaples','62630');
INSERT INTO territory_commune VALUES('montreuillois','62826','Le Touquet-Paris-Plage','62520');
INSERT INTO territory_commune VALUES('montreuillois','62201','Camiers','62176');
INSERT INTO territory_commune VALUES('montreuillois','62261','Cucq','62780');
INSERT INTO territory_commune VALUES('montreuillois','62571','Merlimont','62155');
INSERT INTO territory_commune VALUES('montreuillois','62688','Rang-du-Fliers','62180');
INSERT INTO territory_commune VALUES('montreuillois','62849','Verton','62180');
INSERT INTO territory_commune VALUES('montreuillois','62390','Groffliers','62600');
INSERT INTO territory_commune VALUES('montreuillois','62752','Saint-Josse','62170');
INSERT INTO territory_commune VALUES('montreuillois','62289','Écuires','62170');
INSERT INTO territory_commune VALUES('montreuillois','62799','Sorrus','62170');
INSERT INTO territory_commune VALUES('montreuillois','62535','La Madelaine-sous-Montreuil','62170');
INSERT INTO territory_commune VALUES('montreuillois','62610','Neuville-sous-Montreuil','62170');
INSERT INTO territory_commune VALUES('montreuillois','62870','Wailly-Beaucamp','62170');
INSERT INTO territory_commune VALUES('montreuillois','62233','Conchil-le-Temple','62180');
INSERT INTO territory_commune VALUES('montreuillois','62866','Waben','62180');
INSERT INTO territory_commune VALUES('montreuillois','62016','Airon-Saint-Vaast','62180');
INSERT INTO territory_commune VALUES('montreuillois','62044','Attin','62170');
INSERT INTO territory_commune VALUES('montreuillois','62499','Lépine','62170');
INSERT INTO territory_commune VALUES('montreuillois','62094','Beaumerie-Saint-Martin','62170');
INSERT INTO territory_commune VALUES('montreuillois','62196','La Calotterie','62170');
INSERT INTO territory_commune VALUES('montreuillois','62207','Campigneulles-les-Petites','62170');
CREATE TABLE stat_counter (
  day TEXT NOT NULL,
  territory_slug TEXT NOT NULL,
  kind TEXT NOT NULL,
  detail TEXT NOT NULL,
  count BIGINT NOT NULL,
  PRIMARY KEY (day, territory_slug, kind, detail)
);
INSERT INTO stat_counter VALUES('2026-12-06','','flow_started','',1);
INSERT INTO stat_counter VALUES('2026-12-06','','flow_completed','',1);
INSERT INTO stat_counter VALUES('2026-12-06','paris-10','referral_sent','',1);
CREATE TABLE commune (
  insee_code TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  postal_codes TEXT NOT NULL,
  population BIGINT NOT NULL,
  lat DOUBLE PRECISION NOT NULL,
  lon DOUBLE PRECISION NOT NULL,
  precision TEXT NOT NULL,
  departement TEXT NOT NULL,
  epci_code TEXT NOT NULL DEFAULT '',
  parent_insee_code TEXT NOT NULL DEFAULT '',
  former_names TEXT NOT NULL DEFAULT ''
);
CREATE TABLE organization (
  id TEXT PRIMARY KEY,
  territory_slug TEXT NOT NULL REFERENCES territory (slug),
  name TEXT NOT NULL,
  description TEXT NOT NULL,
  website TEXT NOT NULL,
  email TEXT NOT NULL,
  accepts_referrals INTEGER NOT NULL,
  assured_date TEXT,
  verified_by TEXT NOT NULL,
  status TEXT NOT NULL,
  closed_from TEXT,
  closed_until TEXT,
  alert TEXT NOT NULL,
  visibility TEXT NOT NULL,
  is_demo INTEGER NOT NULL DEFAULT 0,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
INSERT INTO organization VALUES('mtr-cidff','montreuillois','Centre d''information droits des femmes — Côte d''Opale Sud (démo)','Données de démonstration : structure fictive, coordonnées fictives. Information juridique gratuite sur les droits des femmes et des familles ; permanences itinérantes dans les mairies.','','',1,'2025-01-15','coordination territoriale (démo)','active',NULL,NULL,'','public',1,1796530985,1796530985);
INSERT INTO organization VALUES('mtr-pad','montreuillois','Point-justice du Montreuillois (démo)','Données de démonstration : structure fictive, coordonnées fictives. Accès au droit : juristes, conciliateur de justice, délégué du Défenseur des droits.','','',0,'2025-01-15','coordination territoriale (démo)','active',NULL,NULL,'','public',1,1796530985,1796530985);
INSERT INTO organization VALUES('mtr-avocats','montreuillois','Permanence avocats — barreau de Boulogne-sur-Mer à Berck (démo)','Données de démonstration : structure fictive, coordonnées fictives. Consultation gratuite avec un avocat ; aide juridictionnelle ; ordonnance de protection.','','',1,'2025-01-15','coordination territoriale (démo)','active',NULL,NULL,'','public',1,1796530985,1796530985);
INSERT INTO organization VALUES('mtr-me-leroy','montreuillois','Cabinet de Maître Paul Exemple (démo)','Données de démonstration : structure fictive, coordonnées fictives. Avocat en droit de la famille et droit pénal.','','',0,'2025-01-15','coordination territoriale (démo)','active',NULL,NULL,'','public',1,1796530985,1796530985);
INSERT INTO organization VALUES('mtr-me-caron','montreuillois','Cabinet de Maître Julie Démo (démo)','Données de démonstration : structure fictive, coordonnées fictives. Avocate en droit de la famille : séparation, résidence des enfants, pension alimentaire.','','',0,'2025-01-15','coordination territoriale (démo)','active',NULL,NULL,'','public',1,1796530985,1796530985);
INSERT INTO organization VALUES('mtr-france-victimes','montreuillois','Association d''aide aux victimes du Montreuillois (démo)','Données de démonstration : structure fictive, coordonnées fictives. Écoute, accompagnement juridique et psychologique des victimes, avec ou sans plainte.','','',1,'2025-01-15','coordination territoriale (démo)','active',NULL,NULL,'','public',1,1796530985,1796530985);
INSERT INTO organization VALUES('mtr-solidarite-femmes','montreuillois','Solidarité Femmes Côte d''Opale — antenne Étaples (démo)','Données de démonstration : structure fictive, coordonnées fictives. Accueil de jour, groupes de parole, accompagnement des femmes victimes de violences conjugales.','','',1,'2025-01-15','coordination territoriale (démo)','active',NULL,NULL,'','public',1,1796530985,1796530985);
INSERT INTO organization VALUES('mtr-psy-berck','montreuillois','Cabinet de psychologie de Berck (démo)','Données de démonstration : structure fictive, coordonnées fictives. Psychologue spécialisée en psychotraumatologie ; dispositif Mon soutien psy.','','',0,'2025-01-15','coordination territoriale (démo)','active',NULL,NULL,'','public',1,1796530985,1796530985);
INSERT INTO organization VALUES('mtr-cmp','montreuillois','Centre médico-psychologique de Montreuil-sur-Mer (démo)','Données de démonstration : structure fictive, coordonnées fictives. Consultations gratuites de psychiatres et psychologues pour adultes.','','',0,'2025-01-15','coordination territoriale (démo)','active',NULL,NULL,'','public',1,1796530985,1796530985);
INSERT INTO organization VALUES('mtr-hopital','montreuillois','Centre hospitalier de l''arrondissement de Montreuil — urgences (démo)','Données de démonstration : structure fictive, coordonnées fictives. Urgences 24 heures sur 24 ; consultation de victimologie et certificats médicaux.','','',0,'2025-01-15','coordination territoriale (démo)','active',NULL,NULL,'','public',1,1796530985,1796530985);
INSERT INTO organization VALUES('mtr-dr-cucq','montreuillois','Cabinet médical de Cucq (démo)','Données de démonstration : structure fictive, coordonnées fictives. Médecins généralistes ; certificats de constatation de violences.','','',0,'2025-01-15','coordination territoriale (démo)','active',NULL,NULL,'','public',1,1796530985,1796530985);
INSERT INTO organization VALUES('mtr-umj','montreuillois','Unité médico-judiciaire — consultation avancée (démo)','Données de démonstration : structure fictive, coordonnées fictives. Examens médico-légaux sur réquisition, au centre hospitalier.','','',0,'2025-01-15','coordination territoriale (démo)','active',NULL,NULL,'','public',1,1796530985,1796530985);
INSERT INTO organization VALUES('mtr-mds','montreuillois','Maison départementale des solidarités du Montreuillois (démo)','Données de démonstration : structure fictive, coordonnées fictives. Assistantes sociales, protection de l''enfance, PMI : accompagnement des familles et aides d''urgence.','','',1,'2025-01-15','coordination territoriale (démo)','active',NULL,NULL,'','public',1,1796530985,1796530985);
INSERT INTO organization VALUES('mtr-mds-berck','montreuillois','Maison départementale des solidarités — antenne de Berck (démo)','Données de démonstration : structure fictive, coordonnées fictives. Service social départemental, protection maternelle et infantile.','','',0,'2025-01-15','coordination territoriale (démo)','active',NULL,NULL,'','public',1,1796530985,1796530985);
INSERT INTO organization VALUES('mtr-police','montreuillois','Commissariat de police de Berck (démo)','Données de démonstration : structure fictive, coordonnées fictives. Dépôt de plainte ; en cas d''urgence, appelez le 17.','','',0,'2025-01-15','coordination territoriale (démo)','active',NULL,NULL,'','public',1,1796530985,1796530985);
INSERT INTO organization VALUES('mtr-gendarmerie-montreuil','montreuillois','Brigade de gendarmerie de Montreuil-sur-Mer (démo)','Données de démonstration : structure fictive, coordonnées fictives. Accueil des victimes et dépôt de plainte ; maison de protection des familles du Pas-de-Calais. Urgence : 17.','','',0,'2025-01-15','coordination territoriale (démo)','active',NULL,NULL,'','public',1,1796530985,1796530985);
INSERT INTO organization VALUES('mtr-gendarmerie-etaples','montreuillois','Brigade de gendarmerie d''Étaples (démo)','Données de démonstration : structure fictive, coordonnées fictives. Accueil des victimes et dépôt de plainte. Urgence : 17.','','',0,'2025-01-15','coordination territoriale (démo)','active',NULL,NULL,'','public',1,1796530985,1796530985);
INSERT INTO organization VALUES('mtr-mpf','montreuillois','Maison de protection des familles du Pas-de-Calais (démo)','Données de démonstration : structure fictive, coordonnées fictives. Gendarmes spécialisés : accompagnement des victimes de violences intrafamiliales, prévention.','','',1,'2025-01-15','coordination territoriale (démo)','active',NULL,NULL,'','professionals',1,1796530985,1796530985);
INSERT INTO organization VALUES('mtr-hebergement','montreuillois','Accueil d''urgence Opale Sud (démo)','Données de démonstration : structure fictive, coordonnées fictives. Mise à l''abri confidentielle de femmes victimes de violences et de leurs enfants, 24 heures sur 24. Adresse confidentielle : contact par téléphone ou par le 115.','','',1,'2025-01-15','coordination territoriale (démo)','active',NULL,NULL,'','public',1,1796530985,1796530985);
INSERT INTO organization VALUES('mtr-logement','montreuillois','Résidence d''insertion Les Deux Baies (démo)','Données de démonstration : structure fictive, coordonnées fictives. Logements temporaires avec accompagnement social pour les femmes et leurs enfants. Adresse confidentielle.','','',1,'2025-01-15','coordination territoriale (démo)','active',NULL,NULL,'','public',1,1796530985,1796530985);
INSERT INTO organization VALUES('mtr-ase','montreuillois','Aide sociale à l''enfance — territoire du Montreuillois (démo)','Données de démonstration : structure fictive, coordonnées fictives. Protection de l''enfance : évaluation des informations préoccupantes, accueil provisoire.','','',0,'2025-01-15','coordination territoriale (démo)','active',NULL,NULL,'','public',1,1796530985,1796530985);
INSERT INTO organization VALUES('mtr-pij','montreuillois','Point information jeunesse de Berck (démo)','Données de démonstration : structure fictive, coordonnées fictives. Information et écoute des 12-25 ans : relations amoureuses, violences, santé, logement.','','',0,'2025-01-15','coordination territoriale (démo)','active',NULL,NULL,'','public',1,1796530985,1796530985);
INSERT INTO organization VALUES('mtr-mission-locale','montreuillois','Mission locale du Montreuillois (démo)','Données de démonstration : structure fictive, coordonnées fictives. Accompagnement des 16-25 ans : logement, emploi, santé, aides financières.','','',0,'2025-01-15','coordination territoriale (démo)','active',NULL,NULL,'','public',1,1796530985,1796530985);
INSERT INTO organization VALUES('mtr-interpretes','montreuillois','Service d''interprétariat Opale (démo)','Données de démonstration : structure fictive, coordonnées fictives. Interprètes par téléphone pour les entretiens avec les victimes ; langue des signes sur rendez-vous.','','',0,'2025-01-15','coordination territoriale (démo)','active',NULL,NULL,'','public',1,1796530985,1796530985);
INSERT INTO organization VALUES('mtr-caf','montreuillois','Caisse d''allocations familiales — permanence de Montreuil-sur-Mer (démo)','Données de démonstration : structure fictive, coordonnées fictives. Aide universelle d''urgence, allocation de soutien familial, changement de situation.','','',0,'2025-01-15','coordination territoriale (démo)','active',NULL,NULL,'','public',1,1796530985,1796530985);
INSERT INTO organization VALUES('mtr-ccas-touquet','montreuillois','Centre communal d''action sociale du Touquet (démo)','Données de démonstration : structure fictive, coordonnées fictives. Aides financières d''urgence, domiciliation, accompagnement social.','','',0,'2025-01-15','coordination territoriale (démo)','temporarily_closed','2025-01-01',NULL,'Accueil fermé jusqu''à nouvel ordre : appelez le centre communal ou adressez-vous à la Maison des solidarités.','public',1,1796530985,1796530985);
INSERT INTO organization VALUES('mtr-3919','montreuillois','Violences Femmes Info — 3919','Données de démonstration : fiche d''exemple d''un numéro national réel. Numéro national d''écoute pour les femmes victimes de violences, leur entourage et les professionnels. Gratuit, anonyme, 24 heures sur 24, 7 jours sur 7.','','',0,'2025-01-15','coordination territoriale (démo)','active',NULL,NULL,'','public',1,1796530985,1796530985);
INSERT INTO organization VALUES('mtr-119','montreuillois','Allô enfance en danger — 119','Données de démonstration : fiche d''exemple d''un numéro national réel. Numéro national pour les enfants en danger ou en risque de l''être, et pour les adultes qui s''en inquiètent. Gratuit, 24 heures sur 24.','','',0,'2025-01-15','coordination territoriale (démo)','active',NULL,NULL,'','public',1,1796530985,1796530985);
INSERT INTO organization VALUES('p10-cidff','paris-10','Centre d''information droits des femmes — antenne Paris 10e (démo)','Données de démonstration : structure fictive, coordonnées fictives. Information juridique gratuite et confidentielle sur les droits des femmes et des familles : séparation, violences, ordonnance de protection.','','accueil@cidff-demo.example.org',1,'2025-01-15','coordination territoriale (démo)','active',NULL,NULL,'','public',1,1796530985,1796530985);
INSERT INTO organization VALUES('p10-pad','paris-10','Point-justice de la mairie du 10e (démo)','Données de démonstration : structure fictive, coordonnées fictives. Permanences gratuites d''accès au droit : juristes, conciliateur, aide pour les démarches en justice.','','',0,'2025-01-15','coordination territoriale (démo)','active',NULL,NULL,'','public',1,1796530985,1796530985);
INSERT INTO organization VALUES('p10-avocats','paris-10','Permanence avocats — violences intrafamiliales (démo)','Données de démonstration : structure fictive, coordonnées fictives. Consultation gratuite avec un avocat du barreau formé aux violences conjugales ; aide juridictionnelle acceptée.','','',1,'2025-01-15','coordination territoriale (démo)','active',NULL,NULL,'','public',1,1796530985,1796530985);
INSERT INTO organization VALUES('p10-me-martin','paris-10','Cabinet de Maître Claire Exemple (démo)','Données de démonstration : structure fictive, coordonnées fictives. Avocate en droit de la famille : divorce, garde des enfants, ordonnance de protection.','','',0,'2025-01-15','coordination territoriale (démo)','active',NULL,NULL,'','public',1,1796530985,1796530985);
INSERT INTO organization VALUES('p10-me-diallo','paris-10','Cabinet de Maître Awa Démo (démo)','Données de démonstration : structure fictive, coordonnées fictives. Avocate en droit pénal et droit des étrangers : plainte, constitution de partie civile, titre de séjour des victimes.','','',1,'2025-01-15','coordination territoriale (démo)','active',NULL,NULL,'','public',1,1796530985,1796530985);
INSERT INTO organization VALUES('p10-avip','paris-10','Association d''aide aux victimes Paris Nord (démo)','Données de démonstration : structure fictive, coordonnées fictives. Écoute, information sur les droits, accompagnement dans les démarches et vers la plainte.','','',1,'2025-01-15','coordination territoriale (démo)','active',NULL,NULL,'','public',1,1796530985,1796530985);
INSERT INTO organization VALUES('p10-accueil-jour','paris-10','Accueil de jour Femmes du canal (démo)','Données de démonstration : structure fictive, coordonnées fictives. Lieu d''accueil de jour pour les femmes victimes de violences : écoute, café, douche, orientation.','','',1,'2025-01-15','coordination territoriale (démo)','active',NULL,NULL,'','public',1,1796530985,1796530985);
INSERT INTO organization VALUES('p10-psy-lancry','paris-10','Cabinet de psychologie rue de Lancry (démo)','Données de démonstration : structure fictive, coordonnées fictives. Psychologue clinicienne, prise en charge du psychotraumatisme ; séances remboursées dans le cadre de Mon soutien psy.','','',0,'2025-01-15','coordination territoriale (démo)','active',NULL,NULL,'','public',1,1796530985,1796530985);
INSERT INTO organization VALUES('p10-cmp','paris-10','Centre médico-psychologique adultes Paris 10 (démo)','Données de démonstration : structure fictive, coordonnées fictives. Consultations de psychiatres et psychologues, gratuites, pour les habitants du secteur.','','',0,'2025-01-15','coordination territoriale (démo)','active',NULL,NULL,'','public',1,1796530985,1796530985);
INSERT INTO organization VALUES('p10-sante-gare','paris-10','Centre de santé de la gare de l''Est (démo)','Données de démonstration : structure fictive, coordonnées fictives. Médecine générale, certificats médicaux de constatation de violences, orientation vers l''unité médico-judiciaire.','','',0,'2025-01-15','coordination territoriale (démo)','active',NULL,NULL,'','public',1,1796530985,1796530985);
INSERT INTO organization VALUES('p10-dr-alibert','paris-10','Docteure Marie Exemple, médecin généraliste (démo)','Données de démonstration : structure fictive, coordonnées fictives. Médecin généraliste formée au repérage des violences.','','',0,'2025-01-15','coordination territoriale (démo)','active',NULL,NULL,'','public',1,1796530985,1796530985);
INSERT INTO organization VALUES('p10-umj','paris-10','Unité médico-judiciaire — consultation Paris Nord (démo)','Données de démonstration : structure fictive, coordonnées fictives. Examens médico-légaux sur réquisition de la police ou de la justice : constat des blessures, ITT.','','',0,'2025-01-15','coordination territoriale (démo)','active',NULL,NULL,'','public',1,1796530985,1796530985);
INSERT INTO organization VALUES('p10-social','paris-10','Service social de proximité du 10e (démo)','Données de démonstration : structure fictive, coordonnées fictives. Assistantes sociales : accès aux droits, aides financières, hébergement, accompagnement après une séparation.','','',1,'2025-01-15','coordination territoriale (démo)','active',NULL,NULL,'','public',1,1796530985,1796530985);
INSERT INTO organization VALUES('p10-commissariat','paris-10','Commissariat central du 10e arrondissement (démo)','Données de démonstration : structure fictive, coordonnées fictives. Dépôt de plainte 24 heures sur 24 ; intervenante sociale et psychologue au commissariat en semaine. En cas d''urgence, appelez le 17.','','',0,'2025-01-15','coordination territoriale (démo)','active',NULL,NULL,'','public',1,1796530985,1796530985);
INSERT INTO organization VALUES('p10-bpf','paris-10','Brigade de protection de la famille — Paris (démo)','Données de démonstration : structure fictive, coordonnées fictives. Enquêteurs spécialisés dans les violences intrafamiliales et les violences faites aux mineurs.','','',0,'2025-01-15','coordination territoriale (démo)','active',NULL,NULL,'','professionals',1,1796530985,1796530985);
INSERT INTO organization VALUES('p10-gendarmerie','paris-10','Brigade numérique de la gendarmerie (démo)','Données de démonstration : structure fictive, coordonnées fictives. Échange par messagerie en ligne avec un gendarme, 24 heures sur 24, pour signaler des violences ou être conseillée.','https://www.example.org/brigade-numerique-demo','',0,'2025-01-15','coordination territoriale (démo)','active',NULL,NULL,'','public',1,1796530985,1796530985);
INSERT INTO organization VALUES('p10-hebergement','paris-10','Hébergement d''urgence femmes et enfants (démo)','Données de démonstration : structure fictive, coordonnées fictives. Mise à l''abri immédiate et confidentielle de femmes victimes de violences, avec leurs enfants. Adresse confidentielle : contact par téléphone ou par le 115.','','',1,'2025-01-15','coordination territoriale (démo)','active',NULL,NULL,'','public',1,1796530985,1796530985);
INSERT INTO organization VALUES('p10-chrs','paris-10','Résidence sociale La Passerelle du canal (démo)','Données de démonstration : structure fictive, coordonnées fictives. Hébergement de stabilisation et accompagnement vers le logement pour femmes seules ou avec enfants. Adresse confidentielle.','','',1,'2025-01-15','coordination territoriale (démo)','active',NULL,NULL,'','public',1,1796530985,1796530985);
INSERT INTO organization VALUES('p10-crip','paris-10','Cellule de recueil des informations préoccupantes — Paris (démo)','Données de démonstration : structure fictive, coordonnées fictives. Signalement d''un enfant en danger ou en risque de l''être ; conseils aux professionnels.','','',0,'2025-01-15','coordination territoriale (démo)','active',NULL,NULL,'','public',1,1796530985,1796530985);
INSERT INTO organization VALUES('p10-pmi','paris-10','Centre de protection maternelle et infantile Château-Landon (démo)','Données de démonstration : structure fictive, coordonnées fictives. Consultations gratuites pour les femmes enceintes et les enfants de moins de 6 ans ; écoute des parents.','','',0,'2025-01-15','coordination territoriale (démo)','active',NULL,NULL,'','public',1,1796530985,1796530985);
INSERT INTO organization VALUES('p10-paej','paris-10','Point accueil écoute jeunes Saint-Martin (démo)','Données de démonstration : structure fictive, coordonnées fictives. Écoute anonyme et gratuite pour les 12-25 ans : relations amoureuses, violences, famille.','','',0,'2025-01-15','coordination territoriale (démo)','active',NULL,NULL,'','public',1,1796530985,1796530985);
INSERT INTO organization VALUES('p10-mission-locale','paris-10','Mission locale Paris Nord-Est — antenne 10e (démo)','Données de démonstration : structure fictive, coordonnées fictives. Accompagnement des 16-25 ans : logement, emploi, santé, aides financières.','','',0,'2025-01-15','coordination territoriale (démo)','active',NULL,NULL,'','public',1,1796530985,1796530985);
INSERT INTO organization VALUES('p10-interpretes','paris-10','Inter-Service Migrants — interprétariat (démo)','Données de démonstration : structure fictive, coordonnées fictives. Interprètes professionnels par téléphone ou sur place pour les entretiens avec les victimes ; plus de 80 langues.','','',0,'2025-01-15','coordination territoriale (démo)','active',NULL,NULL,'','public',1,1796530985,1796530985);
INSERT INTO organization VALUES('p10-caf','paris-10','Caisse d''allocations familiales — accueil Paris 10 (démo)','Données de démonstration : structure fictive, coordonnées fictives. Aide universelle d''urgence pour les victimes de violences conjugales, allocation de soutien familial, changement de situation.','','',0,'2025-01-15','coordination territoriale (démo)','active',NULL,NULL,'','public',1,1796530985,1796530985);
INSERT INTO organization VALUES('p10-microcredit','paris-10','Fonds de solidarité Femmes — aide d''urgence (démo)','Données de démonstration : structure fictive, coordonnées fictives. Aides financières ponctuelles et prêts sans intérêt pour quitter le domicile : caution, déménagement.','','',1,'2025-01-15','coordination territoriale (démo)','temporarily_closed','2025-01-01','2026-12-31','Permanence fermée pour travaux : les demandes passent par le service social de proximité.','public',1,1796530985,1796530985);
INSERT INTO organization VALUES('p10-3919','paris-10','Violences Femmes Info — 3919','Données de démonstration : fiche d''exemple d''un numéro national réel. Numéro national d''écoute pour les femmes victimes de violences, leur entourage et les professionnels. Gratuit, anonyme, 24 heures sur 24, 7 jours sur 7.','','',0,'2025-01-15','coordination territoriale (démo)','active',NULL,NULL,'','public',1,1796530985,1796530985);
INSERT INTO organization VALUES('p10-119','paris-10','Allô enfance en danger — 119','Données de démonstration : fiche d''exemple d''un numéro national réel. Numéro national pour les enfants en danger ou en risque de l''être, et pour les adultes qui s''en inquiètent. Gratuit, 24 heures sur 24.','','',0,'2025-01-15','coordination territoriale (démo)','active',NULL,NULL,'','public',1,1796530985,1796530985);
CREATE TABLE phone (
  organization_id TEXT NOT NULL REFERENCES organization (id) ON DELETE CASCADE,
  sort_order INTEGER NOT NULL,
  number TEXT NOT NULL,
  type TEXT NOT NULL,
  description TEXT NOT NULL,
  PRIMARY KEY (organization_id, sort_order)
);
INSERT INTO phone VALUES('mtr-cidff',0,'03 99 00 20 01','voice','');
INSERT INTO phone VALUES('mtr-pad',0,'03 99 00 20 02','voice','');
INSERT INTO phone VALUES('mtr-avocats',0,'03 99 00 20 03','voice','');
INSERT INTO phone VALUES('mtr-me-leroy',0,'03 99 00 20 04','voice','');
INSERT INTO phone VALUES('mtr-me-caron',0,'03 99 00 20 05','voice','');
INSERT INTO phone VALUES('mtr-france-victimes',0,'03 99 00 20 06','voice','');
INSERT INTO phone VALUES('mtr-france-victimes',1,'116 006','voice','numéro national d''aide aux victimes');
INSERT INTO phone VALUES('mtr-solidarite-femmes',0,'03 99 00 20 07','voice','');
INSERT INTO phone VALUES('mtr-psy-berck',0,'03 99 00 20 08','voice','');
INSERT INTO phone VALUES('mtr-cmp',0,'03 99 00 20 09','voice','');
INSERT INTO phone VALUES('mtr-hopital',0,'03 99 00 20 10','voice','');
INSERT INTO phone VALUES('mtr-dr-cucq',0,'03 99 00 20 11','voice','');
INSERT INTO phone VALUES('mtr-umj',0,'03 99 00 20 12','voice','');
INSERT INTO phone VALUES('mtr-mds',0,'03 99 00 20 13','voice','');
INSERT INTO phone VALUES('mtr-mds-berck',0,'03 99 00 20 14','voice','');
INSERT INTO phone VALUES('mtr-police',0,'17','voice','urgence');
INSERT INTO phone VALUES('mtr-police',1,'03 99 00 20 15','voice','accueil');
INSERT INTO phone VALUES('mtr-gendarmerie-montreuil',0,'17','voice','urgence');
INSERT INTO phone VALUES('mtr-gendarmerie-montreuil',1,'03 99 00 20 16','voice','accueil');
INSERT INTO phone VALUES('mtr-gendarmerie-etaples',0,'17','voice','urgence');
INSERT INTO phone VALUES('mtr-gendarmerie-etaples',1,'03 99 00 20 17','voice','accueil');
INSERT INTO phone VALUES('mtr-mpf',0,'03 99 00 20 18','voice','');
INSERT INTO phone VALUES('mtr-hebergement',0,'03 99 00 20 19','voice','permanence 24 h/24');
INSERT INTO phone VALUES('mtr-hebergement',1,'115','voice','SAMU social');
INSERT INTO phone VALUES('mtr-logement',0,'03 99 00 20 20','voice','');
INSERT INTO phone VALUES('mtr-ase',0,'03 99 00 20 21','voice','');
INSERT INTO phone VALUES('mtr-ase',1,'119','voice','Allô enfance en danger, 24 h/24');
INSERT INTO phone VALUES('mtr-pij',0,'03 99 00 20 22','voice','');
INSERT INTO phone VALUES('mtr-mission-locale',0,'03 99 00 20 23','voice','');
INSERT INTO phone VALUES('mtr-interpretes',0,'03 99 00 20 24','voice','');
INSERT INTO phone VALUES('mtr-caf',0,'03 99 00 20 25','voice','');
INSERT INTO phone VALUES('mtr-ccas-touquet',0,'03 99 00 20 26','voice','');
INSERT INTO phone VALUES('mtr-3919',0,'3919','voice','appel gratuit et anonyme');
INSERT INTO phone VALUES('mtr-119',0,'119','voice','appel gratuit');
INSERT INTO phone VALUES('p10-cidff',0,'01 99 00 10 01','voice','accueil');
INSERT INTO phone VALUES('p10-pad',0,'01 99 00 10 02','voice','');
INSERT INTO phone VALUES('p10-avocats',0,'01 99 00 10 03','voice','');
INSERT INTO phone VALUES('p10-me-martin',0,'01 99 00 10 04','voice','');
INSERT INTO phone VALUES('p10-me-diallo',0,'01 99 00 10 05','voice','');
INSERT INTO phone VALUES('p10-avip',0,'01 99 00 10 06','voice','');
INSERT INTO phone VALUES('p10-avip',1,'116 006','voice','numéro national d''aide aux victimes');
INSERT INTO phone VALUES('p10-accueil-jour',0,'01 99 00 10 07','voice','');
INSERT INTO phone VALUES('p10-psy-lancry',0,'01 99 00 10 08','voice','');
INSERT INTO phone VALUES('p10-cmp',0,'01 99 00 10 09','voice','');
INSERT INTO phone VALUES('p10-sante-gare',0,'01 99 00 10 10','voice','');
INSERT INTO phone VALUES('p10-dr-alibert',0,'01 99 00 10 11','voice','');
INSERT INTO phone VALUES('p10-umj',0,'01 99 00 10 12','voice','');
INSERT INTO phone VALUES('p10-social',0,'01 99 00 10 13','voice','');
INSERT INTO phone VALUES('p10-commissariat',0,'17','voice','urgence');
INSERT INTO phone VALUES('p10-commissariat',1,'01 99 00 10 14','voice','accueil');
INSERT INTO phone VALUES('p10-bpf',0,'01 99 00 10 15','voice','');
INSERT INTO phone VALUES('p10-gendarmerie',0,'17','voice','urgence');
INSERT INTO phone VALUES('p10-hebergement',0,'01 99 00 10 16','voice','permanence 24 h/24');
INSERT INTO phone VALUES('p10-hebergement',1,'115','voice','SAMU social');
INSERT INTO phone VALUES('p10-chrs',0,'01 99 00 10 17','voice','');
INSERT INTO phone VALUES('p10-crip',0,'01 99 00 10 18','voice','');
INSERT INTO phone VALUES('p10-crip',1,'119','voice','Allô enfance en danger, 24 h/24');
INSERT INTO phone VALUES('p10-pmi',0,'01 99 00 10 19','voice','');
INSERT INTO phone VALUES('p10-paej',0,'01 99 00 10 20','voice','');
INSERT INTO phone VALUES('p10-paej',1,'06 99 00 10 20','text','SMS');
INSERT INTO phone VALUES('p10-mission-locale',0,'01 99 00 10 21','voice','');
INSERT INTO phone VALUES('p10-interpretes',0,'01 99 00 10 22','voice','');
INSERT INTO phone VALUES('p10-caf',0,'01 99 00 10 23','voice','');
INSERT INTO phone VALUES('p10-microcredit',0,'01 99 00 10 24','voice','');
INSERT INTO phone VALUES('p10-3919',0,'3919','voice','appel gratuit et anonyme');
INSERT INTO phone VALUES('p10-119',0,'119','voice','appel gratuit');
CREATE TABLE location (
  id TEXT PRIMARY KEY,
  organization_id TEXT NOT NULL REFERENCES organization (id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  address TEXT NOT NULL,
  postal_code TEXT NOT NULL,
  city TEXT NOT NULL,
  insee_code TEXT NOT NULL,
  latitude DOUBLE PRECISION,
  longitude DOUBLE PRECISION,
  confidential INTEGER NOT NULL,
  transportation TEXT NOT NULL
);
INSERT INTO location VALUES('mtr-cidff-lieu','mtr-cidff','Permanence','18 rue de l''Impératrice','62600','Berck','62108',50.40870000000000317,1.5928999999999999825,0,'Bus ligne 513, arrêt Mairie');
INSERT INTO location VALUES('mtr-pad-lieu','mtr-pad','Maison de services','4 rue Pierre-Ledent','62170','Montreuil-sur-Mer','62588',50.464700000000000555,1.7636000000000000564,0,'');
INSERT INTO location VALUES('mtr-avocats-lieu','mtr-avocats','Mairie de Berck','Place Claude-Wilquin','62600','Berck','62108',50.406599999999997406,1.5935999999999999054,0,'Bus ligne 513');
INSERT INTO location VALUES('mtr-me-leroy-lieu','mtr-me-leroy','Cabinet','12 rue Carnot','62170','Montreuil-sur-Mer','62588',50.466000000000001079,1.7634000000000000785,0,'');
INSERT INTO location VALUES('mtr-me-caron-lieu','mtr-me-caron','Cabinet','25 rue de Rosamel','62630','Étaples','62318',50.513300000000000977,1.6396999999999999353,0,'Gare d''Étaples-Le Touquet');
INSERT INTO location VALUES('mtr-france-victimes-lieu','mtr-france-victimes','Bureau','7 place Gambetta','62170','Montreuil-sur-Mer','62588',50.46529999999999916,1.7632000000000001005,0,'');
INSERT INTO location VALUES('mtr-solidarite-femmes-lieu','mtr-solidarite-femmes','Accueil de jour','3 rue Marguet','62630','Étaples','62318',50.512700000000002376,1.6385000000000000675,0,'Gare d''Étaples-Le Touquet');
INSERT INTO location VALUES('mtr-psy-berck-lieu','mtr-psy-berck','Cabinet','40 rue Carnot','62600','Berck','62108',50.405799999999999273,1.5947000000000000063,0,'');
INSERT INTO location VALUES('mtr-cmp-lieu','mtr-cmp','CMP','2 rue des Juifs','62170','Montreuil-sur-Mer','62588',50.464100000000001954,1.7647999999999999243,0,'');
INSERT INTO location VALUES('mtr-hopital-lieu','mtr-hopital','Centre hospitalier','Chemin départemental 191','62180','Rang-du-Fliers','62688',50.423799999999999953,1.6465000000000000746,0,'Gare de Rang-du-Fliers-Verton');
INSERT INTO location VALUES('mtr-dr-cucq-lieu','mtr-dr-cucq','Cabinet','120 avenue de Boulogne','62780','Cucq','62261',50.478000000000001535,1.625,0,'');
INSERT INTO location VALUES('mtr-umj-lieu','mtr-umj','Centre hospitalier, bâtiment B','Chemin départemental 191','62180','Rang-du-Fliers','62688',50.42399999999999949,1.6468000000000000415,0,'Gare de Rang-du-Fliers-Verton');
INSERT INTO location VALUES('mtr-mds-lieu','mtr-mds','Maison des solidarités','15 rue d''Hérambault','62170','Montreuil-sur-Mer','62588',50.462899999999997644,1.7640000000000000124,0,'');
INSERT INTO location VALUES('mtr-mds-berck-lieu','mtr-mds-berck','Antenne','1 rue de la Division-Leclerc','62600','Berck','62108',50.404499999999998749,1.598000000000000087,0,'');
INSERT INTO location VALUES('mtr-police-lieu','mtr-police','Commissariat','48 rue de l''Entonnoir','62600','Berck','62108',50.406799999999996942,1.5989999999999999769,0,'');
INSERT INTO location VALUES('mtr-gendarmerie-montreuil-lieu','mtr-gendarmerie-montreuil','Brigade','Avenue de la Gare','62170','Montreuil-sur-Mer','62588',50.469200000000000727,1.7569999999999998951,0,'');
INSERT INTO location VALUES('mtr-gendarmerie-etaples-lieu','mtr-gendarmerie-etaples','Brigade','10 boulevard Bigot-Descelers','62630','Étaples','62318',50.51500000000000057,1.641999999999999904,0,'Gare d''Étaples-Le Touquet');
INSERT INTO location VALUES('mtr-mpf-lieu','mtr-mpf','Maison de protection des familles','Avenue de la Gare','62170','Montreuil-sur-Mer','62588',50.469299999999996941,1.7572000000000000952,0,'');
INSERT INTO location VALUES('mtr-hebergement-lieu','mtr-hebergement','Maison d''accueil','9 chemin Discret-Démo','62600','Berck','62108',50.410099999999999909,1.6011999999999999566,1,'');
INSERT INTO location VALUES('mtr-logement-lieu','mtr-logement','Résidence','2 allée Tranquille-Démo','62630','Étaples','62318',50.510100000000001329,1.6450000000000000177,1,'');
INSERT INTO location VALUES('mtr-ase-lieu','mtr-ase','Service enfance','15 rue d''Hérambault','62170','Montreuil-sur-Mer','62588',50.463000000000000967,1.7641999999999999904,0,'');
INSERT INTO location VALUES('mtr-pij-lieu','mtr-pij','Point information jeunesse','5 rue Rothschild','62600','Berck','62108',50.406199999999998341,1.5911999999999999477,0,'');
INSERT INTO location VALUES('mtr-mission-locale-lieu','mtr-mission-locale','Mission locale','23 rue Ledent','62170','Montreuil-sur-Mer','62588',50.465499999999998692,1.7624999999999999555,0,'');
INSERT INTO location VALUES('mtr-interpretes-lieu','mtr-interpretes','Bureau','30 rue de Metz','62520','Le Touquet-Paris-Plage','62826',50.521500000000003184,1.588999999999999968,0,'');
INSERT INTO location VALUES('mtr-caf-lieu','mtr-caf','Maison de services','4 rue Pierre-Ledent','62170','Montreuil-sur-Mer','62588',50.464799999999996769,1.7637000000000000454,0,'');
INSERT INTO location VALUES('mtr-ccas-touquet-lieu','mtr-ccas-touquet','CCAS','Boulevard Daloz','62520','Le Touquet-Paris-Plage','62826',50.520099999999999338,1.5869999999999999662,0,'');
INSERT INTO location VALUES('p10-cidff-lieu','p10-cidff','Antenne','12 rue des Vinaigriers','75010','Paris','75110',48.873699999999999478,2.3608999999999999985,0,'Métro Jacques Bonsergent (ligne 5)');
INSERT INTO location VALUES('p10-pad-lieu','p10-pad','Mairie du 10e','72 rue du Faubourg-Saint-Martin','75010','Paris','75110',48.872100000000003204,2.3576000000000001399,0,'Métro Château-d''Eau (ligne 4)');
INSERT INTO location VALUES('p10-avocats-lieu','p10-avocats','Salle des permanences','72 rue du Faubourg-Saint-Martin','75010','Paris','75110',48.872199999999999418,2.3576999999999999069,0,'Métro Château-d''Eau (ligne 4)');
INSERT INTO location VALUES('p10-me-martin-lieu','p10-me-martin','Cabinet','45 boulevard de Magenta','75010','Paris','75110',48.872500000000002272,2.3591999999999999637,0,'Métro Jacques Bonsergent (ligne 5)');
INSERT INTO location VALUES('p10-me-diallo-lieu','p10-me-diallo','Cabinet','8 rue de Paradis','75010','Paris','75110',48.875199999999999534,2.3515999999999999126,0,'Métro Poissonnière (ligne 7)');
INSERT INTO location VALUES('p10-avip-lieu','p10-avip','Bureau d''accueil','30 rue du Château-d''Eau','75010','Paris','75110',48.871200000000001749,2.3580000000000000959,0,'Métro Château-d''Eau (ligne 4)');
INSERT INTO location VALUES('p10-accueil-jour-lieu','p10-accueil-jour','Accueil de jour','112 quai de Valmy','75010','Paris','75110',48.876500000000000058,2.3645999999999998131,0,'Métro Jacques Bonsergent (ligne 5)');
INSERT INTO location VALUES('p10-psy-lancry-lieu','p10-psy-lancry','Cabinet','27 rue de Lancry','75010','Paris','75110',48.870300000000000293,2.3618000000000001215,0,'Métro Jacques Bonsergent (ligne 5)');
INSERT INTO location VALUES('p10-cmp-lieu','p10-cmp','CMP','5 rue Bichat','75010','Paris','75110',48.872399999999998954,2.3668000000000000149,0,'Métro Goncourt (ligne 11)');
INSERT INTO location VALUES('p10-sante-gare-lieu','p10-sante-gare','Centre de santé','18 rue du 8-Mai-1945','75010','Paris','75110',48.876800000000002908,2.3589999999999999857,0,'Gare de l''Est');
INSERT INTO location VALUES('p10-dr-alibert-lieu','p10-dr-alibert','Cabinet','3 rue Alibert','75010','Paris','75110',48.871200000000001749,2.3675000000000001598,0,'Métro Goncourt (ligne 11)');
INSERT INTO location VALUES('p10-umj-lieu','p10-umj','Consultation médico-judiciaire','1 avenue Claude-Vellefaux','75010','Paris','75110',48.873499999999999942,2.3687999999999997946,0,'Métro Goncourt (ligne 11)');
INSERT INTO location VALUES('p10-social-lieu','p10-social','Service social','23 bis rue Bichat','75010','Paris','75110',48.871699999999997031,2.3658999999999998919,0,'Métro Goncourt (ligne 11)');
INSERT INTO location VALUES('p10-commissariat-lieu','p10-commissariat','Commissariat','26 rue Louis-Blanc','75010','Paris','75110',48.881000000000000226,2.3639999999999998792,0,'Métro Louis Blanc (lignes 7 et 7 bis)');
INSERT INTO location VALUES('p10-bpf-lieu','p10-bpf','Brigade','6 rue Lucien-Sampaix','75010','Paris','75110',48.871800000000000354,2.3620000000000000994,0,'Métro Jacques Bonsergent (ligne 5)');
INSERT INTO location VALUES('p10-hebergement-lieu','p10-hebergement','Centre d''hébergement','14 passage Secret-Démo','75010','Paris','75110',48.874099999999998543,2.3549999999999999822,1,'Métro Gare de l''Est');
INSERT INTO location VALUES('p10-chrs-lieu','p10-chrs','Résidence','7 cour Cachée-Démo','75010','Paris','75110',48.877899999999996792,2.3624999999999998223,1,'');
INSERT INTO location VALUES('p10-crip-lieu','p10-crip','Cellule','94 quai de Jemmapes','75010','Paris','75110',48.873800000000002796,2.3645000000000000461,0,'Métro République');
INSERT INTO location VALUES('p10-pmi-lieu','p10-pmi','PMI','21 rue de Château-Landon','75010','Paris','75110',48.88230000000000075,2.3622999999999998443,0,'Métro Louis Blanc (lignes 7 et 7 bis)');
INSERT INTO location VALUES('p10-paej-lieu','p10-paej','Point écoute','60 rue du Faubourg-Saint-Martin','75010','Paris','75110',48.870899999999998898,2.3570999999999999729,0,'Métro Strasbourg-Saint-Denis');
INSERT INTO location VALUES('p10-mission-locale-lieu','p10-mission-locale','Antenne','11 rue Jean-Poulmarch','75010','Paris','75110',48.871600000000000817,2.3645000000000000461,0,'Métro Jacques Bonsergent (ligne 5)');
INSERT INTO location VALUES('p10-interpretes-lieu','p10-interpretes','Bureau','9 rue Saint-Vincent-de-Paul','75010','Paris','75110',48.880299999999998307,2.3519999999999998685,0,'Métro Gare du Nord');
INSERT INTO location VALUES('p10-caf-lieu','p10-caf','Accueil','67 avenue de Flandre','75010','Paris','75110',48.881999999999997895,2.3700000000000001065,0,'');
INSERT INTO location VALUES('p10-microcredit-lieu','p10-microcredit','Permanence','15 rue des Récollets','75010','Paris','75110',48.875500000000002389,2.3607999999999997875,0,'Gare de l''Est');
CREATE TABLE service (
  id TEXT PRIMARY KEY,
  organization_id TEXT NOT NULL REFERENCES organization (id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  description TEXT NOT NULL,
  minimum_age INTEGER,
  maximum_age INTEGER,
  genders TEXT NOT NULL,
  eligibility_description TEXT NOT NULL,
  fees TEXT NOT NULL,
  languages TEXT NOT NULL,
  accessibility TEXT NOT NULL,
  application_process TEXT NOT NULL,
  opening_hours TEXT NOT NULL
);
INSERT INTO service VALUES('mtr-cidff-s1','mtr-cidff','Centre d''information droits des femmes — Côte d''Opale Sud (démo)','Information juridique gratuite sur les droits des femmes et des familles ; permanences itinérantes dans les mairies.',NULL,NULL,'','','free','fr','wheelchair','Sur rendez-vous ; permanences à Montreuil-sur-Mer le jeudi.','Mo-Th 09:00-12:00,13:30-17:00; PH off');
INSERT INTO service VALUES('mtr-pad-s1','mtr-pad','Point-justice du Montreuillois (démo)','Accès au droit : juristes, conciliateur de justice, délégué du Défenseur des droits.',NULL,NULL,'','','free','fr','wheelchair','Sur rendez-vous.','Tu,Th 09:00-12:00,14:00-17:00; PH off');
INSERT INTO service VALUES('mtr-avocats-s1','mtr-avocats','Permanence avocats — barreau de Boulogne-sur-Mer à Berck (démo)','Consultation gratuite avec un avocat ; aide juridictionnelle ; ordonnance de protection.',NULL,NULL,'','','free,legal_aid','fr','','Sans rendez-vous le samedi matin.','Sa 09:00-12:00; PH off');
INSERT INTO service VALUES('mtr-me-leroy-s1','mtr-me-leroy','Cabinet de Maître Paul Exemple (démo)','Avocat en droit de la famille et droit pénal.',NULL,NULL,'','','paid,legal_aid','fr','','Sur rendez-vous.','Mo-Fr 09:00-12:00,14:00-18:30');
INSERT INTO service VALUES('mtr-me-caron-s1','mtr-me-caron','Cabinet de Maître Julie Démo (démo)','Avocate en droit de la famille : séparation, résidence des enfants, pension alimentaire.',NULL,NULL,'','','paid,legal_aid','fr,en','','Sur rendez-vous.','Mo-Th 09:00-18:00; Fr 09:00-12:00');
INSERT INTO service VALUES('mtr-france-victimes-s1','mtr-france-victimes','Association d''aide aux victimes du Montreuillois (démo)','Écoute, accompagnement juridique et psychologique des victimes, avec ou sans plainte.',NULL,NULL,'','','free','fr','wheelchair','Sur rendez-vous ; déplacements à domicile possibles.','Mo-Fr 09:00-12:00,13:30-17:00; PH off');
INSERT INTO service VALUES('mtr-solidarite-femmes-s1','mtr-solidarite-femmes','Solidarité Femmes Côte d''Opale — antenne Étaples (démo)','Accueil de jour, groupes de parole, accompagnement des femmes victimes de violences conjugales.',NULL,NULL,'female','','free','fr','','Sans rendez-vous le matin.','Mo,Tu,Th,Fr 09:30-12:30,13:30-17:00; PH off');
INSERT INTO service VALUES('mtr-psy-berck-s1','mtr-psy-berck','Cabinet de psychologie de Berck (démo)','Psychologue spécialisée en psychotraumatologie ; dispositif Mon soutien psy.',NULL,NULL,'','','paid','fr','','Sur rendez-vous.','Mo-Fr 09:00-19:00');
INSERT INTO service VALUES('mtr-cmp-s1','mtr-cmp','Centre médico-psychologique de Montreuil-sur-Mer (démo)','Consultations gratuites de psychiatres et psychologues pour adultes.',NULL,NULL,'','','free','fr','','Après un entretien d''accueil.','Mo-Fr 09:00-17:00; PH off');
INSERT INTO service VALUES('mtr-hopital-s1','mtr-hopital','Centre hospitalier de l''arrondissement de Montreuil — urgences (démo)','Urgences 24 heures sur 24 ; consultation de victimologie et certificats médicaux.',NULL,NULL,'','','free,paid','fr','wheelchair','','24/7');
INSERT INTO service VALUES('mtr-hopital-s2','mtr-hopital','Consultation de victimologie','Suivi médical et psychologique des victimes de violences.',NULL,NULL,'','','free,paid','fr','wheelchair','','Tu,Th 09:00-16:00; PH off');
INSERT INTO service VALUES('mtr-dr-cucq-s1','mtr-dr-cucq','Cabinet médical de Cucq (démo)','Médecins généralistes ; certificats de constatation de violences.',NULL,NULL,'','','paid','fr','','Avec ou sans rendez-vous.','Mo-Fr 08:30-12:00,14:00-19:00; Sa 08:30-12:00');
INSERT INTO service VALUES('mtr-umj-s1','mtr-umj','Unité médico-judiciaire — consultation avancée (démo)','Examens médico-légaux sur réquisition, au centre hospitalier.',NULL,NULL,'','','free','fr','wheelchair','Sur réquisition de la gendarmerie ou du parquet.','Mo-Fr 09:00-17:00; PH off');
INSERT INTO service VALUES('mtr-mds-s1','mtr-mds','Maison départementale des solidarités du Montreuillois (démo)','Assistantes sociales, protection de l''enfance, PMI : accompagnement des familles et aides d''urgence.',NULL,NULL,'','','free','fr','wheelchair','Sur rendez-vous ; permanence sans rendez-vous le mardi matin.','Mo-Fr 09:00-12:00,13:30-17:00; PH off');
INSERT INTO service VALUES('mtr-mds-berck-s1','mtr-mds-berck','Maison départementale des solidarités — antenne de Berck (démo)','Service social départemental, protection maternelle et infantile.',NULL,NULL,'','','free','fr','wheelchair','Sur rendez-vous.','Mo-Fr 09:00-12:00,13:30-17:00; PH off');
INSERT INTO service VALUES('mtr-police-s1','mtr-police','Commissariat de police de Berck (démo)','Dépôt de plainte ; en cas d''urgence, appelez le 17.',NULL,NULL,'','','free','fr','wheelchair','','24/7');
INSERT INTO service VALUES('mtr-gendarmerie-montreuil-s1','mtr-gendarmerie-montreuil','Brigade de gendarmerie de Montreuil-sur-Mer (démo)','Accueil des victimes et dépôt de plainte ; maison de protection des familles du Pas-de-Calais. Urgence : 17.',NULL,NULL,'','','free','fr','','','Mo-Sa 08:00-12:00,14:00-18:00; Su 09:00-12:00,15:00-18:00');
INSERT INTO service VALUES('mtr-gendarmerie-etaples-s1','mtr-gendarmerie-etaples','Brigade de gendarmerie d''Étaples (démo)','Accueil des victimes et dépôt de plainte. Urgence : 17.',NULL,NULL,'','','free','fr','','','Mo-Sa 08:00-12:00,14:00-19:00; Su,PH 09:00-12:00');
INSERT INTO service VALUES('mtr-mpf-s1','mtr-mpf','Maison de protection des familles du Pas-de-Calais (démo)','Gendarmes spécialisés : accompagnement des victimes de violences intrafamiliales, prévention.',NULL,NULL,'','','free','fr','','','Mo-Fr 09:00-17:00');
INSERT INTO service VALUES('mtr-hebergement-s1','mtr-hebergement','Accueil d''urgence Opale Sud (démo)','Mise à l''abri confidentielle de femmes victimes de violences et de leurs enfants, 24 heures sur 24. Adresse confidentielle : contact par téléphone ou par le 115.',NULL,NULL,'female','','free','fr','','Admission après un appel à la permanence ou au 115.','24/7');
INSERT INTO service VALUES('mtr-logement-s1','mtr-logement','Résidence d''insertion Les Deux Baies (démo)','Logements temporaires avec accompagnement social pour les femmes et leurs enfants. Adresse confidentielle.',NULL,NULL,'female','','free','fr','','Sur orientation du SIAO du Pas-de-Calais.','Mo-Fr 09:00-17:00; PH off');
INSERT INTO service VALUES('mtr-ase-s1','mtr-ase','Aide sociale à l''enfance — territoire du Montreuillois (démo)','Protection de l''enfance : évaluation des informations préoccupantes, accueil provisoire.',NULL,NULL,'','','free','fr','','Par téléphone, par écrit ou par un professionnel.','Mo-Fr 09:00-12:00,13:30-17:00; PH off');
INSERT INTO service VALUES('mtr-pij-s1','mtr-pij','Point information jeunesse de Berck (démo)','Information et écoute des 12-25 ans : relations amoureuses, violences, santé, logement.',12,25,'','','free','fr','','Sans rendez-vous.','Tu-Fr 13:30-18:00; We 09:30-12:00; Sa 10:00-12:00');
INSERT INTO service VALUES('mtr-mission-locale-s1','mtr-mission-locale','Mission locale du Montreuillois (démo)','Accompagnement des 16-25 ans : logement, emploi, santé, aides financières.',16,25,'','','free','fr','wheelchair','Sur rendez-vous.','Mo-Fr 08:30-12:00,13:30-17:30; PH off');
INSERT INTO service VALUES('mtr-interpretes-s1','mtr-interpretes','Service d''interprétariat Opale (démo)','Interprètes par téléphone pour les entretiens avec les victimes ; langue des signes sur rendez-vous.',NULL,NULL,'','','free','fr,en,ar,ps,fa,ku,uk','sign_language','Sur demande d''un professionnel.','Mo-Fr 08:00-18:00');
INSERT INTO service VALUES('mtr-caf-s1','mtr-caf','Caisse d''allocations familiales — permanence de Montreuil-sur-Mer (démo)','Aide universelle d''urgence, allocation de soutien familial, changement de situation.',NULL,NULL,'','','free','fr','wheelchair','Sur rendez-vous.','Th 09:00-12:00,13:30-16:00; PH off');
INSERT INTO service VALUES('mtr-ccas-touquet-s1','mtr-ccas-touquet','Centre communal d''action sociale du Touquet (démo)','Aides financières d''urgence, domiciliation, accompagnement social.',NULL,NULL,'','','free','fr','','Sur rendez-vous.','Mo-Fr 08:30-12:00,13:30-17:00; PH off');
INSERT INTO service VALUES('mtr-3919-s1','mtr-3919','Écoute téléphonique 3919','Numéro national d''écoute pour les femmes victimes de violences, leur entourage et les professionnels. Gratuit, anonyme, 24 heures sur 24, 7 jours sur 7.',NULL,NULL,'','','free','fr,en,ar,es,tr','sign_language','','24/7');
INSERT INTO service VALUES('mtr-119-s1','mtr-119','Écoute téléphonique 119','Numéro national pour les enfants en danger ou en risque de l''être, et pour les adultes qui s''en inquiètent. Gratuit, 24 heures sur 24.',NULL,NULL,'','','free','fr','','','24/7');
INSERT INTO service VALUES('p10-cidff-s1','p10-cidff','Centre d''information droits des femmes — antenne Paris 10e (démo)','Information juridique gratuite et confidentielle sur les droits des femmes et des familles : séparation, violences, ordonnance de protection.',NULL,NULL,'','','free','fr,en,ar','wheelchair','Sur rendez-vous ou lors de la permanence du mardi matin sans rendez-vous.','Mo-Th 09:30-12:30,14:00-17:30; Fr 09:30-12:30; PH off');
INSERT INTO service VALUES('p10-pad-s1','p10-pad','Point-justice de la mairie du 10e (démo)','Permanences gratuites d''accès au droit : juristes, conciliateur, aide pour les démarches en justice.',NULL,NULL,'','','free','fr','wheelchair,sign_language','Sur rendez-vous à l''accueil de la mairie.','Mo-Fr 09:00-12:00,13:30-17:00; PH off');
INSERT INTO service VALUES('p10-avocats-s1','p10-avocats','Permanence avocats — violences intrafamiliales (démo)','Consultation gratuite avec un avocat du barreau formé aux violences conjugales ; aide juridictionnelle acceptée.',NULL,NULL,'','','free,legal_aid','fr','wheelchair','Sans rendez-vous, le mercredi après-midi.','We 14:00-18:00; PH off');
INSERT INTO service VALUES('p10-me-martin-s1','p10-me-martin','Cabinet de Maître Claire Exemple (démo)','Avocate en droit de la famille : divorce, garde des enfants, ordonnance de protection.',NULL,NULL,'','','paid,legal_aid','fr,es','','Sur rendez-vous.','Mo-Fr 09:00-19:00; PH off');
INSERT INTO service VALUES('p10-me-diallo-s1','p10-me-diallo','Cabinet de Maître Awa Démo (démo)','Avocate en droit pénal et droit des étrangers : plainte, constitution de partie civile, titre de séjour des victimes.',NULL,NULL,'','','paid,legal_aid','fr,en,wo','','Sur rendez-vous ; premier entretien téléphonique gratuit.','Mo-Fr 09:30-18:30');
INSERT INTO service VALUES('p10-avip-s1','p10-avip','Association d''aide aux victimes Paris Nord (démo)','Écoute, information sur les droits, accompagnement dans les démarches et vers la plainte.',NULL,NULL,'','','free','fr,en,pt','wheelchair','Sans rendez-vous le matin, sur rendez-vous l''après-midi.','Mo-Fr 09:00-12:30,13:30-17:30; PH off');
INSERT INTO service VALUES('p10-accueil-jour-s1','p10-accueil-jour','Accueil de jour Femmes du canal (démo)','Lieu d''accueil de jour pour les femmes victimes de violences : écoute, café, douche, orientation.',NULL,NULL,'female','','free','fr,ar,ta','','Sans rendez-vous.','Mo-Fr 09:30-17:00; Sa 10:00-13:00; PH off');
INSERT INTO service VALUES('p10-psy-lancry-s1','p10-psy-lancry','Cabinet de psychologie rue de Lancry (démo)','Psychologue clinicienne, prise en charge du psychotraumatisme ; séances remboursées dans le cadre de Mon soutien psy.',NULL,NULL,'','','paid','fr,en','','Sur rendez-vous.','Mo-Fr 09:00-20:00; Sa 09:00-13:00');
INSERT INTO service VALUES('p10-cmp-s1','p10-cmp','Centre médico-psychologique adultes Paris 10 (démo)','Consultations de psychiatres et psychologues, gratuites, pour les habitants du secteur.',NULL,NULL,'','','free','fr','wheelchair','Premier rendez-vous après un entretien d''accueil infirmier.','Mo-Fr 09:00-18:00; PH off');
INSERT INTO service VALUES('p10-sante-gare-s1','p10-sante-gare','Centre de santé de la gare de l''Est (démo)','Médecine générale, certificats médicaux de constatation de violences, orientation vers l''unité médico-judiciaire.',NULL,NULL,'','','free,paid','fr,en,ro','wheelchair','Avec ou sans rendez-vous ; tiers payant.','Mo-Fr 08:30-19:00; Sa 09:00-12:30; PH off');
INSERT INTO service VALUES('p10-dr-alibert-s1','p10-dr-alibert','Docteure Marie Exemple, médecin généraliste (démo)','Médecin généraliste formée au repérage des violences.',NULL,NULL,'','','paid','fr','','Sur rendez-vous.','Mo,Tu,Th,Fr 09:00-12:00,14:00-19:00; Sa 09:00-12:00');
INSERT INTO service VALUES('p10-umj-s1','p10-umj','Unité médico-judiciaire — consultation Paris Nord (démo)','Examens médico-légaux sur réquisition de la police ou de la justice : constat des blessures, ITT.',NULL,NULL,'','','free','fr,en','wheelchair,interpreter','Sur réquisition après le dépôt de plainte.','24/7');
INSERT INTO service VALUES('p10-social-s1','p10-social','Service social de proximité du 10e (démo)','Assistantes sociales : accès aux droits, aides financières, hébergement, accompagnement après une séparation.',NULL,NULL,'','','free','fr','wheelchair','Sur rendez-vous, ou à la permanence sans rendez-vous du lundi matin.','Mo-Fr 09:00-12:30,13:30-17:30; PH off');
INSERT INTO service VALUES('p10-commissariat-s1','p10-commissariat','Commissariat central du 10e arrondissement (démo)','Dépôt de plainte 24 heures sur 24 ; intervenante sociale et psychologue au commissariat en semaine. En cas d''urgence, appelez le 17.',NULL,NULL,'','','free','fr,en','wheelchair,interpreter','','24/7');
INSERT INTO service VALUES('p10-commissariat-s2','p10-commissariat','Intervenante sociale au commissariat','Écoute et orientation des victimes, avec ou sans plainte.',NULL,NULL,'','','free','fr,en','wheelchair,interpreter','','Mo-Fr 09:00-17:00; PH off');
INSERT INTO service VALUES('p10-bpf-s1','p10-bpf','Brigade de protection de la famille — Paris (démo)','Enquêteurs spécialisés dans les violences intrafamiliales et les violences faites aux mineurs.',NULL,NULL,'','','free','fr','','Saisie par le commissariat ou le parquet.','Mo-Fr 09:00-18:00');
INSERT INTO service VALUES('p10-gendarmerie-s1','p10-gendarmerie','Brigade numérique de la gendarmerie (démo)','Échange par messagerie en ligne avec un gendarme, 24 heures sur 24, pour signaler des violences ou être conseillée.',NULL,NULL,'','','free','fr','','','24/7');
INSERT INTO service VALUES('p10-hebergement-s1','p10-hebergement','Hébergement d''urgence femmes et enfants (démo)','Mise à l''abri immédiate et confidentielle de femmes victimes de violences, avec leurs enfants. Adresse confidentielle : contact par téléphone ou par le 115.',NULL,NULL,'female','','free','fr','','Admission après un appel à la permanence ou par le 115.','24/7');
INSERT INTO service VALUES('p10-chrs-s1','p10-chrs','Résidence sociale La Passerelle du canal (démo)','Hébergement de stabilisation et accompagnement vers le logement pour femmes seules ou avec enfants. Adresse confidentielle.',NULL,NULL,'female','','free','fr','','Sur orientation du SIAO ou d''un travailleur social.','Mo-Fr 09:00-18:00; PH off');
INSERT INTO service VALUES('p10-crip-s1','p10-crip','Cellule de recueil des informations préoccupantes — Paris (démo)','Signalement d''un enfant en danger ou en risque de l''être ; conseils aux professionnels.',NULL,NULL,'','','free','fr','','Par téléphone ou par écrit.','Mo-Fr 09:00-17:30; PH off');
INSERT INTO service VALUES('p10-pmi-s1','p10-pmi','Centre de protection maternelle et infantile Château-Landon (démo)','Consultations gratuites pour les femmes enceintes et les enfants de moins de 6 ans ; écoute des parents.',NULL,6,'','','free','fr,ar,zh','wheelchair','Sur rendez-vous.','Mo-Fr 08:30-17:30; PH off');
INSERT INTO service VALUES('p10-paej-s1','p10-paej','Point accueil écoute jeunes Saint-Martin (démo)','Écoute anonyme et gratuite pour les 12-25 ans : relations amoureuses, violences, famille.',12,25,'','','free','fr','','Sans rendez-vous, anonyme.','Mo-Fr 13:00-19:00; Sa 10:00-13:00');
INSERT INTO service VALUES('p10-mission-locale-s1','p10-mission-locale','Mission locale Paris Nord-Est — antenne 10e (démo)','Accompagnement des 16-25 ans : logement, emploi, santé, aides financières.',16,25,'','','free','fr','wheelchair','Sur rendez-vous.','Mo-Fr 09:30-12:30,13:30-17:30; PH off');
INSERT INTO service VALUES('p10-interpretes-s1','p10-interpretes','Inter-Service Migrants — interprétariat (démo)','Interprètes professionnels par téléphone ou sur place pour les entretiens avec les victimes ; plus de 80 langues.',NULL,NULL,'','','free','fr,ar,en,es,ru,tr,zh,ta,ro,uk','','Sur demande d''un professionnel ou d''une association.','Mo-Fr 08:00-20:00; Sa 09:00-13:00');
INSERT INTO service VALUES('p10-caf-s1','p10-caf','Caisse d''allocations familiales — accueil Paris 10 (démo)','Aide universelle d''urgence pour les victimes de violences conjugales, allocation de soutien familial, changement de situation.',NULL,NULL,'','','free','fr','wheelchair','Sur rendez-vous en ligne ou par téléphone.','Mo,Tu,Th,Fr 08:30-16:30; PH off');
INSERT INTO service VALUES('p10-microcredit-s1','p10-microcredit','Fonds de solidarité Femmes — aide d''urgence (démo)','Aides financières ponctuelles et prêts sans intérêt pour quitter le domicile : caution, déménagement.',NULL,NULL,'female','','free','fr','','','Tu,Th 14:00-18:00');
INSERT INTO service VALUES('p10-3919-s1','p10-3919','Écoute téléphonique 3919','Numéro national d''écoute pour les femmes victimes de violences, leur entourage et les professionnels. Gratuit, anonyme, 24 heures sur 24, 7 jours sur 7.',NULL,NULL,'','','free','fr,en,ar,es,tr','sign_language','','24/7');
INSERT INTO service VALUES('p10-119-s1','p10-119','Écoute téléphonique 119','Numéro national pour les enfants en danger ou en risque de l''être, et pour les adultes qui s''en inquiètent. Gratuit, 24 heures sur 24.',NULL,NULL,'','','free','fr','','','24/7');
CREATE TABLE service_category (
  service_id TEXT NOT NULL REFERENCES service (id) ON DELETE CASCADE,
  category TEXT NOT NULL,
  sort_order INTEGER NOT NULL,
  PRIMARY KEY (service_id, category)
);
INSERT INTO service_category VALUES('mtr-cidff-s1','legal-advice',0);
INSERT INTO service_category VALUES('mtr-cidff-s1','victim-support-association',1);
INSERT INTO service_category VALUES('mtr-pad-s1','legal-advice',0);
INSERT INTO service_category VALUES('mtr-avocats-s1','lawyer',0);
INSERT INTO service_category VALUES('mtr-me-leroy-s1','lawyer',0);
INSERT INTO service_category VALUES('mtr-me-caron-s1','lawyer',0);
INSERT INTO service_category VALUES('mtr-france-victimes-s1','victim-support-association',0);
INSERT INTO service_category VALUES('mtr-france-victimes-s1','psychologist',1);
INSERT INTO service_category VALUES('mtr-solidarite-femmes-s1','victim-support-association',0);
INSERT INTO service_category VALUES('mtr-psy-berck-s1','psychologist',0);
INSERT INTO service_category VALUES('mtr-cmp-s1','psychologist',0);
INSERT INTO service_category VALUES('mtr-cmp-s1','doctor',1);
INSERT INTO service_category VALUES('mtr-hopital-s1','doctor',0);
INSERT INTO service_category VALUES('mtr-hopital-s2','psychologist',0);
INSERT INTO service_category VALUES('mtr-hopital-s2','doctor',1);
INSERT INTO service_category VALUES('mtr-dr-cucq-s1','doctor',0);
INSERT INTO service_category VALUES('mtr-umj-s1','forensic-unit',0);
INSERT INTO service_category VALUES('mtr-mds-s1','social-worker',0);
INSERT INTO service_category VALUES('mtr-mds-s1','child-protection',1);
INSERT INTO service_category VALUES('mtr-mds-s1','financial-aid',2);
INSERT INTO service_category VALUES('mtr-mds-berck-s1','social-worker',0);
INSERT INTO service_category VALUES('mtr-mds-berck-s1','child-protection',1);
INSERT INTO service_category VALUES('mtr-police-s1','police',0);
INSERT INTO service_category VALUES('mtr-gendarmerie-montreuil-s1','gendarmerie',0);
INSERT INTO service_category VALUES('mtr-gendarmerie-etaples-s1','gendarmerie',0);
INSERT INTO service_category VALUES('mtr-mpf-s1','gendarmerie',0);
INSERT INTO service_category VALUES('mtr-mpf-s1','child-protection',1);
INSERT INTO service_category VALUES('mtr-hebergement-s1','shelter',0);
INSERT INTO service_category VALUES('mtr-logement-s1','shelter',0);
INSERT INTO service_category VALUES('mtr-logement-s1','social-worker',1);
INSERT INTO service_category VALUES('mtr-ase-s1','child-protection',0);
INSERT INTO service_category VALUES('mtr-pij-s1','youth-service',0);
INSERT INTO service_category VALUES('mtr-mission-locale-s1','youth-service',0);
INSERT INTO service_category VALUES('mtr-mission-locale-s1','financial-aid',1);
INSERT INTO service_category VALUES('mtr-interpretes-s1','interpreter',0);
INSERT INTO service_category VALUES('mtr-caf-s1','financial-aid',0);
INSERT INTO service_category VALUES('mtr-ccas-touquet-s1','financial-aid',0);
INSERT INTO service_category VALUES('mtr-ccas-touquet-s1','social-worker',1);
INSERT INTO service_category VALUES('mtr-3919-s1','victim-support-association',0);
INSERT INTO service_category VALUES('mtr-119-s1','child-protection',0);
INSERT INTO service_category VALUES('p10-cidff-s1','legal-advice',0);
INSERT INTO service_category VALUES('p10-cidff-s1','victim-support-association',1);
INSERT INTO service_category VALUES('p10-pad-s1','legal-advice',0);
INSERT INTO service_category VALUES('p10-avocats-s1','lawyer',0);
INSERT INTO service_category VALUES('p10-me-martin-s1','lawyer',0);
INSERT INTO service_category VALUES('p10-me-diallo-s1','lawyer',0);
INSERT INTO service_category VALUES('p10-avip-s1','victim-support-association',0);
INSERT INTO service_category VALUES('p10-accueil-jour-s1','victim-support-association',0);
INSERT INTO service_category VALUES('p10-accueil-jour-s1','social-worker',1);
INSERT INTO service_category VALUES('p10-psy-lancry-s1','psychologist',0);
INSERT INTO service_category VALUES('p10-cmp-s1','psychologist',0);
INSERT INTO service_category VALUES('p10-cmp-s1','doctor',1);
INSERT INTO service_category VALUES('p10-sante-gare-s1','doctor',0);
INSERT INTO service_category VALUES('p10-dr-alibert-s1','doctor',0);
INSERT INTO service_category VALUES('p10-umj-s1','forensic-unit',0);
INSERT INTO service_category VALUES('p10-social-s1','social-worker',0);
INSERT INTO service_category VALUES('p10-social-s1','financial-aid',1);
INSERT INTO service_category VALUES('p10-commissariat-s1','police',0);
INSERT INTO service_category VALUES('p10-commissariat-s2','social-worker',0);
INSERT INTO service_category VALUES('p10-bpf-s1','police',0);
INSERT INTO service_category VALUES('p10-bpf-s1','child-protection',1);
INSERT INTO service_category VALUES('p10-gendarmerie-s1','gendarmerie',0);
INSERT INTO service_category VALUES('p10-hebergement-s1','shelter',0);
INSERT INTO service_category VALUES('p10-chrs-s1','shelter',0);
INSERT INTO service_category VALUES('p10-chrs-s1','social-worker',1);
INSERT INTO service_category VALUES('p10-crip-s1','child-protection',0);
INSERT INTO service_category VALUES('p10-pmi-s1','child-protection',0);
INSERT INTO service_category VALUES('p10-pmi-s1','doctor',1);
INSERT INTO service_category VALUES('p10-paej-s1','youth-service',0);
INSERT INTO service_category VALUES('p10-mission-locale-s1','youth-service',0);
INSERT INTO service_category VALUES('p10-mission-locale-s1','financial-aid',1);
INSERT INTO service_category VALUES('p10-interpretes-s1','interpreter',0);
INSERT INTO service_category VALUES('p10-caf-s1','financial-aid',0);
INSERT INTO service_category VALUES('p10-microcredit-s1','financial-aid',0);
INSERT INTO service_category VALUES('p10-3919-s1','victim-support-association',0);
INSERT INTO service_category VALUES('p10-119-s1','child-protection',0);
CREATE TABLE service_at_location (
  service_id TEXT NOT NULL REFERENCES service (id) ON DELETE CASCADE,
  location_id TEXT NOT NULL REFERENCES location (id) ON DELETE CASCADE,
  PRIMARY KEY (service_id, location_id)
);
INSERT INTO service_at_location VALUES('mtr-cidff-s1','mtr-cidff-lieu');
INSERT INTO service_at_location VALUES('mtr-pad-s1','mtr-pad-lieu');
INSERT INTO service_at_location VALUES('mtr-avocats-s1','mtr-avocats-lieu');
INSERT INTO service_at_location VALUES('mtr-me-leroy-s1','mtr-me-leroy-lieu');
INSERT INTO service_at_location VALUES('mtr-me-caron-s1','mtr-me-caron-lieu');
INSERT INTO service_at_location VALUES('mtr-france-victimes-s1','mtr-france-victimes-lieu');
INSERT INTO service_at_location VALUES('mtr-solidarite-femmes-s1','mtr-solidarite-femmes-lieu');
INSERT INTO service_at_location VALUES('mtr-psy-berck-s1','mtr-psy-berck-lieu');
INSERT INTO service_at_location VALUES('mtr-cmp-s1','mtr-cmp-lieu');
INSERT INTO service_at_location VALUES('mtr-hopital-s1','mtr-hopital-lieu');
INSERT INTO service_at_location VALUES('mtr-hopital-s2','mtr-hopital-lieu');
INSERT INTO service_at_location VALUES('mtr-dr-cucq-s1','mtr-dr-cucq-lieu');
INSERT INTO service_at_location VALUES('mtr-umj-s1','mtr-umj-lieu');
INSERT INTO service_at_location VALUES('mtr-mds-s1','mtr-mds-lieu');
INSERT INTO service_at_location VALUES('mtr-mds-berck-s1','mtr-mds-berck-lieu');
INSERT INTO service_at_location VALUES('mtr-police-s1','mtr-police-lieu');
INSERT INTO service_at_location VALUES('mtr-gendarmerie-montreuil-s1','mtr-gendarmerie-montreuil-lieu');
INSERT INTO service_at_location VALUES('mtr-gendarmerie-etaples-s1','mtr-gendarmerie-etaples-lieu');
INSERT INTO service_at_location VALUES('mtr-mpf-s1','mtr-mpf-lieu');
INSERT INTO service_at_location VALUES('mtr-hebergement-s1','mtr-hebergement-lieu');
INSERT INTO service_at_location VALUES('mtr-logement-s1','mtr-logement-lieu');
INSERT INTO service_at_location VALUES('mtr-ase-s1','mtr-ase-lieu');
INSERT INTO service_at_location VALUES('mtr-pij-s1','mtr-pij-lieu');
INSERT INTO service_at_location VALUES('mtr-mission-locale-s1','mtr-mission-locale-lieu');
INSERT INTO service_at_location VALUES('mtr-interpretes-s1','mtr-interpretes-lieu');
INSERT INTO service_at_location VALUES('mtr-caf-s1','mtr-caf-lieu');
INSERT INTO service_at_location VALUES('mtr-ccas-touquet-s1','mtr-ccas-touquet-lieu');
INSERT INTO service_at_location VALUES('p10-cidff-s1','p10-cidff-lieu');
INSERT INTO service_at_location VALUES('p10-pad-s1','p10-pad-lieu');
INSERT INTO service_at_location VALUES('p10-avocats-s1','p10-avocats-lieu');
INSERT INTO service_at_location VALUES('p10-me-martin-s1','p10-me-martin-lieu');
INSERT INTO service_at_location VALUES('p10-me-diallo-s1','p10-me-diallo-lieu');
INSERT INTO service_at_location VALUES('p10-avip-s1','p10-avip-lieu');
INSERT INTO service_at_location VALUES('p10-accueil-jour-s1','p10-accueil-jour-lieu');
INSERT INTO service_at_location VALUES('p10-psy-lancry-s1','p10-psy-lancry-lieu');
INSERT INTO service_at_location VALUES('p10-cmp-s1','p10-cmp-lieu');
INSERT INTO service_at_location VALUES('p10-sante-gare-s1','p10-sante-gare-lieu');
INSERT INTO service_at_location VALUES('p10-dr-alibert-s1','p10-dr-alibert-lieu');
INSERT INTO service_at_location VALUES('p10-umj-s1','p10-umj-lieu');
INSERT INTO service_at_location VALUES('p10-social-s1','p10-social-lieu');
INSERT INTO service_at_location VALUES('p10-commissariat-s1','p10-commissariat-lieu');
INSERT INTO service_at_location VALUES('p10-commissariat-s2','p10-commissariat-lieu');
INSERT INTO service_at_location VALUES('p10-bpf-s1','p10-bpf-lieu');
INSERT INTO service_at_location VALUES('p10-hebergement-s1','p10-hebergement-lieu');
INSERT INTO service_at_location VALUES('p10-chrs-s1','p10-chrs-lieu');
INSERT INTO service_at_location VALUES('p10-crip-s1','p10-crip-lieu');
INSERT INTO service_at_location VALUES('p10-pmi-s1','p10-pmi-lieu');
INSERT INTO service_at_location VALUES('p10-paej-s1','p10-paej-lieu');
INSERT INTO service_at_location VALUES('p10-mission-locale-s1','p10-mission-locale-lieu');
INSERT INTO service_at_location VALUES('p10-interpretes-s1','p10-interpretes-lieu');
INSERT INTO service_at_location VALUES('p10-caf-s1','p10-caf-lieu');
INSERT INTO service_at_location VALUES('p10-microcredit-s1','p10-microcredit-lieu');
CREATE TABLE organization_key (
  organization_id TEXT PRIMARY KEY REFERENCES organization (id) ON DELETE CASCADE,
  public_key TEXT NOT NULL,
  created_on TEXT NOT NULL
);
INSERT INTO organization_key VALUES('p10-119','fIeVaZC07YavpsqWRj-mBvo3uWXX6B2q7mrSLHwA1TI','2026-12-06');
INSERT INTO organization_key VALUES('p10-3919','zCzoqBRGy3br3TXLV_Pv-dk0RWD_8U19-48chPxtB0s','2026-12-06');
INSERT INTO organization_key VALUES('p10-accueil-jour','ww52_CKiO0izLwpO90H8BqsDgfqZzvsNdHqt8PBRpy8','2026-12-06');
INSERT INTO organization_key VALUES('p10-avip','m4dOXOkgd_tyx0IhniL6A62oYRElPECOGRyw_r4OQGA','2026-12-06');
INSERT INTO organization_key VALUES('p10-avocats','0Ri0tSuzGPT-IZezbOOwk0FwDQf573cRtB8ctVu331k','2026-12-06');
INSERT INTO organization_key VALUES('p10-bpf','xt2PGWgDU9gNQaE1SaQEvWXwaeT9ysBu8WnCkLF0inU','2026-12-06');
INSERT INTO organization_key VALUES('p10-caf','cQIks9-dOkTbVctFztPwkDyXzqcOYxDbCRN1RXT1cVM','2026-12-06');
INSERT INTO organization_key VALUES('p10-chrs','T7VHcGE6HI9wNA4KWSws-I-wGOreRu9CMZuntjCKVGY','2026-12-06');
INSERT INTO organization_key VALUES('p10-cidff','e0k10IYwU0lNK5_LbiEuSBcuCRJe0J7RdXGxh5wD7xI','2026-12-06');
INSERT INTO organization_key VALUES('p10-cmp','YVib1BJwa-AgTlk0a3MQ1Oz6bEcMXV5vfS6xJVNL_RA','2026-12-06');
INSERT INTO organization_key VALUES('p10-commissariat','wJ9WWOsDXuw6XLq6x124VQXAuPzNLexZ3E2V0nywKEA','2026-12-06');
INSERT INTO organization_key VALUES('p10-crip','udcCEpYWtKTkSHk_t5mxOc1dueJEcEqMfQVEK4swp1M','2026-12-06');
INSERT INTO organization_key VALUES('p10-dr-alibert','HuZ1U7txJsgqqB6i0CcRH_Nj_pXDy0BsKpUvlbgYoXg','2026-12-06');
INSERT INTO organization_key VALUES('p10-gendarmerie','4_1xCoKOl1mQVQGzoGcHeDEdXwXOWNCjhWWXVdOdwmI','2026-12-06');
INSERT INTO organization_key VALUES('p10-hebergement','MCtAxK6aYGixoFNniDr9l5hsVAJNuK61ZEd1uXeAACo','2026-12-06');
INSERT INTO organization_key VALUES('p10-interpretes','QuXYnSTF2_qXb4mhaWoH9KY4YMnRRiGbjgLj-_ICsSY','2026-12-06');
INSERT INTO organization_key VALUES('p10-me-diallo','F-BOmjBbZPXwq17NWTs3ddofwdltZi1X2Gzq9jPp9z8','2026-12-06');
INSERT INTO organization_key VALUES('p10-me-martin','PhfzEpE9GmFKvoEV_J93wFDsORLgetUsobCPjHGxRV0','2026-12-06');
INSERT INTO organization_key VALUES('p10-microcredit','o0SHHzBLecPhqZwjikv2BP4H4cF20kWM1gA0uHA4qic','2026-12-06');
INSERT INTO organization_key VALUES('p10-mission-locale','QsJq22L5jE90dx8OMK-zXSHAa07AAfwbTap4ns-5wX4','2026-12-06');
INSERT INTO organization_key VALUES('p10-pad','o_2MmVcFKnqtAgNTcOwoXeqCbrZzvUNnhEeyqJB1mz0','2026-12-06');
INSERT INTO organization_key VALUES('p10-paej','XJcuf9gHSrdkGm_90aFnKw2s323PteIW0p2PPXkVMSk','2026-12-06');
INSERT INTO organization_key VALUES('p10-pmi','UYdFp2RvrFbrkFa-VFHtuXhV_wPg-HmfDDzZjS3R2Aw','2026-12-06');
INSERT INTO organization_key VALUES('p10-psy-lancry','B2P7WQerr65SoANXChUMxHi2HOSQxMmkTBL29Z2lzV8','2026-12-06');
INSERT INTO organization_key VALUES('p10-sante-gare','3Yy8o0kilg2FJBLbVgTO7iTg_KAsLsylNRTO-Tgg4Xc','2026-12-06');
INSERT INTO organization_key VALUES('p10-social','vcjopryN1vfbUMti64PocQ8W7wfl0lpZ44JvmlR49Xg','2026-12-06');
INSERT INTO organization_key VALUES('p10-umj','fOO3sHVo22Z5gh_NonpYJhOtETaLg3anljmn5DKYrw4','2026-12-06');
INSERT INTO organization_key VALUES('mtr-119','Ni0bWk8y_gBtqj9E9D5bMhMVcX_Q_NHn5oUoBes4rg8','2026-12-06');
INSERT INTO organization_key VALUES('mtr-3919','L55LIWHVx-rONDN2fk5x4NjGlo2gU-7kstnrA8Jf3EU','2026-12-06');
INSERT INTO organization_key VALUES('mtr-ase','QSGE7HjcL83bWkyS05m_pUfPfipQFrmTbJmnUKlhUHA','2026-12-06');
INSERT INTO organization_key VALUES('mtr-avocats','iQ95vOKNx7s5WN7Av8fGyTFR0f56M576qWX5dhBpM0Y','2026-12-06');
INSERT INTO organization_key VALUES('mtr-caf','AemweOI7da8ePrdo8ChorWpATqQl7fSmjWmjjUJJMVQ','2026-12-06');
INSERT INTO organization_key VALUES('mtr-ccas-touquet','f_UZK4sW-ap_P8HIW7zdH5ZOdIycmlO9iHC35pWY2yw','2026-12-06');
INSERT INTO organization_key VALUES('mtr-cidff','AWjVLrRWUU3vkORzbhnd3Ak_CL_Ly5VZc1G9PsAksSs','2026-12-06');
INSERT INTO organization_key VALUES('mtr-cmp','3YJIdeDrL1FitxZVKDZXm8khR_fwiSA2RAHZd24nLy0','2026-12-06');
INSERT INTO organization_key VALUES('mtr-dr-cucq','OQ9VlX9lV5AqCAhe6wFr-Cb6fpCEtyEya2TFjEv4EH4','2026-12-06');
INSERT INTO organization_key VALUES('mtr-france-victimes','3GS8ZetRGr2UpvTRqvXBn1UNCL1ZlpXYn3-bM6CxIzs','2026-12-06');
INSERT INTO organization_key VALUES('mtr-gendarmerie-etaples','L6iGU-5f-cCRJYgK0WJV_s6Yh_bU3HDrCt5hMmBj_BE','2026-12-06');
INSERT INTO organization_key VALUES('mtr-gendarmerie-montreuil','IXoFhfNSba2iWG_qreLQt9ZmCBaqA4hHMMa9urmoeng','2026-12-06');
INSERT INTO organization_key VALUES('mtr-hebergement','vRM_X0tZ9S1z7NB4Ve9zWeqcOfXSjQRTlaLp4QyxcCE','2026-12-06');
INSERT INTO organization_key VALUES('mtr-hopital','Uy8OFtFlUUTSVWYCO_IwEAHJORE8TV0FZ51yl2qFfx8','2026-12-06');
INSERT INTO organization_key VALUES('mtr-interpretes','QVNgQod2HVz0rEdFb3xD9eF5HPyQbCZxzIkr-zUaD1A','2026-12-06');
INSERT INTO organization_key VALUES('mtr-logement','vlLqs3WtEH0Lkg6Sf9P_YamtXuCT5BeY_K4AqeomnUw','2026-12-06');
INSERT INTO organization_key VALUES('mtr-mds','Zo8OJSG4WZmqElLGXKTH6XG32xPdwS7TLutwMJ9xeDs','2026-12-06');
INSERT INTO organization_key VALUES('mtr-mds-berck','C3rGnCenyAd9D-fTGm14cN8KHb5y07lxdsUwFD8812g','2026-12-06');
INSERT INTO organization_key VALUES('mtr-me-caron','vL4YARKZee1uNE8ci-2Z-bCHzGAbvFd7kVFhQujH1EI','2026-12-06');
INSERT INTO organization_key VALUES('mtr-me-leroy','Fq6m43eXzU6SF0vDOeuACI9eYVt8ed55YzEUBPUptAE','2026-12-06');
INSERT INTO organization_key VALUES('mtr-mission-locale','-PVTWlnLCDIWZcu0XO8uijGQ_iVjaAqMR-YqkCBO5E8','2026-12-06');
INSERT INTO organization_key VALUES('mtr-mpf','ZDuLbtuDO9W4Eo4sX7DvdR7MJBfPNuvOJL_3xdxq3G4','2026-12-06');
INSERT INTO organization_key VALUES('mtr-pad','4BuqxoKEMHMSHLymU2gnUgGpOFxnq0OUvezpaRl7wG0','2026-12-06');
INSERT INTO organization_key VALUES('mtr-pij','DPcnYnjZ_mLDdZ_jqefaXjPLAGQKOwsdjcm2Ve_8gzs','2026-12-06');
INSERT INTO organization_key VALUES('mtr-police','EUQX7A-tWcc_V7xdIXRdrVf8KBaP7qL9MsfDfmqyKRU','2026-12-06');
INSERT INTO organization_key VALUES('mtr-psy-berck','uXAvfhPcXKd7e5VssjG9dUr_uTGprrGZLfOMe-4NbSU','2026-12-06');
INSERT INTO organization_key VALUES('mtr-solidarite-femmes','N8En_dCHuEJpI3cH5d3jz3Y6tsHulamH_Y-yZHWaEGM','2026-12-06');
INSERT INTO organization_key VALUES('mtr-umj','46jEoF4lbYx7qUoLzK2x82hgv9LXvhz3o6WNQfhiOT8','2026-12-06');
CREATE TABLE referral (
  id TEXT PRIMARY KEY,
  idempotency_key TEXT NOT NULL UNIQUE,
  territory_slug TEXT NOT NULL,
  organization_id TEXT NOT NULL REFERENCES organization (id),
  service_id TEXT NOT NULL,
  status TEXT NOT NULL,
  sealed_report TEXT,
  followup_lookup TEXT,
  followup_hash TEXT,
  person_public_key TEXT,
  person_key_salt TEXT,
  handover_consent INTEGER NOT NULL,
  created_on TEXT NOT NULL,
  status_changed_on TEXT NOT NULL
, sealed_summary TEXT, outcome TEXT, refusal_reason TEXT, sealed_refusal_note TEXT, handed_over_from TEXT REFERENCES referral (id), handed_over_to TEXT REFERENCES referral (id), reminded_on TEXT, escalated_on TEXT, content_deleted_on TEXT);
INSERT INTO referral VALUES('ref-6548bf97633020f3','1e40fe71ff68c13d1df7624cb0cb41f06577c37df5708e54ade581d2469994bc','paris-10','p10-accueil-jour','p10-accueil-jour-s1','new','odMwUnQ_P3KfnctwgLOqk_QuIfiPICjaN5EgnZcNlj1M6WqNMAz76pc3sKAEyVU0dbUOuk_gv6-M0W55xHrO8UICXi5HdOGdmiFz-_9lFDhXdDkuh5U7qE4FhaGzlrqrTwFATFLUkNg7uAx2J3j0NXxHFRBUaERBsYHpw4cT0t6otVKRjlWKcSZTP6Q_jZ6utQGjpwqS06N7yD1crzv1jSnsAfYNuxzA22iEJ-dMdKfoIFN5iiHmJGLE59Oow96JstPX1qnDlPW972xqHShb4NYhRplrCdbxNlgZBis1xTipehixNDCXEz-3yq18uFd-QQMTK--OI76OWeONSbF_2oduiYCF-0Ji_9x6gJh6cyh2gWrGZnGclsJPgzSy5jmR3A7_sDKMdZmBlANKLHD2WzzL0C4ht1U_onsJYccI4D2o9EuuohuaLdG5wgsAwsLs-6DgXmM0v4A0qyrPc4BGURc2Ig7lviojBz9suqBYbyFiNDgEVjPIJEfVOVbwUVcpiM7U0EpueFZiRZMl7DMMGNV1qD4yBr3v-Wu53hop6k4hrv3eFQN7LCVtcjH22TMMp77FsvK_Mu0u70RFdfAb85S3XSTE3MRYSXrX3VXEOOKIDbg0a0EoZJnhUt7Cv3D8c8rU1FSwBXWoOeliDsMLttmU2Z-xYrtsj-fzSY9XXY76URfBpMFsgy42I4jF9ADrjPNHm4MTBhxLaBmXjVye2Bu3A_LAwz2-AWmokyBri6nmhAvFuN1C_MTt0GRpp4BY0qFaPTZXDc8Z5Tau1w9NcEprxpm0UvvufuoUGHqkfLdpvBmAy-IoJiUuNowqVb7PSIUoF8JbftBPDWYZ639aLL5f_Hu9vcTXdxd2xopPqBUu-Ter-j0WRWBo-20EfgOvoBFDNiX38SpEe0CgbygWMAxw7NCGZEyTFn64ZuSemaVhrcbjR0QgfH-KgbChMl9h0_eIjXWK1EtUcMIVmMPotY0WpEuuJvijL-fvALv06kqJXZPC3Q65lo9e65VF0C0BX9r1Jj1P6Rc8KVGFPiEEWEVQ__7Kgmgot_X2r1j6UG2ocbbvYAklfOLiUyIlr3APMafEm2naP0xr6LWhuAeLF-4gMhc9VJKN2Vtx7wGyzuDy28RkXr834JEF20Nu_-PDsXYKa-9jM4QR1W46t_mUOg4ZTCLbLWo8byeILvvb2gRW-p17Vt10V4Y5KPiJPfZ_hqcN2OKygzc4VyVT60TJy75uhzAL4S4O5eYQUPs_DD-jf9hjBQ7OpAkqqDDlKRVU-bVCFc47wDYqSOQmTmqUv5gAbqZpzL4X23N-ko4DI-Nn93Bm8SaPY1lgb8-JhIBpOh5OPgSUIu2cm3Nfxd-ncE_9dSnGyslgTNgNorBN3i0CXCkazniG9wHjsJnpTKhfxiIjJyDP4WaM_h_6RXrQNaO0svA6Du04whtJMuZ36dtpXVVtttisNzf7qKhmcUIdwdjzgfopqQ0bEkXtKLSjqLej4rHTz24doIMNfA7GG8-dKa9lTsKrzYUjvPj9lhLiGTXlwhL8xm95nLbIc40vcAmPTOiHWd8qUQILEbEW60BgsdoGtkLCINSpyRE-f1WArSexrACb7NUKT5c90bm9EKJ5Rz9r8oMJ45bOy6IT9suaqy1BuU4WU8DzWF3X6YFQz979dhq028MrDqgY6FBevKrTYPcAA9hX7SdWnHuDcXbru6FC25_N1V2jjNHr3IclUK8kRqA1fALfQ_PAypBAGX-T0QNzdbkeySwUMpi-F5p04im9vNKap_xa4pzbuFM1uHAYNo3sUHrddjvqWSMm7QQd8QJo3xBp2d9DCRjqUiM8h4ux2TUkSRK_uxmUMeOwi7XA1mpxe7OrSA4M0DboMfYpfmATyyMxJa0RKJmIOD1KKkTQxpHZ5BjI5P3-nBRypBUlFecqPxdfzzCj5kIAFYiKH3TtSVECWM0W8i2XbKhrBtWHAk44GslrcbncZ8KqEHHeVEq94e4CBtlw6Ier2quq7mVo-K2KqsStW1qNUnZFUb3HD2OCDJ4IM--TtOicQJd64wehltiFkASkU4_OHQXyaamXh7f7G05yLdQ','d3b02d2fe0d5fbbe53c889922bdd367b204b2a23cd2a65f8ff624913985e612b','$argon2id$v=19$m=65536,t=2,p=1$J5PoDAko/5j3sfwke5dUnA$CMsqp6lNvkTBk/Q3QC/PS6o7M+hAbevtYzmRiBrgklw','BilBa_rO76Ni7IQXhIW-JjatkPUkP1ZodBTyLOoMq0g','i9TOe290F8NjbKUQGr6_8Q',0,'2026-12-06','2026-12-06','HnpTf1mN_dhHZ9DmGbG0D4Gun3OgJyYeuA6bUjTj8nbi3lUtTBpCrDD0B8pAEdGSH76H9Bc90KyUczYGG-6fXVOYtAu-NFeRcImyngvzrtcc-BmakPh-BKkEkmkQ9QOGvliKxBlwulP3ujRmEkJRY6sAUNy2FT78D6RxGSYvEpn5aFN3A9vrXYFgKa8Dv11wtPIZgPt0OPKDLvG3',NULL,NULL,NULL,NULL,NULL,NULL,NULL,NULL);
CREATE TABLE referral_message (
  id TEXT PRIMARY KEY,
  referral_id TEXT NOT NULL REFERENCES referral (id) ON DELETE CASCADE,
  sender TEXT NOT NULL,
  sealed_body TEXT NOT NULL,
  created_on TEXT NOT NULL,
  sort_order INTEGER NOT NULL
, sealed_copy TEXT, organization_id TEXT);
INSERT INTO referral_message VALUES('msg-a807605a36b505d4','ref-6548bf97633020f3','person','h_zq9_HmmM3H5KR66dLBfr9igtzq7qZBQQYmmbjXaQLXL6Vi0_AUUN3oTkazpE1TPCHn37Y66tFFDduirKza4JSn8l8fDbDRMpox3NrPws7Zjw','2026-12-06',1,'2bynDrlEVNNaxJJqWT7cWMr0MBcVXEmf1ErrOGY3HmD0C5uz8Sc7mxzhM257bjZYalKGR05SXeb9WyG9v2o0a4EkrQyLsIKCl34QTOvrUWiX5A',NULL);
CREATE TABLE audit_log (
  seq BIGINT PRIMARY KEY,
  at BIGINT NOT NULL,
  actor TEXT NOT NULL,
  action TEXT NOT NULL,
  object TEXT NOT NULL,
  detail TEXT NOT NULL,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL
);
CREATE TABLE audit_head (
  id INTEGER PRIMARY KEY,
  last_seq BIGINT NOT NULL,
  last_hash TEXT NOT NULL,
  anchor_seq BIGINT NOT NULL,
  anchor_hash TEXT NOT NULL
);
INSERT INTO audit_head VALUES(1,0,'0000000000000000000000000000000000000000000000000000000000000000',0,'0000000000000000000000000000000000000000000000000000000000000000');
CREATE TABLE outbox (
  id TEXT PRIMARY KEY,
  recipient TEXT NOT NULL,
  kind TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  status TEXT NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at BIGINT NOT NULL,
  claimed_by TEXT,
  claimed_at BIGINT,
  sent_at BIGINT,
  last_error TEXT
);
CREATE TABLE account (
  id TEXT PRIMARY KEY,
  email TEXT NOT NULL UNIQUE,
  role TEXT NOT NULL,
  territory_slug TEXT REFERENCES territory (slug),
  status TEXT NOT NULL,
  password_hash TEXT,
  totp_secret TEXT,
  totp_last_step BIGINT NOT NULL DEFAULT 0,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  public_key TEXT,
  secret_wrapped TEXT,
  secret_salt TEXT
);
CREATE TABLE membership (
  account_id TEXT NOT NULL REFERENCES account (id) ON DELETE CASCADE,
  organization_id TEXT NOT NULL REFERENCES organization (id) ON DELETE CASCADE,
  wrapped_key TEXT,
  key_salt TEXT,
  created_at BIGINT NOT NULL,
  granted_key TEXT,
  granted_by TEXT,
  granted_at BIGINT,
  PRIMARY KEY (account_id, organization_id)
);
CREATE TABLE organization_settings (
  organization_id TEXT PRIMARY KEY REFERENCES organization (id) ON DELETE CASCADE,
  notification_email TEXT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE TABLE account_invitation (
  token_hash TEXT PRIMARY KEY,
  account_id TEXT NOT NULL REFERENCES account (id) ON DELETE CASCADE,
  kind TEXT NOT NULL,
  organization_id TEXT,
  carried_key TEXT,
  pending_totp_secret TEXT,
  password_done_at BIGINT,
  created_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL,
  used_at BIGINT
);
CREATE TABLE account_session (
  id TEXT PRIMARY KEY,
  account_id TEXT NOT NULL REFERENCES account (id) ON DELETE CASCADE,
  created_at BIGINT NOT NULL,
  last_seen_at BIGINT NOT NULL,
  key_box TEXT
);
CREATE TABLE organization_recovery (
  organization_id TEXT PRIMARY KEY REFERENCES organization (id) ON DELETE CASCADE,
  wrapped_key TEXT NOT NULL,
  key_salt TEXT NOT NULL,
  created_at BIGINT NOT NULL
);
CREATE TABLE login_throttle (
  throttle_key TEXT PRIMARY KEY,
  failures INTEGER NOT NULL,
  last_failure_at BIGINT NOT NULL,
  last_success_at BIGINT NOT NULL
);
CREATE TABLE referral_delays (
  territory_slug TEXT PRIMARY KEY REFERENCES territory (slug) ON DELETE CASCADE,
  reminder_days INTEGER NOT NULL,
  escalation_days INTEGER NOT NULL,
  expiry_days INTEGER NOT NULL,
  retention_days INTEGER NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE TABLE organization_change_request (
  id TEXT PRIMARY KEY,
  organization_id TEXT NOT NULL REFERENCES organization (id) ON DELETE CASCADE,
  kind TEXT NOT NULL,
  new_value TEXT NOT NULL,
  status TEXT NOT NULL,
  requested_by TEXT NOT NULL,
  requested_at BIGINT NOT NULL,
  decided_by TEXT,
  decided_at BIGINT,
  applied_at BIGINT
);
CREATE INDEX territory_commune_insee ON territory_commune (insee_code);
CREATE INDEX organization_territory ON organization (territory_slug);
CREATE INDEX location_organization ON location (organization_id);
CREATE INDEX location_insee ON location (insee_code);
CREATE INDEX service_organization ON service (organization_id);
CREATE INDEX service_category_category ON service_category (category);
CREATE INDEX service_at_location_location ON service_at_location (location_id);
CREATE INDEX referral_followup_lookup ON referral (followup_lookup);
CREATE INDEX referral_organization ON referral (organization_id, status);
CREATE INDEX referral_message_referral ON referral_message (referral_id, sort_order);
CREATE INDEX audit_log_at ON audit_log (at);
CREATE INDEX outbox_due ON outbox (status, next_attempt_at);
CREATE INDEX account_territory ON account (territory_slug, role);
CREATE INDEX membership_organization ON membership (organization_id);
CREATE INDEX account_invitation_account ON account_invitation (account_id);
CREATE INDEX account_session_account ON account_session (account_id);
CREATE INDEX referral_status_day ON referral (status, status_changed_on);
CREATE INDEX organization_change_request_status ON organization_change_request (status, organization_id);
CREATE INDEX organization_change_request_organization ON organization_change_request (organization_id, kind);
COMMIT;
