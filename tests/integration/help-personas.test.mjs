// Issue 10 §3–§4 over HTTP against the real binary (demo data, the default gazetteer): every step
// checks what it can when she answers, and the personas of the issue end where they should.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { csrfTokenIn, request, startServer } from './harness.mjs';
import { Visitor as Browser, mainOf, queryNumber, tokenIn } from './referral-visitor.mjs';

const kSameOrigin = { 'sec-fetch-site': 'same-origin' };

function decode(html) {
  return html.replace(/&#39;/g, "'").replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

// The JSON API (the chat), one answer at a time.
class Chat {
  constructor(baseUrl) { this.baseUrl = baseUrl; }
  async start() {
    this.csrf = csrfTokenIn((await request(this.baseUrl, 'GET', '/aide')).body);
    return this.send({ token: null });
  }
  async send(body) {
    const response = await request(this.baseUrl, 'POST', '/api/v1/help', {
      body: JSON.stringify(body),
      headers: { 'content-type': 'application/json', 'x-csrf-token': this.csrf, ...kSameOrigin },
    });
    const json = JSON.parse(response.body);
    if (json.token) this.token = json.token;
    return { status: response.status, json };
  }
  async answer(answer, extra = {}) { return this.send({ token: this.token, answer, ...extra }); }
  // Answers each step, expecting it to be accepted.
  async walk(answers) {
    let last;
    for (const answer of answers) {
      last = await this.answer(answer);
      assert.equal(last.status, 200, `${JSON.stringify(answer)}: ${JSON.stringify(last.json.error)}`);
    }
    return last.json.node;
  }
}

// The server-rendered pages (no JavaScript).
class Pages {
  constructor(baseUrl) { this.baseUrl = baseUrl; this.browser = new Browser(baseUrl); }
  async start() {
    this.csrf = csrfTokenIn((await request(this.baseUrl, 'GET', '/aide')).body);
    return this.post('/aide/questions', [['action', 'start']]);
  }
  // Post/Redirect/Get (ADR 0011): the browser keeps the draft cookie and follows the 303.
  async post(path, fields) {
    this.browser.csrf = this.csrf;
    const response = await this.browser.post(path, [...(this.token ? [['token', this.token]] : []), ...fields]);
    this.token = tokenIn(response.body) ?? this.token;
    return { status: response.status, main: decode(mainOf(response.body)), body: response.body };
  }
  async answer(...fields) { return this.post('/aide/questions', [...fields, ['action', 'continue']]); }
  async walk(steps) {
    let last;
    for (const fields of steps) {
      last = await this.answer(...fields);
      assert.equal(last.status, 200, `${JSON.stringify(fields)}: ${last.status}`);
    }
    return last;
  }
}

const kToLocation = [['adult'], ['self'], ['no'], ['legal'], ['none']];  // API answers
const kPagesToLocation = [[['answer', 'adult']], [['answer', 'self']], [['answer', 'no']], [['answer', 'legal']],
  [['answer', 'none']]];
const kPhoneEvening = { channel: 'phone', times: ['evening'], voicemail: false, identify: false, if_other: 'hang_up' };

function referButtons(main) {
  return [...main.matchAll(/formaction="\/aide\/rapport" name="service_id" value="([^"]+)"/g)].map((m) => m[1]);
}

describe('a Montreuillois instance', () => {
  let server;
  before(async () => { server = await startServer({ gazetteer: true, extraArgs: ['--territory', 'montreuillois'] }); });
  after(async () => { await server?.stop(); });

  test('typo\'d place: an unknown place is refused at its step, a typo gets close matches, homonyms a choice', async () => {
    const chat = new Chat(server.baseUrl);
    await chat.start();
    await chat.walk(kToLocation.map((a) => a[0]));
    for (const typed of ['ABCDE', '00000']) {
      const refused = await chat.answer({ place: typed });
      assert.equal(refused.status, 400, typed);
      assert.equal(refused.json.node.id, 'location', 'she stays on the question');
      assert.equal(refused.json.error.code, 'invalid_answer');
      assert.ok(refused.json.error.message.includes(typed), refused.json.error.message);
      assert.equal(refused.json.node.place_options, undefined, `${typed}: nothing close`);
    }
    const berk = await chat.answer({ place: 'Berk' });
    assert.equal(berk.status, 400);
    assert.deepEqual(berk.json.node.place_options[0], { insee: '62108', label: 'Berck (62600)', id: 'insee-62108' });
    const longer = await chat.answer({ place: 'berck sur mer' });
    assert.equal(longer.json.node.place_options[0].label, 'Berck (62600)');
    const montreuil = await chat.answer({ place: 'Montreuil' });
    assert.equal(montreuil.status, 400);
    const labels = montreuil.json.node.place_options.map((o) => o.label);
    assert.deepEqual(labels.slice(0, 2), ['Montreuil-sur-Mer (62170)', 'Montreuil (93100)'], 'the territory\'s commune first');
    assert.ok(labels.length >= 3, labels.join(' / '));
    // She picks Berck among the close matches: the next question, her commune in the summary.
    const picked = await chat.answer({ insee: '62108' });
    assert.equal(picked.status, 200);
    assert.equal(picked.json.node.id, 'language');
    const end = await chat.walk(['fr', kPhoneEvening]);
    assert.ok(end.summary.some((row) => row.node === 'location' && row.answer === 'Berck (62600)'), JSON.stringify(end.summary));

    // Without JavaScript: the error summary links to the first commune offered, as radios.
    const pages = new Pages(server.baseUrl);
    await pages.start();
    await pages.walk(kPagesToLocation);
    const unknown = await pages.answer(['place', 'ABCDE']);
    assert.equal(unknown.status, 400);
    assert.match(unknown.main, /role="alert"[\s\S]*Nous ne trouvons pas de commune «\sABCDE\s»/);
    const typo = await pages.answer(['place', 'Berk']);
    assert.equal(typo.status, 400);
    assert.match(typo.main, /href="#insee-62108"/);
    assert.match(typo.main, /id="insee-62108" name="insee" type="radio" value="62108"[\s\S]*Berck \(62600\)/);
    const chosen = await pages.answer(['insee', '62108'], ['place', '']);
    assert.equal(chosen.status, 200);
    assert.match(chosen.body, /data-node="language"/);
  });

  test('Berck, evenings only: the recommendation is open in the evening and says so', async () => {
    for (let visit = 0; visit < 3; visit++) {  // equivalent places rotate: every visitor
      const chat = new Chat(server.baseUrl);
      await chat.start();
      const end = await chat.walk(['adult', 'self', 'no', ['lawyer'], 'none', { place: 'Berck' }, 'fr', kPhoneEvening]);
      assert.equal(end.id, 'end');
      const first = end.proposals[0];
      assert.ok(first, 'a recommendation');
      assert.notEqual(first.organization_id, 'mtr-avocats', 'not the Saturday-morning permanence');
      assert.match(first.explanation, /ouvert le soir/, first.explanation);
    }
  });

  test('contact "none": no referral button, in the pages and the API, and the server refuses one', async () => {
    const chat = new Chat(server.baseUrl);
    await chat.start();
    const withPhone = await chat.walk(['adult', 'self', 'no', ['listen', 'legal'], 'none', { place: 'Étaples' }, 'fr', kPhoneEvening]);
    assert.ok(withPhone.proposals.some((p) => p.can_refer), 'with a phone, some proposals can receive her request');
    await chat.send({ token: chat.token, back: true });
    const nameOnly = await chat.answer({ channel: 'none' });
    assert.equal(nameOnly.json.node.id, 'end');
    assert.ok(nameOnly.json.node.proposals.length > 0);
    for (const p of nameOnly.json.node.proposals) assert.equal(p.can_refer, false, p.organization_id);

    const pages = new Pages(server.baseUrl);
    await pages.start();
    await pages.walk([...kPagesToLocation, [['place', 'Étaples']], [['answer', 'fr']]]);
    const end = await pages.answer(['channel', 'none']);
    assert.match(end.body, /data-node="end"/);
    assert.deepEqual(referButtons(end.body), []);
    assert.doesNotMatch(end.main, /Préparer ma demande/);
    // Posting a proposed service anyway is refused.
    const serviceId = nameOnly.json.node.proposals[0].service_id;
    const forced = await pages.post('/aide/rapport', [['service_id', serviceId]]);
    assert.equal(forced.status, 400);
    assert.doesNotMatch(forced.main, /name="contact_detail"/);
    // The refusal leads back to her results, not only to a restart.
    assert.match(forced.main, /Revenir à mes résultats/);
    const resumeToken = forced.main.match(/name="token" value="([^"]+)"/)?.[1];
    assert.ok(resumeToken, 'the refusal page carries her end token');
    pages.token = resumeToken;
    const back = await pages.post('/aide/questions', [['action', 'resume']]);
    assert.equal(back.status, 200);
    assert.match(back.body, /data-node="end"/);
  });

  test('"Préparer ma demande" only where a referral can be received; elsewhere the service\'s contact', async () => {
    const pages = new Pages(server.baseUrl);
    await pages.start();
    const end = await pages.walk([...kPagesToLocation.slice(0, 3), [['answer', 'complaint'], ['answer', 'listen']],
      [['answer', 'none']], [['place', 'Berck']], [['answer', 'fr']],
      [['channel', 'phone'], ['times', 'anytime'], ['voicemail', 'no'], ['identify', 'no'], ['if_other', 'hang_up']]]);
    const offered = referButtons(end.body);
    const proposals = [...end.body.matchAll(/data-organization="([^"]+)"/g)].map((m) => m[1]);
    assert.ok(proposals.length > offered.length, `some proposals cannot receive a referral (${proposals})`);
    const token = pages.token;
    for (const serviceId of offered) {
      pages.token = token;
      const report = await pages.post('/aide/rapport', [['service_id', serviceId]]);
      // Accepted: her report page, after its Post/Redirect/Get (ADR 0011); a refusal would be a 4xx page.
      assert.equal(report.status, 200, `${serviceId} offers a referral and can receive it`);
      assert.match(report.main, /name="consent"/, `${serviceId}: the report page`);
    }
    // A police station: its own number, never "Téléphone : 17".
    assert.doesNotMatch(end.main, /Téléphone\s:\s<a href="tel:17">/);
    // Her results again from the end token (the report page's way back), without a restart.
    pages.token = token;
    const resumed = await pages.post('/aide/questions', [['action', 'resume']]);
    assert.equal(resumed.status, 200);
    assert.match(resumed.body, /data-node="end"/);
    assert.deepEqual([...resumed.body.matchAll(/data-organization="([^"]+)"/g)].map((m) => m[1]), proposals);
  });
});

describe('a national instance with several territories', () => {
  let server;
  before(async () => { server = await startServer({ gazetteer: true }); });
  after(async () => { await server?.stop(); });

  test('a 16-year-old in Le Touquet sees her territory\'s youth services, with 119 and Fil Santé Jeunes', async () => {
    const pages = new Pages(server.baseUrl);
    await pages.start();
    const youth = await pages.answer(['answer', 'minor']);
    assert.match(youth.body, /data-node="youth"/);
    assert.doesNotMatch(youth.main, /Maison des Adolescents du Littoral Est/, 'no territory known yet');
    assert.match(youth.main, /name="place"/, 'the place is asked on the youth page');
    const located = await pages.post('/aide/questions', [['action', 'locate'], ['place', 'Le Touquet']]);
    assert.equal(located.status, 200);
    assert.match(located.main, /Maison des Adolescents du Littoral Est/);
    assert.match(located.main, /href="tel:119"/);
    assert.match(located.main, /href="tel:0800235236"/);

    const chat = new Chat(server.baseUrl);
    await chat.start();
    await chat.walk(['minor']);
    const viaApi = await chat.answer({ place: 'Le Touquet' }, { locate: true });
    assert.equal(viaApi.status, 200);
    assert.equal(viaApi.json.node.id, 'youth');
    assert.deepEqual(viaApi.json.node.youth_services.map((s) => s.phone).slice(-2), ['119', '0800 235 236']);
    assert.equal(viaApi.json.node.youth_services[0].name, 'Maison des Adolescents du Littoral Est');
  });

  test('danger in the 10e: the nearest police station for her commune, with its own number', async () => {
    const pages = new Pages(server.baseUrl);
    await pages.start();
    const emergency = await pages.walk([[['answer', 'adult']], [['answer', 'self']], [['answer', 'yes']]]);
    assert.match(emergency.body, /data-node="emergency"/);
    const located = await pages.post('/aide/questions', [['action', 'locate'], ['place', '75010']]);
    assert.equal(located.status, 200);
    assert.match(located.main, /Le commissariat ou la gendarmerie le plus proche/);
    assert.match(located.main, /Commissariat central du 10e arrondissement/);
    assert.match(located.main, /href="tel:0199001014"/, 'the station\'s own line');
    assert.doesNotMatch(located.main, /Téléphone\s:\s<a href="tel:17">/);
    // She goes on; the place given there starts the location question.
    const next = await pages.walk([[], [['answer', 'complaint']], [['answer', 'none']]]);
    assert.match(next.body, /data-node="location"/);
    assert.match(next.body, /id="place" name="place"[^>]*value="75010"/);
  });

  test('help-flow events are counted under her commune\'s territory', async () => {
    const count = () => queryNumber(server,
      "SELECT COALESCE(SUM(count), 0) FROM stat_counter WHERE kind = 'flow_completed' AND territory_slug = 'montreuillois'");
    const before = await count();
    const chat = new Chat(server.baseUrl);
    await chat.start();
    const end = await chat.walk(['adult', 'self', 'no', ['legal'], 'none', { place: 'Berck' }, 'fr', { channel: 'none' }]);
    assert.equal(end.type, 'end');
    assert.equal(await count(), before + 1);
    // Once per run: back to the last question and on to the end again, twice, counts nothing more.
    for (let i = 0; i < 2; ++i) {
      assert.equal((await chat.send({ token: chat.token, back: true })).json.node.id, 'contact');
      assert.equal((await chat.walk([{ channel: 'none' }])).type, 'end');
    }
    assert.equal(await count(), before + 1, 'the same run reached the end three times: counted once');
    // Another run (another visitor, or her again from the start) counts.
    const other = new Chat(server.baseUrl);
    await other.start();
    await other.walk(['adult', 'self', 'no', ['legal'], 'none', { place: 'Berck' }, 'fr', { channel: 'none' }]);
    assert.equal(await count(), before + 2);
  });
});

describe('the witness path', () => {
  let server;
  before(async () => { server = await startServer({ gazetteer: true, extraArgs: ['--territory', 'montreuillois'] }); });
  after(async () => { await server?.stop(); });

  test('a relative in Étaples: "who" first, then questions about the person, in the third person', async () => {
    const pages = new Pages(server.baseUrl);
    await pages.start();
    const who = await pages.answer(['answer', 'adult']);
    assert.match(who.body, /data-node="who"/, 'who is asked before danger now');
    const info = await pages.answer(['answer', 'relative']);
    assert.match(info.body, /data-node="relative_info"/);
    const danger = await pages.answer();
    assert.match(danger.body, /data-node="danger_now"/);
    assert.match(danger.main, /Cette personne est-elle en danger en ce moment/);
    assert.doesNotMatch(danger.main, /Êtes-vous en danger/);
    const emergency = await pages.answer(['answer', 'yes']);
    assert.match(emergency.main, /Si cette personne est en danger maintenant, appelez le 17/);
    const needs = await pages.answer();
    assert.match(needs.main, /De quoi cette personne a-t-elle besoin/);
    assert.match(needs.main, /Connaître ses droits/);
    assert.doesNotMatch(needs.main, /Être écoutée|Connaître mes droits|pour mes enfants/);
    const end = await pages.walk([[['answer', 'listen'], ['answer', 'legal']], [['answer', 'yes_safe']],
      [['place', 'Étaples']], [['answer', 'fr']],
      [['channel', 'phone'], ['times', 'afternoon'], ['voicemail', 'no'], ['identify', 'no'], ['if_other', 'hang_up']]]);
    assert.match(end.body, /data-node="end"/);
    assert.match(end.main, /Étaples \(62630\)/);
    assert.match(end.main, /Cette personne a-t-elle des enfants mineurs/);
    assert.match(end.main, /data-organization="/, 'professionals near Étaples are proposed');

    const en = new Chat(server.baseUrl);
    en.csrf = csrfTokenIn((await request(server.baseUrl, 'GET', '/en/aide')).body);
    const post = async (body) => {
      const r = await request(server.baseUrl, 'POST', '/en/api/v1/help', {
        body: JSON.stringify(body), headers: { 'content-type': 'application/json', 'x-csrf-token': en.csrf, ...kSameOrigin } });
      return JSON.parse(r.body);
    };
    let reply = await post({ token: null });
    for (const answer of ['adult', 'relative', null]) reply = await post({ token: reply.token, answer });
    assert.equal(reply.node.text, 'Is this person in danger right now?');
  });
});

