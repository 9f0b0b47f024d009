// The territories' job delays (issue 4 §6 "delays configurable per territory", docs/jobs.md)
// over HTTP against the real binary, without JavaScript: a coordinator sees and changes her own
// territory's delays; a bad value is refused field by field and changes nothing; the change is
// audited; `passerelle jobs run` follows it; members and another territory's coordinator get 404.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { runBinary, startServer } from './harness.mjs';
import { mainOf, parisDayPlus, Professional, sendReferral } from './pro-harness.mjs';
import { queryNumber, queryText } from './referral-visitor.mjs';

const kForm = '/pro/territoires/paris-10/delais';
const delaysRows = (server) => queryNumber(server, 'SELECT COUNT(*) FROM referral_delays');

describe('territory delays in the professional space', () => {
  let server;
  let coordinator;

  before(async () => {
    server = await startServer({ gazetteer: true, extraArgs: ['--jobs-interval', '0'] });
    coordinator = new Professional(server.baseUrl, 'coordination-10@example.org');
    await coordinator.enrolAndSignIn(server, ['--role', 'coordinator', '--territory', 'paris-10']);
  });
  after(async () => {
    await server?.stop();
  });

  test('a coordinator sees her territory only, with the defaults', async () => {
    const home = await coordinator.get('/pro/accueil');
    assert.match(mainOf(home.body), /href="\/pro\/territoires"/);
    const list = await coordinator.get('/pro/territoires');
    assert.equal(list.status, 200);
    const items = [...list.body.matchAll(/data-territory="([^"]+)"/g)].map((m) => m[1]);
    assert.deepEqual(items, ['paris-10']);
    assert.match(list.body, /Rappel après 2 jours, alerte à la coordination après 3 jours, expiration après 90 jours/);
    const form = await coordinator.get(kForm);
    assert.equal(form.status, 200);
    assert.match(form.body, /data-defaults/);
    assert.match(form.body, /id="reminder_days" name="reminder_days"[^>]*value="2"/);
    // Another territory's page does not exist for her.
    assert.equal((await coordinator.get('/pro/territoires/montreuillois/delais')).status, 404);
    assert.equal((await coordinator.get('/pro/territoires/inconnu/delais')).status, 404);
  });

  test('bad values are refused field by field and change nothing', async () => {
    await coordinator.get(kForm);
    const r = await coordinator.post(kForm, [['action', 'enregistrer'], ['reminder_days', '2,5'],
      ['escalation_days', ''], ['expiry_days', '400'], ['retention_days', '30']]);
    assert.equal(r.status, 400);
    const main = mainOf(r.body);
    assert.match(main, /Il y a un problème/);
    assert.match(main, /href="#reminder_days">Le nombre de jours avant le rappel à l’organisation doit être un nombre entier/);
    assert.match(main, /href="#escalation_days">Indiquez le nombre de jours avant l’alerte à la coordination/);
    assert.match(main, /href="#expiry_days">Le nombre de jours avant l’expiration d’une demande sans activité doit être entre 14 et 365/);
    assert.doesNotMatch(main, /href="#retention_days"/);
    assert.match(main, /name="reminder_days"[^>]*value="2,5"/, 'what she typed is kept');
    assert.match(r.body, /<title>Erreur\s:\s/);
    // The alert may not come before the reminder.
    const order = await coordinator.post(kForm, [['action', 'enregistrer'], ['reminder_days', '5'],
      ['escalation_days', '4'], ['expiry_days', '90'], ['retention_days', '30']]);
    assert.equal(order.status, 400);
    assert.match(mainOf(order.body), /href="#escalation_days">L’alerte à la coordination ne peut pas venir avant le rappel/);
    assert.equal(await delaysRows(server), 0);
    assert.equal(await queryNumber(server, "SELECT COUNT(*) FROM audit_log WHERE action = 'territory.delays'"), 0);
  });

  test('saved delays are audited and followed by the jobs; back to the defaults', async () => {
    const sent = await sendReferral(server);
    assert.equal(await queryText(server, `SELECT territory_slug FROM referral WHERE id = '${sent.id}'`), 'paris-10');
    const inTwoDays = parisDayPlus(2);
    let run = await runBinary(['jobs', 'run', '--db', server.db, '--now', inTwoDays]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /reminded 0, escalated 0/, 'the default 2-day reminder is not due yet');

    await coordinator.get(kForm);
    let r = await coordinator.post(kForm, [['action', 'enregistrer'], ['reminder_days', '1'],
      ['escalation_days', '2'], ['expiry_days', ' 60 '], ['retention_days', '7']]);
    assert.equal(r.status, 303, r.body.slice(0, 2000));
    assert.equal(r.headers.location, `${kForm}?etat=enregistres`);
    r = await coordinator.get(r.headers.location);
    assert.match(r.body, /data-notice>Les délais sont enregistrés/);
    assert.match(r.body, /name="expiry_days"[^>]*value="60"/);
    assert.equal(await queryText(server,
      "SELECT reminder_days || ' ' || escalation_days || ' ' || expiry_days || ' ' || retention_days FROM referral_delays WHERE territory_slug = 'paris-10'"),
    '1 2 60 7');
    const detail = await queryText(server, "SELECT actor || ' ' || object || ' ' || detail FROM audit_log WHERE action = 'territory.delays'");
    assert.match(detail, /^account:\S+ territory:paris-10 reminder=2 escalation=3 expiry=90 retention=30 -> reminder=1 escalation=2 expiry=60 retention=7$/);

    run = await runBinary(['jobs', 'run', '--db', server.db, '--now', inTwoDays]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /reminded 1, escalated 0/, 'the 1-day reminder is due two days later');

    r = await coordinator.post(kForm, [['action', 'defaut']]);
    assert.equal(r.status, 303);
    assert.equal(await delaysRows(server), 0);
    assert.match((await coordinator.get(r.headers.location)).body, /data-notice>Le territoire suit de nouveau les délais par défaut/);
    assert.equal((await runBinary(['audit', 'verify', '--db', server.db])).code, 0);
  });

  test('members never reach the delays', async () => {
    const member = new Professional(server.baseUrl, 'juriste-delais@example.org');
    await member.enrolAndSignIn(server, ['--role', 'member', '--org', 'p10-cidff']);
    assert.doesNotMatch(mainOf((await member.get('/pro/accueil')).body), /territoires/);
    assert.equal((await member.get('/pro/territoires')).status, 404);
    assert.equal((await member.get(kForm)).status, 404);
    const before = await queryNumber(server, 'SELECT COUNT(*) FROM audit_log');
    const r = await member.post(kForm, [['action', 'defaut']]);
    assert.equal(r.status, 404);
    assert.equal(await queryNumber(server, 'SELECT COUNT(*) FROM audit_log'), before);
  });
});
