// E-mails of her appointment's cancellation (issue 12, docs/immediate-connection.md) against the
// real binary and a real SMTP sink: when she cancels her appointment from /suivi, or deletes the
// request that holds one, the organization's member on duty and its address get the usual
// content-free e-mail ("Rendez-vous annulé"); nothing when there is nothing to cancel, and never
// an e-mail to her. SQLite or PostgreSQL (PASSERELLE_TEST_DB).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { decodeBody, startSink } from '../smtp-sink/sink.mjs';
import { mailArgs, startServer, waitFor } from './harness.mjs';
import { Professional } from './pro-harness.mjs';
import {
  Visitor, firstReferrableProposal, nonceIn, proposalsIn, queryNumber, queryText, sendFieldsOfPage as sendFieldsOf, tokenIn,
} from './referral-visitor.mjs';

const kCancelled = 'a été annulé par la personne';

function parisDay(days) {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris' }).format(new Date(Date.now() + days * 86400000));
}

describe('appointment cancellation e-mails', () => {
  let server;
  let sink;
  let serviceId;
  let organizationId;
  let organizationEmail;
  let pro;
  const day = parisDay(2);
  const path = () => `/pro/organisations/${organizationId}/rendez-vous`;
  const cancelMails = () => sink.messages.filter((m) => decodeBody(m.data).includes(kCancelled));
  const outboxCount = () => queryNumber(server, "SELECT COUNT(*) FROM outbox WHERE kind = 'appointment_cancelled'");

  // She books `slot` and sends her request: her visitor and her follow-up code.
  async function book(slot) {
    for (let attempt = 0; attempt < 30; attempt++) {
      const visitor = new Visitor(server.baseUrl);
      const end = await visitor.finish(await visitor.walkToContact('Papiers retenus'), 'glycine');
      if (!proposalsIn(end.body).includes(serviceId)) continue;
      const slots = await visitor.post('/aide/rendez-vous', [['token', tokenIn(end.body)], ['service_id', serviceId]]);
      assert.equal(slots.status, 200);
      const report = await visitor.post('/aide/rendez-vous/creneau', [['nonce', nonceIn(slots.body)], ['slot', slot]]);
      assert.equal(report.status, 200);
      const sent = await visitor.post('/aide/envoi', sendFieldsOf(report.body));
      assert.equal(sent.status, 200);
      return { visitor, code: sent.body.match(/data-followup-code><strong>([a-z-]+-\d{4})</)[1] };
    }
    throw new Error('never proposed');
  }

  before(async () => {
    sink = await startSink();
    server = await startServer({
      gazetteer: true,
      extraArgs: ['--post-limit', '100000', '--jobs-interval', '0', ...mailArgs(sink)],
    });
    ({ serviceId, organizationId } = await firstReferrableProposal(server));
    // The demo organizations have no address: give this one its public address.
    organizationEmail = 'structure-rdv@example.org';
    await queryText(server, `UPDATE organization SET email = '${organizationEmail}' WHERE id = '${organizationId}'`);
    pro = new Professional(server.baseUrl, 'rendez-vous-mails@example.org');
    await pro.enrolAndSignIn(server, ['--role', 'member', '--org', organizationId]);
    assert.equal((await pro.get(path())).status, 200);
    for (const start of ['10:00', '11:00']) {
      const r = await pro.post(path(), [['action', 'publier'], ['service', serviceId], ['jour', day], ['debut', start],
        ['duree', '45'], ['mode', 'phone'], ['lieu', '']]);
      assert.equal(r.status, 303);
    }
  });
  after(async () => {
    await server?.stop();
    await sink?.close();
  });

  test('her cancel from /suivi: the organization is told, content-free; a second cancel sends nothing', async () => {
    const slot = await queryText(server,
      "SELECT id FROM appointment_slot WHERE status = 'open' ORDER BY starts_at LIMIT 1");
    const { visitor, code } = await book(slot);
    assert.equal(await outboxCount(), 0, 'booking sends no cancellation');
    let page = await visitor.post('/suivi', [['code', code]]);
    assert.equal(page.status, 200);
    page = await visitor.post('/suivi', [['nonce', nonceIn(page.body)], ['action', 'cancel_appointment']]);
    assert.match(page.body, /Votre rendez-vous est annulé/);
    await waitFor(async () => cancelMails().length === 1, 'the cancellation e-mail delivered');
    const [mail] = cancelMails();
    assert.deepEqual(mail.to, [organizationEmail], 'nobody on duty: the organization\'s address only');
    const body = decodeBody(mail.data);
    assert.match(body, /http:\/\/passerelle\.test\/pro/);
    for (const secret of [code, '06 12 34 56 78', 'glycine', 'Papiers retenus', day, '10:00']) {
      assert.ok(!body.includes(secret), `the e-mail is content-free (${secret})`);
    }
    // Nothing left to cancel: no second e-mail.
    page = await visitor.post('/suivi', [['nonce', nonceIn(page.body)], ['action', 'cancel_appointment']]);
    assert.match(page.body, /Vous n’avez pas de rendez-vous à annuler/);
    assert.equal(await outboxCount(), 1);
  });

  test('her deletion of a request holding a slot: the member on duty and the organization are told', async () => {
    // The member says "je suis disponible maintenant": on duty, so told first (as for a call-back).
    await pro.get(`/pro/organisations/${organizationId}/permanences`);
    assert.equal((await pro.post(`/pro/organisations/${organizationId}/disponible`,
      [['action', 'debut'], ['service', serviceId]])).status, 303);
    const slot = await queryText(server,
      "SELECT id FROM appointment_slot WHERE status = 'open' ORDER BY starts_at LIMIT 1");
    const { visitor, code } = await book(slot);
    let page = await visitor.post('/suivi', [['code', code]]);
    page = await visitor.post('/suivi', [['nonce', nonceIn(page.body)], ['action', 'delete']]);
    assert.equal(page.status, 200);
    assert.equal(await outboxCount(), 1, 'asking to confirm deletes and sends nothing');
    page = await visitor.post('/suivi', [['nonce', nonceIn(page.body)], ['action', 'delete'], ['confirm', 'yes']]);
    assert.equal(page.status, 200);
    assert.equal(await queryText(server, `SELECT status FROM appointment_slot WHERE id = '${slot}'`), 'open');
    await waitFor(async () => cancelMails().length === 3, 'two more cancellation e-mails delivered');
    const recipients = cancelMails().slice(1).flatMap((m) => m.to).sort();
    assert.deepEqual(recipients, [organizationEmail, 'rendez-vous-mails@example.org'].sort());
    // Every e-mail of this test went to the organization or its member: none to her.
    for (const m of sink.messages) {
      for (const to of m.to) assert.ok([organizationEmail, 'rendez-vous-mails@example.org'].includes(to), to);
    }
  });
});
