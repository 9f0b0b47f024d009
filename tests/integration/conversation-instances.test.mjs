// "Écrire maintenant" with two `serve` instances on one PostgreSQL database (ADR 0014, "Several
// instances"): she writes from instance A, the professional answers from the desk of instance B;
// the relay (src/conversation/relay.h, LISTEN/NOTIFY and the sealed live_relay table) carries the
// conversation between them. Messages both ways, with the event stream and without JavaScript,
// and her own pages answered by either instance;
// her quick exit on A shows "Conversation interrompue" on B; with her consent a sealed referral
// B's inbox reads, without it nothing. Then canaries are looked for in pg_dump and both logs.
// SQLite has one process: nothing to test there.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import {
  deskIdsIn, Her, openStream, scanDatabase, talkButtons, visitorProposing,
} from './conversation-harness.mjs';
import { spawnServe, startServer, waitFor } from './harness.mjs';
import { Professional } from './pro-harness.mjs';
import { mainOf, queryNumber, queryText } from './referral-visitor.mjs';

const onPostgres = process.env.PASSERELLE_TEST_DB === 'postgresql';

describe('a live conversation across two instances', { skip: onPostgres ? false : 'several instances need PostgreSQL (SQLite serves one process)' }, () => {
  let a;  // her instance
  let b;  // the desk's instance
  let pro;
  let serviceId;
  let organizationId;
  const withoutConsent = ['CANARYWAIT7', 'CANARYHER7', 'CANARYPRO7', 'CANARYWORD7', 'CANARYHER6'];
  const withConsent = ['CANARYHER8', 'CANARYPRO8'];
  const interrupted = ['CANARYHER9'];
  const args = ['--post-limit', '100000', '--jobs-interval', '0'];

  // A visitor on A whose result page proposes `serviceId` (the first visitor chooses it).
  async function visitorProposed() {
    const proposed = await visitorProposing(a.baseUrl, serviceId, 'CANARYWORD7');
    serviceId = proposed.serviceId;
    return proposed;
  }

  // She opens a conversation on A (the button shows once A knows someone is at B's desk).
  async function open() {
    let proposed;
    await waitFor(async () => {
      proposed = await visitorProposed();
      return talkButtons(proposed.end.body).includes(serviceId);
    }, '"Écrire maintenant" on A for a desk open on B', 10_000);
    const { visitor, token } = proposed;
    const r = await visitor.post('/aide/conversation', [['token', token], ['service_id', serviceId]]);
    assert.equal(r.status, 200, mainOf(r.body).slice(0, 500));
    const path = r.body.match(/data-read="(\/aide\/conversation\/[A-Za-z0-9_-]{43})"/)[1];
    return new Her(visitor, path);
  }

  // The professional takes it from B's desk, once B has it.
  async function take(known = []) {
    let deskId;
    await waitFor(async () => {
      const desk = await pro.get('/pro/conversations');
      deskId = deskIdsIn(desk.body).find((id) => !known.includes(id));
      return deskId !== undefined;
    }, 'the conversation in the queue of B', 10_000);
    const r = await pro.post(`/pro/conversations/${deskId}/prendre`, []);
    assert.equal(r.status, 303);
    return deskId;
  }

  const deskReads = async (deskId, pattern, what) => waitFor(
    async () => pattern.test(mainOf((await pro.get(`/pro/conversations/${deskId}`)).body)), what, 10_000);
  const herPageReads = async (her, pattern, what) => waitFor(
    async () => pattern.test(mainOf((await her.page()).body)), what, 10_000);

  before(async () => {
    a = await startServer({ gazetteer: true, extraArgs: args });
    b = await spawnServe({ db: a.db, dir: a.dir, extraArgs: args });
    await b.healthy();
    await visitorProposed();  // chooses serviceId
    organizationId = await queryText(a, `SELECT organization_id FROM service WHERE id = '${serviceId}'`);
    pro = new Professional(b.baseUrl, 'permanence-b@example.org');
    await pro.enrolAndSignIn(a, ['--role', 'member', '--org', organizationId]);
    assert.equal((await pro.get('/pro/conversations')).status, 200);  // present at B's desk
    assert.equal((await pro.get(`/pro/organisations/${organizationId}/permanences`)).status, 200);
    const live = await pro.post(`/pro/organisations/${organizationId}/disponible`,
      [['action', 'debut'], ['service', serviceId]]);
    assert.equal(live.status, 303, 'on duty now');
  });
  after(async () => {
    if (b && b.child.exitCode === null) b.child.kill('SIGTERM');
    await b?.exited;
    await a?.stop();
  });

  test('her words reach the desk of B and its answers her page on A, with and without JavaScript; no consent keeps nothing', async () => {
    const her = await open();
    await her.say('CANARYWAIT7 je suis à Berck');
    const deskId = await take();
    assert.notEqual(her.path.split('/').pop(), deskId, 'the desk never holds her id');
    await deskReads(deskId, /CANARYWAIT7/, 'her words while waiting, on B');
    assert.match(mainOf((await her.page()).body), /vous répond/, 'taken on B: her page on A knows it at once');
    // A colleague at the desk of A cannot take it again: her home decides, once.
    const colleague = new Professional(a.baseUrl, 'permanence-a@example.org');
    await colleague.enrolAndSignIn(a, ['--role', 'member', '--org', organizationId]);
    assert.equal((await colleague.get('/pro/conversations')).status, 200);
    assert.equal((await colleague.post(`/pro/conversations/${deskId}/prendre`, [])).status, 409, 'already taken on B');

    // The event stream of her page on A announces what the desk of B writes.
    const stream = await openStream(`${a.baseUrl}${her.path}/flux`);
    assert.equal(stream.res.statusCode, 200);
    await stream.waitFor(/event: changed\ndata: \d+/);
    const seen = stream.changes();
    assert.equal((await pro.post(`/pro/conversations/${deskId}/messages`, [['message', 'CANARYPRO7 bonjour']])).status, 303);
    await stream.waitFor(new RegExp(`(data: \\d+[^]*){${seen + 1}}`));
    assert.match(mainOf((await her.page()).body), /CANARYPRO7 bonjour/);

    // And the desk's stream on B announces what she writes on A.
    const deskStream = await openStream(`${b.baseUrl}/pro/conversations/${deskId}/flux`, { cookie: pro.cookie });
    assert.equal(deskStream.res.statusCode, 200);
    await deskStream.waitFor(/event: changed\ndata: \d+/);
    const deskSeen = deskStream.changes();
    await her.say('CANARYHER7 merci');
    await deskStream.waitFor(new RegExp(`(data: \\d+[^]*){${deskSeen + 1}}`));
    await deskReads(deskId, /CANARYHER7 merci/, 'her message on B');

    // The code word, asked on B, checked on A, never shown.
    assert.equal((await pro.post(`/pro/conversations/${deskId}/mot-convenu`, [])).status, 303);
    await herPageReads(her, /mot convenu/, 'the code word asked, on A');
    await her.say(' canaryword7 ');
    await deskReads(deskId, /Mot convenu\s:\scorrect/, 'the check on B');
    assert.doesNotMatch(mainOf((await pro.get(`/pro/conversations/${deskId}`)).body), /canaryword7/i);

    const before = await queryNumber(a, 'SELECT COUNT(*) FROM referral');
    assert.equal((await her.visitor.post(her.path, [['action', 'end']])).status, 200);
    assert.equal((await her.visitor.post(her.path, [['action', 'forget']])).status, 200);
    assert.equal((await her.page()).status, 404, 'gone at once on A');
    await waitFor(async () => (await pro.get(`/pro/conversations/${deskId}`)).status === 404, 'gone on B', 10_000);
    assert.equal(await queryNumber(a, 'SELECT COUNT(*) FROM referral'), before, 'no referral without consent');
    stream.close();
    deskStream.close();
  });

  test('her own pages may reach the other instance too (no sticky sessions)', async () => {
    const her = await open();
    const deskId = await take();
    her.visitor.baseUrl = b.baseUrl;  // her next requests reach B, where her conversation is a replica
    assert.match(mainOf((await her.page()).body), /vous répond/);
    await her.say('CANARYHER6 depuis B');
    await deskReads(deskId, /CANARYHER6 depuis B/, 'her message through B, on B');
    her.visitor.baseUrl = a.baseUrl;
    assert.match(mainOf((await her.page()).body), /CANARYHER6 depuis B/, 'at her home A');
    her.visitor.baseUrl = b.baseUrl;
    assert.equal((await her.visitor.post(her.path, [['action', 'end']])).status, 200);
    assert.equal((await her.visitor.post(her.path, [['action', 'forget']])).status, 200);
    assert.equal((await her.page()).status, 404, 'gone at once on B');
    her.visitor.baseUrl = a.baseUrl;
    await waitFor(async () => (await her.page()).status === 404, 'gone at her home A', 10_000);
  });

  test('her quick exit on A shows "Conversation interrompue" on the desk of B', async () => {
    const her = await open();
    const deskId = await take();
    await her.say('CANARYHER9 il rentre bientôt');
    await deskReads(deskId, /CANARYHER9/, 'her message on B');
    const exit = await her.visitor.get(`/sortie?conversation=${her.path.split('/').pop()}`);
    assert.equal(exit.status, 303);
    assert.equal((await her.page()).status, 404);
    await deskReads(deskId, /Conversation interrompue/, 'the interruption on B');
    const read = mainOf((await pro.get(`/pro/conversations/${deskId}`)).body);
    assert.match(read, /Ne lui répondez pas/);
    assert.doesNotMatch(read, /CANARYHER9/, 'her words gone from B too');
    assert.equal((await pro.post(`/pro/conversations/${deskId}/messages`, [['message', 'Vous êtes là ?']])).status, 409);
    assert.equal((await pro.post(`/pro/conversations/${deskId}/fermer`, [])).status, 303);
    assert.equal((await pro.get(`/pro/conversations/${deskId}`)).status, 404);
  });

  test('with her consent on A, a sealed referral that the inbox of B reads', async () => {
    const her = await open();
    const deskId = await take();
    assert.equal((await pro.post(`/pro/conversations/${deskId}/messages`, [['message', 'CANARYPRO8 voici vos droits']])).status, 303);
    await herPageReads(her, /CANARYPRO8/, 'his message on A');
    await her.say('CANARYHER8 oui, je suis seule');
    await deskReads(deskId, /CANARYHER8/, 'her message on B');
    assert.equal((await pro.post(`/pro/conversations/${deskId}/terminer`, [])).status, 303);
    await herPageReads(her, /La conversation est terminée/, 'ended by B, on A');
    const referralsBefore = (await queryText(a, 'SELECT id FROM referral')).split('\n');
    const sent = await her.visitor.post(her.path, [['action', 'send'], ['consent', 'yes']]);
    assert.equal(sent.status, 200);
    const code = sent.body.match(/data-followup-code><strong>([a-z-]+-\d{4})</)?.[1];
    assert.ok(code, 'her follow-up code');
    withConsent.push(code);
    const id = (await queryText(a, 'SELECT id FROM referral')).split('\n').find((r) => !referralsBefore.includes(r));
    assert.ok(id, 'a new referral');
    const inbox = mainOf((await pro.get(`/pro/demandes/${id}`)).body);
    for (const word of ['CANARYHER8', 'CANARYPRO8']) assert.ok(inbox.includes(word), `${word} in the referral, on B`);
    await waitFor(async () => (await pro.get(`/pro/conversations/${deskId}`)).status === 404, 'gone on B', 10_000);
  });

  test('nothing left in the relay, no canary in clear in the dump or either log', async () => {
    await waitFor(async () => await queryNumber(a, 'SELECT COUNT(*) FROM live_relay') === 0,
      'every relayed row read and deleted', 10_000);
    assert.equal(await queryNumber(a, 'SELECT COUNT(*) FROM live_instance'), 2, 'both instances registered');
    const scanned = await scanDatabase(a);
    assert.match(scanned, /ref-[0-9a-f]{16}/, 'the scan reads the rows');
    const words = ['CANARY', ...withConsent];
    assert.deepEqual(words.filter((w) => scanned.includes(w)), [], 'in clear in the database');
    const logs = a.logs() + b.logs();
    assert.match(logs, /conversation_relay_started/);
    assert.deepEqual([...words, ...withoutConsent, ...interrupted].filter((w) => logs.includes(w)), [], 'in the logs');
  });
});
