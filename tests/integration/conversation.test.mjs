// "Écrire maintenant" (issue 12 §2-3, docs/conversation.md, ADR 0014) on the real binary: a
// professional at the desk makes the button appear on her result page; she waits, writes, the
// professional takes the conversation, they talk, the code word is checked without being shown;
// without her consent nothing of it reaches the database, with it the transcript becomes a sealed
// referral; the quick exit interrupts it at once. Then canaries are looked for in the SQLite file,
// its WAL, its dump and the server log; the counters are checked. Server-Sent Events too.
import assert from 'node:assert/strict';
import http from 'node:http';
import { readFile } from 'node:fs/promises';
import { after, before, describe, test } from 'node:test';

import { request, startServer } from './harness.mjs';
import { Professional } from './pro-harness.mjs';
import { execFileAsync, mainOf, proposalsIn, queryNumber, queryText, tokenIn, Visitor } from './referral-visitor.mjs';

const talkButtons = (html) =>
  [...html.matchAll(/formaction="\/aide\/conversation" name="service_id" value="([^"]+)"/g)].map((m) => m[1]);
const deskIdsIn = (html) => [...html.matchAll(/action="\/pro\/conversations\/([0-9a-f]+)\/prendre"/g)].map((m) => m[1]);

// Her side, without JavaScript: the conversation's address is her only capability.
class Her {
  constructor(visitor, path) {
    this.visitor = visitor;
    this.path = path;
  }

  async page() { return this.visitor.get(this.path); }

  async say(text) {
    const writing = await this.visitor.get(`${this.path}/ecrire`);
    assert.equal(writing.status, 200);
    assert.doesNotMatch(writing.body, /http-equiv="refresh"/, 'the writing page never refreshes');
    const r = await this.visitor.post(this.path, [['action', 'say'], ['message', text]]);
    assert.equal(r.status, 200, `say: ${r.status}`);
    return r;
  }
}

describe('a live conversation', () => {
  let server;
  let pro;
  let serviceId;
  const withoutConsent = ['CANARYWAIT1', 'CANARYHER1', 'CANARYPRO1'];
  const withConsent = ['CANARYHER2', 'CANARYPRO2'];
  const interrupted = ['CANARYHER3'];

  // A visitor whose result page proposes `serviceId` (equivalent services rotate per visitor;
  // the first visitor chooses it: her first proposal).
  async function visitorProposed() {
    for (let attempt = 0; attempt < 30; attempt++) {
      const visitor = new Visitor(server.baseUrl);
      const end = await visitor.finish(await visitor.walkToContact('Papiers retenus'), 'CANARYWORDX');
      serviceId ??= proposalsIn(end.body)[0];
      if (proposalsIn(end.body).includes(serviceId)) return { visitor, token: tokenIn(end.body), end };
    }
    throw new Error('never proposed');
  }

  async function visitorOffered() {
    const proposed = await visitorProposed();
    assert.deepEqual(talkButtons(proposed.end.body), [serviceId], '"Écrire maintenant" offered for that service only');
    return proposed;
  }

  // Nobody can answer: no button, and a forged post is refused.
  async function assertNotOffered() {
    const { visitor, token, end } = await visitorProposed();
    assert.deepEqual(talkButtons(end.body), []);
    const r = await visitor.post('/aide/conversation', [['token', token], ['service_id', serviceId]]);
    assert.equal(r.status, 409);
    return { visitor, token };
  }

  async function open() {
    const { visitor, token } = await visitorOffered();
    const r = await visitor.post('/aide/conversation', [['token', token], ['service_id', serviceId]]);
    assert.equal(r.status, 200, mainOf(r.body).slice(0, 500));
    const path = r.body.match(/data-read="(\/aide\/conversation\/[A-Za-z0-9_-]{43})"/)[1];
    return { her: new Her(visitor, path), page: r };
  }

  async function take() {
    const desk = await pro.get('/pro/conversations');
    assert.equal(desk.status, 200);
    const [deskId] = deskIdsIn(desk.body);
    assert.ok(deskId, 'a conversation waits at the desk');
    const r = await pro.post(`/pro/conversations/${deskId}/prendre`, []);
    assert.equal(r.status, 303);
    return deskId;
  }

  before(async () => {
    server = await startServer({ gazetteer: true, extraArgs: ['--post-limit', '100000', '--jobs-interval', '0'] });
  });
  after(async () => {
    await server?.stop();
  });

  test('nobody at the desk: no button, and a forged post is refused', async () => {
    const { visitor, token } = await assertNotOffered();
    const bad = await visitor.post('/aide/conversation', [['token', token], ['service_id', 'svc-inconnu']]);
    assert.equal(bad.status, 400);
    const forged = await visitor.post('/aide/conversation', [['token', 'faux'], ['service_id', serviceId]]);
    assert.equal(forged.status, 400);
    assert.equal((await request(server.baseUrl, 'GET', '/aide/conversation/inconnu')).status, 404);
  });

  test('waiting, talking, the code word, and no consent: nothing kept', async () => {
    const organizationId = await queryText(server, `SELECT organization_id FROM service WHERE id = '${serviceId}'`);
    pro = new Professional(server.baseUrl, 'permanence@example.org');
    await pro.enrolAndSignIn(server, ['--role', 'member', '--org', organizationId]);
    assert.equal((await pro.get('/pro/conversations')).status, 200);  // present at the desk
    await assertNotOffered();  // but not on duty
    // "Je suis disponible maintenant" (src/duty), from the organization's on-duty page.
    assert.equal((await pro.get(`/pro/organisations/${organizationId}/permanences`)).status, 200);
    const live = await pro.post(`/pro/organisations/${organizationId}/disponible`,
      [['action', 'debut'], ['service', serviceId]]);
    assert.equal(live.status, 303, 'on duty now');

    const { her, page } = await open();
    assert.match(page.body, /<meta http-equiv="refresh" content="5">/, 'the reading page refreshes itself');
    assert.match(mainOf(page.body), /prochaine personne/);
    assert.doesNotMatch(page.headers['set-cookie']?.join(' ') ?? '', /conversation/i, 'no cookie of hers');
    await her.say('CANARYWAIT1 je suis à Berck');  // she may write while waiting

    const desk = mainOf((await pro.get('/pro/conversations')).body);
    assert.doesNotMatch(desk, /CANARYWAIT1|CANARYWORDX/, 'the queue shows needs and commune only');
    const deskId = await take();
    assert.notEqual(her.path.split('/').pop(), deskId, 'the desk never holds her id');
    let read = mainOf((await pro.get(`/pro/conversations/${deskId}`)).body);
    assert.match(read, /CANARYWAIT1/);

    assert.equal((await pro.post(`/pro/conversations/${deskId}/messages`, [['message', 'CANARYPRO1 bonjour']])).status, 303);
    assert.match(mainOf((await her.page()).body), /CANARYPRO1 bonjour/);
    await her.say('CANARYHER1 merci');

    // The code word: she types it, the professional sees only whether it matches.
    assert.equal((await pro.post(`/pro/conversations/${deskId}/mot-convenu`, [])).status, 303);
    assert.match(mainOf((await her.page()).body), /mot convenu/);
    await her.say(' canarywordx ');
    read = mainOf((await pro.get(`/pro/conversations/${deskId}`)).body);
    assert.match(read, /Mot convenu\s:\scorrect/);
    assert.doesNotMatch(read, /canarywordx/i);

    // An empty message names the field; a message to someone else's conversation is refused.
    const empty = await her.visitor.post(her.path, [['action', 'say'], ['message', '  ']]);
    assert.equal(empty.status, 400);
    assert.match(empty.body, /href="#message"/);

    const ended = await her.visitor.post(her.path, [['action', 'end']]);
    assert.equal(ended.status, 200);
    assert.match(ended.body, /<input class="app-checkboxes__input" id="consent" name="consent" type="checkbox" value="yes">/,
      'the consent box, not ticked');
    assert.doesNotMatch(ended.body, /http-equiv="refresh"/);
    const unticked = await her.visitor.post(her.path, [['action', 'send']]);
    assert.equal(unticked.status, 400, 'no consent, nothing sent');
    const before = await queryNumber(server, 'SELECT COUNT(*) FROM referral');
    const forgotten = await her.visitor.post(her.path, [['action', 'forget']]);
    assert.equal(forgotten.status, 200);
    assert.equal((await her.page()).status, 404, 'gone at once');
    assert.equal(await queryNumber(server, 'SELECT COUNT(*) FROM referral'), before);
  });

  test('with her consent the transcript becomes a sealed referral the organization reads', async () => {
    const { her } = await open();
    const deskId = await take();
    await pro.post(`/pro/conversations/${deskId}/messages`, [['quick', 'Êtes-vous en sécurité pour écrire en ce moment ?']]);
    await pro.post(`/pro/conversations/${deskId}/messages`, [['message', 'CANARYPRO2 voici vos droits']]);
    await her.say('CANARYHER2 oui, je suis seule');
    assert.equal((await pro.post(`/pro/conversations/${deskId}/terminer`, [])).status, 303);
    const page = await her.page();
    assert.match(mainOf(page.body), /La conversation est terminée/);
    const referralsBefore = (await queryText(server, 'SELECT id FROM referral')).split('\n');
    const sent = await her.visitor.post(her.path, [['action', 'send'], ['consent', 'yes']]);
    assert.equal(sent.status, 200);
    const code = sent.body.match(/data-followup-code><strong>([a-z-]+-\d{4})</)?.[1];
    assert.ok(code, 'her follow-up code');
    withConsent.push(code);
    const id = (await queryText(server, 'SELECT id FROM referral')).split('\n').find((r) => !referralsBefore.includes(r));
    assert.ok(id, 'a new referral');
    const inbox = mainOf((await pro.get(`/pro/demandes/${id}`)).body);
    for (const word of ['CANARYHER2', 'CANARYPRO2', 'CANARYWORDX']) assert.ok(inbox.includes(word), `${word} in the referral`);
    // Her code opens it at /suivi.
    const followup = await her.visitor.post('/suivi', [['code', code]]);
    assert.equal(followup.status, 200);
  });

  test('the quick exit ends her side at once; the desk is told not to reply', async () => {
    const { her } = await open();
    const deskId = await take();
    await her.say('CANARYHER3 il rentre bientôt');
    const id = her.path.split('/').pop();
    const exit = await her.visitor.get(`/sortie?conversation=${id}`);
    assert.equal(exit.status, 303);
    assert.equal((await her.page()).status, 404);
    const read = mainOf((await pro.get(`/pro/conversations/${deskId}`)).body);
    assert.match(read, /Conversation interrompue/);
    assert.match(read, /Ne lui répondez pas/);
    assert.doesNotMatch(read, /CANARYHER3/);
    assert.equal((await pro.post(`/pro/conversations/${deskId}/messages`, [['message', 'Vous êtes là ?']])).status, 409);
    assert.equal((await pro.post(`/pro/conversations/${deskId}/fermer`, [])).status, 303);
    assert.equal((await pro.get(`/pro/conversations/${deskId}`)).status, 404);

    // "Quelqu'un arrive": the same, then the quick exit.
    const second = await open();
    const someone = await request(server.baseUrl, 'POST', second.her.path, {
      body: `_csrf=${encodeURIComponent(second.her.visitor.csrf)}&action=someone`,
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'sec-fetch-site': 'same-origin' },
    });
    assert.equal(someone.status, 303);
    assert.equal(someone.headers.location, '/sortie');
    assert.equal((await second.her.page()).status, 404);

    // Her page's "Quelqu'un arrive" is a link through the quick exit, with its reason.
    const third = await open();
    assert.match(mainOf(third.page.body), new RegExp(`href="/sortie\\?conversation=${third.her.path.split('/').pop()}&amp;raison=arrive"`));
    const thirdDesk = await take();
    const leaving = await third.her.visitor.get(`/sortie?conversation=${third.her.path.split('/').pop()}&raison=arrive`);
    assert.equal(leaving.status, 303);
    assert.match(leaving.headers['clear-site-data'], /"storage"/);
    assert.equal((await third.her.page()).status, 404);
    assert.match(mainOf((await pro.get(`/pro/conversations/${thirdDesk}`)).body), /elle a signalé que quelqu’un arrive/);
  });

  test('Server-Sent Events announce each change', async () => {
    const { her } = await open();
    const events = [];
    const stream = await new Promise((resolve, reject) => {
      const req = http.get(`${server.baseUrl}${her.path}/flux`, { agent: false }, (res) => {
        res.setEncoding('utf8');
        res.on('data', (chunk) => events.push(chunk));
        resolve({ req, res });
      });
      req.on('error', reject);
    });
    assert.equal(stream.res.statusCode, 200);
    assert.match(stream.res.headers['content-type'], /text\/event-stream/);
    assert.match(stream.res.headers['content-security-policy'], /default-src 'self'/);
    const waitFor = async (pattern) => {
      for (let i = 0; i < 100 && !pattern.test(events.join('')); i++) await new Promise((r) => setTimeout(r, 50));
      assert.match(events.join(''), pattern);
    };
    await waitFor(/event: changed\ndata: \d+/);
    const seen = events.join('').match(/data: (\d+)/g).length;
    await take();
    await waitFor(new RegExp(`(data: \\d+[^]*){${seen + 1}}`));
    await her.visitor.post(her.path, [['action', 'end']]);
    await her.visitor.post(her.path, [['action', 'forget']]);
    await waitFor(/event: gone/);
    stream.req.destroy();
    assert.equal((await request(server.baseUrl, 'GET', '/aide/conversation/inconnu/flux')).status, 404);
  });

  test('counted per territory, and no canary in the database, WAL, dump or log', async () => {
    const count = (kind) => queryNumber(server, `SELECT COALESCE(SUM(count), 0) FROM stat_counter WHERE kind = '${kind}'`);
    assert.ok(await count('conversation_offered') >= 4);
    assert.equal(await count('conversation_started'), 6);
    assert.equal(await count('conversation_answered'), 5);
    assert.equal(await count('conversation_abandoned'), 1);  // "quelqu'un arrive" while waiting
    assert.equal(await count('conversation_wait_1m'), 5);

    let scanned = '';
    if (server.db.startsWith('sqlite:')) {
      const file = server.db.slice('sqlite:'.length);
      for (const f of [file, `${file}-wal`]) scanned += (await readFile(f).catch(() => Buffer.alloc(0))).toString('latin1');
      scanned += (await execFileAsync('sqlite3', [file, '.dump'], { maxBuffer: 1 << 28 })).stdout;
    } else {  // PostgreSQL: every row, as a dump gives them
      scanned += (await execFileAsync('pg_dump', ['--data-only', server.db], { maxBuffer: 1 << 28 })).stdout;
    }
    assert.match(scanned, /ref-[0-9a-f]{16}/, 'the scan reads the rows');
    const words = ['CANARY', ...withConsent];
    assert.deepEqual(words.filter((w) => scanned.includes(w)), [], 'in clear in the database');
    assert.deepEqual([...words, ...withoutConsent, ...interrupted].filter((w) => server.logs().includes(w)), [],
      'in the server log');
  });
});
