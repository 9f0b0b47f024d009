// A territory created in the console is served without a restart (issue 11, docs/territory-console.md
// "Live territories"), over HTTP against the real binary, without JavaScript. On one running
// national site (no --territory, no demo data): an operator creates "Paris 18e" from the web and
// invites its coordinator; she adds an actor that accepts referrals, publishes it and invites its
// first member, whose enrolment creates its keys; a visitor in the 18e is then proposed that
// actor, sends it a referral, and her help flow counts under the new territory; a minor in the
// 18e is given its youth services, changed settings show at once, and once archived the
// territory is no longer the 18e's. A second instance on the same database follows within its
// poll interval.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { mailArgs, spawnServe, startServer, waitFor } from './harness.mjs';
import { mainOf, Professional, territoryFields } from './pro-harness.mjs';
import {
  openReport, proposalsIn, queryNumber, queryText, sendFields, Visitor,
} from './referral-visitor.mjs';
import { decodeBody, startSink } from '../smtp-sink/sink.mjs';

const kSlug = 'paris-18';
const kMemberEmail = 'premiere-18@example.org';
const kYouth = ['Maison des Adolescents Paris Nord', '01 42 00 18 18', 'Accueil des 11-25 ans.'];

// The youth page of a minor who gives `place` (the "À qui parler" page, with its territory's
// services): her page's <main>.
async function youthPage(baseUrl, place) {
  const visitor = new Visitor(baseUrl);
  await visitor.start();
  await visitor.answer(visitor.token, ['answer', 'minor']);
  const r = await visitor.post('/aide/questions', [['token', visitor.token], ['action', 'locate'], ['place', place]]);
  assert.equal(r.status, 200);
  assert.match(r.body, /data-node="youth"/);
  return mainOf(r.body);
}

// Completed flows counted under `slug` (any day).
const completed = (server, slug) => queryNumber(server,
  `SELECT COALESCE(SUM(count), 0) FROM stat_counter WHERE kind = 'flow_completed' AND territory_slug = '${slug}'`);

describe('a territory created in the console is served without a restart', () => {
  let sink;
  let server;
  let operator;
  let coordinator;
  let organizationPath;
  let organization;
  let serviceId;
  const pid = () => server.child.pid;
  // The coordinator saves her territory's settings with one youth service.
  const saveYouthService = async (name, phone) => {
    const settings = `/pro/territoires/${kSlug}/parametres`;
    await coordinator.get(settings);
    const r = await coordinator.post(settings, [['youth_rows', '1'], ['youth_name_0', name], ['youth_phone_0', phone],
      ['youth_description_0', ''], ['emergency_rows', '1'], ['emergency_label_0', 'Police'],
      ['emergency_number_0', '17'], ['emergency_kind_0', 'voice'], ['neutral_exit_url', 'https://meteofrance.com/']]);
    assert.equal(r.status, 303, r.body.slice(0, 1500));
  };
  let startPid;

  before(async () => {
    sink = await startSink();
    server = await startServer({
      demo: false,
      gazetteer: true,
      extraArgs: ['--post-limit', '100000', '--jobs-interval', '0', ...mailArgs(sink),
        '--stats-flush-ms', '200'],
    });
    startPid = pid();
    operator = new Professional(server.baseUrl, 'operateur-18@example.org');
    await operator.enrolAndSignIn(server, ['--role', 'operator']);
  });
  after(async () => {
    await server?.stop();
    await sink?.close();
  });

  test('before it exists, a minor in the 18e is given the national lines only', async () => {
    const main = await youthPage(server.baseUrl, '75018');
    assert.match(main, /href="tel:119"/);
    assert.doesNotMatch(main, /Paris 18e|Maison des Adolescents Paris Nord/);
  });

  test('an operator creates it from the web: its youth services are given at once', async () => {
    await operator.get('/pro/territoires/nouveau');
    const r = await operator.post('/pro/territoires/nouveau', territoryFields({
      slug: kSlug, name: 'Paris 18e', communes: ['75118', '93070'], lat: '48.8925', lon: '2.3444', radius: '3',
      youth: [kYouth], action: 'enregistrer',
    }));
    assert.equal(r.status, 303, r.body.slice(0, 1500));
    const main = await youthPage(server.baseUrl, '75018');
    assert.match(main, /À qui parler \(Paris 18e\)/);
    assert.match(main, /Maison des Adolescents Paris Nord/);
    assert.match(main, /href="tel:0142001818"/);
    // Saint-Ouen is one of its communes; Aubervilliers is not.
    assert.match(await youthPage(server.baseUrl, '93400'), /Maison des Adolescents Paris Nord/);
    assert.doesNotMatch(await youthPage(server.baseUrl, '93300'), /Paris 18e/);
  });

  test('its coordinator adds and publishes an actor that accepts referrals, whose first member holds its key', async () => {
    // The coordinator, invited by the operator from the web.
    const invite = `/pro/territoires/${kSlug}/coordination/inviter`;
    await operator.get(invite);
    let r = await operator.post(invite, [['email', 'coordination-18@example.org']]);
    assert.equal(r.status, 200, r.body.slice(0, 1500));
    const link = r.body.match(/data-invitation-link>https?:\/\/[^<\s]+(\/pro\/invitation\/[A-Za-z0-9_-]+)</)?.[1];
    assert.ok(link, r.body.slice(0, 1500));
    coordinator = new Professional(server.baseUrl, 'coordination-18@example.org');
    await coordinator.enrolFromLink(link);

    const list = `/pro/territoires/${kSlug}/acteurs`;
    await coordinator.get(`${list}/nouveau`);
    r = await coordinator.post(`${list}/nouveau`, [['name', 'Écoute Paris Nord'], ['description', 'Écoute des victimes.'],
      ['phone-0-number', '01 99 00 18 01'], ['phone-0-type', 'voice'], ['accepts_referrals', 'oui'],
      ['visibility', 'public']]);
    assert.equal(r.status, 303, r.body.slice(0, 1500));
    organizationPath = r.headers.location.split('?')[0];
    organization = organizationPath.split('/').at(-1);
    await coordinator.get(`${organizationPath}/lieu`);
    const place = [['name', 'Permanence Nord'], ['address', '1 rue du Test'], ['postal_code', '75018']];
    r = await coordinator.post(`${organizationPath}/lieu`, [...place, ['city', ''], ['insee_code', ''], ['latitude', ''],
      ['longitude', ''], ['transportation', ''], ['placer', '1']]);
    assert.equal(r.status, 200);
    const field = (id) => r.body.match(new RegExp(`id="${id}" name="${id}"[^>]*value="([^"]+)"`))[1];
    const proposed = [['city', 'Paris'], ['insee_code', field('insee_code')], ['latitude', field('latitude')],
      ['longitude', field('longitude')], ['transportation', '']];
    r = await coordinator.post(`${organizationPath}/lieu`, [...place, ...proposed]);
    assert.equal(r.status, 303, r.body.slice(0, 1500));
    const form = await coordinator.get(`${organizationPath}/service`);
    const locationId = form.body.match(/name="locations" value="([^"]+)"/)[1];
    r = await coordinator.post(`${organizationPath}/service`, [['name', 'Écoute et accompagnement'],
      ['categories', 'victim-support-association'], ['categories', 'legal-advice'], ['locations', locationId],
      ['opening_hours', '24/7'], ['languages', 'fr'], ['description', ''], ['application_process', '']]);
    assert.equal(r.status, 303, r.body.slice(0, 1500));
    serviceId = (await coordinator.get(organizationPath)).body.match(/service\?id=([^"]+)"/)[1];
    await coordinator.get(organizationPath);
    r = await coordinator.post(`${organizationPath}/etat`, [['action', 'publier']]);
    assert.equal(r.status, 303);

    // Its first member, invited from the console: the link goes by e-mail; her enrolment makes the keys.
    const memberInvite = `/pro/territoires/${kSlug}/organisations/${organization}/inviter`;
    await coordinator.get(memberInvite);
    r = await coordinator.post(memberInvite, [['email', kMemberEmail]]);
    assert.equal(r.status, 200, r.body.slice(0, 1500));
    const mails = () => sink.messages.filter((m) => m.to.includes(kMemberEmail));
    await waitFor(() => mails().length === 1, 'the invitation e-mail');
    const memberLink = decodeBody(mails()[0].data).match(/http:\/\/passerelle\.test(\/pro\/invitation\/[A-Za-z0-9_-]+)/)[1];
    await new Professional(server.baseUrl, kMemberEmail).enrolFromLink(memberLink);
    assert.equal(await queryNumber(server, `SELECT COUNT(*) FROM organization_key WHERE organization_id = '${organization}'`), 1);
  });

  test('a visitor in the 18e is proposed that actor and sends it a referral, counted under the territory', async () => {
    const completedBefore = await completed(server, kSlug);
    const visitor = new Visitor(server.baseUrl);
    const end = await visitor.finish(await visitor.walkToContact('Papiers retenus', '75018'), 'parapluie');
    assert.ok(proposalsIn(end.body).includes(serviceId), 'the new actor is proposed');
    const report = await openReport(visitor, end);
    assert.equal(report.serviceId, serviceId);
    const r = await visitor.post('/aide/envoi', sendFields(report, [['contact_detail', '06 11 22 33 44'],
      ['consent', 'yes'], ['action', 'send']]));
    assert.equal(r.status, 200);
    assert.match(r.body, /data-followup-code/);
    assert.equal(await queryText(server,
      `SELECT territory_slug FROM referral WHERE organization_id = '${organization}'`), kSlug);
    assert.equal(await completed(server, kSlug), completedBefore + 1);
    // The annuaire's page of the 18e counts its visit under the territory.
    const visits = `SELECT COALESCE(SUM(count), 0) FROM stat_counter WHERE kind = 'visit_directory' AND territory_slug = '${kSlug}'`;
    const visitsBefore = await queryNumber(server, visits);
    assert.equal((await new Visitor(server.baseUrl).get('/annuaire?commune=75018')).status, 200);
    await waitFor(async () => (await queryNumber(server, visits)) === visitsBefore + 1, 'the visit counted under paris-18');
    assert.equal(pid(), startPid, 'the same process: no restart');
  });

  test('its settings saved in the console are given at once', async () => {
    await saveYouthService('Point Accueil Écoute Jeunes 18', '01 42 00 18 19');
    const main = await youthPage(server.baseUrl, '75018');
    assert.match(main, /Point Accueil Écoute Jeunes 18/);
    assert.doesNotMatch(main, /Maison des Adolescents Paris Nord/);
  });

  test('a second instance on the same database follows within its poll interval', async () => {
    const second = await spawnServe({ db: server.db, dir: server.dir, extraArgs: ['--directory-poll-ms', '200',
      '--jobs-interval', '0'] });
    try {
      await second.healthy();
      assert.match(await youthPage(second.baseUrl, '75018'), /Point Accueil Écoute Jeunes 18/);
      // Saved on the first instance: the second gives it after its next poll.
      await saveYouthService('Espace Jeunes Saint-Ouen', '01 40 00 93 07');
      await waitFor(async () => /Espace Jeunes Saint-Ouen/.test(await youthPage(second.baseUrl, '75018')),
        'the second instance gives the new youth service', 5_000);
    } finally {
      if (second.child.exitCode === null) second.child.kill('SIGTERM');
      await second.exited;
    }
  });

  test('once archived, the territory is no longer the 18e’s', async () => {
    const archive = `/pro/territoires/${kSlug}/archiver`;
    await operator.get(`/pro/territoires/${kSlug}/modifier`);
    const r = await operator.post(archive, [['action', 'archiver']]);
    assert.equal(r.status, 303);
    const main = await youthPage(server.baseUrl, '75018');
    assert.doesNotMatch(main, /Paris 18e|Espace Jeunes Saint-Ouen/);
    assert.match(main, /href="tel:119"/);
    // Her flow counts under no territory now.
    const before18 = await completed(server, kSlug);
    const national = await completed(server, '');
    const visitor = new Visitor(server.baseUrl);
    await visitor.finish(await visitor.walkToContact('Papiers retenus', '75018'), 'parapluie');
    assert.equal(await completed(server, kSlug), before18);
    assert.equal(await completed(server, ''), national + 1);
    assert.equal(pid(), startPid, 'the same process: no restart');
  });
});
