// Appointments ("Prendre rendez-vous", issue 12 §2, docs/immediate-connection.md) over HTTP
// against the real binary, without JavaScript, on SQLite or PostgreSQL (PASSERELLE_TEST_DB): a
// member publishes slots (bad input refused naming the field, nothing written); the result offers
// "Prendre rendez-vous"; she picks a slot and sends her sealed request, which holds it; a second
// booking of the same slot gets a polite 409 with the other slots, never a 500, and writes
// nothing; /suivi shows her appointment, and her cancel opens the slot again; the organization's
// cancel shows on her /suivi; a booked slot marked "venue" is counted once.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { request, startServer } from './harness.mjs';
import { Professional } from './pro-harness.mjs';
import {
  Visitor, firstReferrableProposal, mainOf, nonceIn, proposalsIn, queryNumber, queryText, tokenIn,
} from './referral-visitor.mjs';

const kBook = /formaction="\/aide\/rendez-vous" name="service_id" value="([^"]+)"/g;
const bookablesIn = (html) => [...html.matchAll(kBook)].map((m) => m[1]);
const slotsIn = (html) => [...html.matchAll(/name="slot" type="radio" value="([^"]+)"/g)].map((m) => m[1]);
const counter = (server, kind) =>
  queryNumber(server, `SELECT COALESCE(SUM(count), 0) FROM stat_counter WHERE kind = '${kind}'`);

// A new visitor whose result proposes `serviceId` (proposals rotate per visitor).
async function endPageWith(baseUrl, serviceId) {
  for (let attempt = 0; attempt < 30; attempt++) {
    const visitor = new Visitor(baseUrl);
    const end = await visitor.finish(await visitor.walkToContact('Papiers retenus'), 'mimosa');
    if (proposalsIn(end.body).includes(serviceId)) return { visitor, end };
  }
  throw new Error(`service ${serviceId} never proposed in 30 visits`);
}

// Her way from the result to the report of `slot` (the slots page in between).
async function reportFor(baseUrl, serviceId, slot) {
  const { visitor, end } = await endPageWith(baseUrl, serviceId);
  assert.ok(bookablesIn(end.body).includes(serviceId), '« Prendre rendez-vous » is offered');
  const slots = await visitor.post('/aide/rendez-vous', [['token', tokenIn(end.body)], ['service_id', serviceId]]);
  assert.equal(slots.status, 200);
  const report = await visitor.post('/aide/rendez-vous/creneau', [['nonce', nonceIn(slots.body)], ['slot', slot]]);
  return { visitor, slots, report };
}

function sendFieldsOf(page) {
  const items = [...page.matchAll(/name="include" type="checkbox" value="([a-z_]+)"/g)].map((m) => m[1]);
  return [['nonce', nonceIn(page)], ...items.map((i) => ['include', i]), ['contact_detail', '06 12 34 56 78'],
    ['consent', 'yes'], ['action', 'send']];
}

// The Paris day `days` from now, "YYYY-MM-DD".
function parisDay(days) {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris' }).format(new Date(Date.now() + days * 86400000));
}

describe('appointments', () => {
  let server;
  let serviceId;
  let organizationId;
  let pro;
  let phoneBooker;  // who holds the phone slot: { visitor, code }
  const day = parisDay(2);
  const path = () => `/pro/organisations/${organizationId}/rendez-vous`;
  const publish = (fields) => pro.post(path(), [['action', 'publier'], ['service', serviceId], ...fields]);

  before(async () => {
    server = await startServer({ gazetteer: true, extraArgs: ['--post-limit', '100000', '--jobs-interval', '0'] });
    ({ serviceId, organizationId } = await firstReferrableProposal(server));
    pro = new Professional(server.baseUrl, 'rendez-vous-a@example.org');
    await pro.enrolAndSignIn(server, ['--role', 'member', '--org', organizationId]);
  });
  after(async () => {
    await server?.stop();
  });

  test('without slots the result offers no appointment; the referral stays', async () => {
    const { end } = await endPageWith(server.baseUrl, serviceId);
    assert.deepEqual(bookablesIn(end.body), []);
    assert.ok(proposalsIn(end.body).includes(serviceId));
  });

  test('publishing: bad input is refused naming the field, nothing written', async () => {
    assert.equal((await pro.get(path())).status, 200);
    const refused = async (fields, field, status = 400) => {
      const r = await publish(fields);
      assert.equal(r.status, status, JSON.stringify(fields));
      assert.match(r.body, /app-error-summary/);
      assert.match(r.body, new RegExp(`href="#${field}"`));
      assert.match(r.body, new RegExp(`id="${field}"`));
      return r;
    };
    const base = { jour: day, debut: '10:00', duree: '45', mode: 'phone', lieu: '' };
    const fields = (change) => Object.entries({ ...base, ...change });
    await refused(fields({ jour: 'demain' }), 'rdv-jour');
    await refused(fields({ debut: '25:00' }), 'rdv-debut');
    await refused(fields({ jour: '2020-01-06' }), 'rdv-debut');  // in the past
    await refused(fields({ duree: '2' }), 'rdv-duree');
    await refused(fields({ duree: 'une heure' }), 'rdv-duree');
    await refused(fields({ mode: 'visio' }), 'rdv-mode');
    const r = await refused(fields({ mode: 'video', lieu: 'http://visio.example.org/x' }), 'rdv-lieu');
    assert.match(r.body, /https:\/\//);
    await refused(fields({ mode: 'in_person', lieu: '' }), 'rdv-lieu');
    const other = await queryText(server,
      `SELECT id FROM service WHERE organization_id <> '${organizationId}' ORDER BY id LIMIT 1`);
    const foreign = await pro.post(path(), [['action', 'publier'], ['service', other], ...fields({})]);
    assert.equal(foreign.status, 404);
    assert.match(foreign.body, /href="#rdv-service"/);
    assert.equal(await queryNumber(server, 'SELECT COUNT(*) FROM appointment_slot'), 0);
  });

  test('she picks a slot, sends her sealed request, and gets her code; the slot is held', async () => {
    let r = await publish([['jour', day], ['debut', '10:00'], ['duree', '45'], ['mode', 'phone'], ['lieu', '']]);
    assert.equal(r.status, 303);
    r = await pro.get(r.headers.location);
    assert.match(mainOf(r.body), /Le créneau est publié/);
    r = await publish([['jour', day], ['debut', '11:00'], ['duree', '30'], ['mode', 'in_person'],
      ['lieu', '12 rue de la Paix, Paris']]);
    assert.equal(r.status, 303);
    const inPerson = await queryText(server, "SELECT id FROM appointment_slot WHERE mode = 'in_person'");

    const { visitor, slots, report } = await reportFor(server.baseUrl, serviceId, inPerson);
    assert.equal(slotsIn(slots.body).length, 2);
    assert.equal(report.status, 200);
    assert.match(report.body, /data-appointment/);
    assert.match(report.body, /11:00<\/span>–<span dir="ltr">11:30/);
    assert.match(report.body, /12 rue de la Paix/);
    const sent = await visitor.post('/aide/envoi', sendFieldsOf(report.body));
    assert.equal(sent.status, 200);
    assert.match(sent.body, /data-appointment/);
    const code = sent.body.match(/data-followup-code><strong>([a-z-]+-\d{4})</)[1];
    assert.ok(code);
    const id = await queryText(server, "SELECT id FROM referral WHERE kind = 'appointment'");
    assert.equal(await queryText(server, `SELECT booking FROM appointment_slot WHERE id = '${inPerson}'`), id);
    assert.equal(await queryText(server, `SELECT status FROM appointment_slot WHERE id = '${inPerson}'`), 'booked');
    assert.equal(await queryNumber(server,
      "SELECT COUNT(*) FROM referral WHERE sealed_report LIKE '%mimosa%' OR sealed_report LIKE '%06 12 34%'"), 0);
    assert.equal(await counter(server, 'appointment_booked'), 1);

    // /suivi shows it, and her cancel opens the slot again.
    let followUp = await visitor.post('/suivi', [['code', code]]);
    assert.equal(followUp.status, 200);
    assert.match(followUp.body, /data-appointment/);
    assert.match(followUp.body, /12 rue de la Paix/);
    assert.doesNotMatch(followUp.body, /data-appointment-cancelled/);
    followUp = await visitor.post('/suivi', [['nonce', nonceIn(followUp.body)], ['action', 'cancel_appointment']]);
    assert.equal(followUp.status, 200);
    assert.match(followUp.body, /Votre rendez-vous est annulé/);
    assert.doesNotMatch(followUp.body, /data-appointment/);
    assert.equal(await queryText(server, `SELECT status FROM appointment_slot WHERE id = '${inPerson}'`), 'open');
    assert.equal(await queryNumber(server,
      `SELECT COUNT(*) FROM appointment_slot WHERE id = '${inPerson}' AND booking IS NULL`), 1);
    assert.equal(await counter(server, 'appointment_cancelled'), 1);
    // Her request stays.
    assert.equal(await queryText(server, `SELECT status FROM referral WHERE id = '${id}'`), 'new');
  });

  test('a slot taken meanwhile: a polite 409 with the other slots, nothing written', async () => {
    const slot = await queryText(server, "SELECT id FROM appointment_slot WHERE mode = 'phone'");
    const other = await queryText(server, "SELECT id FROM appointment_slot WHERE mode = 'in_person'");
    // Two people on the report of the same slot; the first sends.
    const first = await reportFor(server.baseUrl, serviceId, slot);
    const second = await reportFor(server.baseUrl, serviceId, slot);
    assert.equal(first.report.status, 200);
    assert.equal(second.report.status, 200);
    const sent = await first.visitor.post('/aide/envoi', sendFieldsOf(first.report.body));
    assert.equal(sent.status, 200);
    phoneBooker = { visitor: first.visitor, code: sent.body.match(/data-followup-code><strong>([a-z-]+-\d{4})</)[1] };
    const before = await queryNumber(server, 'SELECT COUNT(*) FROM referral');
    const taken = await second.visitor.post('/aide/envoi', sendFieldsOf(second.report.body));
    assert.equal(taken.status, 409);
    assert.match(taken.body, /Ce créneau vient d’être pris/);
    assert.deepEqual(slotsIn(taken.body), [other], 'the other slot is offered');
    assert.equal(await queryNumber(server, 'SELECT COUNT(*) FROM referral'), before, 'nothing written');
    // She picks the other one from that page: her text is kept, and it goes through.
    const report = await second.visitor.post('/aide/rendez-vous/creneau', [['nonce', nonceIn(taken.body)],
      ['slot', other]]);
    assert.equal(report.status, 200);
    assert.match(report.body, /06 12 34 56 78/);
    const done = await second.visitor.post('/aide/envoi', sendFieldsOf(report.body));
    assert.equal(done.status, 200);
    assert.equal(await queryNumber(server, "SELECT COUNT(*) FROM appointment_slot WHERE status = 'booked'"), 2);
    assert.equal(await counter(server, 'appointment_booked'), 3);
    // Picking a slot no longer open, from the slots page: 409 as well.
    const third = await endPageWith(server.baseUrl, serviceId);
    assert.deepEqual(bookablesIn(third.end.body), [], 'no open slot left: no appointment offered');
    assert.ok(proposalsIn(third.end.body).includes(serviceId), 'the referral stays');
    const refused = await third.visitor.post('/aide/rendez-vous', [['token', tokenIn(third.end.body)],
      ['service_id', serviceId]]);
    assert.equal(refused.status, 409);
  });

  test('the professional sees the day, cancels (shown on her /suivi) and marks "venue" (counted once)', async () => {
    let r = await pro.get(`${path()}?jour=${day}`);
    assert.equal(r.status, 200);
    const main = mainOf(r.body);
    assert.match(main, /data-day-slots/);
    assert.equal([...main.matchAll(/data-status="booked"/g)].length, 4);  // the day and the upcoming lists
    assert.match(main, /voir la demande/);
    assert.equal((await pro.get(`${path()}?jour=13-01-2026`)).status, 400);

    // The organization cancels the phone slot: her /suivi says so.
    const slot = await queryText(server, "SELECT id FROM appointment_slot WHERE mode = 'phone'");
    const booking = await queryText(server, `SELECT booking FROM appointment_slot WHERE id = '${slot}'`);
    r = await pro.post(path(), [['action', 'annuler'], ['id', slot]]);
    assert.equal(r.status, 303);
    assert.equal(await queryText(server, `SELECT status FROM appointment_slot WHERE id = '${slot}'`), 'cancelled');
    assert.equal(await counter(server, 'appointment_cancelled'), 2);
    r = await pro.post(path(), [['action', 'annuler'], ['id', slot]]);
    assert.equal(r.status, 409);
    assert.equal((await pro.post(path(), [['action', 'annuler'], ['id', 'rdv-unknown']])).status, 404);
    assert.equal(await queryNumber(server,
      `SELECT COUNT(*) FROM appointment_slot WHERE id = '${slot}' AND cancelled_booking = '${booking}'`), 1);
    const followUp = await phoneBooker.visitor.post('/suivi', [['code', phoneBooker.code]]);
    assert.equal(followUp.status, 200);
    assert.match(followUp.body, /data-appointment-cancelled/);
    assert.match(followUp.body, /Le professionnel a annulé ce rendez-vous/);
    assert.doesNotMatch(followUp.body, /value="cancel_appointment"/);

    // "Venue": only once it started (moved into the past here), counted once.
    const other = await queryText(server, "SELECT id FROM appointment_slot WHERE mode = 'in_person'");
    r = await pro.post(path(), [['action', 'venue'], ['id', other]]);
    assert.equal(r.status, 409);
    await queryText(server,
      `UPDATE appointment_slot SET starts_at = starts_at - 259200, ends_at = ends_at - 259200 WHERE id = '${other}'`);
    r = await pro.post(path(), [['action', 'venue'], ['id', other]]);
    assert.equal(r.status, 303);
    r = await pro.post(path(), [['action', 'venue'], ['id', other]]);
    assert.equal(r.status, 303);
    assert.equal(await counter(server, 'appointment_honoured'), 1);
    assert.equal(await queryText(server, `SELECT outcome FROM appointment_slot WHERE id = '${other}'`), 'honoured');
    r = await pro.post(path(), [['action', 'absente'], ['id', other]]);
    assert.equal(r.status, 303);
    assert.equal(await counter(server, 'appointment_honoured'), 1);
  });

  test('no one else reaches the appointment page', async () => {
    const anonymous = await request(server.baseUrl, 'GET', path());
    assert.notEqual(anonymous.status, 200);
    const stranger = new Professional(server.baseUrl, 'rendez-vous-b@example.org');
    const otherOrg = await queryText(server,
      `SELECT organization_id FROM service WHERE organization_id <> '${organizationId}' ORDER BY id LIMIT 1`);
    await stranger.enrolAndSignIn(server, ['--role', 'member', '--org', otherOrg]);
    const refused = await stranger.get(path());
    assert.ok([403, 404].includes(refused.status), `a member of another organization: ${refused.status}`);
    assert.ok([403, 404].includes((await stranger.post(path(), [['action', 'annuler'], ['id', 'x']])).status));
  });
});
