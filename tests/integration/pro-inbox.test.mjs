// The referral inbox of the professional space (issue 4 §3-4) over HTTP against the real binary,
// without JavaScript: a victim sends referrals; professionals invited with `passerelle user add`
// set a password and TOTP (codes computed here), sign in, open a referral (safe-contact
// instructions first, audited), move it through its statuses, write to her; she reads and
// replies at /suivi; refusal, hand-over, access control and the jobs CLI.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { request, runBinary, startServer } from './harness.mjs';
import { Professional, sendReferral } from './pro-harness.mjs';
import { mainOf, queryNumber, queryText } from './referral-visitor.mjs';

async function followUp(v, code, fields = []) {
  return v.post('/suivi', [['code', code], ...fields]);
}

const audits = (server, action) => queryNumber(server, `SELECT COUNT(*) FROM audit_log WHERE action = '${action}'`);

describe('referral inbox of the professional space', () => {
  let server;
  let first;   // referral without consent to a hand-over
  let second;  // referral with consent
  let third;   // to be refused
  const pro = {};

  before(async () => {
    server = await startServer({ gazetteer: true, extraArgs: ['--post-limit', '100000', '--jobs-interval', '0'] });
    first = await sendReferral(server);
    second = await sendReferral(server, { handover: true, codeWord: 'tournesol', serviceId: first.serviceId });
    third = await sendReferral(server, { codeWord: 'citron', serviceId: first.serviceId });
    assert.equal(second.organizationId, first.organizationId, 'the same organization');
    pro.a = new Professional(server.baseUrl, 'juriste-a@example.org');
    const printed = await pro.a.enrolAndSignIn(server, ['--role', 'member', '--org', first.organizationId]);
    assert.match(printed, /gives access|also gives access/);
  });
  after(async () => {
    await server?.stop();
  });

  test('the inbox lists minimal data opened with the session key', async () => {
    const r = await pro.a.get('/pro/demandes');
    assert.equal(r.status, 200);
    const main = mainOf(r.body);
    assert.match(main, /data-inbox/);
    for (const referral of [first, second, third]) assert.match(main, new RegExp(`/pro/demandes/${referral.id}`));
    assert.match(main, /Nouvelle/);
    assert.match(main, /Code postal 75010/, 'her place, from the sealed summary');
    assert.doesNotMatch(main, /parapluie/, 'no report content in the list');
    assert.equal(await queryNumber(server, "SELECT COUNT(*) FROM referral WHERE sealed_summary LIKE '%75010%'"), 0);
  });

  test('opening shows the safe-contact instructions first and is audited', async () => {
    const openings = await audits(server, 'referral.opened');
    const r = await pro.a.get(`/pro/demandes/${first.id}`);
    assert.equal(r.status, 200);
    const main = mainOf(r.body);
    const safe = main.indexOf('data-report-section="safe_contact"');
    assert.ok(safe > 0 && safe < main.indexOf('data-report-section="answers"'));
    assert.ok(safe < main.indexOf('id="messages-heading"') && safe < main.indexOf('id="actions-heading"'));
    assert.match(main, /parapluie/, 'the code word, decrypted');
    assert.match(main, /06 11 22 33 44/);
    assert.match(main, /n’a pas accepté que sa demande soit transmise/);
    assert.doesNotMatch(main, /Transmettre la demande/);
    assert.equal(await audits(server, 'referral.opened'), openings + 1);
  });

  test('statuses: invalid changes refused with a message, valid ones seen at /suivi', async () => {
    const path = `/pro/demandes/${first.id}`;
    let r = await pro.a.post(`${path}/etat`, [['to', 'contacted']]);
    assert.equal(r.status, 409);
    assert.match(r.body, /Prenez d’abord la demande en charge/);
    assert.match(r.body, /app-error-summary/);
    r = await pro.a.post(`${path}/etat`, [['to', 'handed_over']]);
    assert.equal(r.status, 400);
    r = await pro.a.post(`${path}/etat`, [['to', 'acknowledged']]);
    assert.equal(r.status, 303);
    assert.equal(r.headers.location, `${path}?fait=etat`);
    r = await pro.a.get(r.headers.location);
    assert.match(r.body, /L’état de la demande a été mis à jour/);
    assert.match(r.body, /data-status="acknowledged"/);
    let s = await followUp(first.visitor, first.code);
    assert.match(s.body, /Prise en charge\s:\sle professionnel a lu votre demande/);

    r = await pro.a.post(`${path}/messages`, [['message', 'Bonjour, je vous appelle jeudi soir comme convenu.']]);
    assert.equal(r.status, 303);
    r = await pro.a.post(`${path}/messages`, [['message', '   ']]);
    assert.equal(r.status, 400);
    s = await followUp(first.visitor, first.code);
    assert.match(s.body, /je vous appelle jeudi soir/);
    s = await followUp(first.visitor, first.code, [['action', 'reply'], ['message', 'Plutôt vendredi, merci.']]);
    assert.equal(s.status, 200);
    r = await pro.a.get(path);
    assert.match(r.body, /La personne<\/span> :<\/strong> <span dir="auto" class="app-message-text">Plutôt vendredi, merci\./);
    assert.match(r.body, /je vous appelle jeudi soir/, 'the professional reads its own messages');

    r = await pro.a.post(`${path}/etat`, [['to', 'contacted']]);
    assert.equal(r.status, 303);
    r = await pro.a.post(`${path}/etat`, [['to', 'closed']]);
    assert.equal(r.status, 400, 'an outcome is needed');
    assert.match(r.body, /href="#outcome-accompanied"/);
    r = await pro.a.post(`${path}/etat`, [['to', 'closed'], ['outcome', 'accompanied']]);
    assert.equal(r.status, 303);
    r = await pro.a.post(`${path}/etat`, [['to', 'refused'], ['reason', 'other']]);
    assert.equal(r.status, 409);
    s = await followUp(first.visitor, first.code);
    assert.match(s.body, /data-status="closed"/);
    assert.match(s.body, /ne pouvez plus écrire/);
    assert.doesNotMatch(s.body, /name="action" value="reply"/);
    assert.ok(await audits(server, 'referral.status') >= 3);
    assert.equal(await queryNumber(server, "SELECT COUNT(*) FROM audit_log WHERE detail LIKE '%vendredi%' OR detail LIKE '%jeudi%'"), 0);
  });

  test('refusal: her sealed message and other contacts at /suivi', async () => {
    let r = await pro.a.post(`/pro/demandes/${third.id}/etat`,
      [['to', 'refused'], ['reason', 'no_capacity'], ['note', 'Appelez le CIDFF au 01 23 45 67 89.']]);
    assert.equal(r.status, 303);
    assert.equal(await queryNumber(server, "SELECT COUNT(*) FROM referral WHERE sealed_refusal_note LIKE '%CIDFF%'"), 0);
    const s = await followUp(third.visitor, third.code);
    assert.match(s.body, /data-status="refused"/);
    assert.match(s.body, /pas de disponibilité en ce moment/);
    assert.match(s.body, /Appelez le CIDFF au 01 23 45 67 89\./);
    assert.match(s.body, /href="tel:3919"/);
    assert.match(s.body, /href="tel:116006"/);
    assert.match(s.body, /href="\/annuaire"/);
    r = await pro.a.get(`/pro/demandes/${third.id}`);
    assert.doesNotMatch(r.body, /CIDFF/, 'only her code opens it');
  });

  test('hand-over with her consent: re-sealed for the new organization, which is notified', async () => {
    let r = await pro.a.get(`/pro/demandes/${second.id}`);
    // The first target offered. Some demo organizations have no e-mail address (and which
    // organization received her referral depends on the rotation): give the target's one a
    // notification address, so that the e-mail to it can be checked.
    const target = r.body.match(/<option value="([^"]+)">/)?.[1];
    assert.ok(target, 'a target in the territory');
    const targetOrganization = await queryText(server, `SELECT organization_id FROM service WHERE id = '${target}'`);
    // A draft (an organization the coordinator has not published) is not offered, though it has a
    // key and accepts referrals; published again, it is.
    const offered = (html) => [...html.matchAll(/<option value="([^"]+)">/g)].map((m) => m[1]);
    await queryText(server, `UPDATE organization SET publication = 'draft' WHERE id = '${targetOrganization}'`);
    r = await pro.a.get(`/pro/demandes/${second.id}`);
    assert.ok(!offered(r.body).includes(target), 'a draft is no hand-over target');
    await queryText(server, `UPDATE organization SET publication = 'public' WHERE id = '${targetOrganization}'`);
    r = await pro.a.get(`/pro/demandes/${second.id}`);
    assert.ok(offered(r.body).includes(target), 'published, it is offered again');
    await queryText(server, `DELETE FROM organization_settings WHERE organization_id = '${targetOrganization}'`);
    await queryText(server, 'INSERT INTO organization_settings (organization_id, notification_email, updated_at) '
      + `VALUES ('${targetOrganization}', 'transmission@example.org', 0)`);
    const outbox = await queryNumber(server, "SELECT COUNT(*) FROM outbox WHERE kind = 'handover'");
    // Before: the first organization reads her report, her phone and the conversation.
    r = await pro.a.post(`/pro/demandes/${second.id}/messages`, [['message', 'CANARI-AVANT-TRANSMISSION']]);
    assert.equal(r.status, 303, r.body);
    const beforeHandOver = mainOf((await pro.a.get(`/pro/demandes/${second.id}`)).body);
    for (const canary of ['tournesol', '06 11 22 33 44', 'CANARI-AVANT-TRANSMISSION']) {
      assert.ok(beforeHandOver.includes(canary), `${canary} readable before the hand-over`);
    }
    r = await pro.a.post(`/pro/demandes/${second.id}/transmission`, [['service_id', 'nope']]);
    assert.equal(r.status, 400);
    r = await pro.a.post(`/pro/demandes/${second.id}/transmission`, [['service_id', target]]);
    assert.equal(r.status, 303, r.body);
    r = await pro.a.get(r.headers.location);
    assert.match(r.body, /data-handed-over-to/);
    assert.match(r.body, /data-status="handed_over"/);
    // After (issue 10 §7): the first organization keeps only the status line; her report, phone
    // and messages are gone from its page and from the database.
    assert.match(r.body, /data-handed-over-content/);
    const afterHandOver = mainOf(r.body);
    for (const canary of ['tournesol', '06 11 22 33 44', 'CANARI-AVANT-TRANSMISSION']) {
      assert.ok(!afterHandOver.includes(canary), `${canary} no longer shown to the first organization`);
    }
    assert.doesNotMatch(afterHandOver, /name="message"/, 'no reply box');
    assert.doesNotMatch(mainOf((await pro.a.get('/pro/demandes')).body), /tournesol/);
    assert.equal(await queryNumber(server, 'SELECT COUNT(*) FROM referral WHERE id = '
      + `'${second.id}' AND sealed_report IS NULL AND sealed_summary IS NULL AND content_deleted_on IS NOT NULL`), 1);
    assert.equal(await queryNumber(server, `SELECT COUNT(*) FROM referral_message WHERE referral_id = '${second.id}'`), 0);
    assert.equal(await queryNumber(server, "SELECT COUNT(*) FROM outbox WHERE kind = 'handover'"), outbox + 1);
    const next = await queryText(server, `SELECT id FROM referral WHERE handed_over_from = '${second.id}'`);
    assert.ok(next);
    // The old organization cannot open the new referral; she sees who has it now.
    r = await pro.a.get(`/pro/demandes/${next}`);
    assert.equal(r.status, 404);
    const s = await followUp(second.visitor, second.code);
    assert.match(s.body, /data-handed-over/);
    assert.match(s.body, /data-status="new"/);
    // A member of the new organization reads it.
    const newOrganization = await queryText(server, `SELECT organization_id FROM referral WHERE id = '${next}'`);
    pro.b = new Professional(server.baseUrl, 'juriste-b@example.org');
    await pro.b.enrolAndSignIn(server, ['--role', 'member', '--org', newOrganization]);
    r = await pro.b.get(`/pro/demandes/${next}`);
    assert.equal(r.status, 200);
    assert.match(mainOf(r.body), /tournesol/);
    assert.match(mainOf(r.body), /06 11 22 33 44/);
    assert.match(mainOf(r.body), /CANARI-AVANT-TRANSMISSION/, 'the conversation went with her report');
    assert.match(r.body, /data-handed-over-from/);
    r = await pro.b.get(`/pro/demandes/${first.id}`);
    assert.equal(r.status, 404, "another organization's referral");
    r = await pro.b.post(`/pro/demandes/${first.id}/messages`, [['message', 'intrus']]);
    assert.equal(r.status, 404);
  });

  test('a member without key access is told plainly; coordinators see nothing', async () => {
    const noKey = new Professional(server.baseUrl, 'benevole-a@example.org');
    const printed = await noKey.enrolAndSignIn(server, ['--role', 'member', '--org', first.organizationId]);
    assert.match(printed, /grants it|recovery code/);
    let r = await noKey.get('/pro/demandes');
    assert.equal(r.status, 200);
    assert.match(r.body, /Illisible sans accès aux demandes/);
    assert.doesNotMatch(r.body, /75010/);
    r = await noKey.get(`/pro/demandes/${third.id}`);
    assert.equal(r.status, 200);
    assert.match(r.body, /data-no-key/);
    assert.doesNotMatch(r.body, /citron/);

    const coordinator = new Professional(server.baseUrl, 'coordination@example.org');
    await coordinator.enrolAndSignIn(server, ['--role', 'coordinator', '--territory', 'paris-10']);
    for (const path of ['/pro/demandes', `/pro/demandes/${third.id}`]) {
      r = await coordinator.get(path);
      assert.equal(r.status, 404, path);
    }
    assert.equal((await coordinator.get('/pro/accueil')).status, 200);  // the session's form token
    r = await coordinator.post(`/pro/demandes/${third.id}/etat`, [['to', 'acknowledged']]);
    assert.equal(r.status, 404);
    assert.doesNotMatch(r.body, /citron/);
    // Without a session: sign in first.
    r = await request(server.baseUrl, 'GET', '/pro/demandes');
    assert.equal(r.status, 303);
  });

  test('jobs run once from the command line, with frozen time', async () => {
    const inAWeek = new Date(Date.now() + 7 * 86400_000).toISOString().slice(0, 10);
    let run = await runBinary(['jobs', 'run', '--db', server.db, '--now', inAWeek]);
    assert.equal(run.code, 0, run.stderr);
    // Still new: the hand-over copy (reminded and escalated once).
    assert.match(run.stdout, /reminded 1, escalated 1, expired 0/);
    run = await runBinary(['jobs', 'run', '--db', server.db, '--now', inAWeek]);
    assert.match(run.stdout, /reminded 0, escalated 0, expired 0/);
    run = await runBinary(['jobs', 'run', '--db', server.db, '--now', 'demain']);
    assert.equal(run.code, 2);
  });
});
