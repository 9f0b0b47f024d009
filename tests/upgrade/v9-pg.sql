--
-- PostgreSQL database dump
--

\restrict xzyNLbkkIN9uB48aZdWqbQNCsSkKh3hTCbB9fO8YfIN3DbmsA5EyMHiDpazfE28

-- Dumped from database version 15.18 (Debian 15.18-0+deb12u1)
-- Dumped by pg_dump version 15.18 (Debian 15.18-0+deb12u1)

SET statement_timeout = 0;
SET lock_timeout = 0;
SET idle_in_transaction_session_timeout = 0;
SET client_encoding = 'UTF8';
SET standard_conforming_strings = on;
SELECT pg_catalog.set_config('search_path', '', false);
SET check_function_bodies = false;
SET xmloption = content;
SET client_min_messages = warning;
SET row_security = off;

--
-- Name: public; Type: SCHEMA; Schema: -; Owner: -
--

-- *not* creating schema, since initdb creates it


--
-- Name: SCHEMA public; Type: COMMENT; Schema: -; Owner: -
--

COMMENT ON SCHEMA public IS '';


SET default_tablespace = '';

SET default_table_access_method = heap;

--
-- Name: account; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.account (
    id text NOT NULL,
    email text NOT NULL,
    role text NOT NULL,
    territory_slug text,
    status text NOT NULL,
    password_hash text,
    totp_secret text,
    totp_last_step bigint DEFAULT 0 NOT NULL,
    created_at bigint NOT NULL,
    updated_at bigint NOT NULL,
    public_key text,
    secret_wrapped text,
    secret_salt text
);


--
-- Name: account_invitation; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.account_invitation (
    token_hash text NOT NULL,
    account_id text NOT NULL,
    kind text NOT NULL,
    organization_id text,
    carried_key text,
    pending_totp_secret text,
    password_done_at bigint,
    created_at bigint NOT NULL,
    expires_at bigint NOT NULL,
    used_at bigint
);


--
-- Name: account_session; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.account_session (
    id text NOT NULL,
    account_id text NOT NULL,
    created_at bigint NOT NULL,
    last_seen_at bigint NOT NULL,
    key_box text
);


--
-- Name: audit_head; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.audit_head (
    id integer NOT NULL,
    last_seq bigint NOT NULL,
    last_hash text NOT NULL,
    anchor_seq bigint NOT NULL,
    anchor_hash text NOT NULL
);


--
-- Name: audit_log; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.audit_log (
    seq bigint NOT NULL,
    at bigint NOT NULL,
    actor text NOT NULL,
    action text NOT NULL,
    object text NOT NULL,
    detail text NOT NULL,
    prev_hash text NOT NULL,
    hash text NOT NULL
);


--
-- Name: commune; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.commune (
    insee_code text NOT NULL,
    name text NOT NULL,
    postal_codes text NOT NULL,
    population bigint NOT NULL,
    lat double precision NOT NULL,
    lon double precision NOT NULL,
    "precision" text NOT NULL,
    departement text NOT NULL,
    epci_code text DEFAULT ''::text NOT NULL,
    parent_insee_code text DEFAULT ''::text NOT NULL,
    former_names text DEFAULT ''::text NOT NULL
);


--
-- Name: location; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.location (
    id text NOT NULL,
    organization_id text NOT NULL,
    name text NOT NULL,
    address text NOT NULL,
    postal_code text NOT NULL,
    city text NOT NULL,
    insee_code text NOT NULL,
    latitude double precision,
    longitude double precision,
    confidential integer NOT NULL,
    transportation text NOT NULL
);


--
-- Name: login_throttle; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.login_throttle (
    throttle_key text NOT NULL,
    failures integer NOT NULL,
    last_failure_at bigint NOT NULL,
    last_success_at bigint NOT NULL
);


--
-- Name: membership; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.membership (
    account_id text NOT NULL,
    organization_id text NOT NULL,
    wrapped_key text,
    key_salt text,
    created_at bigint NOT NULL,
    granted_key text,
    granted_by text,
    granted_at bigint
);


--
-- Name: organization; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.organization (
    id text NOT NULL,
    territory_slug text NOT NULL,
    name text NOT NULL,
    description text NOT NULL,
    website text NOT NULL,
    email text NOT NULL,
    accepts_referrals integer NOT NULL,
    assured_date text,
    verified_by text NOT NULL,
    status text NOT NULL,
    closed_from text,
    closed_until text,
    alert text NOT NULL,
    visibility text NOT NULL,
    is_demo integer DEFAULT 0 NOT NULL,
    created_at bigint NOT NULL,
    updated_at bigint NOT NULL
);


--
-- Name: organization_change_request; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.organization_change_request (
    id text NOT NULL,
    organization_id text NOT NULL,
    kind text NOT NULL,
    new_value text NOT NULL,
    status text NOT NULL,
    requested_by text NOT NULL,
    requested_at bigint NOT NULL,
    decided_by text,
    decided_at bigint,
    applied_at bigint
);


--
-- Name: organization_key; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.organization_key (
    organization_id text NOT NULL,
    public_key text NOT NULL,
    created_on text NOT NULL
);


--
-- Name: organization_recovery; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.organization_recovery (
    organization_id text NOT NULL,
    wrapped_key text NOT NULL,
    key_salt text NOT NULL,
    created_at bigint NOT NULL
);


--
-- Name: organization_settings; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.organization_settings (
    organization_id text NOT NULL,
    notification_email text NOT NULL,
    updated_at bigint NOT NULL
);


--
-- Name: outbox; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.outbox (
    id text NOT NULL,
    recipient text NOT NULL,
    kind text NOT NULL,
    created_at bigint NOT NULL,
    status text NOT NULL,
    attempts integer DEFAULT 0 NOT NULL,
    next_attempt_at bigint NOT NULL,
    claimed_by text,
    claimed_at bigint,
    sent_at bigint,
    last_error text
);


--
-- Name: phone; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.phone (
    organization_id text NOT NULL,
    sort_order integer NOT NULL,
    number text NOT NULL,
    type text NOT NULL,
    description text NOT NULL
);


--
-- Name: referral; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.referral (
    id text NOT NULL,
    idempotency_key text NOT NULL,
    territory_slug text NOT NULL,
    organization_id text NOT NULL,
    service_id text NOT NULL,
    status text NOT NULL,
    sealed_report text,
    followup_lookup text,
    followup_hash text,
    person_public_key text,
    person_key_salt text,
    handover_consent integer NOT NULL,
    created_on text NOT NULL,
    status_changed_on text NOT NULL,
    sealed_summary text,
    outcome text,
    refusal_reason text,
    sealed_refusal_note text,
    handed_over_from text,
    handed_over_to text,
    reminded_on text,
    escalated_on text,
    content_deleted_on text
);


--
-- Name: referral_delays; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.referral_delays (
    territory_slug text NOT NULL,
    reminder_days integer NOT NULL,
    escalation_days integer NOT NULL,
    expiry_days integer NOT NULL,
    retention_days integer NOT NULL,
    updated_at bigint NOT NULL
);


--
-- Name: referral_message; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.referral_message (
    id text NOT NULL,
    referral_id text NOT NULL,
    sender text NOT NULL,
    sealed_body text NOT NULL,
    created_on text NOT NULL,
    sort_order integer NOT NULL,
    sealed_copy text,
    organization_id text
);


--
-- Name: schema_migrations; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.schema_migrations (
    version integer NOT NULL,
    name text NOT NULL,
    applied_at bigint NOT NULL
);


--
-- Name: service; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.service (
    id text NOT NULL,
    organization_id text NOT NULL,
    name text NOT NULL,
    description text NOT NULL,
    minimum_age integer,
    maximum_age integer,
    genders text NOT NULL,
    eligibility_description text NOT NULL,
    fees text NOT NULL,
    languages text NOT NULL,
    accessibility text NOT NULL,
    application_process text NOT NULL,
    opening_hours text NOT NULL
);


--
-- Name: service_at_location; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.service_at_location (
    service_id text NOT NULL,
    location_id text NOT NULL
);


--
-- Name: service_category; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.service_category (
    service_id text NOT NULL,
    category text NOT NULL,
    sort_order integer NOT NULL
);


--
-- Name: stat_counter; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.stat_counter (
    day text NOT NULL,
    territory_slug text NOT NULL,
    kind text NOT NULL,
    detail text NOT NULL,
    count bigint NOT NULL
);


--
-- Name: territory; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.territory (
    slug text NOT NULL,
    name text NOT NULL,
    centre_lat double precision NOT NULL,
    centre_lon double precision NOT NULL,
    default_radius_km double precision NOT NULL,
    neutral_exit_url text NOT NULL,
    languages text NOT NULL,
    youth_services text NOT NULL,
    emergency_contacts text NOT NULL,
    is_demo integer DEFAULT 0 NOT NULL,
    created_at bigint NOT NULL,
    updated_at bigint NOT NULL
);


--
-- Name: territory_commune; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.territory_commune (
    territory_slug text NOT NULL,
    insee_code text NOT NULL,
    name text NOT NULL,
    postal_code text NOT NULL
);


--
-- Data for Name: account; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.account (id, email, role, territory_slug, status, password_hash, totp_secret, totp_last_step, created_at, updated_at, public_key, secret_wrapped, secret_salt) FROM stdin;
\.


--
-- Data for Name: account_invitation; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.account_invitation (token_hash, account_id, kind, organization_id, carried_key, pending_totp_secret, password_done_at, created_at, expires_at, used_at) FROM stdin;
\.


--
-- Data for Name: account_session; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.account_session (id, account_id, created_at, last_seen_at, key_box) FROM stdin;
\.


--
-- Data for Name: audit_head; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.audit_head (id, last_seq, last_hash, anchor_seq, anchor_hash) FROM stdin;
1	0	0000000000000000000000000000000000000000000000000000000000000000	0	0000000000000000000000000000000000000000000000000000000000000000
\.


--
-- Data for Name: audit_log; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.audit_log (seq, at, actor, action, object, detail, prev_hash, hash) FROM stdin;
\.


--
-- Data for Name: location; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.location (id, organization_id, name, address, postal_code, city, insee_code, latitude, longitude, confidential, transportation) FROM stdin;
mtr-cidff-lieu	mtr-cidff	Permanence	18 rue de l'Impératrice	62600	Berck	62108	50.4087	1.5929	0	Bus ligne 513, arrêt Mairie
mtr-pad-lieu	mtr-pad	Maison de services	4 rue Pierre-Ledent	62170	Montreuil-sur-Mer	62588	50.4647	1.7636	0	
mtr-avocats-lieu	mtr-avocats	Mairie de Berck	Place Claude-Wilquin	62600	Berck	62108	50.4066	1.5936	0	Bus ligne 513
mtr-me-leroy-lieu	mtr-me-leroy	Cabinet	12 rue Carnot	62170	Montreuil-sur-Mer	62588	50.466	1.7634	0	
mtr-me-caron-lieu	mtr-me-caron	Cabinet	25 rue de Rosamel	62630	Étaples	62318	50.5133	1.6397	0	Gare d'Étaples-Le Touquet
mtr-france-victimes-lieu	mtr-france-victimes	Bureau	7 place Gambetta	62170	Montreuil-sur-Mer	62588	50.4653	1.7632	0	
mtr-solidarite-femmes-lieu	mtr-solidarite-femmes	Accueil de jour	3 rue Marguet	62630	Étaples	62318	50.5127	1.6385	0	Gare d'Étaples-Le Touquet
mtr-psy-berck-lieu	mtr-psy-berck	Cabinet	40 rue Carnot	62600	Berck	62108	50.4058	1.5947	0	
mtr-cmp-lieu	mtr-cmp	CMP	2 rue des Juifs	62170	Montreuil-sur-Mer	62588	50.4641	1.7648	0	
mtr-hopital-lieu	mtr-hopital	Centre hospitalier	Chemin départemental 191	62180	Rang-du-Fliers	62688	50.4238	1.6465	0	Gare de Rang-du-Fliers-Verton
mtr-dr-cucq-lieu	mtr-dr-cucq	Cabinet	120 avenue de Boulogne	62780	Cucq	62261	50.478	1.625	0	
mtr-umj-lieu	mtr-umj	Centre hospitalier, bâtiment B	Chemin départemental 191	62180	Rang-du-Fliers	62688	50.424	1.6468	0	Gare de Rang-du-Fliers-Verton
mtr-mds-lieu	mtr-mds	Maison des solidarités	15 rue d'Hérambault	62170	Montreuil-sur-Mer	62588	50.4629	1.764	0	
mtr-mds-berck-lieu	mtr-mds-berck	Antenne	1 rue de la Division-Leclerc	62600	Berck	62108	50.4045	1.598	0	
mtr-police-lieu	mtr-police	Commissariat	48 rue de l'Entonnoir	62600	Berck	62108	50.4068	1.599	0	
mtr-gendarmerie-montreuil-lieu	mtr-gendarmerie-montreuil	Brigade	Avenue de la Gare	62170	Montreuil-sur-Mer	62588	50.4692	1.757	0	
mtr-gendarmerie-etaples-lieu	mtr-gendarmerie-etaples	Brigade	10 boulevard Bigot-Descelers	62630	Étaples	62318	50.515	1.642	0	Gare d'Étaples-Le Touquet
mtr-mpf-lieu	mtr-mpf	Maison de protection des familles	Avenue de la Gare	62170	Montreuil-sur-Mer	62588	50.4693	1.7572	0	
mtr-hebergement-lieu	mtr-hebergement	Maison d'accueil	9 chemin Discret-Démo	62600	Berck	62108	50.4101	1.6012	1	
mtr-logement-lieu	mtr-logement	Résidence	2 allée Tranquille-Démo	62630	Étaples	62318	50.5101	1.645	1	
mtr-ase-lieu	mtr-ase	Service enfance	15 rue d'Hérambault	62170	Montreuil-sur-Mer	62588	50.463	1.7642	0	
mtr-pij-lieu	mtr-pij	Point information jeunesse	5 rue Rothschild	62600	Berck	62108	50.4062	1.5912	0	
mtr-mission-locale-lieu	mtr-mission-locale	Mission locale	23 rue Ledent	62170	Montreuil-sur-Mer	62588	50.4655	1.7625	0	
mtr-interpretes-lieu	mtr-interpretes	Bureau	30 rue de Metz	62520	Le Touquet-Paris-Plage	62826	50.5215	1.589	0	
mtr-caf-lieu	mtr-caf	Maison de services	4 rue Pierre-Ledent	62170	Montreuil-sur-Mer	62588	50.4648	1.7637	0	
mtr-ccas-touquet-lieu	mtr-ccas-touquet	CCAS	Boulevard Daloz	62520	Le Touquet-Paris-Plage	62826	50.5201	1.587	0	
p10-cidff-lieu	p10-cidff	Antenne	12 rue des Vinaigriers	75010	Paris	75110	48.8737	2.3609	0	Métro Jacques Bonsergent (ligne 5)
p10-pad-lieu	p10-pad	Mairie du 10e	72 rue du Faubourg-Saint-Martin	75010	Paris	75110	48.8721	2.3576	0	Métro Château-d'Eau (ligne 4)
p10-avocats-lieu	p10-avocats	Salle des permanences	72 rue du Faubourg-Saint-Martin	75010	Paris	75110	48.8722	2.3577	0	Métro Château-d'Eau (ligne 4)
p10-me-martin-lieu	p10-me-martin	Cabinet	45 boulevard de Magenta	75010	Paris	75110	48.8725	2.3592	0	Métro Jacques Bonsergent (ligne 5)
p10-me-diallo-lieu	p10-me-diallo	Cabinet	8 rue de Paradis	75010	Paris	75110	48.8752	2.3516	0	Métro Poissonnière (ligne 7)
p10-avip-lieu	p10-avip	Bureau d'accueil	30 rue du Château-d'Eau	75010	Paris	75110	48.8712	2.358	0	Métro Château-d'Eau (ligne 4)
p10-accueil-jour-lieu	p10-accueil-jour	Accueil de jour	112 quai de Valmy	75010	Paris	75110	48.8765	2.3646	0	Métro Jacques Bonsergent (ligne 5)
p10-psy-lancry-lieu	p10-psy-lancry	Cabinet	27 rue de Lancry	75010	Paris	75110	48.8703	2.3618	0	Métro Jacques Bonsergent (ligne 5)
p10-cmp-lieu	p10-cmp	CMP	5 rue Bichat	75010	Paris	75110	48.8724	2.3668	0	Métro Goncourt (ligne 11)
p10-sante-gare-lieu	p10-sante-gare	Centre de santé	18 rue du 8-Mai-1945	75010	Paris	75110	48.8768	2.359	0	Gare de l'Est
p10-dr-alibert-lieu	p10-dr-alibert	Cabinet	3 rue Alibert	75010	Paris	75110	48.8712	2.3675	0	Métro Goncourt (ligne 11)
p10-umj-lieu	p10-umj	Consultation médico-judiciaire	1 avenue Claude-Vellefaux	75010	Paris	75110	48.8735	2.3688	0	Métro Goncourt (ligne 11)
p10-social-lieu	p10-social	Service social	23 bis rue Bichat	75010	Paris	75110	48.8717	2.3659	0	Métro Goncourt (ligne 11)
p10-commissariat-lieu	p10-commissariat	Commissariat	26 rue Louis-Blanc	75010	Paris	75110	48.881	2.364	0	Métro Louis Blanc (lignes 7 et 7 bis)
p10-bpf-lieu	p10-bpf	Brigade	6 rue Lucien-Sampaix	75010	Paris	75110	48.8718	2.362	0	Métro Jacques Bonsergent (ligne 5)
p10-hebergement-lieu	p10-hebergement	Centre d'hébergement	14 passage Secret-Démo	75010	Paris	75110	48.8741	2.355	1	Métro Gare de l'Est
p10-chrs-lieu	p10-chrs	Résidence	7 cour Cachée-Démo	75010	Paris	75110	48.8779	2.3625	1	
p10-crip-lieu	p10-crip	Cellule	94 quai de Jemmapes	75010	Paris	75110	48.8738	2.3645	0	Métro République
p10-pmi-lieu	p10-pmi	PMI	21 rue de Château-Landon	75010	Paris	75110	48.8823	2.3623	0	Métro Louis Blanc (lignes 7 et 7 bis)
p10-paej-lieu	p10-paej	Point écoute	60 rue du Faubourg-Saint-Martin	75010	Paris	75110	48.8709	2.3571	0	Métro Strasbourg-Saint-Denis
p10-mission-locale-lieu	p10-mission-locale	Antenne	11 rue Jean-Poulmarch	75010	Paris	75110	48.8716	2.3645	0	Métro Jacques Bonsergent (ligne 5)
p10-interpretes-lieu	p10-interpretes	Bureau	9 rue Saint-Vincent-de-Paul	75010	Paris	75110	48.8803	2.352	0	Métro Gare du Nord
p10-caf-lieu	p10-caf	Accueil	67 avenue de Flandre	75010	Paris	75110	48.882	2.37	0	
p10-microcredit-lieu	p10-microcredit	Permanence	15 rue des Récollets	75010	Paris	75110	48.8755	2.3608	0	Gare de l'Est
\.


--
-- Data for Name: login_throttle; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.login_throttle (throttle_key, failures, last_failure_at, last_success_at) FROM stdin;
\.


--
-- Data for Name: membership; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.membership (account_id, organization_id, wrapped_key, key_salt, created_at, granted_key, granted_by, granted_at) FROM stdin;
\.


--
-- Data for Name: organization; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.organization (id, territory_slug, name, description, website, email, accepts_referrals, assured_date, verified_by, status, closed_from, closed_until, alert, visibility, is_demo, created_at, updated_at) FROM stdin;
mtr-cidff	montreuillois	Centre d'information droits des femmes — Côte d'Opale Sud (démo)	Données de démonstration : structure fictive, coordonnées fictives. Information juridique gratuite sur les droits des femmes et des familles ; permanences itinérantes dans les mairies.			1	2025-01-15	coordination territoriale (démo)	active	\N	\N		public	1	1796532834	1796532834
mtr-pad	montreuillois	Point-justice du Montreuillois (démo)	Données de démonstration : structure fictive, coordonnées fictives. Accès au droit : juristes, conciliateur de justice, délégué du Défenseur des droits.			0	2025-01-15	coordination territoriale (démo)	active	\N	\N		public	1	1796532834	1796532834
mtr-avocats	montreuillois	Permanence avocats — barreau de Boulogne-sur-Mer à Berck (démo)	Données de démonstration : structure fictive, coordonnées fictives. Consultation gratuite avec un avocat ; aide juridictionnelle ; ordonnance de protection.			1	2025-01-15	coordination territoriale (démo)	active	\N	\N		public	1	1796532834	1796532834
mtr-me-leroy	montreuillois	Cabinet de Maître Paul Exemple (démo)	Données de démonstration : structure fictive, coordonnées fictives. Avocat en droit de la famille et droit pénal.			0	2025-01-15	coordination territoriale (démo)	active	\N	\N		public	1	1796532834	1796532834
mtr-me-caron	montreuillois	Cabinet de Maître Julie Démo (démo)	Données de démonstration : structure fictive, coordonnées fictives. Avocate en droit de la famille : séparation, résidence des enfants, pension alimentaire.			0	2025-01-15	coordination territoriale (démo)	active	\N	\N		public	1	1796532834	1796532834
mtr-france-victimes	montreuillois	Association d'aide aux victimes du Montreuillois (démo)	Données de démonstration : structure fictive, coordonnées fictives. Écoute, accompagnement juridique et psychologique des victimes, avec ou sans plainte.			1	2025-01-15	coordination territoriale (démo)	active	\N	\N		public	1	1796532834	1796532834
mtr-solidarite-femmes	montreuillois	Solidarité Femmes Côte d'Opale — antenne Étaples (démo)	Données de démonstration : structure fictive, coordonnées fictives. Accueil de jour, groupes de parole, accompagnement des femmes victimes de violences conjugales.			1	2025-01-15	coordination territoriale (démo)	active	\N	\N		public	1	1796532834	1796532834
mtr-psy-berck	montreuillois	Cabinet de psychologie de Berck (démo)	Données de démonstration : structure fictive, coordonnées fictives. Psychologue spécialisée en psychotraumatologie ; dispositif Mon soutien psy.			0	2025-01-15	coordination territoriale (démo)	active	\N	\N		public	1	1796532834	1796532834
mtr-cmp	montreuillois	Centre médico-psychologique de Montreuil-sur-Mer (démo)	Données de démonstration : structure fictive, coordonnées fictives. Consultations gratuites de psychiatres et psychologues pour adultes.			0	2025-01-15	coordination territoriale (démo)	active	\N	\N		public	1	1796532834	1796532834
mtr-hopital	montreuillois	Centre hospitalier de l'arrondissement de Montreuil — urgences (démo)	Données de démonstration : structure fictive, coordonnées fictives. Urgences 24 heures sur 24 ; consultation de victimologie et certificats médicaux.			0	2025-01-15	coordination territoriale (démo)	active	\N	\N		public	1	1796532834	1796532834
mtr-dr-cucq	montreuillois	Cabinet médical de Cucq (démo)	Données de démonstration : structure fictive, coordonnées fictives. Médecins généralistes ; certificats de constatation de violences.			0	2025-01-15	coordination territoriale (démo)	active	\N	\N		public	1	1796532834	1796532834
mtr-umj	montreuillois	Unité médico-judiciaire — consultation avancée (démo)	Données de démonstration : structure fictive, coordonnées fictives. Examens médico-légaux sur réquisition, au centre hospitalier.			0	2025-01-15	coordination territoriale (démo)	active	\N	\N		public	1	1796532834	1796532834
mtr-mds	montreuillois	Maison départementale des solidarités du Montreuillois (démo)	Données de démonstration : structure fictive, coordonnées fictives. Assistantes sociales, protection de l'enfance, PMI : accompagnement des familles et aides d'urgence.			1	2025-01-15	coordination territoriale (démo)	active	\N	\N		public	1	1796532834	1796532834
mtr-mds-berck	montreuillois	Maison départementale des solidarités — antenne de Berck (démo)	Données de démonstration : structure fictive, coordonnées fictives. Service social départemental, protection maternelle et infantile.			0	2025-01-15	coordination territoriale (démo)	active	\N	\N		public	1	1796532834	1796532834
mtr-police	montreuillois	Commissariat de police de Berck (démo)	Données de démonstration : structure fictive, coordonnées fictives. Dépôt de plainte ; en cas d'urgence, appelez le 17.			0	2025-01-15	coordination territoriale (démo)	active	\N	\N		public	1	1796532834	1796532834
mtr-gendarmerie-montreuil	montreuillois	Brigade de gendarmerie de Montreuil-sur-Mer (démo)	Données de démonstration : structure fictive, coordonnées fictives. Accueil des victimes et dépôt de plainte ; maison de protection des familles du Pas-de-Calais. Urgence : 17.			0	2025-01-15	coordination territoriale (démo)	active	\N	\N		public	1	1796532834	1796532834
mtr-gendarmerie-etaples	montreuillois	Brigade de gendarmerie d'Étaples (démo)	Données de démonstration : structure fictive, coordonnées fictives. Accueil des victimes et dépôt de plainte. Urgence : 17.			0	2025-01-15	coordination territoriale (démo)	active	\N	\N		public	1	1796532834	1796532834
mtr-mpf	montreuillois	Maison de protection des familles du Pas-de-Calais (démo)	Données de démonstration : structure fictive, coordonnées fictives. Gendarmes spécialisés : accompagnement des victimes de violences intrafamiliales, prévention.			1	2025-01-15	coordination territoriale (démo)	active	\N	\N		professionals	1	1796532834	1796532834
mtr-hebergement	montreuillois	Accueil d'urgence Opale Sud (démo)	Données de démonstration : structure fictive, coordonnées fictives. Mise à l'abri confidentielle de femmes victimes de violences et de leurs enfants, 24 heures sur 24. Adresse confidentielle : contact par téléphone ou par le 115.			1	2025-01-15	coordination territoriale (démo)	active	\N	\N		public	1	1796532834	1796532834
mtr-logement	montreuillois	Résidence d'insertion Les Deux Baies (démo)	Données de démonstration : structure fictive, coordonnées fictives. Logements temporaires avec accompagnement social pour les femmes et leurs enfants. Adresse confidentielle.			1	2025-01-15	coordination territoriale (démo)	active	\N	\N		public	1	1796532834	1796532834
mtr-ase	montreuillois	Aide sociale à l'enfance — territoire du Montreuillois (démo)	Données de démonstration : structure fictive, coordonnées fictives. Protection de l'enfance : évaluation des informations préoccupantes, accueil provisoire.			0	2025-01-15	coordination territoriale (démo)	active	\N	\N		public	1	1796532834	1796532834
mtr-pij	montreuillois	Point information jeunesse de Berck (démo)	Données de démonstration : structure fictive, coordonnées fictives. Information et écoute des 12-25 ans : relations amoureuses, violences, santé, logement.			0	2025-01-15	coordination territoriale (démo)	active	\N	\N		public	1	1796532834	1796532834
mtr-mission-locale	montreuillois	Mission locale du Montreuillois (démo)	Données de démonstration : structure fictive, coordonnées fictives. Accompagnement des 16-25 ans : logement, emploi, santé, aides financières.			0	2025-01-15	coordination territoriale (démo)	active	\N	\N		public	1	1796532834	1796532834
mtr-interpretes	montreuillois	Service d'interprétariat Opale (démo)	Données de démonstration : structure fictive, coordonnées fictives. Interprètes par téléphone pour les entretiens avec les victimes ; langue des signes sur rendez-vous.			0	2025-01-15	coordination territoriale (démo)	active	\N	\N		public	1	1796532834	1796532834
mtr-caf	montreuillois	Caisse d'allocations familiales — permanence de Montreuil-sur-Mer (démo)	Données de démonstration : structure fictive, coordonnées fictives. Aide universelle d'urgence, allocation de soutien familial, changement de situation.			0	2025-01-15	coordination territoriale (démo)	active	\N	\N		public	1	1796532834	1796532834
mtr-ccas-touquet	montreuillois	Centre communal d'action sociale du Touquet (démo)	Données de démonstration : structure fictive, coordonnées fictives. Aides financières d'urgence, domiciliation, accompagnement social.			0	2025-01-15	coordination territoriale (démo)	temporarily_closed	2025-01-01	\N	Accueil fermé jusqu'à nouvel ordre : appelez le centre communal ou adressez-vous à la Maison des solidarités.	public	1	1796532834	1796532834
mtr-3919	montreuillois	Violences Femmes Info — 3919	Données de démonstration : fiche d'exemple d'un numéro national réel. Numéro national d'écoute pour les femmes victimes de violences, leur entourage et les professionnels. Gratuit, anonyme, 24 heures sur 24, 7 jours sur 7.			0	2025-01-15	coordination territoriale (démo)	active	\N	\N		public	1	1796532834	1796532834
mtr-119	montreuillois	Allô enfance en danger — 119	Données de démonstration : fiche d'exemple d'un numéro national réel. Numéro national pour les enfants en danger ou en risque de l'être, et pour les adultes qui s'en inquiètent. Gratuit, 24 heures sur 24.			0	2025-01-15	coordination territoriale (démo)	active	\N	\N		public	1	1796532834	1796532834
p10-cidff	paris-10	Centre d'information droits des femmes — antenne Paris 10e (démo)	Données de démonstration : structure fictive, coordonnées fictives. Information juridique gratuite et confidentielle sur les droits des femmes et des familles : séparation, violences, ordonnance de protection.		accueil@cidff-demo.example.org	1	2025-01-15	coordination territoriale (démo)	active	\N	\N		public	1	1796532835	1796532835
p10-pad	paris-10	Point-justice de la mairie du 10e (démo)	Données de démonstration : structure fictive, coordonnées fictives. Permanences gratuites d'accès au droit : juristes, conciliateur, aide pour les démarches en justice.			0	2025-01-15	coordination territoriale (démo)	active	\N	\N		public	1	1796532835	1796532835
p10-avocats	paris-10	Permanence avocats — violences intrafamiliales (démo)	Données de démonstration : structure fictive, coordonnées fictives. Consultation gratuite avec un avocat du barreau formé aux violences conjugales ; aide juridictionnelle acceptée.			1	2025-01-15	coordination territoriale (démo)	active	\N	\N		public	1	1796532835	1796532835
p10-me-martin	paris-10	Cabinet de Maître Claire Exemple (démo)	Données de démonstration : structure fictive, coordonnées fictives. Avocate en droit de la famille : divorce, garde des enfants, ordonnance de protection.			0	2025-01-15	coordination territoriale (démo)	active	\N	\N		public	1	1796532835	1796532835
p10-me-diallo	paris-10	Cabinet de Maître Awa Démo (démo)	Données de démonstration : structure fictive, coordonnées fictives. Avocate en droit pénal et droit des étrangers : plainte, constitution de partie civile, titre de séjour des victimes.			1	2025-01-15	coordination territoriale (démo)	active	\N	\N		public	1	1796532835	1796532835
p10-avip	paris-10	Association d'aide aux victimes Paris Nord (démo)	Données de démonstration : structure fictive, coordonnées fictives. Écoute, information sur les droits, accompagnement dans les démarches et vers la plainte.			1	2025-01-15	coordination territoriale (démo)	active	\N	\N		public	1	1796532835	1796532835
p10-accueil-jour	paris-10	Accueil de jour Femmes du canal (démo)	Données de démonstration : structure fictive, coordonnées fictives. Lieu d'accueil de jour pour les femmes victimes de violences : écoute, café, douche, orientation.			1	2025-01-15	coordination territoriale (démo)	active	\N	\N		public	1	1796532835	1796532835
p10-psy-lancry	paris-10	Cabinet de psychologie rue de Lancry (démo)	Données de démonstration : structure fictive, coordonnées fictives. Psychologue clinicienne, prise en charge du psychotraumatisme ; séances remboursées dans le cadre de Mon soutien psy.			0	2025-01-15	coordination territoriale (démo)	active	\N	\N		public	1	1796532835	1796532835
p10-cmp	paris-10	Centre médico-psychologique adultes Paris 10 (démo)	Données de démonstration : structure fictive, coordonnées fictives. Consultations de psychiatres et psychologues, gratuites, pour les habitants du secteur.			0	2025-01-15	coordination territoriale (démo)	active	\N	\N		public	1	1796532835	1796532835
p10-sante-gare	paris-10	Centre de santé de la gare de l'Est (démo)	Données de démonstration : structure fictive, coordonnées fictives. Médecine générale, certificats médicaux de constatation de violences, orientation vers l'unité médico-judiciaire.			0	2025-01-15	coordination territoriale (démo)	active	\N	\N		public	1	1796532835	1796532835
p10-dr-alibert	paris-10	Docteure Marie Exemple, médecin généraliste (démo)	Données de démonstration : structure fictive, coordonnées fictives. Médecin généraliste formée au repérage des violences.			0	2025-01-15	coordination territoriale (démo)	active	\N	\N		public	1	1796532835	1796532835
p10-umj	paris-10	Unité médico-judiciaire — consultation Paris Nord (démo)	Données de démonstration : structure fictive, coordonnées fictives. Examens médico-légaux sur réquisition de la police ou de la justice : constat des blessures, ITT.			0	2025-01-15	coordination territoriale (démo)	active	\N	\N		public	1	1796532835	1796532835
p10-social	paris-10	Service social de proximité du 10e (démo)	Données de démonstration : structure fictive, coordonnées fictives. Assistantes sociales : accès aux droits, aides financières, hébergement, accompagnement après une séparation.			1	2025-01-15	coordination territoriale (démo)	active	\N	\N		public	1	1796532835	1796532835
p10-commissariat	paris-10	Commissariat central du 10e arrondissement (démo)	Données de démonstration : structure fictive, coordonnées fictives. Dépôt de plainte 24 heures sur 24 ; intervenante sociale et psychologue au commissariat en semaine. En cas d'urgence, appelez le 17.			0	2025-01-15	coordination territoriale (démo)	active	\N	\N		public	1	1796532835	1796532835
p10-bpf	paris-10	Brigade de protection de la famille — Paris (démo)	Données de démonstration : structure fictive, coordonnées fictives. Enquêteurs spécialisés dans les violences intrafamiliales et les violences faites aux mineurs.			0	2025-01-15	coordination territoriale (démo)	active	\N	\N		professionals	1	1796532835	1796532835
p10-gendarmerie	paris-10	Brigade numérique de la gendarmerie (démo)	Données de démonstration : structure fictive, coordonnées fictives. Échange par messagerie en ligne avec un gendarme, 24 heures sur 24, pour signaler des violences ou être conseillée.	https://www.example.org/brigade-numerique-demo		0	2025-01-15	coordination territoriale (démo)	active	\N	\N		public	1	1796532835	1796532835
p10-hebergement	paris-10	Hébergement d'urgence femmes et enfants (démo)	Données de démonstration : structure fictive, coordonnées fictives. Mise à l'abri immédiate et confidentielle de femmes victimes de violences, avec leurs enfants. Adresse confidentielle : contact par téléphone ou par le 115.			1	2025-01-15	coordination territoriale (démo)	active	\N	\N		public	1	1796532835	1796532835
p10-chrs	paris-10	Résidence sociale La Passerelle du canal (démo)	Données de démonstration : structure fictive, coordonnées fictives. Hébergement de stabilisation et accompagnement vers le logement pour femmes seules ou avec enfants. Adresse confidentielle.			1	2025-01-15	coordination territoriale (démo)	active	\N	\N		public	1	1796532835	1796532835
p10-crip	paris-10	Cellule de recueil des informations préoccupantes — Paris (démo)	Données de démonstration : structure fictive, coordonnées fictives. Signalement d'un enfant en danger ou en risque de l'être ; conseils aux professionnels.			0	2025-01-15	coordination territoriale (démo)	active	\N	\N		public	1	1796532835	1796532835
p10-pmi	paris-10	Centre de protection maternelle et infantile Château-Landon (démo)	Données de démonstration : structure fictive, coordonnées fictives. Consultations gratuites pour les femmes enceintes et les enfants de moins de 6 ans ; écoute des parents.			0	2025-01-15	coordination territoriale (démo)	active	\N	\N		public	1	1796532835	1796532835
p10-paej	paris-10	Point accueil écoute jeunes Saint-Martin (démo)	Données de démonstration : structure fictive, coordonnées fictives. Écoute anonyme et gratuite pour les 12-25 ans : relations amoureuses, violences, famille.			0	2025-01-15	coordination territoriale (démo)	active	\N	\N		public	1	1796532835	1796532835
p10-mission-locale	paris-10	Mission locale Paris Nord-Est — antenne 10e (démo)	Données de démonstration : structure fictive, coordonnées fictives. Accompagnement des 16-25 ans : logement, emploi, santé, aides financières.			0	2025-01-15	coordination territoriale (démo)	active	\N	\N		public	1	1796532835	1796532835
p10-interpretes	paris-10	Inter-Service Migrants — interprétariat (démo)	Données de démonstration : structure fictive, coordonnées fictives. Interprètes professionnels par téléphone ou sur place pour les entretiens avec les victimes ; plus de 80 langues.			0	2025-01-15	coordination territoriale (démo)	active	\N	\N		public	1	1796532835	1796532835
p10-caf	paris-10	Caisse d'allocations familiales — accueil Paris 10 (démo)	Données de démonstration : structure fictive, coordonnées fictives. Aide universelle d'urgence pour les victimes de violences conjugales, allocation de soutien familial, changement de situation.			0	2025-01-15	coordination territoriale (démo)	active	\N	\N		public	1	1796532835	1796532835
p10-microcredit	paris-10	Fonds de solidarité Femmes — aide d'urgence (démo)	Données de démonstration : structure fictive, coordonnées fictives. Aides financières ponctuelles et prêts sans intérêt pour quitter le domicile : caution, déménagement.			1	2025-01-15	coordination territoriale (démo)	temporarily_closed	2025-01-01	2026-12-31	Permanence fermée pour travaux : les demandes passent par le service social de proximité.	public	1	1796532835	1796532835
p10-3919	paris-10	Violences Femmes Info — 3919	Données de démonstration : fiche d'exemple d'un numéro national réel. Numéro national d'écoute pour les femmes victimes de violences, leur entourage et les professionnels. Gratuit, anonyme, 24 heures sur 24, 7 jours sur 7.			0	2025-01-15	coordination territoriale (démo)	active	\N	\N		public	1	1796532835	1796532835
p10-119	paris-10	Allô enfance en danger — 119	Données de démonstration : fiche d'exemple d'un numéro national réel. Numéro national pour les enfants en danger ou en risque de l'être, et pour les adultes qui s'en inquiètent. Gratuit, 24 heures sur 24.			0	2025-01-15	coordination territoriale (démo)	active	\N	\N		public	1	1796532835	1796532835
\.


--
-- Data for Name: organization_change_request; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.organization_change_request (id, organization_id, kind, new_value, status, requested_by, requested_at, decided_by, decided_at, applied_at) FROM stdin;
\.


--
-- Data for Name: organization_key; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.organization_key (organization_id, public_key, created_on) FROM stdin;
p10-119	-kupTHKLqXRLt0-14LpLh_IeIHOvt9xzwI0jnpLoxUE	2026-12-06
p10-3919	hQlmyP4JjGF1I4VjUYW5Z0Z6zqlPsDcRinzjhneHri0	2026-12-06
p10-avip	oD6sUEeePtIzFz28vit00BwM85cACaDSc2lldZCgEzo	2026-12-06
p10-avocats	FQdHaoBGGnFFJUEh8k0V2ZFWwWHk232dtvmEzlt9Yl0	2026-12-06
p10-bpf	uNanXU-C7hnNIF9GYdukFO2_PBRugHz7s7KyXTl5zQU	2026-12-06
p10-caf	S6vjTOLa--LAIjKJt-sFKMchvr4LGakxc_Vlcs6FH1E	2026-12-06
p10-chrs	mb8hEdSd9BzQGuY5kKG1S9UJgKGYjtO67OZUYbgjeSE	2026-12-06
p10-cidff	94PNNh-Anew9xkfRiSq7N9xu6gl0IqAbF3U6pqi0F0E	2026-12-06
p10-cmp	HLdOqFAD42qZGsrxn4WKbujnZK8FySpJvTsz1rnxQU8	2026-12-06
p10-commissariat	nAcpWmolHGOy5B5w84Hn8gjxkwkdXF2u64hIWngiFgg	2026-12-06
p10-crip	iNdOkbk53JWKV8iyHKcKUv7uqli9hkQ8acPAslE8EUI	2026-12-06
p10-dr-alibert	Qjtlazd6Rdf9YynpXo2UcpdtS62jT-HXxgrOSw3Gl2U	2026-12-06
p10-gendarmerie	DdKDnuIQ_MW1p7WytSls5feN9eLRbBB5KhRgWeXcIlE	2026-12-06
p10-hebergement	NhajTkGPkPHXuZyRSA9fI6LQyKVwojF4oEAsxmP2WjQ	2026-12-06
p10-interpretes	tlbA6ydiXuFvGGMBc0Bnl15iFi9G94MJPEU-M4b51GQ	2026-12-06
p10-me-diallo	4UVNoZpSLPRbWNzUCrq40RMYCcTggtW_Ud--kIa3GmE	2026-12-06
p10-me-martin	u15wC2iw19cgV0gnJNLxqf4FZd6XbQFSIOh7fydf6FQ	2026-12-06
p10-microcredit	W6kprBlzCuYrr4UWkA4qkEOIOfT6a31HirynHbaMVxg	2026-12-06
p10-mission-locale	GQfuBkqDPz41HjO3ZG88b0X-qzBhhtNiFziRDji4Qlg	2026-12-06
p10-pad	p2kyNVUX4uvzVtcrwgYKYJjFo5j5ybmyJdCdT2Q3Yg8	2026-12-06
p10-paej	vVBY7cIcy2Lix8ERqar2SN9Kq6tnCCHqh1VJ_SfUOCs	2026-12-06
p10-pmi	MxMINUlia0UGccEVO3aBrcnAEOdHWFmbKzxKa0NWxSM	2026-12-06
p10-psy-lancry	RzgB_wiALw6fF5gZzzkWhlJfFf3HXI5BR6MYPebBA38	2026-12-06
p10-sante-gare	H5UXdWMCg_g8i3GCu2SQTpgLqr2HFg66XgspDvpBsjw	2026-12-06
p10-social	qU0vUFL-fZyx_6zg1qUT6uD_YeWj16VUQ0mE6E5RUXQ	2026-12-06
p10-umj	GfmmQeiqbaN4jzHCnFGHEQDcaKHuVCBe2lgrY6wmk2s	2026-12-06
mtr-119	mkLEvz8US8-02qMDJMCu6yl2dQVVlJ2_aqA2pK1OWGk	2026-12-06
mtr-3919	gfIeBkmOq6xAzqwbttU8kIRRkV-fkFAzDdpT6XtG4EI	2026-12-06
mtr-ase	A-d7gtwo-9Rvn3HFngswVKij-fJfNn8UwALX8YbAu08	2026-12-06
mtr-avocats	PgDVYt6MGYFTjcsJiWqWuapM5DMIhmDLg2W-7R7bQzE	2026-12-06
mtr-caf	V2JEXdrHwAg6QAw_s_0mtKwtp5HJqhupyJaBbwRwOG0	2026-12-06
mtr-ccas-touquet	9CZHELYP3GaPYyIzeS1ChZFEjoOoTvjcQJVFhoMgGiY	2026-12-06
mtr-cidff	9bxKpWqLnRTxupo7Loj399aJOyLipt5PDyfiSjuUThk	2026-12-06
mtr-cmp	Iy5aCX81AbvhwjIdrNfc3_7O5rxyz2vFCAxaYgO4-EI	2026-12-06
mtr-dr-cucq	_D4Wr8MIqANsUWXQbpLkgsoiw8UN2GFa3dyUZlcrB2Q	2026-12-06
mtr-france-victimes	e68ug-t7IpbLGvp1p4Yfcp_9y6exN02DfkPQptP6yTI	2026-12-06
mtr-gendarmerie-etaples	vrrWe7HmfcjnY_DLLCRAl9nae8aIV318GwokZ2ygpCY	2026-12-06
mtr-gendarmerie-montreuil	AIcwHoPYopEJfd5AIL3fmXYsLJGySiWdf51a8zSfFGo	2026-12-06
mtr-hebergement	s31OwQalOh9EooOU7XA2VaOcvtMAE13CAtartXUmt3E	2026-12-06
mtr-hopital	zU4skOUyxbVKdcRJg4vxWLei6i3LRhQw9D31nbDiRXc	2026-12-06
mtr-interpretes	x0kad-CgYzeHkmLkLn-fMzgp5Ijo4S7AzZdLmG_EUzw	2026-12-06
mtr-logement	LUwqcFgvFXaTarQ1yF1G1tl-fkRl5n6s6La3-ip3pAM	2026-12-06
mtr-mds	RsLtlaEc3-bmiQqB3R5a6pfRRBhpDZTyvwgV2lpEGlQ	2026-12-06
mtr-mds-berck	XqTliHcXaQxgELhPFGjZa2lMjH8vIvv-oRzrPdz3_wE	2026-12-06
mtr-me-caron	Y66PQS4jpSmrZTpGZI7uw_GEZJ9wqWmrZm8O7G9AyDk	2026-12-06
mtr-me-leroy	qwCU0uQ6tRX3nL96QO2w86ar6hZmc30Bwrwfx8YVaR0	2026-12-06
mtr-mission-locale	CIvf287G8PVhIjXSP9GuZ4yFN3P5ScgzpzSOCMivJgQ	2026-12-06
mtr-mpf	hiCtclvD1BX8bxcUoHuBZwe8I3HImYJd_G-hjHm8T2M	2026-12-06
mtr-pad	WPor2FhZ8qBzVtE2lywte9Akzuy1nYDgLmFzrJ1lJBs	2026-12-06
mtr-pij	NIjFgoRK1eos4KjFnhvjRVJjS-rhdVhOysKMmDBqFQo	2026-12-06
mtr-police	uL4q2vWN-93CGiEPnNgDRTBuYcgKMfKg-zfeVLs_kyQ	2026-12-06
mtr-psy-berck	Lg-03sVmQNILV-KEeRyyOvdY0ENzMwo6pNQbArZRhVc	2026-12-06
mtr-solidarite-femmes	fNmu4m_oMsZ3Cp5W8rgEzu0BnBpgMVJZDSJQtNuXsBc	2026-12-06
mtr-umj	Mfksx8tLg0yWLkrFlHJWIqoelOhmIzTDQR48pd1Rogk	2026-12-06
p10-accueil-jour	Zr01nqURYZRQ8Bsq9tHiiYLitXL2ePKBZCFTJKxVqhY	2026-12-06
\.


--
-- Data for Name: organization_recovery; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.organization_recovery (organization_id, wrapped_key, key_salt, created_at) FROM stdin;
\.


--
-- Data for Name: organization_settings; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.organization_settings (organization_id, notification_email, updated_at) FROM stdin;
\.


--
-- Data for Name: outbox; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.outbox (id, recipient, kind, created_at, status, attempts, next_attempt_at, claimed_by, claimed_at, sent_at, last_error) FROM stdin;
\.


--
-- Data for Name: phone; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.phone (organization_id, sort_order, number, type, description) FROM stdin;
mtr-cidff	0	03 99 00 20 01	voice	
mtr-pad	0	03 99 00 20 02	voice	
mtr-avocats	0	03 99 00 20 03	voice	
mtr-me-leroy	0	03 99 00 20 04	voice	
mtr-me-caron	0	03 99 00 20 05	voice	
mtr-france-victimes	0	03 99 00 20 06	voice	
mtr-france-victimes	1	116 006	voice	numéro national d'aide aux victimes
mtr-solidarite-femmes	0	03 99 00 20 07	voice	
mtr-psy-berck	0	03 99 00 20 08	voice	
mtr-cmp	0	03 99 00 20 09	voice	
mtr-hopital	0	03 99 00 20 10	voice	
mtr-dr-cucq	0	03 99 00 20 11	voice	
mtr-umj	0	03 99 00 20 12	voice	
mtr-mds	0	03 99 00 20 13	voice	
mtr-mds-berck	0	03 99 00 20 14	voice	
mtr-police	0	17	voice	urgence
mtr-police	1	03 99 00 20 15	voice	accueil
mtr-gendarmerie-montreuil	0	17	voice	urgence
mtr-gendarmerie-montreuil	1	03 99 00 20 16	voice	accueil
mtr-gendarmerie-etaples	0	17	voice	urgence
mtr-gendarmerie-etaples	1	03 99 00 20 17	voice	accueil
mtr-mpf	0	03 99 00 20 18	voice	
mtr-hebergement	0	03 99 00 20 19	voice	permanence 24 h/24
mtr-hebergement	1	115	voice	SAMU social
mtr-logement	0	03 99 00 20 20	voice	
mtr-ase	0	03 99 00 20 21	voice	
mtr-ase	1	119	voice	Allô enfance en danger, 24 h/24
mtr-pij	0	03 99 00 20 22	voice	
mtr-mission-locale	0	03 99 00 20 23	voice	
mtr-interpretes	0	03 99 00 20 24	voice	
mtr-caf	0	03 99 00 20 25	voice	
mtr-ccas-touquet	0	03 99 00 20 26	voice	
mtr-3919	0	3919	voice	appel gratuit et anonyme
mtr-119	0	119	voice	appel gratuit
p10-cidff	0	01 99 00 10 01	voice	accueil
p10-pad	0	01 99 00 10 02	voice	
p10-avocats	0	01 99 00 10 03	voice	
p10-me-martin	0	01 99 00 10 04	voice	
p10-me-diallo	0	01 99 00 10 05	voice	
p10-avip	0	01 99 00 10 06	voice	
p10-avip	1	116 006	voice	numéro national d'aide aux victimes
p10-accueil-jour	0	01 99 00 10 07	voice	
p10-psy-lancry	0	01 99 00 10 08	voice	
p10-cmp	0	01 99 00 10 09	voice	
p10-sante-gare	0	01 99 00 10 10	voice	
p10-dr-alibert	0	01 99 00 10 11	voice	
p10-umj	0	01 99 00 10 12	voice	
p10-social	0	01 99 00 10 13	voice	
p10-commissariat	0	17	voice	urgence
p10-commissariat	1	01 99 00 10 14	voice	accueil
p10-bpf	0	01 99 00 10 15	voice	
p10-gendarmerie	0	17	voice	urgence
p10-hebergement	0	01 99 00 10 16	voice	permanence 24 h/24
p10-hebergement	1	115	voice	SAMU social
p10-chrs	0	01 99 00 10 17	voice	
p10-crip	0	01 99 00 10 18	voice	
p10-crip	1	119	voice	Allô enfance en danger, 24 h/24
p10-pmi	0	01 99 00 10 19	voice	
p10-paej	0	01 99 00 10 20	voice	
p10-paej	1	06 99 00 10 20	text	SMS
p10-mission-locale	0	01 99 00 10 21	voice	
p10-interpretes	0	01 99 00 10 22	voice	
p10-caf	0	01 99 00 10 23	voice	
p10-microcredit	0	01 99 00 10 24	voice	
p10-3919	0	3919	voice	appel gratuit et anonyme
p10-119	0	119	voice	appel gratuit
\.


--
-- Data for Name: referral; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.referral (id, idempotency_key, territory_slug, organization_id, service_id, status, sealed_report, followup_lookup, followup_hash, person_public_key, person_key_salt, handover_consent, created_on, status_changed_on, sealed_summary, outcome, refusal_reason, sealed_refusal_note, handed_over_from, handed_over_to, reminded_on, escalated_on, content_deleted_on) FROM stdin;
ref-5a60055df999651f	9fafe101769776ac1239a8bd119a5e26253eab8b44578e781002f24ecb51dfcb	paris-10	p10-accueil-jour	p10-accueil-jour-s1	new	GpSD_EhDLrQbhDYeeX8vrACkWDR1PonySBV9_jafvgDBXNEhXSr-JMHqI2_UzI_5hWCiUfzAVbrJ-J65oUN9NKZB5CLj9qErr765QmFMJBD1ovt2_J-0tEtCwApVtSD-iXytpnIrb1CmKw9Y6WSICHwUVv1Y76Dqu4y4rSrf0rB7C6AAOHvLLEfgKQFHtH1-XM89pHZOTjOslP0IVLYLUqXQkc-qs5ijunCIMURowFKpUGQhOFlZR7kDPt-tMkYMMgYD06SVhS8jdHTpbxMqZHmAEFKF_OZ-lT3Ta2JY4jNOtudYZgQEFCpm6ZoKM653Ayj4LC75JklVB-bud6DrT_aExTEf2brN79v6PGcykIHulB5qM4sW822PJ8ZeH25dvVHOLz3HlpqWQEal-Z7-jN9fJIa76MuGKDh4f0PDJciCcXOQRPZFLN9psv_vCN_lKTvILqcBNRk_zqkMUsdVc147Gr_CbX3KxPjW_Xfe5QTC0hlOH1GLQ7pd6F5u3NXf8u84cmgKGRKgEM-kcn6wrLj-vCjKqmuX_KwITZ3o8FVvSaVMDcuuNx40Vu2cV-r52QOzygfbK53AAfWBNjsEUUTCuktUmk4OE9L_odSvE9hZ509FwRlPX_n7MfI1ts8IB8JPoML6P-xDejqIUKAYnJlgajkKJFBc3U-KxdU4lF3PK8PSFbBhjhzpHo8SBYQ7zjbMD6XaaNVLfbTxuOKfBeg7f8pGbXyuxQaZGMxCQRVnjCmJCM65BM-UYoO2y2XN47nFVmtm3JZ0m3FkTgumUunhndVICokvbKALh2-lu9qY8f8IaWPE-K8rt23fHtGcXa25A_Wjd4qX6yJxGjR3zNMrqPolGGugEkYYSgWxG7ezWNlmoGXD09WZGRu-qlpMLNyGZzD-99C3O88clXRpAwiZpm1UY_fHKsyxrXkzJn4Wosp3Tyu6o_ENM0Vz0S-yBFGTgFf8kzFiq7PNRasLwHM-bWdujJBJHDfWmHB11130HQHl1PIzgE7wvD9BaMseuXrDzl0OxAwb4vNMAHRvtX_03mdqesXtbojyLNy3KzAAPoUscXRxor1yT_ISbzTB2Cci1Dj7g7DC3itHwYJR66wxajC8EtHhKC-Xi1XeKfEej46Cv_zGBTLkTS8QGcj71qC13wGlm7CS-Cf2KnEFOq9HqmxmyT8R4osey_ZsQHi0wDccQIJ2pR_ABSncNj4NyVSUJB3OHqNPclsluJi9SvYLWWcms60Zkm3dOIpBE95gevruvcsw_3quxT1Shtp3mZgnP-z1Q-fKMPrwzfB8gCOaznSCQ3y5HVkFp4v_uBFHkXvAMNU7CZHgDu0HSBf7fXb6Rc7pJ1igL9pNGNKxKiAgg7LAxh_oOFWQI6ZCQzy8InpTDAEvlcAq6HT_8JUZzHpPa8ifoe8IrenfvAmRK09jWGr5wmqZTAkHCaK11FISbpNEMPTWaAm1ZlEpCONEHHr-PvxQEL1hMKLeK74FppThrW_3AVRViMNK7gIjc2lDG5NLtailrPVDTZBVOFMA9XkfcIE9UAXcif1Q3bTtYMsw9Ukgg5fm6H2WkcvqwcN09T2sd0lKUowQsPC6mR995NbzGfyxFoxLrCzhvFhHVrTH_fdJVYdDhDrbsTkUqNyyBuOxb3BajD6Xy6qTvRAhMcK0-0THFyySxvnnmbtgeCA95n8ZXVttjfaMbwHCPu_5uaGNuD221WhmCgBUn2lexq1QRFo4J0IU7Eu5M_SJ_GTwVh0Je0DtxrNzde8Jsl2fv2fV7Jy9rcUI4Al-vW837e2m9GR7yglK3ZAVs04Rduaq-7aB8RnXrPpjIwxCU3h9FG9BgiTKKjy1JsOJ4ezIF83qbH-XJ_xX-I2kgWMX3y3GYJWeSE014CLp6KgAMh8ICFtl08LCGyAQEpZPrC-V3GYc35-Bj9eX6SfRjTxwp-JpTNWMbHd9zhq7NnLProcNLtQ5lc7Zn1Aaxe6OSEsDQ9ckNqeYq9V1YTM5aEuQgO68dpDt11waA2fagq8oxAy88f4uPWr-gVAk-ELWN1bPRdsd2Qu_MFGK1XmNbdiAd9DiSFVZRvSrFvqXcKE	2b4402f0bef50434edeb04e1d907d0ac16331a43e832bf37c4ee99bcececc8a5	$argon2id$v=19$m=65536,t=2,p=1$sawYnKJZ6Lq2P3D3Uha/fw$Gw63ql2gPsouG0jg2opzNHcrmqlPo/YoXmtzWDVC7t0	dBwjvVbZbWCPrcM7Hw5bwopwE5dOueK7D2Drz212Sn8	vnJlwZaP6pH5Yojdde9taQ	0	2026-12-06	2026-12-06	lk7DMBoEhnRuotHutPpS6j5i4AHkdEzg19VYxTqRsgNIY298xbgJ2aL99jX4AIf3TUT_sog6XUPBsNQxxP-k_DzDxiCpyLQOcTAc9c2G5hVK32gWD3q1do1fe3Xgm-hEFNGJ7lzMtCl8WrGz7bDEj57iZHlKmM4184malw9UfVK494PqfJr-UPHazfeje88Rv-w6Tr8LIFd_M88V	\N	\N	\N	\N	\N	\N	\N	\N
\.


--
-- Data for Name: referral_delays; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.referral_delays (territory_slug, reminder_days, escalation_days, expiry_days, retention_days, updated_at) FROM stdin;
\.


--
-- Data for Name: referral_message; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.referral_message (id, referral_id, sender, sealed_body, created_on, sort_order, sealed_copy, organization_id) FROM stdin;
msg-89af7af104a072a9	ref-5a60055df999651f	person	x3bUjk0vBVw30l2Ajvblil8O6xg6g0fu1iOVs1ncmk8SsnUmzQrstyfTodzZL7BICjIBFOYZSChE5He943C0pT6twwvtaiFcouyk5rwGIhZeuA	2026-12-06	1	sgsmt6vYatZ_pjHSWyTH35uVyrd2umpZVGDCGk07TUC1iiEUBXYa8rmbZrvsilwzD_BFx7_qh6mFETxA8HlIhqiaUcqGXkCcQaDbQCPwlKNDGA	\N
\.


--
-- Data for Name: schema_migrations; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.schema_migrations (version, name, applied_at) FROM stdin;
1	foundation	1796532832
2	gazetteer	1796532832
3	directory	1796532833
4	referral	1796532833
5	audit	1796532833
6	outbox	1796532833
7	accounts	1796532833
8	referral_workflow	1796532834
9	profile	1796532834
\.


--
-- Data for Name: service; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.service (id, organization_id, name, description, minimum_age, maximum_age, genders, eligibility_description, fees, languages, accessibility, application_process, opening_hours) FROM stdin;
mtr-cidff-s1	mtr-cidff	Centre d'information droits des femmes — Côte d'Opale Sud (démo)	Information juridique gratuite sur les droits des femmes et des familles ; permanences itinérantes dans les mairies.	\N	\N			free	fr	wheelchair	Sur rendez-vous ; permanences à Montreuil-sur-Mer le jeudi.	Mo-Th 09:00-12:00,13:30-17:00; PH off
mtr-pad-s1	mtr-pad	Point-justice du Montreuillois (démo)	Accès au droit : juristes, conciliateur de justice, délégué du Défenseur des droits.	\N	\N			free	fr	wheelchair	Sur rendez-vous.	Tu,Th 09:00-12:00,14:00-17:00; PH off
mtr-avocats-s1	mtr-avocats	Permanence avocats — barreau de Boulogne-sur-Mer à Berck (démo)	Consultation gratuite avec un avocat ; aide juridictionnelle ; ordonnance de protection.	\N	\N			free,legal_aid	fr		Sans rendez-vous le samedi matin.	Sa 09:00-12:00; PH off
mtr-me-leroy-s1	mtr-me-leroy	Cabinet de Maître Paul Exemple (démo)	Avocat en droit de la famille et droit pénal.	\N	\N			paid,legal_aid	fr		Sur rendez-vous.	Mo-Fr 09:00-12:00,14:00-18:30
mtr-me-caron-s1	mtr-me-caron	Cabinet de Maître Julie Démo (démo)	Avocate en droit de la famille : séparation, résidence des enfants, pension alimentaire.	\N	\N			paid,legal_aid	fr,en		Sur rendez-vous.	Mo-Th 09:00-18:00; Fr 09:00-12:00
mtr-france-victimes-s1	mtr-france-victimes	Association d'aide aux victimes du Montreuillois (démo)	Écoute, accompagnement juridique et psychologique des victimes, avec ou sans plainte.	\N	\N			free	fr	wheelchair	Sur rendez-vous ; déplacements à domicile possibles.	Mo-Fr 09:00-12:00,13:30-17:00; PH off
mtr-solidarite-femmes-s1	mtr-solidarite-femmes	Solidarité Femmes Côte d'Opale — antenne Étaples (démo)	Accueil de jour, groupes de parole, accompagnement des femmes victimes de violences conjugales.	\N	\N	female		free	fr		Sans rendez-vous le matin.	Mo,Tu,Th,Fr 09:30-12:30,13:30-17:00; PH off
mtr-psy-berck-s1	mtr-psy-berck	Cabinet de psychologie de Berck (démo)	Psychologue spécialisée en psychotraumatologie ; dispositif Mon soutien psy.	\N	\N			paid	fr		Sur rendez-vous.	Mo-Fr 09:00-19:00
mtr-cmp-s1	mtr-cmp	Centre médico-psychologique de Montreuil-sur-Mer (démo)	Consultations gratuites de psychiatres et psychologues pour adultes.	\N	\N			free	fr		Après un entretien d'accueil.	Mo-Fr 09:00-17:00; PH off
mtr-hopital-s1	mtr-hopital	Centre hospitalier de l'arrondissement de Montreuil — urgences (démo)	Urgences 24 heures sur 24 ; consultation de victimologie et certificats médicaux.	\N	\N			free,paid	fr	wheelchair		24/7
mtr-hopital-s2	mtr-hopital	Consultation de victimologie	Suivi médical et psychologique des victimes de violences.	\N	\N			free,paid	fr	wheelchair		Tu,Th 09:00-16:00; PH off
mtr-dr-cucq-s1	mtr-dr-cucq	Cabinet médical de Cucq (démo)	Médecins généralistes ; certificats de constatation de violences.	\N	\N			paid	fr		Avec ou sans rendez-vous.	Mo-Fr 08:30-12:00,14:00-19:00; Sa 08:30-12:00
mtr-umj-s1	mtr-umj	Unité médico-judiciaire — consultation avancée (démo)	Examens médico-légaux sur réquisition, au centre hospitalier.	\N	\N			free	fr	wheelchair	Sur réquisition de la gendarmerie ou du parquet.	Mo-Fr 09:00-17:00; PH off
mtr-mds-s1	mtr-mds	Maison départementale des solidarités du Montreuillois (démo)	Assistantes sociales, protection de l'enfance, PMI : accompagnement des familles et aides d'urgence.	\N	\N			free	fr	wheelchair	Sur rendez-vous ; permanence sans rendez-vous le mardi matin.	Mo-Fr 09:00-12:00,13:30-17:00; PH off
mtr-mds-berck-s1	mtr-mds-berck	Maison départementale des solidarités — antenne de Berck (démo)	Service social départemental, protection maternelle et infantile.	\N	\N			free	fr	wheelchair	Sur rendez-vous.	Mo-Fr 09:00-12:00,13:30-17:00; PH off
mtr-police-s1	mtr-police	Commissariat de police de Berck (démo)	Dépôt de plainte ; en cas d'urgence, appelez le 17.	\N	\N			free	fr	wheelchair		24/7
mtr-gendarmerie-montreuil-s1	mtr-gendarmerie-montreuil	Brigade de gendarmerie de Montreuil-sur-Mer (démo)	Accueil des victimes et dépôt de plainte ; maison de protection des familles du Pas-de-Calais. Urgence : 17.	\N	\N			free	fr			Mo-Sa 08:00-12:00,14:00-18:00; Su 09:00-12:00,15:00-18:00
mtr-gendarmerie-etaples-s1	mtr-gendarmerie-etaples	Brigade de gendarmerie d'Étaples (démo)	Accueil des victimes et dépôt de plainte. Urgence : 17.	\N	\N			free	fr			Mo-Sa 08:00-12:00,14:00-19:00; Su,PH 09:00-12:00
mtr-mpf-s1	mtr-mpf	Maison de protection des familles du Pas-de-Calais (démo)	Gendarmes spécialisés : accompagnement des victimes de violences intrafamiliales, prévention.	\N	\N			free	fr			Mo-Fr 09:00-17:00
mtr-hebergement-s1	mtr-hebergement	Accueil d'urgence Opale Sud (démo)	Mise à l'abri confidentielle de femmes victimes de violences et de leurs enfants, 24 heures sur 24. Adresse confidentielle : contact par téléphone ou par le 115.	\N	\N	female		free	fr		Admission après un appel à la permanence ou au 115.	24/7
mtr-logement-s1	mtr-logement	Résidence d'insertion Les Deux Baies (démo)	Logements temporaires avec accompagnement social pour les femmes et leurs enfants. Adresse confidentielle.	\N	\N	female		free	fr		Sur orientation du SIAO du Pas-de-Calais.	Mo-Fr 09:00-17:00; PH off
mtr-ase-s1	mtr-ase	Aide sociale à l'enfance — territoire du Montreuillois (démo)	Protection de l'enfance : évaluation des informations préoccupantes, accueil provisoire.	\N	\N			free	fr		Par téléphone, par écrit ou par un professionnel.	Mo-Fr 09:00-12:00,13:30-17:00; PH off
mtr-pij-s1	mtr-pij	Point information jeunesse de Berck (démo)	Information et écoute des 12-25 ans : relations amoureuses, violences, santé, logement.	12	25			free	fr		Sans rendez-vous.	Tu-Fr 13:30-18:00; We 09:30-12:00; Sa 10:00-12:00
mtr-mission-locale-s1	mtr-mission-locale	Mission locale du Montreuillois (démo)	Accompagnement des 16-25 ans : logement, emploi, santé, aides financières.	16	25			free	fr	wheelchair	Sur rendez-vous.	Mo-Fr 08:30-12:00,13:30-17:30; PH off
mtr-interpretes-s1	mtr-interpretes	Service d'interprétariat Opale (démo)	Interprètes par téléphone pour les entretiens avec les victimes ; langue des signes sur rendez-vous.	\N	\N			free	fr,en,ar,ps,fa,ku,uk	sign_language	Sur demande d'un professionnel.	Mo-Fr 08:00-18:00
mtr-caf-s1	mtr-caf	Caisse d'allocations familiales — permanence de Montreuil-sur-Mer (démo)	Aide universelle d'urgence, allocation de soutien familial, changement de situation.	\N	\N			free	fr	wheelchair	Sur rendez-vous.	Th 09:00-12:00,13:30-16:00; PH off
mtr-ccas-touquet-s1	mtr-ccas-touquet	Centre communal d'action sociale du Touquet (démo)	Aides financières d'urgence, domiciliation, accompagnement social.	\N	\N			free	fr		Sur rendez-vous.	Mo-Fr 08:30-12:00,13:30-17:00; PH off
mtr-3919-s1	mtr-3919	Écoute téléphonique 3919	Numéro national d'écoute pour les femmes victimes de violences, leur entourage et les professionnels. Gratuit, anonyme, 24 heures sur 24, 7 jours sur 7.	\N	\N			free	fr,en,ar,es,tr	sign_language		24/7
mtr-119-s1	mtr-119	Écoute téléphonique 119	Numéro national pour les enfants en danger ou en risque de l'être, et pour les adultes qui s'en inquiètent. Gratuit, 24 heures sur 24.	\N	\N			free	fr			24/7
p10-cidff-s1	p10-cidff	Centre d'information droits des femmes — antenne Paris 10e (démo)	Information juridique gratuite et confidentielle sur les droits des femmes et des familles : séparation, violences, ordonnance de protection.	\N	\N			free	fr,en,ar	wheelchair	Sur rendez-vous ou lors de la permanence du mardi matin sans rendez-vous.	Mo-Th 09:30-12:30,14:00-17:30; Fr 09:30-12:30; PH off
p10-pad-s1	p10-pad	Point-justice de la mairie du 10e (démo)	Permanences gratuites d'accès au droit : juristes, conciliateur, aide pour les démarches en justice.	\N	\N			free	fr	wheelchair,sign_language	Sur rendez-vous à l'accueil de la mairie.	Mo-Fr 09:00-12:00,13:30-17:00; PH off
p10-avocats-s1	p10-avocats	Permanence avocats — violences intrafamiliales (démo)	Consultation gratuite avec un avocat du barreau formé aux violences conjugales ; aide juridictionnelle acceptée.	\N	\N			free,legal_aid	fr	wheelchair	Sans rendez-vous, le mercredi après-midi.	We 14:00-18:00; PH off
p10-me-martin-s1	p10-me-martin	Cabinet de Maître Claire Exemple (démo)	Avocate en droit de la famille : divorce, garde des enfants, ordonnance de protection.	\N	\N			paid,legal_aid	fr,es		Sur rendez-vous.	Mo-Fr 09:00-19:00; PH off
p10-me-diallo-s1	p10-me-diallo	Cabinet de Maître Awa Démo (démo)	Avocate en droit pénal et droit des étrangers : plainte, constitution de partie civile, titre de séjour des victimes.	\N	\N			paid,legal_aid	fr,en,wo		Sur rendez-vous ; premier entretien téléphonique gratuit.	Mo-Fr 09:30-18:30
p10-avip-s1	p10-avip	Association d'aide aux victimes Paris Nord (démo)	Écoute, information sur les droits, accompagnement dans les démarches et vers la plainte.	\N	\N			free	fr,en,pt	wheelchair	Sans rendez-vous le matin, sur rendez-vous l'après-midi.	Mo-Fr 09:00-12:30,13:30-17:30; PH off
p10-accueil-jour-s1	p10-accueil-jour	Accueil de jour Femmes du canal (démo)	Lieu d'accueil de jour pour les femmes victimes de violences : écoute, café, douche, orientation.	\N	\N	female		free	fr,ar,ta		Sans rendez-vous.	Mo-Fr 09:30-17:00; Sa 10:00-13:00; PH off
p10-psy-lancry-s1	p10-psy-lancry	Cabinet de psychologie rue de Lancry (démo)	Psychologue clinicienne, prise en charge du psychotraumatisme ; séances remboursées dans le cadre de Mon soutien psy.	\N	\N			paid	fr,en		Sur rendez-vous.	Mo-Fr 09:00-20:00; Sa 09:00-13:00
p10-cmp-s1	p10-cmp	Centre médico-psychologique adultes Paris 10 (démo)	Consultations de psychiatres et psychologues, gratuites, pour les habitants du secteur.	\N	\N			free	fr	wheelchair	Premier rendez-vous après un entretien d'accueil infirmier.	Mo-Fr 09:00-18:00; PH off
p10-sante-gare-s1	p10-sante-gare	Centre de santé de la gare de l'Est (démo)	Médecine générale, certificats médicaux de constatation de violences, orientation vers l'unité médico-judiciaire.	\N	\N			free,paid	fr,en,ro	wheelchair	Avec ou sans rendez-vous ; tiers payant.	Mo-Fr 08:30-19:00; Sa 09:00-12:30; PH off
p10-dr-alibert-s1	p10-dr-alibert	Docteure Marie Exemple, médecin généraliste (démo)	Médecin généraliste formée au repérage des violences.	\N	\N			paid	fr		Sur rendez-vous.	Mo,Tu,Th,Fr 09:00-12:00,14:00-19:00; Sa 09:00-12:00
p10-umj-s1	p10-umj	Unité médico-judiciaire — consultation Paris Nord (démo)	Examens médico-légaux sur réquisition de la police ou de la justice : constat des blessures, ITT.	\N	\N			free	fr,en	wheelchair,interpreter	Sur réquisition après le dépôt de plainte.	24/7
p10-social-s1	p10-social	Service social de proximité du 10e (démo)	Assistantes sociales : accès aux droits, aides financières, hébergement, accompagnement après une séparation.	\N	\N			free	fr	wheelchair	Sur rendez-vous, ou à la permanence sans rendez-vous du lundi matin.	Mo-Fr 09:00-12:30,13:30-17:30; PH off
p10-commissariat-s1	p10-commissariat	Commissariat central du 10e arrondissement (démo)	Dépôt de plainte 24 heures sur 24 ; intervenante sociale et psychologue au commissariat en semaine. En cas d'urgence, appelez le 17.	\N	\N			free	fr,en	wheelchair,interpreter		24/7
p10-commissariat-s2	p10-commissariat	Intervenante sociale au commissariat	Écoute et orientation des victimes, avec ou sans plainte.	\N	\N			free	fr,en	wheelchair,interpreter		Mo-Fr 09:00-17:00; PH off
p10-bpf-s1	p10-bpf	Brigade de protection de la famille — Paris (démo)	Enquêteurs spécialisés dans les violences intrafamiliales et les violences faites aux mineurs.	\N	\N			free	fr		Saisie par le commissariat ou le parquet.	Mo-Fr 09:00-18:00
p10-gendarmerie-s1	p10-gendarmerie	Brigade numérique de la gendarmerie (démo)	Échange par messagerie en ligne avec un gendarme, 24 heures sur 24, pour signaler des violences ou être conseillée.	\N	\N			free	fr			24/7
p10-hebergement-s1	p10-hebergement	Hébergement d'urgence femmes et enfants (démo)	Mise à l'abri immédiate et confidentielle de femmes victimes de violences, avec leurs enfants. Adresse confidentielle : contact par téléphone ou par le 115.	\N	\N	female		free	fr		Admission après un appel à la permanence ou par le 115.	24/7
p10-chrs-s1	p10-chrs	Résidence sociale La Passerelle du canal (démo)	Hébergement de stabilisation et accompagnement vers le logement pour femmes seules ou avec enfants. Adresse confidentielle.	\N	\N	female		free	fr		Sur orientation du SIAO ou d'un travailleur social.	Mo-Fr 09:00-18:00; PH off
p10-crip-s1	p10-crip	Cellule de recueil des informations préoccupantes — Paris (démo)	Signalement d'un enfant en danger ou en risque de l'être ; conseils aux professionnels.	\N	\N			free	fr		Par téléphone ou par écrit.	Mo-Fr 09:00-17:30; PH off
p10-pmi-s1	p10-pmi	Centre de protection maternelle et infantile Château-Landon (démo)	Consultations gratuites pour les femmes enceintes et les enfants de moins de 6 ans ; écoute des parents.	\N	6			free	fr,ar,zh	wheelchair	Sur rendez-vous.	Mo-Fr 08:30-17:30; PH off
p10-paej-s1	p10-paej	Point accueil écoute jeunes Saint-Martin (démo)	Écoute anonyme et gratuite pour les 12-25 ans : relations amoureuses, violences, famille.	12	25			free	fr		Sans rendez-vous, anonyme.	Mo-Fr 13:00-19:00; Sa 10:00-13:00
p10-mission-locale-s1	p10-mission-locale	Mission locale Paris Nord-Est — antenne 10e (démo)	Accompagnement des 16-25 ans : logement, emploi, santé, aides financières.	16	25			free	fr	wheelchair	Sur rendez-vous.	Mo-Fr 09:30-12:30,13:30-17:30; PH off
p10-interpretes-s1	p10-interpretes	Inter-Service Migrants — interprétariat (démo)	Interprètes professionnels par téléphone ou sur place pour les entretiens avec les victimes ; plus de 80 langues.	\N	\N			free	fr,ar,en,es,ru,tr,zh,ta,ro,uk		Sur demande d'un professionnel ou d'une association.	Mo-Fr 08:00-20:00; Sa 09:00-13:00
p10-caf-s1	p10-caf	Caisse d'allocations familiales — accueil Paris 10 (démo)	Aide universelle d'urgence pour les victimes de violences conjugales, allocation de soutien familial, changement de situation.	\N	\N			free	fr	wheelchair	Sur rendez-vous en ligne ou par téléphone.	Mo,Tu,Th,Fr 08:30-16:30; PH off
p10-microcredit-s1	p10-microcredit	Fonds de solidarité Femmes — aide d'urgence (démo)	Aides financières ponctuelles et prêts sans intérêt pour quitter le domicile : caution, déménagement.	\N	\N	female		free	fr			Tu,Th 14:00-18:00
p10-3919-s1	p10-3919	Écoute téléphonique 3919	Numéro national d'écoute pour les femmes victimes de violences, leur entourage et les professionnels. Gratuit, anonyme, 24 heures sur 24, 7 jours sur 7.	\N	\N			free	fr,en,ar,es,tr	sign_language		24/7
p10-119-s1	p10-119	Écoute téléphonique 119	Numéro national pour les enfants en danger ou en risque de l'être, et pour les adultes qui s'en inquiètent. Gratuit, 24 heures sur 24.	\N	\N			free	fr			24/7
\.


--
-- Data for Name: service_at_location; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.service_at_location (service_id, location_id) FROM stdin;
mtr-cidff-s1	mtr-cidff-lieu
mtr-pad-s1	mtr-pad-lieu
mtr-avocats-s1	mtr-avocats-lieu
mtr-me-leroy-s1	mtr-me-leroy-lieu
mtr-me-caron-s1	mtr-me-caron-lieu
mtr-france-victimes-s1	mtr-france-victimes-lieu
mtr-solidarite-femmes-s1	mtr-solidarite-femmes-lieu
mtr-psy-berck-s1	mtr-psy-berck-lieu
mtr-cmp-s1	mtr-cmp-lieu
mtr-hopital-s1	mtr-hopital-lieu
mtr-hopital-s2	mtr-hopital-lieu
mtr-dr-cucq-s1	mtr-dr-cucq-lieu
mtr-umj-s1	mtr-umj-lieu
mtr-mds-s1	mtr-mds-lieu
mtr-mds-berck-s1	mtr-mds-berck-lieu
mtr-police-s1	mtr-police-lieu
mtr-gendarmerie-montreuil-s1	mtr-gendarmerie-montreuil-lieu
mtr-gendarmerie-etaples-s1	mtr-gendarmerie-etaples-lieu
mtr-mpf-s1	mtr-mpf-lieu
mtr-hebergement-s1	mtr-hebergement-lieu
mtr-logement-s1	mtr-logement-lieu
mtr-ase-s1	mtr-ase-lieu
mtr-pij-s1	mtr-pij-lieu
mtr-mission-locale-s1	mtr-mission-locale-lieu
mtr-interpretes-s1	mtr-interpretes-lieu
mtr-caf-s1	mtr-caf-lieu
mtr-ccas-touquet-s1	mtr-ccas-touquet-lieu
p10-cidff-s1	p10-cidff-lieu
p10-pad-s1	p10-pad-lieu
p10-avocats-s1	p10-avocats-lieu
p10-me-martin-s1	p10-me-martin-lieu
p10-me-diallo-s1	p10-me-diallo-lieu
p10-avip-s1	p10-avip-lieu
p10-accueil-jour-s1	p10-accueil-jour-lieu
p10-psy-lancry-s1	p10-psy-lancry-lieu
p10-cmp-s1	p10-cmp-lieu
p10-sante-gare-s1	p10-sante-gare-lieu
p10-dr-alibert-s1	p10-dr-alibert-lieu
p10-umj-s1	p10-umj-lieu
p10-social-s1	p10-social-lieu
p10-commissariat-s1	p10-commissariat-lieu
p10-commissariat-s2	p10-commissariat-lieu
p10-bpf-s1	p10-bpf-lieu
p10-hebergement-s1	p10-hebergement-lieu
p10-chrs-s1	p10-chrs-lieu
p10-crip-s1	p10-crip-lieu
p10-pmi-s1	p10-pmi-lieu
p10-paej-s1	p10-paej-lieu
p10-mission-locale-s1	p10-mission-locale-lieu
p10-interpretes-s1	p10-interpretes-lieu
p10-caf-s1	p10-caf-lieu
p10-microcredit-s1	p10-microcredit-lieu
\.


--
-- Data for Name: service_category; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.service_category (service_id, category, sort_order) FROM stdin;
mtr-cidff-s1	legal-advice	0
mtr-cidff-s1	victim-support-association	1
mtr-pad-s1	legal-advice	0
mtr-avocats-s1	lawyer	0
mtr-me-leroy-s1	lawyer	0
mtr-me-caron-s1	lawyer	0
mtr-france-victimes-s1	victim-support-association	0
mtr-france-victimes-s1	psychologist	1
mtr-solidarite-femmes-s1	victim-support-association	0
mtr-psy-berck-s1	psychologist	0
mtr-cmp-s1	psychologist	0
mtr-cmp-s1	doctor	1
mtr-hopital-s1	doctor	0
mtr-hopital-s2	psychologist	0
mtr-hopital-s2	doctor	1
mtr-dr-cucq-s1	doctor	0
mtr-umj-s1	forensic-unit	0
mtr-mds-s1	social-worker	0
mtr-mds-s1	child-protection	1
mtr-mds-s1	financial-aid	2
mtr-mds-berck-s1	social-worker	0
mtr-mds-berck-s1	child-protection	1
mtr-police-s1	police	0
mtr-gendarmerie-montreuil-s1	gendarmerie	0
mtr-gendarmerie-etaples-s1	gendarmerie	0
mtr-mpf-s1	gendarmerie	0
mtr-mpf-s1	child-protection	1
mtr-hebergement-s1	shelter	0
mtr-logement-s1	shelter	0
mtr-logement-s1	social-worker	1
mtr-ase-s1	child-protection	0
mtr-pij-s1	youth-service	0
mtr-mission-locale-s1	youth-service	0
mtr-mission-locale-s1	financial-aid	1
mtr-interpretes-s1	interpreter	0
mtr-caf-s1	financial-aid	0
mtr-ccas-touquet-s1	financial-aid	0
mtr-ccas-touquet-s1	social-worker	1
mtr-3919-s1	victim-support-association	0
mtr-119-s1	child-protection	0
p10-cidff-s1	legal-advice	0
p10-cidff-s1	victim-support-association	1
p10-pad-s1	legal-advice	0
p10-avocats-s1	lawyer	0
p10-me-martin-s1	lawyer	0
p10-me-diallo-s1	lawyer	0
p10-avip-s1	victim-support-association	0
p10-accueil-jour-s1	victim-support-association	0
p10-accueil-jour-s1	social-worker	1
p10-psy-lancry-s1	psychologist	0
p10-cmp-s1	psychologist	0
p10-cmp-s1	doctor	1
p10-sante-gare-s1	doctor	0
p10-dr-alibert-s1	doctor	0
p10-umj-s1	forensic-unit	0
p10-social-s1	social-worker	0
p10-social-s1	financial-aid	1
p10-commissariat-s1	police	0
p10-commissariat-s2	social-worker	0
p10-bpf-s1	police	0
p10-bpf-s1	child-protection	1
p10-gendarmerie-s1	gendarmerie	0
p10-hebergement-s1	shelter	0
p10-chrs-s1	shelter	0
p10-chrs-s1	social-worker	1
p10-crip-s1	child-protection	0
p10-pmi-s1	child-protection	0
p10-pmi-s1	doctor	1
p10-paej-s1	youth-service	0
p10-mission-locale-s1	youth-service	0
p10-mission-locale-s1	financial-aid	1
p10-interpretes-s1	interpreter	0
p10-caf-s1	financial-aid	0
p10-microcredit-s1	financial-aid	0
p10-3919-s1	victim-support-association	0
p10-119-s1	child-protection	0
\.


--
-- Data for Name: stat_counter; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.stat_counter (day, territory_slug, kind, detail, count) FROM stdin;
2026-12-06		flow_started		1
2026-12-06		flow_completed		1
2026-12-06	paris-10	referral_sent		1
\.


--
-- Data for Name: territory; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.territory (slug, name, centre_lat, centre_lon, default_radius_km, neutral_exit_url, languages, youth_services, emergency_contacts, is_demo, created_at, updated_at) FROM stdin;
paris-10	Paris 10e arrondissement	48.87596	2.3624	3	https://meteofrance.com/	fr,en,ar	[{"description":"Gratuit, 24 h/24, pour les enfants et adolescents en danger ou qui s'inquiètent pour un enfant.","name":"Allô enfance en danger","phone":"119"},{"description":"Gratuit et anonyme, pour les 12-25 ans : écoute, santé, relations amoureuses.","name":"Fil Santé Jeunes","phone":"0800 235 236"}]	[{"kind":"voice","label":"Police / gendarmerie en cas de danger immédiat","number":"17"},{"kind":"sms","label":"Par SMS si vous ne pouvez pas parler","number":"114"},{"kind":"voice","label":"Hébergement d'urgence","number":"115"},{"kind":"voice","label":"Violences Femmes Info, gratuit et anonyme, 24 h/24","number":"3919"},{"kind":"voice","label":"Enfance en danger","number":"119"}]	1	1796532834	1796532834
montreuillois	Montreuillois (agglomération des Deux Baies en Montreuillois)	50.465	1.7	25	https://meteofrance.com/	fr,en,ar	[{"description":"Accueil gratuit et confidentiel des 11-25 ans et de leurs proches.","name":"Maison des Adolescents du Littoral Est","phone":"03 91 18 15 80"},{"description":"Gratuit, 24 h/24, pour les enfants et adolescents en danger ou qui s'inquiètent pour un enfant.","name":"Allô enfance en danger","phone":"119"},{"description":"Gratuit et anonyme, pour les 12-25 ans : écoute, santé, relations amoureuses.","name":"Fil Santé Jeunes","phone":"0800 235 236"}]	[{"kind":"voice","label":"Police / gendarmerie en cas de danger immédiat","number":"17"},{"kind":"sms","label":"Par SMS si vous ne pouvez pas parler","number":"114"},{"kind":"voice","label":"Hébergement d'urgence","number":"115"},{"kind":"voice","label":"Violences Femmes Info, gratuit et anonyme, 24 h/24","number":"3919"},{"kind":"voice","label":"Enfance en danger","number":"119"}]	1	1796532834	1796532834
\.


--
-- Data for Name: territory_commune; Type: TABLE DATA; Schema: public; Owner: -
--

COPY public.territory_commune (territory_slug, insee_code, name, postal_code) FROM stdin;
paris-10	75110	Paris 10e Arrondissement	75010
montreuillois	62588	Montreuil-sur-Mer	62170
montreuillois	62108	Berck	62600
montreuillois	62318	Étaples	62630
montreuillois	62826	Le Touquet-Paris-Plage	62520
montreuillois	62201	Camiers	62176
montreuillois	62261	Cucq	62780
montreuillois	62571	Merlimont	62155
montreuillois	62688	Rang-du-Fliers	62180
montreuillois	62849	Verton	62180
montreuillois	62390	Groffliers	62600
montreuillois	62752	Saint-Josse	62170
montreuillois	62289	Écuires	62170
montreuillois	62799	Sorrus	62170
montreuillois	62535	La Madelaine-sous-Montreuil	62170
montreuillois	62610	Neuville-sous-Montreuil	62170
montreuillois	62870	Wailly-Beaucamp	62170
montreuillois	62233	Conchil-le-Temple	62180
montreuillois	62866	Waben	62180
montreuillois	62016	Airon-Saint-Vaast	62180
montreuillois	62044	Attin	62170
montreuillois	62499	Lépine	62170
montreuillois	62094	Beaumerie-Saint-Martin	62170
montreuillois	62196	La Calotterie	62170
montreuillois	62207	Campigneulles-les-Petites	62170
\.


--
-- Name: account account_email_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.account
    ADD CONSTRAINT account_email_key UNIQUE (email);


--
-- Name: account_invitation account_invitation_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.account_invitation
    ADD CONSTRAINT account_invitation_pkey PRIMARY KEY (token_hash);


--
-- Name: account account_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.account
    ADD CONSTRAINT account_pkey PRIMARY KEY (id);


--
-- Name: account_session account_session_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.account_session
    ADD CONSTRAINT account_session_pkey PRIMARY KEY (id);


--
-- Name: audit_head audit_head_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.audit_head
    ADD CONSTRAINT audit_head_pkey PRIMARY KEY (id);


--
-- Name: audit_log audit_log_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.audit_log
    ADD CONSTRAINT audit_log_pkey PRIMARY KEY (seq);


--
-- Name: commune commune_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.commune
    ADD CONSTRAINT commune_pkey PRIMARY KEY (insee_code);


--
-- Name: location location_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.location
    ADD CONSTRAINT location_pkey PRIMARY KEY (id);


--
-- Name: login_throttle login_throttle_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.login_throttle
    ADD CONSTRAINT login_throttle_pkey PRIMARY KEY (throttle_key);


--
-- Name: membership membership_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.membership
    ADD CONSTRAINT membership_pkey PRIMARY KEY (account_id, organization_id);


--
-- Name: organization_change_request organization_change_request_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.organization_change_request
    ADD CONSTRAINT organization_change_request_pkey PRIMARY KEY (id);


--
-- Name: organization_key organization_key_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.organization_key
    ADD CONSTRAINT organization_key_pkey PRIMARY KEY (organization_id);


--
-- Name: organization organization_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.organization
    ADD CONSTRAINT organization_pkey PRIMARY KEY (id);


--
-- Name: organization_recovery organization_recovery_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.organization_recovery
    ADD CONSTRAINT organization_recovery_pkey PRIMARY KEY (organization_id);


--
-- Name: organization_settings organization_settings_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.organization_settings
    ADD CONSTRAINT organization_settings_pkey PRIMARY KEY (organization_id);


--
-- Name: outbox outbox_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.outbox
    ADD CONSTRAINT outbox_pkey PRIMARY KEY (id);


--
-- Name: phone phone_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.phone
    ADD CONSTRAINT phone_pkey PRIMARY KEY (organization_id, sort_order);


--
-- Name: referral_delays referral_delays_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.referral_delays
    ADD CONSTRAINT referral_delays_pkey PRIMARY KEY (territory_slug);


--
-- Name: referral referral_idempotency_key_key; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.referral
    ADD CONSTRAINT referral_idempotency_key_key UNIQUE (idempotency_key);


--
-- Name: referral_message referral_message_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.referral_message
    ADD CONSTRAINT referral_message_pkey PRIMARY KEY (id);


--
-- Name: referral referral_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.referral
    ADD CONSTRAINT referral_pkey PRIMARY KEY (id);


--
-- Name: schema_migrations schema_migrations_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.schema_migrations
    ADD CONSTRAINT schema_migrations_pkey PRIMARY KEY (version);


--
-- Name: service_at_location service_at_location_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.service_at_location
    ADD CONSTRAINT service_at_location_pkey PRIMARY KEY (service_id, location_id);


--
-- Name: service_category service_category_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.service_category
    ADD CONSTRAINT service_category_pkey PRIMARY KEY (service_id, category);


--
-- Name: service service_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.service
    ADD CONSTRAINT service_pkey PRIMARY KEY (id);


--
-- Name: stat_counter stat_counter_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.stat_counter
    ADD CONSTRAINT stat_counter_pkey PRIMARY KEY (day, territory_slug, kind, detail);


--
-- Name: territory_commune territory_commune_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.territory_commune
    ADD CONSTRAINT territory_commune_pkey PRIMARY KEY (territory_slug, insee_code);


--
-- Name: territory territory_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.territory
    ADD CONSTRAINT territory_pkey PRIMARY KEY (slug);


--
-- Name: account_invitation_account; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX account_invitation_account ON public.account_invitation USING btree (account_id);


--
-- Name: account_session_account; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX account_session_account ON public.account_session USING btree (account_id);


--
-- Name: account_territory; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX account_territory ON public.account USING btree (territory_slug, role);


--
-- Name: audit_log_at; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX audit_log_at ON public.audit_log USING btree (at);


--
-- Name: location_insee; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX location_insee ON public.location USING btree (insee_code);


--
-- Name: location_organization; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX location_organization ON public.location USING btree (organization_id);


--
-- Name: membership_organization; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX membership_organization ON public.membership USING btree (organization_id);


--
-- Name: organization_change_request_organization; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX organization_change_request_organization ON public.organization_change_request USING btree (organization_id, kind);


--
-- Name: organization_change_request_status; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX organization_change_request_status ON public.organization_change_request USING btree (status, organization_id);


--
-- Name: organization_territory; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX organization_territory ON public.organization USING btree (territory_slug);


--
-- Name: outbox_due; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX outbox_due ON public.outbox USING btree (status, next_attempt_at);


--
-- Name: referral_followup_lookup; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX referral_followup_lookup ON public.referral USING btree (followup_lookup);


--
-- Name: referral_message_referral; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX referral_message_referral ON public.referral_message USING btree (referral_id, sort_order);


--
-- Name: referral_organization; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX referral_organization ON public.referral USING btree (organization_id, status);


--
-- Name: referral_status_day; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX referral_status_day ON public.referral USING btree (status, status_changed_on);


--
-- Name: service_at_location_location; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX service_at_location_location ON public.service_at_location USING btree (location_id);


--
-- Name: service_category_category; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX service_category_category ON public.service_category USING btree (category);


--
-- Name: service_organization; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX service_organization ON public.service USING btree (organization_id);


--
-- Name: territory_commune_insee; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX territory_commune_insee ON public.territory_commune USING btree (insee_code);


--
-- Name: account_invitation account_invitation_account_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.account_invitation
    ADD CONSTRAINT account_invitation_account_id_fkey FOREIGN KEY (account_id) REFERENCES public.account(id) ON DELETE CASCADE;


--
-- Name: account_session account_session_account_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.account_session
    ADD CONSTRAINT account_session_account_id_fkey FOREIGN KEY (account_id) REFERENCES public.account(id) ON DELETE CASCADE;


--
-- Name: account account_territory_slug_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.account
    ADD CONSTRAINT account_territory_slug_fkey FOREIGN KEY (territory_slug) REFERENCES public.territory(slug);


--
-- Name: location location_organization_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.location
    ADD CONSTRAINT location_organization_id_fkey FOREIGN KEY (organization_id) REFERENCES public.organization(id) ON DELETE CASCADE;


--
-- Name: membership membership_account_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.membership
    ADD CONSTRAINT membership_account_id_fkey FOREIGN KEY (account_id) REFERENCES public.account(id) ON DELETE CASCADE;


--
-- Name: membership membership_organization_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.membership
    ADD CONSTRAINT membership_organization_id_fkey FOREIGN KEY (organization_id) REFERENCES public.organization(id) ON DELETE CASCADE;


--
-- Name: organization_change_request organization_change_request_organization_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.organization_change_request
    ADD CONSTRAINT organization_change_request_organization_id_fkey FOREIGN KEY (organization_id) REFERENCES public.organization(id) ON DELETE CASCADE;


--
-- Name: organization_key organization_key_organization_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.organization_key
    ADD CONSTRAINT organization_key_organization_id_fkey FOREIGN KEY (organization_id) REFERENCES public.organization(id) ON DELETE CASCADE;


--
-- Name: organization_recovery organization_recovery_organization_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.organization_recovery
    ADD CONSTRAINT organization_recovery_organization_id_fkey FOREIGN KEY (organization_id) REFERENCES public.organization(id) ON DELETE CASCADE;


--
-- Name: organization_settings organization_settings_organization_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.organization_settings
    ADD CONSTRAINT organization_settings_organization_id_fkey FOREIGN KEY (organization_id) REFERENCES public.organization(id) ON DELETE CASCADE;


--
-- Name: organization organization_territory_slug_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.organization
    ADD CONSTRAINT organization_territory_slug_fkey FOREIGN KEY (territory_slug) REFERENCES public.territory(slug);


--
-- Name: phone phone_organization_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.phone
    ADD CONSTRAINT phone_organization_id_fkey FOREIGN KEY (organization_id) REFERENCES public.organization(id) ON DELETE CASCADE;


--
-- Name: referral_delays referral_delays_territory_slug_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.referral_delays
    ADD CONSTRAINT referral_delays_territory_slug_fkey FOREIGN KEY (territory_slug) REFERENCES public.territory(slug) ON DELETE CASCADE;


--
-- Name: referral referral_handed_over_from_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.referral
    ADD CONSTRAINT referral_handed_over_from_fkey FOREIGN KEY (handed_over_from) REFERENCES public.referral(id);


--
-- Name: referral referral_handed_over_to_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.referral
    ADD CONSTRAINT referral_handed_over_to_fkey FOREIGN KEY (handed_over_to) REFERENCES public.referral(id);


--
-- Name: referral_message referral_message_referral_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.referral_message
    ADD CONSTRAINT referral_message_referral_id_fkey FOREIGN KEY (referral_id) REFERENCES public.referral(id) ON DELETE CASCADE;


--
-- Name: referral referral_organization_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.referral
    ADD CONSTRAINT referral_organization_id_fkey FOREIGN KEY (organization_id) REFERENCES public.organization(id);


--
-- Name: service_at_location service_at_location_location_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.service_at_location
    ADD CONSTRAINT service_at_location_location_id_fkey FOREIGN KEY (location_id) REFERENCES public.location(id) ON DELETE CASCADE;


--
-- Name: service_at_location service_at_location_service_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.service_at_location
    ADD CONSTRAINT service_at_location_service_id_fkey FOREIGN KEY (service_id) REFERENCES public.service(id) ON DELETE CASCADE;


--
-- Name: service_category service_category_service_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.service_category
    ADD CONSTRAINT service_category_service_id_fkey FOREIGN KEY (service_id) REFERENCES public.service(id) ON DELETE CASCADE;


--
-- Name: service service_organization_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.service
    ADD CONSTRAINT service_organization_id_fkey FOREIGN KEY (organization_id) REFERENCES public.organization(id) ON DELETE CASCADE;


--
-- Name: territory_commune territory_commune_territory_slug_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.territory_commune
    ADD CONSTRAINT territory_commune_territory_slug_fkey FOREIGN KEY (territory_slug) REFERENCES public.territory(slug) ON DELETE CASCADE;


--
-- PostgreSQL database dump complete
--

\unrestrict xzyNLbkkIN9uB48aZdWqbQNCsSkKh3hTCbB9fO8YfIN3DbmsA5EyMHiDpazfE28

