// Freshness of the directory (issue 11 §3, docs/territory-console.md "Freshness") against the
// real binary, without JavaScript: a coordinator sets her territory's period; `passerelle jobs
// run` asks the organisations (a content-free e-mail read at a real SMTP sink); the link's GET
// changes nothing (mail scanners), its button confirms and sets assured_date; a forged link is
// refused; 30 days without an answer flag the others stale, listed first; the one-click reminder
// sends the e-mail again; everything is audited and the chain verifies.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';

import { mailArgs, runBinary, startServer, waitFor } from './harness.mjs';
import { mainOf, parisDayPlus, Professional } from './pro-harness.mjs';
import { queryNumber, queryText } from './referral-visitor.mjs';
import { decodeBody, startSink } from '../smtp-sink/sink.mjs';

const kPage = '/pro/territoires/paris-10/fraicheur';
const ORG = 'p10-cidff';  // demo organization of paris-10, public e-mail accueil@cidff-demo.example.org
const ADDRESS = 'accueil@cidff-demo.example.org';
const todayInParis = () => new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris' }).format(new Date());

describe('freshness of the directory', () => {
  let sink;
  let server;
  let coordinator;
  let link;  // the path of the link in the e-mail to ORG
  const jobs = async (...args) => {
    const run = await runBinary(['jobs', 'run', '--db', server.db, '--data-dir', join(server.dir, 'data'), ...args]);
    assert.equal(run.code, 0, run.stderr);
    return run.stdout;
  };

  // The e-mails queued by a `jobs run --now` later than today are due then: delivered as of then.
  const deliver = async (days) => {
    const run = await runBinary(['outbox', 'deliver', '--db', server.db, '--smtp-url', `smtp://127.0.0.1:${sink.port}`,
      '--smtp-from', 'passerelle@test.example', '--public-url', 'http://passerelle.test',
      '--now', `${parisDayPlus(days)}T13:00:00Z`]);
    assert.equal(run.code, 0, run.stderr);
  };

  before(async () => {
    sink = await startSink();
    server = await startServer({
      extraArgs: ['--jobs-interval', '0', ...mailArgs(sink), '--directory-poll-ms', '200'],
    });
    coordinator = new Professional(server.baseUrl, 'coordination-fraicheur@example.org');
    await coordinator.enrolAndSignIn(server, ['--role', 'coordinator', '--territory', 'paris-10']);
  });
  after(async () => {
    await server?.stop();
    await sink?.close();
  });

  test('the hub links the page; a bad period names its field and changes nothing', async () => {
    const hub = await coordinator.get('/pro/territoires/paris-10');
    assert.match(mainOf(hub.body), new RegExp(`href="${kPage}"`));
    const page = await coordinator.get(kPage);
    assert.equal(page.status, 200);
    assert.match(page.body, /id="period_months" name="period_months"[^>]*value="6"/);
    const r = await coordinator.post(kPage, [['action', 'periode'], ['period_months', '0']]);
    assert.equal(r.status, 400);
    assert.match(mainOf(r.body), /href="#period_months">La période doit être un nombre entier de mois entre 1 et 24/);
    assert.match(r.body, /aria-describedby="period_months-hint period_months-error"/);
    assert.equal(await queryNumber(server, 'SELECT COUNT(*) FROM freshness_settings'), 0);
  });

  test('the job asks after the period; the link confirms with one POST', async () => {
    // First sight: the clocks start today, nobody is mailed.
    assert.match(await jobs(), /freshness questions 0, stale 0/);
    await coordinator.get(kPage);
    let r = await coordinator.post(kPage, [['action', 'periode'], ['period_months', ' 1 ']]);
    assert.equal(r.status, 303, `${r.status} ${r.body.slice(0, 3000)}`);
    assert.match((await coordinator.get(r.headers.location)).body, /data-notice>La période est enregistrée/);
    assert.match(await queryText(server, "SELECT detail FROM audit_log WHERE action = 'territory.freshness'"),
      /^months=6 -> 1$/);
    assert.match(await jobs('--now', parisDayPlus(20)), /freshness questions 0, stale 0/, 'not due yet');
    const asked = await queryNumber(server,
      "SELECT COUNT(*) FROM organization WHERE territory_slug = 'paris-10' AND status <> 'defunct'");
    assert.match(await jobs('--now', parisDayPlus(32)), new RegExp(`freshness questions ${asked}, stale 0`));
    assert.match(await jobs('--now', parisDayPlus(32)), /freshness questions 0, stale 0/, 'once');
    assert.equal(await queryNumber(server,
      "SELECT COUNT(*) FROM audit_log WHERE action = 'organization.freshness_requested' AND actor = 'system:jobs'"), asked);

    await deliver(32);
    await waitFor(() => sink.messages.some((m) => m.to.includes(ADDRESS)), 'the question to the organisation');
    const message = sink.messages.find((m) => m.to.includes(ADDRESS));
    const body = decodeBody(message.data);
    assert.match(message.data, /Subject: =\?UTF-8\?B\?/);
    const url = body.match(/http:\/\/passerelle\.test(\/pro\/fraicheur\/[A-Za-z0-9_.-]+)/);
    assert.ok(url, body);
    link = url[1];
    assert.doesNotMatch(body, /cidff|CIDFF/i, 'content-free: not even the organisation');

    // A mail scanner's GET changes nothing.
    const organisation = new Professional(server.baseUrl, 'lien@example.org');  // not signed in
    let page = await organisation.get(link);
    assert.equal(page.status, 200);
    assert.match(mainOf(page.body), /<button type="submit" class="app-button">Mes informations sont toujours exactes/);
    assert.match(mainOf(page.body), new RegExp(`href="/pro/organisations/${ORG}/profil"`));
    assert.equal(await queryText(server, `SELECT assured_date FROM organization WHERE id = '${ORG}'`), '2025-01-15');

    r = await organisation.post(link, []);
    assert.equal(r.status, 303);
    page = await organisation.get(r.headers.location);
    assert.match(page.body, /data-notice>Merci/);
    assert.equal(await queryText(server, `SELECT assured_date FROM organization WHERE id = '${ORG}'`), todayInParis());
    assert.equal(await queryText(server,
      `SELECT actor || ' ' || detail FROM audit_log WHERE action = 'organization.freshness_confirmed' AND object = 'organization:${ORG}'`),
    'anonymous link');
    // The public page shows the new check date (the server follows the write within its
    // --directory-poll-ms, as for any write of another process).
    let shown = '';
    for (let tries = 0; tries < 100 && !shown.includes(`datetime="${todayInParis()}"`); tries += 1) {
      if (tries > 0) await new Promise((resolve) => setTimeout(resolve, 100));
      shown = (await organisation.get(`/annuaire/${ORG}-s1`)).body;
    }
    assert.match(shown, new RegExp(`datetime="${todayInParis()}"`), 'the new check date on the public page');
  });

  test('a forged or altered link is refused and changes nothing', async () => {
    const before = await queryNumber(server, 'SELECT COUNT(*) FROM audit_log');
    const visitor = new Professional(server.baseUrl, 'faux@example.org');
    const [payload, mac] = link.slice('/pro/fraicheur/'.length).split('.');
    const other = Buffer.from(`p10-pad|${parisDayPlus(400)}`).toString('base64url');
    for (const path of ['/pro/fraicheur/abc.def', `/pro/fraicheur/${other}.${mac}`, `/pro/fraicheur/${payload}.x${mac}`]) {
      const page = await visitor.get(path);
      assert.equal(page.status, 404, path);
      assert.match(mainOf(page.body), /Ce lien n’est pas valide/);
    }
    await visitor.get(link);
    const r = await visitor.post(`/pro/fraicheur/${other}.${mac}`, []);
    assert.equal(r.status, 404);
    assert.equal(await queryNumber(server, 'SELECT COUNT(*) FROM audit_log'), before);
  });

  test('no answer after 30 days: stale, listed first, one-click reminder', async () => {
    const stale = await queryNumber(server,
      "SELECT COUNT(*) FROM organization WHERE territory_slug = 'paris-10' AND status <> 'defunct'") - 1;
    // Thirty days: not stale yet; the confirmed one is asked again (a month after its answer).
    assert.match(await jobs('--now', parisDayPlus(62)), /freshness questions 1, stale 0/);
    assert.match(await jobs('--now', parisDayPlus(63)), new RegExp(`freshness questions 0, stale ${stale}`));
    const page = await coordinator.get(kPage);
    assert.match(page.body, new RegExp(`data-stale-count="${stale}"`));
    const rows = [...page.body.matchAll(/<tr data-organization="([^"]+)"( data-stale)?>/g)];
    assert.equal(rows.length, stale + 1);
    assert.ok(rows.slice(0, stale).every((row) => row[2]), 'the stale entries come first');
    assert.equal(rows[stale][1], ORG, 'then the one waiting for its answer');
    assert.equal(rows[stale][2], undefined);
    assert.match(page.body, new RegExp(`data-organization="${ORG}">[\\s\\S]*?En attente de réponse depuis le`));

    // A stale one (the demo's other organisations have no address: audited, nothing to send).
    const target = rows[0][1];
    let r = await coordinator.post(kPage, [['action', 'relancer'], ['organization', target]]);
    assert.equal(r.status, 303);
    assert.match((await coordinator.get(r.headers.location)).body, /data-notice>Le rappel est parti/);
    assert.match(await queryText(server,
      `SELECT actor || ' ' || detail FROM audit_log WHERE action = 'organization.freshness_reminded' AND object = 'organization:${target}'`),
    /^account:\S+ stale$/);
    assert.match((await coordinator.get(kPage)).body, new RegExp(`data-organization="${target}" data-stale>[\\s\\S]*?rappel envoyé le`));
    // The one waiting for its answer: the e-mail again, with a new link.
    const sent = sink.messages.length;
    r = await coordinator.post(kPage, [['action', 'relancer'], ['organization', ORG]]);
    assert.equal(r.status, 303);
    await deliver(0);
    await waitFor(() => sink.messages.length > sent, 'the reminder');
    assert.deepEqual(sink.messages.at(-1).to, [ADDRESS]);
    const again = decodeBody(sink.messages.at(-1).data).match(/http:\/\/passerelle\.test(\/pro\/fraicheur\/[A-Za-z0-9_.-]+)/);
    assert.ok(again);
    assert.notEqual(again[1], link, 'a new link');
    // Another territory's organisation cannot be reminded from here.
    await coordinator.get(kPage);
    assert.equal((await coordinator.post(kPage, [['action', 'relancer'], ['organization', 'mtr-cidff']])).status, 404);
    assert.equal((await runBinary(['audit', 'verify', '--db', server.db])).code, 0);
  });
});
