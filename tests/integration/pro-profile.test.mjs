// Organization profile (issue 4 §9, docs/organization-profile.md) against the real binary:
// accounts made with `passerelle user add`, invitation + TOTP computed here, sign-in; a member
// edits hours (bad → 400 with the parser's position, good → on the public /annuaire page), the
// contact data and "accepte des demandes"; asks for a new notification address → not applied →
// a coordinator of another territory cannot see or approve it → the territory's coordinator
// approves → applied, and the OLD address gets the e-mail at a real SMTP sink; a member of
// another organization gets 404 everywhere on this one; the audit chain verifies.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { mailArgs, request, runBinary, startServer, waitFor } from './harness.mjs';
import { formToken, mainOf, signedIn as signedInWith } from './pro-harness.mjs';
import { decodeBody, startSink } from '../smtp-sink/sink.mjs';

const PASSWORD = 'quatre hiboux sous la lune';
const ORG = 'p10-cidff';  // demo organization of paris-10, public e-mail accueil@cidff-demo.example.org
const SERVICE = 'p10-cidff-s1';
const OLD_ADDRESS = 'accueil@cidff-demo.example.org';
const NEW_ADDRESS = 'alertes@cidff-demo.example.org';

// `passerelle user add`, invitation (password, TOTP), sign-in (pro-harness.mjs): a signed-in Browser.
async function signedIn(server, email, args) {
  return (await signedInWith(server, email, args, { password: PASSWORD })).browser;
}

describe('organization profile', () => {
  let sink;
  let server;
  let member;       // member of p10-cidff
  let otherMember;  // member of p10-pad (same territory, another organization)
  let coordinator;  // coordinator of paris-10
  let farCoordinator;  // coordinator of montreuillois

  before(async () => {
    sink = await startSink();
    server = await startServer({
      extraArgs: ['--post-limit', '100000', ...mailArgs(sink)],
    });
    member = await signedIn(server, 'membre@cidff.example.org', ['--role', 'member', '--org', ORG]);
    otherMember = await signedIn(server, 'membre@pad.example.org', ['--role', 'member', '--org', 'p10-pad']);
    coordinator = await signedIn(server, 'coordination@paris10.example.org',
      ['--role', 'coordinator', '--territory', 'paris-10']);
    farCoordinator = await signedIn(server, 'coordination@montreuil.example.org',
      ['--role', 'coordinator', '--territory', 'montreuillois']);
  });
  after(async () => {
    await server?.stop();
    await sink?.close();
  });

  test('a member opens the profile from the list of their organizations', async () => {
    const list = await member.get('/pro/organisations');
    assert.equal(list.status, 200);
    assert.match(list.body, new RegExp(`href="/pro/organisations/${ORG}/profil"`));
    assert.doesNotMatch(list.body, /p10-pad/);
    const profile = await member.get(`/pro/organisations/${ORG}/profil`);
    assert.equal(profile.status, 200);
    assert.match(mainOf(profile.body), /Coordonnées publiques/);
    assert.match(profile.body, new RegExp(`data-notification-address>${OLD_ADDRESS}<`));
    const coordinatorList = await coordinator.get('/pro/organisations');
    assert.match(coordinatorList.body, new RegExp(`/pro/organisations/${ORG}/profil`));
    assert.match(coordinatorList.body, /p10-pad\/profil/);
    // The navigation: a member reaches the inbox and the organization's members page, a
    // coordinator the approvals and the accounts, never the inbox.
    assert.match(mainOf(profile.body), /href="\/pro\/demandes"/);
    assert.doesNotMatch(mainOf(profile.body), /href="\/pro\/(approbations|comptes)"/);
    assert.match(mainOf(coordinatorList.body), /href="\/pro\/approbations"/);
    assert.match(mainOf(coordinatorList.body), /href="\/pro\/comptes"/);
    assert.doesNotMatch(mainOf(coordinatorList.body), /href="\/pro\/demandes/);
    const home = mainOf((await member.get('/pro/accueil')).body);
    assert.match(home, new RegExp(`href="/pro/organisations/${ORG}/profil"`));
    const membersPage = mainOf((await member.get(`/pro/organisations/${ORG}`)).body);
    assert.match(membersPage, new RegExp(`href="/pro/organisations/${ORG}/profil"`));
  });

  test('hours: refused with the position, then accepted and shown on the public page', async () => {
    const path = `/pro/organisations/${ORG}/services/${SERVICE}`;
    const fields = (hours) => [['opening_hours', hours], ['languages', 'fr, en'], ['fees', 'free'],
      ['description', ''], ['application_process', 'Sur rendez-vous']];
    let r = await member.submit(path, path, fields('Mo-Fr 09:00-25:00'));
    assert.equal(r.status, 400);
    assert.match(r.body, /role="alert"/);
    assert.match(r.body, /<a href="#opening_hours">Horaires : position \d+[^<]*25:00/);
    assert.match(r.body, /value="Mo-Fr 09:00-25:00"/, 'what was typed is kept');
    let publicPage = await request(server.baseUrl, 'GET', `/annuaire/${SERVICE}`);
    assert.doesNotMatch(publicPage.body, /8 h 15/);

    r = await member.submit(path, path, fields('Mo-Fr 08:15-11:45; PH off'));
    assert.equal(r.status, 303, r.body);
    assert.equal(r.headers.location, `/pro/organisations/${ORG}/profil?etat=service`);
    publicPage = await request(server.baseUrl, 'GET', `/annuaire/${SERVICE}`);
    assert.equal(publicPage.status, 200);
    assert.match(publicPage.body, /8 h 15/);
    assert.match(publicPage.body, /11 h 45/);
    assert.match(publicPage.body, /Sur rendez-vous/);

    // Another organization's service under this organization's path: 404.
    const foreign = await member.get(`/pro/organisations/${ORG}/services/p10-pad-s1`);
    assert.equal(foreign.status, 404);
  });

  test('contact data: invalid values refused together, valid ones applied', async () => {
    const path = `/pro/organisations/${ORG}/profil`;
    let r = await member.submit(path, path, [['description', 'Accueil et accompagnement.'], ['website', 'ftp://x'],
      ['email', OLD_ADDRESS], ['phone-0-number', '01 99 00 20 01'], ['phone-0-type', 'voice'],
      ['phone-0-description', 'accueil'], ['phone-1-number', '12'], ['phone-1-type', 'text']]);
    assert.equal(r.status, 400);
    assert.match(r.body, /<a href="#website">Site web/);
    assert.match(r.body, /<a href="#phone-1-number">Téléphone 2/);
    let publicPage = await request(server.baseUrl, 'GET', `/annuaire/${SERVICE}`);
    assert.doesNotMatch(publicPage.body, /Accueil et accompagnement\./, 'nothing half-written');

    r = await member.submit(path, path, [['description', 'Accueil et accompagnement.'],
      ['website', 'https://cidff-demo.example.org/'], ['email', 'public@cidff-demo.example.org'],
      ['phone-0-number', '01 99 00 20 01'], ['phone-0-type', 'voice'], ['phone-0-description', 'accueil'],
      ['phone-1-number', '06 99 00 20 02'], ['phone-1-type', 'text'], ['phone-1-description', 'SMS']]);
    assert.equal(r.status, 303, r.body);
    publicPage = await request(server.baseUrl, 'GET', `/annuaire/${SERVICE}`);
    assert.match(publicPage.body, /Accueil et accompagnement\./);
    assert.match(publicPage.body, /06 99 00 20 02/);
    assert.match(publicPage.body, /public@cidff-demo\.example\.org/);
    // The public address changed; the notification address did not (it needs an approval).
    const profile = await member.get(path);
    assert.match(profile.body, new RegExp(`data-notification-address>${OLD_ADDRESS}<`));
  });

  test('accepte des demandes en ce moment', async () => {
    const path = `/pro/organisations/${ORG}/profil`;
    const action = `/pro/organisations/${ORG}/accepte-demandes`;
    let r = await member.submit(path, action, [['accepts', 'non']]);
    assert.equal(r.status, 303);
    assert.match(r.headers.location, /etat=demandes-fermees/);
    let api = JSON.parse((await request(server.baseUrl, 'GET', `/api/v1/services/${SERVICE}`)).body);
    assert.equal(JSON.stringify(api).includes('"accepts_referrals":false'), true);
    let profile = await member.get(path);
    assert.match(profile.body, /data-accepts="non"/);
    r = await coordinator.submit(path, action, [['accepts', 'oui']]);
    assert.equal(r.status, 303);
    api = JSON.parse((await request(server.baseUrl, 'GET', `/api/v1/services/${SERVICE}`)).body);
    assert.equal(JSON.stringify(api).includes('"accepts_referrals":true'), true);
    profile = await member.get(path);
    assert.match(profile.body, /data-accepts="oui"/);
  });

  test('a new notification address waits for the coordinator, then the old address is told', async () => {
    const page = `/pro/organisations/${ORG}/adresse-notification`;
    let r = await member.submit(page, page, [['address', 'pas une adresse']]);
    assert.equal(r.status, 400);
    assert.match(r.body, /<a href="#address">/);
    r = await member.submit(page, page, [['address', NEW_ADDRESS]]);
    assert.equal(r.status, 303, r.body);
    let profile = await member.get(`/pro/organisations/${ORG}/profil`);
    assert.match(profile.body, new RegExp(`data-notification-address>${OLD_ADDRESS}<`), 'not applied yet');
    assert.match(profile.body, /data-pending/);

    // Members and coordinators of another territory neither see nor decide it.
    assert.equal((await member.get('/pro/approbations')).status, 404);
    const far = await farCoordinator.get('/pro/approbations');
    assert.equal(far.status, 200);
    assert.doesNotMatch(far.body, /data-change=/);

    const approvals = await coordinator.get('/pro/approbations');
    assert.equal(approvals.status, 200);
    assert.match(approvals.body, new RegExp(NEW_ADDRESS));
    const id = approvals.body.match(/data-change="(chg-[0-9a-f]+)"/)[1];
    const action = `/pro/approbations/${id}`;
    const token = formToken(approvals.body, action);
    assert.equal((await farCoordinator.post(action, [['_csrf', formToken(far.body, '/pro/deconnexion')],
      ['decision', 'approuver']])).status, 404);
    assert.equal((await member.post(action, [['_csrf', formToken(profile.body, '/pro/deconnexion')],
      ['decision', 'approuver']])).status, 404);
    profile = await member.get(`/pro/organisations/${ORG}/profil`);
    assert.match(profile.body, new RegExp(`data-notification-address>${OLD_ADDRESS}<`));
    assert.equal(sink.messages.length, 0);

    r = await coordinator.post(action, [['_csrf', token], ['decision', 'approuver']]);
    assert.equal(r.status, 303, r.body);
    assert.equal(r.headers.location, '/pro/approbations?etat=adresse-approuvee');
    profile = await member.get(`/pro/organisations/${ORG}/profil`);
    assert.match(profile.body, new RegExp(`data-notification-address>${NEW_ADDRESS}<`));

    await waitFor(() => sink.messages.length > 0, 'the e-mail to the old address');
    assert.equal(sink.messages.length, 1);
    const [message] = sink.messages;
    assert.deepEqual(message.to, [OLD_ADDRESS]);
    assert.doesNotMatch(message.data, new RegExp(NEW_ADDRESS), 'the new address is not given');
    assert.match(decodeBody(message.data), /passerelle\.test\/pro/);

    // Decided once.
    const again = await coordinator.post(action, [['_csrf', token], ['decision', 'rejeter']]);
    assert.equal(again.status, 409);
  });

  test('a member of another organization gets 404 on this one', async () => {
    for (const path of [`/pro/organisations/${ORG}/profil`, `/pro/organisations/${ORG}/services/${SERVICE}`,
      `/pro/organisations/${ORG}/adresse-notification`]) {
      assert.equal((await otherMember.get(path)).status, 404, path);
    }
    const own = await otherMember.get('/pro/organisations/p10-pad/profil');
    assert.equal(own.status, 200);
    const token = formToken(own.body, '/pro/organisations/p10-pad/profil');
    for (const [path, fields] of [[`/pro/organisations/${ORG}/profil`, [['description', 'x']]],
      [`/pro/organisations/${ORG}/accepte-demandes`, [['accepts', 'non']]],
      [`/pro/organisations/${ORG}/adresse-notification`, [['address', 'x@example.org']]],
      [`/pro/organisations/${ORG}/cle`, []]]) {
      assert.equal((await otherMember.post(path, [['_csrf', token], ...fields])).status, 404, path);
    }
    // A coordinator of another territory too; the territory's coordinator edits but asks nothing.
    assert.equal((await farCoordinator.get(`/pro/organisations/${ORG}/profil`)).status, 404);
    assert.equal((await coordinator.get(`/pro/organisations/${ORG}/profil`)).status, 200);
    assert.equal((await coordinator.get(`/pro/organisations/${ORG}/adresse-notification`)).status, 404);
  });

  test('the audit chain verifies after all these changes', async () => {
    const verified = await runBinary(['audit', 'verify', '--db', server.db]);
    assert.equal(verified.code, 0, verified.stdout + verified.stderr);
    // No address appears in the server's log.
    assert.doesNotMatch(server.logs(), /cidff-demo\.example\.org/);
  });
});
