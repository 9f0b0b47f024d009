// The census of actors of the territory console (issue 11 §2, docs/territory-console.md) over
// HTTP against the real binary, without JavaScript: a coordinator adds an organization, a place
// (its point proposed from the commune) and a service by form; it is a draft, absent from the
// annuaire and the API, until she publishes it; a form error names the field and writes
// nothing; a coordinator of another territory gets 404.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { startServer } from './harness.mjs';
import { mainOf, Professional } from './pro-harness.mjs';
import { queryNumber } from './referral-visitor.mjs';

const kList = '/pro/territoires/paris-10/acteurs';
const organizations = (server) => queryNumber(server, 'SELECT COUNT(*) FROM organization');

describe('census of actors in the territory console', () => {
  let server;
  let coordinator;
  let other;
  let organizationPath;
  let serviceId;
  let point;

  before(async () => {
    server = await startServer({ gazetteer: true });
    coordinator = new Professional(server.baseUrl, 'coordination-10@example.org');
    await coordinator.enrolAndSignIn(server, ['--role', 'coordinator', '--territory', 'paris-10']);
    other = new Professional(server.baseUrl, 'coordination-62@example.org');
    await other.enrolAndSignIn(server, ['--role', 'coordinator', '--territory', 'montreuillois']);
  });
  after(async () => {
    await server?.stop();
  });

  test('the hub links to the actor list, which shows every organization with its state', async () => {
    const hub = await coordinator.get('/pro/territoires/paris-10');
    assert.match(mainOf(hub.body), /href="\/pro\/territoires\/paris-10\/acteurs"/);
    const list = await coordinator.get(kList);
    assert.equal(list.status, 200);
    const rows = list.body.match(/<tr data-actor/g) ?? [];
    assert.ok(rows.length >= 10, `${rows.length} rows`);
    assert.doesNotMatch(list.body, /data-draft/);
    assert.match(list.body, /Publié/);
    assert.match(list.body, /Accepte des demandes/);
    assert.match(list.body, /Clé en place|Pas de clé/);
    assert.match(list.body, /Aucun membre|membre\(s\)/);
  });

  test('a form error names the field and writes nothing', async () => {
    const before = await organizations(server);
    await coordinator.get(`${kList}/nouveau`);
    const r = await coordinator.post(`${kList}/nouveau`, [['name', 'Écoute Test Recensement'],
      ['website', 'ftp://exemple.fr'], ['visibility', 'public']]);
    assert.equal(r.status, 400);
    const main = mainOf(r.body);
    assert.match(main, /Il y a un problème/);
    assert.match(main, /href="#website">Site web : adresse web invalide « ftp:\/\/exemple.fr »/);
    assert.match(main, /id="website-error"/);
    assert.match(main, /value="Écoute Test Recensement"/);  // what she typed stays
    assert.equal(await organizations(server), before);
    const blank = await coordinator.post(`${kList}/nouveau`, [['name', ''], ['visibility', 'public']]);
    assert.equal(blank.status, 400);
    assert.match(mainOf(blank.body), /href="#name">Nom : le nom est obligatoire/);
    assert.equal(await organizations(server), before);
  });

  test('she adds an organization, a place and a service: a draft nobody public sees', async () => {
    await coordinator.get(`${kList}/nouveau`);
    let r = await coordinator.post(`${kList}/nouveau`, [['name', 'Écoute Test Recensement'],
      ['description', 'Écoute des victimes.'], ['phone-0-number', '01 99 00 77 01'], ['phone-0-type', 'voice'],
      ['accepts_referrals', 'oui'], ['visibility', 'public']]);
    assert.equal(r.status, 303, r.body.slice(r.body.indexOf("<main"), r.body.indexOf("<main") + 800));
    organizationPath = r.headers.location.split('?')[0];
    assert.match(organizationPath, /^\/pro\/territoires\/paris-10\/acteurs\/org-[0-9a-f]+$/);
    let page = await coordinator.get(r.headers.location);
    assert.equal(page.status, 200);
    assert.match(page.body, /data-publication>Brouillon/);
    assert.match(page.body, /data-publish/);

    // The place: the point proposed from the postal code (the commune's centre), then saved.
    await coordinator.get(`${organizationPath}/lieu`);
    const place = [['name', 'Permanence test'], ['address', '12 rue du Test'], ['postal_code', '75010'],
      ['city', ''], ['insee_code', ''], ['latitude', ''], ['longitude', ''], ['transportation', '']];
    r = await coordinator.post(`${organizationPath}/lieu`, [...place, ['placer', '1']]);
    assert.equal(r.status, 200, r.body.slice(r.body.indexOf("<main"), r.body.indexOf("<main") + 800));
    assert.match(r.body, /centre de la commune/);
    const latitude = r.body.match(/id="latitude" name="latitude"[^>]*value="([^"]+)"/)[1];
    const longitude = r.body.match(/id="longitude" name="longitude"[^>]*value="([^"]+)"/)[1];
    const insee = r.body.match(/id="insee_code" name="insee_code"[^>]*value="([^"]+)"/)[1];
    assert.ok(Number(latitude) > 48 && Number(longitude) > 2, `${latitude} ${longitude}`);
    point = { lat: Number(latitude), lon: Number(longitude) };
    // A bad coordinate names its field and writes nothing.
    const bad = await coordinator.post(`${organizationPath}/lieu`, [...place.slice(0, 3), ['city', 'Paris'],
      ['insee_code', insee], ['latitude', '12.5'], ['longitude', longitude], ['transportation', '']]);
    assert.equal(bad.status, 400);
    assert.match(mainOf(bad.body), /href="#latitude">Latitude : coordonnées hors de France/);
    r = await coordinator.post(`${organizationPath}/lieu`, [...place.slice(0, 3), ['city', 'Paris'],
      ['insee_code', insee], ['latitude', latitude], ['longitude', longitude], ['transportation', '']]);
    assert.equal(r.status, 303, r.body.slice(r.body.indexOf("<main"), r.body.indexOf("<main") + 800));
    page = await coordinator.get(organizationPath);
    assert.match(page.body, /Permanence test<\/a>, 75010 Paris/);

    // The service, with an hours preview first (no JavaScript: a submit button).
    let form = await coordinator.get(`${organizationPath}/service`);
    const locationId = form.body.match(/name="locations" value="([^"]+)"/)[1];
    const service = [['name', 'Écoute recensée'], ['categories', 'victim-support-association'],
      ['locations', locationId], ['opening_hours', 'Mo-Fr 09:00-17:00'], ['languages', 'fr'],
      ['description', ''], ['application_process', '']];
    r = await coordinator.post(`${organizationPath}/service`, [...service, ['apercu', '1']]);
    assert.equal(r.status, 200);
    assert.match(r.body, /id="opening_hours-preview"/);
    assert.match(r.body, /<th scope="row">Lundi<\/th><td>9/);
    assert.match(r.body, /<th scope="row">Dimanche<\/th><td>Fermé/);
    const wrong = await coordinator.post(`${organizationPath}/service`,
      service.map(([k, v]) => (k === 'opening_hours' ? [k, 'Mo-Fr 25:00-17:00'] : [k, v])));
    assert.equal(wrong.status, 400);
    assert.match(mainOf(wrong.body), /href="#opening_hours">Horaires : /);
    r = await coordinator.post(`${organizationPath}/service`, service);
    assert.equal(r.status, 303, r.body.slice(r.body.indexOf("<main"), r.body.indexOf("<main") + 800));
    page = await coordinator.get(organizationPath);
    serviceId = page.body.match(/service\?id=([^"]+)"/)[1];

    // A draft: on no public path.
    assert.equal((await fetch(`${server.baseUrl}/annuaire/${serviceId}`)).status, 404);
    assert.equal((await fetch(`${server.baseUrl}/api/v1/services/${serviceId}`)).status, 404);
    const near = await fetch(`${server.baseUrl}/api/v1/services?lat=${point.lat}&lon=${point.lon}&radius_km=0.2&per_page=50`);
    assert.equal(near.status, 200);
    assert.doesNotMatch(await near.text(), new RegExp(serviceId));
    const list = await coordinator.get(kList);
    assert.match(list.body, /<tr data-actor data-draft>\s*<th scope="row"><a href="[^"]+">Écoute Test Recensement/);
  });

  test('a coordinator of another territory gets 404', async () => {
    assert.equal((await other.get(organizationPath)).status, 404);
    assert.equal((await other.get(kList)).status, 404);
    assert.equal((await other.get(`${organizationPath}/service?id=${serviceId}`)).status, 404);
    assert.equal((await other.get(`${kList}/nouveau`)).status, 404);
    // Her own territory's list does not name the draft.
    const own = await other.get('/pro/territoires/montreuillois/acteurs');
    assert.equal(own.status, 200);
    assert.doesNotMatch(own.body, /Écoute Test Recensement/);
  });

  test('once published it appears in the annuaire and the API, and the publication is audited', async () => {
    await coordinator.get(organizationPath);
    const r = await coordinator.post(`${organizationPath}/etat`, [['action', 'publier']]);
    assert.equal(r.status, 303);
    const page = await coordinator.get(r.headers.location);
    assert.match(page.body, /data-publication>Publié/);
    const detail = await fetch(`${server.baseUrl}/annuaire/${serviceId}`);
    assert.equal(detail.status, 200);
    assert.match(await detail.text(), /Écoute Test Recensement/);
    assert.equal((await fetch(`${server.baseUrl}/api/v1/services/${serviceId}`)).status, 200);
    const near = await fetch(`${server.baseUrl}/api/v1/services?lat=${point.lat}&lon=${point.lon}&radius_km=0.2&per_page=50`);
    assert.match(await near.text(), new RegExp(serviceId));
    const audited = await queryNumber(server,
      "SELECT COUNT(*) FROM audit_log WHERE action IN ('organization.created', 'organization.changed', 'organization.published')");
    assert.ok(audited >= 4, `${audited} audit entries`);
  });

  test('a temporary closure needs its start date; archiving takes it off the annuaire', async () => {
    await coordinator.get(organizationPath);
    let r = await coordinator.post(`${organizationPath}/etat`, [['action', 'fermer'], ['closed_from', ''], ['closed_until', '']]);
    assert.equal(r.status, 400);
    assert.match(mainOf(r.body), /href="#closed_from">Fermée à partir du : date de fermeture obligatoire/);
    r = await coordinator.post(`${organizationPath}/etat`, [['action', 'fermer'], ['closed_from', '2026-07-01'], ['closed_until', '2026-08-31']]);
    assert.equal(r.status, 303);
    assert.match((await coordinator.get(organizationPath)).body, /Fermé temporairement du 01\/07\/2026 au 31\/08\/2026/);
    r = await coordinator.post(`${organizationPath}/etat`, [['action', 'archiver']]);
    assert.equal(r.status, 303);
    assert.equal((await fetch(`${server.baseUrl}/annuaire/${serviceId}`)).status, 404);
  });
});
