// "Écrire maintenant" (issue 12 §2-3, docs/conversation.md, ADR 0014) on the real binary: a
// professional at the desk makes the button appear on her result page; she waits, writes, the
// professional takes the conversation, they talk, the code word is checked without being shown;
// without her consent nothing of it reaches the database, with it the transcript becomes a sealed
// referral; the quick exit interrupts it at once. Then canaries are looked for in the SQLite file,
// its WAL, its dump and the server log; the counters are checked. Server-Sent Events too.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { request, startServer } from './harness.mjs';
import { Professional } from './pro-harness.mjs';
import {
  deskIdsIn, Her, openStream, scanDatabase, talkButtons, visitorProposing,
} from './conversation-harness.mjs';
import {
  firstReferrableProposal, mainOf, queryNumber, queryText, tokenIn, Visitor,
} from './referral-visitor.mjs';

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
    const proposed = await visitorProposing(server.baseUrl, serviceId, 'CANARYWORDX');
    serviceId = proposed.serviceId;
    return proposed;
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
    const stream = await openStream(`${server.baseUrl}${her.path}/flux`);
    assert.equal(stream.res.statusCode, 200);
    assert.match(stream.res.headers['content-type'], /text\/event-stream/);
    assert.match(stream.res.headers['content-security-policy'], /default-src 'self'/);
    await stream.waitFor(/event: changed\ndata: \d+/);
    const seen = stream.changes();
    await take();
    await stream.waitFor(new RegExp(`(data: \\d+[^]*){${seen + 1}}`));
    await her.visitor.post(her.path, [['action', 'end']]);
    await her.visitor.post(her.path, [['action', 'forget']]);
    await stream.waitFor(/event: gone/);
    stream.close();
    assert.equal((await request(server.baseUrl, 'GET', '/aide/conversation/inconnu/flux')).status, 404);
  });

  test('counted per territory, and no canary in the database, WAL, dump or log', async () => {
    const count = (kind) => queryNumber(server, `SELECT COALESCE(SUM(count), 0) FROM stat_counter WHERE kind = '${kind}'`);
    assert.ok(await count('conversation_offered') >= 4);
    assert.equal(await count('conversation_started'), 6);
    assert.equal(await count('conversation_answered'), 5);
    assert.equal(await count('conversation_abandoned'), 1);  // "quelqu'un arrive" while waiting
    assert.equal(await count('conversation_wait_1m'), 5);

    const scanned = await scanDatabase(server);
    assert.match(scanned, /ref-[0-9a-f]{16}/, 'the scan reads the rows');
    const words = ['CANARY', ...withConsent];
    assert.deepEqual(words.filter((w) => scanned.includes(w)), [], 'in clear in the database');
    assert.deepEqual([...words, ...withoutConsent, ...interrupted].filter((w) => server.logs().includes(w)), [],
      'in the server log');
  });
});

// The territory's delay (its coordinators' setting, used without a restart) and "the other ways"
// offered while nobody answers: the call-back and the slots of src/duty with her end-page token,
// and, when neither exists, the next on-duty time. The delay is at least a minute: this waits one.
describe('the territory\'s delay, then the other ways', () => {
  let server;
  let pro;
  let serviceId;
  let organizationId;
  let territory;

  const entities = (text) => text.replace(/&#x([0-9a-f]+);/gi, (_, h) => String.fromCodePoint(parseInt(h, 16)))
    .replace(/&#([0-9]+);/g, (_, d) => String.fromCodePoint(Number(d))).replace(/&quot;/g, '"').replace(/&apos;/g, '\'')
    .replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
  // Every field of the settings form as the page shows it, with `changes`.
  function settingsFields(html, changes) {
    const start = html.indexOf('data-territory-settings');
    const form = html.slice(start, html.indexOf('</form>', start));
    const fields = [];
    for (const m of form.matchAll(/<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"/g)) {
      if (m[1] !== '_csrf') fields.push([m[1], entities(m[2])]);
    }
    for (const m of form.matchAll(/<select[^>]*name="([^"]+)"[^>]*>([\s\S]*?)<\/select>/g)) {
      fields.push([m[1], m[2].match(/<option value="([^"]*)" selected>/)?.[1] ?? 'voice']);
    }
    return [...fields.map(([k, v]) => [k, k in changes ? changes[k] : v]), ['action', 'enregistrer']];
  }

  async function proposed() {
    for (let attempt = 0; attempt < 30; attempt++) {
      const visitor = new Visitor(server.baseUrl);
      const end = await visitor.finish(await visitor.walkToContact('Papiers retenus'), 'CANARYWORDY');
      if (talkButtons(end.body).includes(serviceId)) return { visitor, end };
    }
    throw new Error('"Écrire maintenant" never offered');
  }

  before(async () => {
    server = await startServer({ gazetteer: true, extraArgs: ['--post-limit', '100000', '--jobs-interval', '0'] });
    ({ serviceId, organizationId } = await firstReferrableProposal(server));
    territory = await queryText(server, `SELECT territory_slug FROM organization WHERE id = '${organizationId}'`);
    pro = new Professional(server.baseUrl, 'delai@example.org');
    await pro.enrolAndSignIn(server, ['--role', 'member', '--org', organizationId]);
    assert.equal((await pro.get('/pro/conversations')).status, 200);  // present at the desk
    await pro.get(`/pro/organisations/${organizationId}/permanences`);
    assert.equal((await pro.post(`/pro/organisations/${organizationId}/disponible`,
      [['action', 'debut'], ['service', serviceId]])).status, 303);
  });
  after(async () => {
    await server?.stop();
  });

  test('a delay of one minute saved in the console applies at once; then the call-back and the slots', async () => {
    const coordinator = new Professional(server.baseUrl, 'coordination-delai@example.org');
    await coordinator.enrolAndSignIn(server, ['--role', 'coordinator', '--territory', territory]);
    const settings = `/pro/territoires/${territory}/parametres`;
    const form = await coordinator.get(settings);
    assert.equal(form.status, 200);
    const saved = await coordinator.post(settings, settingsFields(form.body, { conversation_offer_minutes: '1' }));
    assert.equal(saved.status, 303, saved.body.match(/app-error-summary[\s\S]*?<\/ul>/)?.[0]);
    assert.equal(await queryText(server,
      "SELECT detail FROM audit_log WHERE action = 'territory.settings' ORDER BY seq DESC LIMIT 1"),
    'conversation_offer_minutes', 'only the delay changed');
    // A slot of the service, so that "Prendre rendez-vous" exists for it.
    const day = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris' })
      .format(new Date(Date.now() + 2 * 86400000));
    await pro.get(`/pro/organisations/${organizationId}/rendez-vous`);
    assert.equal((await pro.post(`/pro/organisations/${organizationId}/rendez-vous`, [['action', 'publier'],
      ['service', serviceId], ['jour', day], ['debut', '10:00'], ['duree', '30'], ['mode', 'phone'], ['lieu', '']]))
      .status, 303);

    const { visitor, end } = await proposed();
    const opened = Date.now();
    let page = await visitor.post('/aide/conversation', [['token', tokenIn(end.body)], ['service_id', serviceId]]);
    assert.equal(page.status, 200);
    const path = page.body.match(/data-read="(\/aide\/conversation\/[A-Za-z0-9_-]{43})"/)[1];
    assert.doesNotMatch(page.body, /data-offer-others/, 'not before the delay');
    for (;;) {
      await pro.get('/pro/conversations');  // still at the desk, but nobody takes it
      page = await visitor.get(path);
      assert.equal(page.status, 200);
      if (/data-offer-others/.test(page.body)) break;
      assert.ok(Date.now() - opened < 100_000, 'offered after about a minute, not five');
      await new Promise((resolve) => setTimeout(resolve, 2000));
    }
    assert.ok(Date.now() - opened >= 60_000, `not before the minute (${Date.now() - opened} ms)`);
    const block = page.body.slice(page.body.indexOf('data-offer-others'), page.body.indexOf('data-conversation-messages'));
    assert.match(block, /3919/);
    assert.match(block, /<form method="post" action="\/aide\/rappel"[^>]*data-other-ways>/);
    assert.match(block, new RegExp(`<button type="submit" class="app-button app-proposal__callback" name="service_id" value="${serviceId}">Être rappelée maintenant</button>`));
    assert.match(block, new RegExp(`formaction="/aide/rendez-vous" name="service_id" value="${serviceId}">Prendre rendez-vous<`));
    assert.doesNotMatch(block, /data-next-duty/, 'on duty: no next on-duty time');
    // Her end-page token works from here as from the result page.
    const token = block.match(/name="token" value="([^"]+)"/)[1];
    const callBack = await visitor.post('/aide/rappel', [['token', token], ['service_id', serviceId]]);
    assert.equal(callBack.status, 200);
    assert.match(callBack.body, /Votre demande de rappel à/);

    // Nobody on duty any more and no slot: the next on-duty time instead.
    assert.equal((await pro.post(`/pro/organisations/${organizationId}/disponible`, [['action', 'fin']])).status, 303);
    const slot = await queryText(server, `SELECT id FROM appointment_slot WHERE service_id = '${serviceId}'`);
    assert.equal((await pro.post(`/pro/organisations/${organizationId}/rendez-vous`, [['action', 'annuler'],
      ['id', slot]])).status, 303);
    const name = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Paris', weekday: 'short' }).format(new Date());
    const weekday = (['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'].indexOf(name) + 2) % 7;
    await pro.get(`/pro/organisations/${organizationId}/permanences`);
    assert.equal((await pro.post(`/pro/organisations/${organizationId}/permanences`, [['action', 'creneau'],
      ['service', serviceId], ['weekday', String(weekday)], ['start', '14:00'], ['end', '17:00'],
      ['holder', 'equipe']])).status, 303);
    page = await visitor.get(path);
    const after = page.body.slice(page.body.indexOf('data-offer-others'), page.body.indexOf('data-conversation-messages'));
    assert.doesNotMatch(after, /data-other-ways/);
    assert.match(after, /data-next-duty>[^<]*Prochaine permanence\s:[^<]*<span dir="ltr">\d\d\/\d\d\/\d{4} 14:00<\/span>/);

    // The quick exit drops it, her token with it.
    await visitor.get(`/sortie?conversation=${path.split('/').pop()}`);
    assert.equal((await visitor.get(path)).status, 404);
  });
});
