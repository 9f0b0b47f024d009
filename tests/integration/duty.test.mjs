// On-duty time and the call-back (issue 12 §1-2, docs/immediate-connection.md) over HTTP against
// the real binary, without JavaScript, on SQLite or PostgreSQL (PASSERELLE_TEST_DB): a member
// declares slots (bad input refused, naming the field), the result then names the next on-duty
// time; "je suis disponible maintenant" makes the result offer "Être rappelée maintenant"; her
// call-back is a sealed referral with a follow-up code, e-mailed first to the member on duty,
// marked "appelée" (audited, counted); once nobody is on duty the call-back is refused. A
// coordinator sees the week's coverage.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { request, startServer } from './harness.mjs';
import { Professional } from './pro-harness.mjs';
import {
  Visitor, firstReferrableProposal, mainOf, nonceIn, proposalsIn, queryNumber, queryText, tokenIn,
} from './referral-visitor.mjs';

const kCallBack = /formaction="\/aide\/rappel" name="service_id" value="([^"]+)"/g;
const callBacksIn = (html) => [...html.matchAll(kCallBack)].map((m) => m[1]);

// A new visitor whose result proposes `serviceId` (proposals rotate per visitor), by phone unless
// `channel` says otherwise.
async function endPageWith(baseUrl, serviceId, channel = 'phone') {
  for (let attempt = 0; attempt < 30; attempt++) {
    const visitor = new Visitor(baseUrl);
    const contact = await visitor.walkToContact('Papiers retenus');
    const end = await visitor.answer(contact, ['channel', channel], ['times', 'evening'], ['voicemail', 'no'],
      ['identify', 'no'], ['code_word', 'mimosa'], ['if_other', 'hang_up']);
    if (proposalsIn(end.body).includes(serviceId)) return { visitor, end };
  }
  throw new Error(`service ${serviceId} never proposed in 30 visits`);
}

// Today's weekday in Paris, 0 = Monday.
function parisWeekday() {
  const name = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Paris', weekday: 'short' }).format(new Date());
  return ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'].indexOf(name);
}

describe('on-duty time and call-backs', () => {
  let server;
  let serviceId;
  let organizationId;
  const pro = {};

  before(async () => {
    server = await startServer({ gazetteer: true, extraArgs: ['--post-limit', '100000', '--jobs-interval', '0'] });
    ({ serviceId, organizationId } = await firstReferrableProposal(server));
    pro.a = new Professional(server.baseUrl, 'permanence-a@example.org');
    await pro.a.enrolAndSignIn(server, ['--role', 'member', '--org', organizationId]);
  });
  after(async () => {
    await server?.stop();
  });

  test('without any duty the result offers no call-back and names no time', async () => {
    const { end } = await endPageWith(server.baseUrl, serviceId);
    assert.deepEqual(callBacksIn(end.body), []);
    assert.doesNotMatch(end.body, /app-next-duty/);
    assert.ok(proposalsIn(end.body).includes(serviceId), 'the referral stays offered');
  });

  test('slots: bad input is refused naming the field, nothing written', async () => {
    const path = `/pro/organisations/${organizationId}/permanences`;
    assert.equal((await pro.a.get(path)).status, 200);
    let r = await pro.a.post(path, [['action', 'creneau'], ['service', serviceId], ['weekday', '1'], ['start', '25:00'],
      ['end', '17:00'], ['holder', 'equipe']]);
    assert.equal(r.status, 400);
    assert.match(r.body, /app-error-summary/);
    assert.match(r.body, /href="#slot-start"/);
    assert.match(r.body, /L’heure de début doit être de la forme 14:00/);
    r = await pro.a.post(path, [['action', 'creneau'], ['service', serviceId], ['weekday', '1'], ['start', '17:00'],
      ['end', '14:00'], ['holder', 'equipe']]);
    assert.equal(r.status, 400);
    assert.match(r.body, /href="#slot-end"/);
    r = await pro.a.post(path, [['action', 'fermeture'], ['service', serviceId], ['from', '2030-02-10'],
      ['to', '2030-02-01']]);
    assert.equal(r.status, 400);
    assert.match(r.body, /href="#closed-to"/);
    // A service of another organization: not found, nothing written.
    const other = await queryText(server,
      `SELECT id FROM service WHERE organization_id <> '${organizationId}' ORDER BY id LIMIT 1`);
    r = await pro.a.post(path, [['action', 'creneau'], ['service', other], ['weekday', '1'], ['start', '14:00'],
      ['end', '17:00'], ['holder', 'equipe']]);
    assert.equal(r.status, 404);
    assert.equal(await queryNumber(server, 'SELECT COUNT(*) FROM duty_slot'), 0);
    assert.equal(await queryNumber(server, 'SELECT COUNT(*) FROM duty_exception'), 0);
  });

  test('a weekly slot on another day: the result names the next on-duty time', async () => {
    const path = `/pro/organisations/${organizationId}/permanences`;
    const weekday = (parisWeekday() + 2) % 7;
    let r = await pro.a.post(path, [['action', 'creneau'], ['service', serviceId], ['weekday', String(weekday)],
      ['start', '14:00'], ['end', '17:00'], ['holder', 'equipe']]);
    assert.equal(r.status, 303);
    r = await pro.a.get(r.headers.location);
    assert.match(mainOf(r.body), /Le créneau est enregistré/);
    assert.match(mainOf(r.body), /14:00–17:00/);
    const { end } = await endPageWith(server.baseUrl, serviceId);
    assert.deepEqual(callBacksIn(end.body), []);
    const next = end.body.slice(end.body.indexOf('class="app-next-duty"'));
    assert.match(next, /^class="app-next-duty">[^<]*Prochaine permanence\s:[^<]*<span dir="ltr">\d\d\/\d\d\/\d{4} 14:00<\/span>/);
    assert.ok(proposalsIn(end.body).includes(serviceId), 'the referral stays offered');
  });

  test('"disponible maintenant": her call-back is a sealed referral, e-mailed to the member on duty', async () => {
    let r = await pro.a.post(`/pro/organisations/${organizationId}/disponible`, [['action', 'debut'],
      ['service', serviceId]]);
    assert.equal(r.status, 303);
    r = await pro.a.get(r.headers.location);
    assert.match(mainOf(r.body), /data-live-until/);

    // By SMS: on duty is said, but no call-back is offered (a call-back is a phone call).
    const bySms = await endPageWith(server.baseUrl, serviceId, 'sms');
    assert.deepEqual(callBacksIn(bySms.end.body), []);
    assert.match(bySms.end.body, /De permanence maintenant, jusqu’à/);

    const { visitor, end } = await endPageWith(server.baseUrl, serviceId);
    assert.ok(callBacksIn(end.body).includes(serviceId), 'Être rappelée maintenant is offered');
    assert.doesNotMatch(end.body, /app-next-duty/);
    const token = tokenIn(end.body);
    const report = await visitor.post('/aide/rappel', [['token', token], ['service_id', serviceId]]);
    assert.equal(report.status, 200);
    assert.match(report.body, /Votre demande de rappel à/);
    const items = [...report.body.matchAll(/name="include" type="checkbox" value="([a-z_]+)"/g)].map((m) => m[1]);
    const sent = await visitor.post('/aide/envoi', [['nonce', nonceIn(report.body)], ...items.map((i) => ['include', i]),
      ['contact_detail', '06 12 34 56 78'], ['consent', 'yes'], ['action', 'send']]);
    assert.equal(sent.status, 200);
    assert.match(sent.body, /data-call-back/);
    const code = sent.body.match(/data-followup-code><strong>([a-z-]+-\d{4})</)[1];
    assert.ok(code);
    assert.equal(await queryNumber(server, "SELECT COUNT(*) FROM referral WHERE kind = 'callback'"), 1);
    // Sealed like every referral: neither her number nor her code word in clear.
    assert.equal(await queryNumber(server,
      "SELECT COUNT(*) FROM referral WHERE sealed_report LIKE '%mimosa%' OR sealed_report LIKE '%06 12 34%'"), 0);
    assert.equal(await queryNumber(server,
      "SELECT COUNT(*) FROM outbox WHERE kind = 'call_back' AND recipient = 'permanence-a@example.org'"), 1);
    assert.equal(await queryNumber(server,
      "SELECT COALESCE(SUM(count), 0) FROM stat_counter WHERE kind = 'call_back_requested'"), 1);
    // Her follow-up works as for any referral.
    const followUp = await visitor.post('/suivi', [['code', code]]);
    assert.equal(followUp.status, 200);
  });

  test('the inbox puts the call-back first; marks are audited and counted once', async () => {
    const id = await queryText(server, "SELECT id FROM referral WHERE kind = 'callback'");
    let r = await pro.a.get('/pro/demandes');
    assert.equal(r.status, 200);
    assert.match(mainOf(r.body), /data-pending-callbacks="1"/);
    assert.match(mainOf(r.body), /Rappel immédiat demandé/);
    r = await pro.a.get('/pro/rappels-en-attente');
    assert.equal(r.status, 200);
    assert.deepEqual(JSON.parse(r.body), { pending: 1 });
    assert.equal((await pro.a.get(`/pro/demandes/${id}`)).status, 200);
    r = await pro.a.post(`/pro/demandes/${id}/rappel`, [['outcome', 'sonne']]);
    assert.equal(r.status, 400);
    assert.match(r.body, /Choisissez « Appelée »/);
    await pro.a.act(id, 'rappel', [['outcome', 'no_answer']]);
    assert.deepEqual(JSON.parse((await pro.a.get('/pro/rappels-en-attente')).body), { pending: 1 });
    await pro.a.act(id, 'rappel', [['outcome', 'called']]);
    await pro.a.act(id, 'rappel', [['outcome', 'called']]);
    assert.deepEqual(JSON.parse((await pro.a.get('/pro/rappels-en-attente')).body), { pending: 0 });
    assert.equal(await queryNumber(server, "SELECT COUNT(*) FROM audit_log WHERE action = 'referral.call_back'"), 3);
    assert.equal(await queryNumber(server,
      "SELECT COALESCE(SUM(count), 0) FROM stat_counter WHERE kind = 'call_back_made'"), 1);
    assert.equal(await queryText(server, `SELECT callback_outcome FROM referral WHERE id = '${id}'`), 'called');
    // Not a call-back: no mark.
    assert.equal((await pro.a.get('/pro/rappels-en-attente')).status, 200);
    const anonymous = await request(server.baseUrl, 'GET', '/pro/rappels-en-attente');
    assert.notEqual(anonymous.status, 200);
  });

  test('once nobody is on duty a call-back is refused and she is led back to her results', async () => {
    const { visitor, end } = await endPageWith(server.baseUrl, serviceId);
    assert.ok(callBacksIn(end.body).includes(serviceId));
    const r = await pro.a.post(`/pro/organisations/${organizationId}/disponible`, [['action', 'fin']]);
    assert.equal(r.status, 303);
    const refused = await visitor.post('/aide/rappel', [['token', tokenIn(end.body)], ['service_id', serviceId]]);
    assert.equal(refused.status, 409);
    assert.match(refused.body, /n’est plus de permanence/);
    assert.equal(await queryNumber(server, "SELECT COUNT(*) FROM referral WHERE kind = 'callback'"), 1);
  });

  test('the coordinator sees the week of the territory', async () => {
    const territory = await queryText(server, `SELECT territory_slug FROM organization WHERE id = '${organizationId}'`);
    const coordinator = new Professional(server.baseUrl, 'coordination-permanences@example.org');
    await coordinator.enrolAndSignIn(server, ['--role', 'coordinator', '--territory', territory]);
    let r = await coordinator.get(`/pro/territoires/${territory}/permanences`);
    assert.equal(r.status, 200);
    const main = mainOf(r.body);
    assert.match(main, /data-coverage/);
    assert.match(main, /14:00–17:00/);
    assert.match(main, /3 h 00/);
    r = await coordinator.get(`/pro/territoires/${territory}/permanences?semaine=2026-13-45`);
    assert.equal(r.status, 400);
    // The member's own pages are not the coordinator's.
    r = await coordinator.get(`/pro/organisations/${organizationId}/permanences`);
    assert.equal(r.status, 404);
  });
});
