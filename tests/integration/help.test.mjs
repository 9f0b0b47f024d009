// "J'ai besoin d'aide" over HTTP against the real binary: the whole flow without JavaScript
// (server-rendered question pages), refused tokens, and the JSON API of the chat.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { after, before, describe, test } from 'node:test';

import { csrfTokenIn, request, startServer } from './harness.mjs';
import { QuestionPages as Visitor } from './question-pages.mjs';
import { queryNumber } from './referral-visitor.mjs';

const kSameOrigin = { 'sec-fetch-site': 'same-origin' };
const kCanary = 'CANARY-Papiers-0612345678';

function mainOf(html) { return html.slice(html.indexOf('<main'), html.indexOf('</main>')); }

describe('help flow without JavaScript', () => {
  let server;
  before(async () => { server = await startServer({ extraArgs: ['--territory', 'montreuillois'] }); });
  after(async () => { await server?.stop(); });

  test('the start page keeps the emergency numbers and starts the questions', async () => {
    const page = await request(server.baseUrl, 'GET', '/aide');
    assert.equal(page.status, 200);
    assert.match(page.body, /<title>Aide – Passerelle<\/title>/, 'neutral title');
    assert.match(page.body, /<h1[^>]*>J’ai besoin d’aide<\/h1>/);
    for (const href of ['tel:17', 'sms:114', 'tel:3919', 'tel:119']) assert.ok(page.body.includes(`href="${href}"`), href);
    assert.match(page.body, /<form method="post" action="\/aide\/questions"[^>]*data-module="app-help-chat"/);
    assert.equal(page.headers['set-cookie'], undefined);
    const visitor = new Visitor(server.baseUrl);
    const first = await visitor.start();
    assert.equal(first.status, 200);
    assert.equal(visitor.node, 'age');
    assert.match(first.body, /<legend class="app-fieldset__legend"><h1 class="app-fieldset__heading">Quel âge avez-vous \?<\/h1><\/legend>/);
    assert.doesNotMatch(first.body, /class="app-back-link"/, 'no "Retour" on the first question');
    assert.equal(first.headers['cache-control'], 'no-store');
    assert.equal(first.headers['set-cookie'], undefined);
  });

  test('persona: an adult in Montreuil-sur-Mer who needs legal advice and a lawyer', async () => {
    const v = new Visitor(server.baseUrl);
    await v.start();
    await v.answer(['answer', 'adult']);
    assert.equal(v.node, 'who');
    await v.answer(['answer', 'self']);
    assert.equal(v.node, 'danger_now');
    await v.answer(['answer', 'no']);
    assert.equal(v.node, 'needs');
    assert.match(v.page.body, /type="checkbox" value="protection_order"/);
    await v.answer(['answer', 'legal'], ['answer', 'lawyer']);
    assert.equal(v.node, 'children');
    assert.match(v.page.body, /value="skip"/, '"Je préfère ne pas répondre" on an optional question');
    await v.answer(['answer', 'none']);
    assert.equal(v.node, 'location');
    await v.answer(['place', 'Montreuil-sur-Mer']);
    assert.equal(v.node, 'language');
    await v.answer(['answer', 'fr']);
    assert.equal(v.node, 'contact');
    await v.answer(['channel', 'phone'], ['times', 'morning'], ['voicemail', 'no'], ['identify', 'no'],
      ['code_word', 'Mimosa'], ['if_other', 'hang_up']);
    assert.equal(v.node, 'end');
    const main = v.main;
    assert.match(main, /Connaître mes droits, Un avocat ou une avocate/);
    assert.match(main, /Montreuil-sur-Mer/);
    assert.match(main, /Par téléphone · Le matin · pas de message vocal · ne pas dire qui appelle · mot convenu\s:\sMimosa/);
    assert.match(main, /href="tel:3919"/);
    assert.match(main, /href="tel:116006"/);
    assert.match(main, /n’est pas encore disponible/, 'says plainly that matching is not there yet');
    assert.doesNotMatch(main, /app-button" name="action" value="continue"/, 'the end has no Continue');
  });

  test('persona: an adult in the 10e who needs housing, with children at risk', async () => {
    const v = new Visitor(server.baseUrl);
    await v.start();
    await v.answer(['answer', 'adult']);
    await v.answer(['answer', 'self']);
    await v.answer(['answer', 'no']);
    await v.answer(['answer', 'housing'], ['answer', 'children']);
    await v.answer(['answer', 'yes_at_risk']);
    await v.answer(['place', '75010']);
    await v.answer(['answer', 'skip']);
    await v.answer(['channel', 'none']);
    assert.equal(v.node, 'end');
    assert.match(v.main, /Un hébergement ou un logement, De l’aide pour mes enfants/);
    assert.match(v.main, /Oui, et j’ai peur pour leur sécurité/);
    assert.match(v.main, /Code postal 75010/);
    assert.match(v.main, /Dans quelle langue préférez-vous échanger\s\?<\/dt>\s*<dd class="app-summary-list__value">Pas de réponse/);
    assert.match(v.main, /Je veux seulement un nom/);
  });

  test('persona: a minor ends at the youth services of the territory, 119 and Fil Santé Jeunes', async () => {
    const v = new Visitor(server.baseUrl);
    await v.start();
    await v.answer(['answer', 'minor']);
    assert.equal(v.node, 'youth');
    const main = v.main;
    assert.match(main, /Maison des Adolescents du Littoral Est/);
    assert.match(main, /href="tel:0391181580"/);
    assert.match(main, /href="tel:119"/);
    assert.match(main, /href="tel:0800235236"/);
    assert.match(main, /0800 235 236/);
    assert.doesNotMatch(main, /name="(channel|place)"/, 'no referral or contact form for a minor');
    assert.doesNotMatch(main, /value="continue"/);
  });

  test('persona: danger now shows 17 and SMS 114 first, then lets her continue', async () => {
    const v = new Visitor(server.baseUrl);
    await v.start();
    await v.answer(['answer', 'adult']);
    await v.answer(['answer', 'self']);
    await v.answer(['answer', 'yes']);
    assert.equal(v.node, 'emergency');
    const main = v.main;
    const call17 = main.indexOf('href="tel:17"');
    const sms114 = main.indexOf('href="sms:114"');
    const continueButton = main.indexOf('value="continue"');
    assert.ok(call17 > 0 && sms114 > 0, '17 and 114 are links');
    assert.ok(call17 < continueButton && sms114 < continueButton, 'the numbers come before the option to continue');
    assert.match(main, /Continuer les questions/);
    await v.answer();
    assert.equal(v.node, 'needs');
  });

  test('persona: a relative gets guidance and may go on to find a professional', async () => {
    const v = new Visitor(server.baseUrl);
    await v.start();
    await v.answer(['answer', 'adult']);
    await v.answer(['answer', 'relative']);
    assert.equal(v.node, 'relative_info');
    assert.match(v.main, /href="\/temoin"/);
    await v.answer();
    assert.equal(v.node, 'danger_now');
    await v.answer(['answer', 'no']);
    assert.equal(v.node, 'needs');
  });

  test('nothing chosen: 400, the same question, an error summary linking to the first field', async () => {
    const v = new Visitor(server.baseUrl);
    await v.start();
    const response = await v.post([['action', 'continue']]);
    assert.equal(response.status, 400);
    assert.equal(v.node, 'age');
    assert.match(response.body, /<div class="app-error-summary" role="alert"[^>]*>/);
    assert.match(response.body, /<a href="#answer-minor">Indiquez si vous avez moins de 18 ans ou 18 ans et plus\.<\/a>/);
    assert.match(response.body, /id="answer-minor"/);
    await v.answer(['answer', 'adult']);
    assert.equal(v.node, 'who', 'the page still works after the error');
  });

  test('a bad postal code names the problem and links to the field', async () => {
    const v = new Visitor(server.baseUrl);
    await v.start();
    for (const [name, value] of [['answer', 'adult'], ['answer', 'self'], ['answer', 'no'], ['answer', 'listen'], ['answer', 'skip']]) {
      await v.answer([name, value]);
    }
    assert.equal(v.node, 'location');
    const response = await v.post([['place', '6217'], ['action', 'continue']]);
    assert.equal(response.status, 400);
    assert.match(response.body, /<a href="#place">Un code postal a 5 chiffres, par exemple 62170\.<\/a>/);
  });

  test('"Retour" goes one question back with the answer ticked, and the new answer takes its branch', async () => {
    const v = new Visitor(server.baseUrl);
    await v.start();
    await v.answer(['answer', 'adult']);
    await v.answer(['answer', 'self']);
    assert.match(v.page.body, /class="app-back-link"/);
    await v.back();
    assert.equal(v.page.status, 200);
    assert.equal(v.node, 'who');
    assert.match(v.page.body, /value="self" checked/);
    await v.back();
    assert.equal(v.node, 'age');
    assert.match(v.page.body, /value="adult" checked/);
    await v.answer(['answer', 'minor']);
    assert.equal(v.node, 'youth');
  });

  test('replaying a step (the browser resubmitting) gives the same question again', async () => {
    const v = new Visitor(server.baseUrl);
    await v.start();
    const token = v.token;
    await v.answer(['answer', 'adult']);
    const again = await v.post([['answer', 'adult'], ['action', 'continue']], { token });
    assert.equal(again.status, 200);
    assert.equal(v.node, 'who');
  });

  test('tampered, truncated, foreign and missing tokens: 400 and a French page to start again', async () => {
    const v = new Visitor(server.baseUrl);
    await v.start();
    const good = v.token;
    const flipped = good.slice(0, 40) + (good[40] === 'A' ? 'B' : 'A') + good.slice(41);
    const other = await startServer({ demo: true });
    let foreign;
    try {
      const w = new Visitor(other.baseUrl);
      await w.start();
      foreign = w.token;
    } finally {
      await other.stop();
    }
    for (const [what, token] of [['tampered', flipped], ['truncated', good.slice(0, -10)], ['garbage', 'bonjour'],
      ['another server key', foreign], ['missing', '']]) {
      const response = await v.post([['answer', 'adult'], ['action', 'continue']], { token });
      assert.equal(response.status, 400, what);
      assert.match(response.body, /Recommencer les questions/, what);
      assert.match(response.body, /<input type="hidden" name="action" value="start">/, `${what}: offers to start again`);
      assert.match(response.body, /href="tel:17"/, what);
      assert.doesNotMatch(mainOf(response.body), /name="token"/, `${what}: no token handed back`);
    }
  });

  test('GET /aide/questions carries nothing: it leads back to /aide', async () => {
    const response = await request(server.baseUrl, 'GET', '/aide/questions');
    assert.equal(response.status, 303);
    assert.equal(response.headers.location, '/aide');
  });

  test('every answer is Post/Redirect/Get: the page comes from her draft, and the quick exit ends it', async () => {
    const v = new Visitor(server.baseUrl);
    await v.start();
    const cookie = () => v.browser.cookieHeader();
    // What the browser sees of one answer: a 303 to the GET, never a page in reply to its POST.
    const body = [['_csrf', v.csrf], ['token', v.token], ['answer', 'adult'], ['action', 'continue']]
      .map(([k, value]) => `${encodeURIComponent(k)}=${encodeURIComponent(value)}`).join('&');
    const posted = await request(server.baseUrl, 'POST', '/aide/questions', {
      body, headers: { 'content-type': 'application/x-www-form-urlencoded', ...kSameOrigin, ...cookie() },
    });
    assert.equal(posted.status, 303);
    assert.equal(posted.headers.location, '/aide/questions');
    assert.equal(posted.body.includes('data-node'), false, 'no page in reply to the POST');
    assert.equal(posted.headers['set-cookie'], undefined, 'the draft cookie was set once, by the start');
    const shown = await request(server.baseUrl, 'GET', '/aide/questions', { headers: cookie() });
    assert.equal(shown.status, 200);
    assert.match(shown.body, /data-node="danger_now"|data-node="who"/);
    v.token = shown.body.match(/name="token" value="([^"]+)"/)[1];
    // A reload shows the same page again (nothing lost), not the start.
    const reloaded = await request(server.baseUrl, 'GET', '/aide/questions', { headers: cookie() });
    assert.equal(reloaded.body.match(/data-node="([a-z_]+)"/)[1], shown.body.match(/data-node="([a-z_]+)"/)[1]);
    // A refused answer: the page with its error, status 400, after the redirect too.
    const refused = await v.post([['answer', 'not-a-choice'], ['action', 'continue']]);
    assert.equal(refused.status, 400);
    assert.match(refused.body, /app-error-summary|role="alert"/);
    // Her words are in the draft, sealed: not in the database in clear.
    await v.answer(['answer', 'self']);
    await v.answer(['answer', 'no']);
    await v.answer(['answer', 'other']);
    await v.answer(['answer', `${kCanary}-draft`]);
    assert.ok(await queryNumber(server, 'SELECT COUNT(*) FROM public_draft') >= 1, 'her draft is stored');
    assert.equal(await queryNumber(server, "SELECT COUNT(*) FROM public_draft WHERE sealed LIKE '%CANARY%'"), 0);
    // The quick exit destroys the draft: the address shows nothing of hers any more.
    const exit = await request(server.baseUrl, 'GET', '/sortie', { headers: cookie() });
    assert.equal(exit.status, 303);
    const after = await request(server.baseUrl, 'GET', '/aide/questions', { headers: cookie() });
    assert.equal(after.status, 303);
    assert.equal(after.headers.location, '/aide');
    assert.ok(!after.body.includes('CANARY'));
  });

  test('free text reaches neither the logs nor the token in clear', async () => {
    const v = new Visitor(server.baseUrl);
    await v.start();
    await v.answer(['answer', 'adult']);
    await v.answer(['answer', 'self']);
    await v.answer(['answer', 'no']);
    await v.answer(['answer', 'other']);
    assert.equal(v.node, 'needs_other');
    await v.answer(['answer', kCanary]);
    assert.equal(v.node, 'children');
    assert.ok(!v.token.includes('CANARY'));
    assert.ok(!Buffer.from(v.token, 'base64url').toString('latin1').includes('CANARY'), 'the token is encrypted');
    assert.ok(!server.logs().includes('CANARY'), 'the logs hold no answer');
    assert.ok(!server.logs().includes(v.token.slice(0, 40)), 'the logs hold no token');
  });

  test('the help button click and the flow steps are counted, without identifiers', async (t) => {
    if (!server.db.startsWith('sqlite:')) { t.skip('checked on SQLite'); return; }
    const home = await request(server.baseUrl, 'GET', '/');
    const csrf = csrfTokenIn(home.body);
    const click = await request(server.baseUrl, 'POST', '/aide', {
      body: `_csrf=${encodeURIComponent(csrf)}`, headers: { 'content-type': 'application/x-www-form-urlencoded', ...kSameOrigin },
    });
    assert.equal(click.status, 200);
    assert.match(click.body, /<h1[^>]*>J’ai besoin d’aide<\/h1>/);
    const rows = execFileSync('sqlite3', [server.db.slice('sqlite:'.length),
      'SELECT * FROM stat_counter'], { encoding: 'utf8' });
    for (const event of ['help_button_click', 'flow_started', 'flow_completed', 'minor_redirected', 'emergency_exit']) {
      assert.match(rows, new RegExp(`montreuillois.*${event}|${event}.*montreuillois`), `${event} counted:\n${rows}`);
    }
    assert.ok(!rows.includes('CANARY'));
  });
});

describe('help flow JSON API', () => {
  let server;
  let csrf;
  before(async () => {
    server = await startServer();
    csrf = csrfTokenIn((await request(server.baseUrl, 'GET', '/aide')).body);
  });
  after(async () => { await server?.stop(); });

  const api = async (payload, headers = {}) => {
    const response = await request(server.baseUrl, 'POST', '/api/v1/help', {
      body: typeof payload === 'string' ? payload : JSON.stringify(payload),
      headers: { 'content-type': 'application/json', 'x-csrf-token': csrf, ...kSameOrigin, ...headers },
    });
    let json = null;
    try { json = JSON.parse(response.body); } catch { /* checked by the caller */ }
    return { ...response, json };
  };

  test('{"token": null} starts; each answer gives the next node with its choices and a new token', async () => {
    const first = await api({ token: null });
    assert.equal(first.status, 200);
    assert.match(first.headers['content-type'], /^application\/json/);
    assert.equal(first.json.node.id, 'age');
    assert.equal(first.json.node.type, 'choice');
    assert.equal(first.json.node.text, 'Quel âge avez-vous ?');
    assert.deepEqual(first.json.node.choices.map((c) => c.code), ['minor', 'adult']);
    assert.equal(typeof first.json.token, 'string');
    const second = await api({ token: first.json.token, answer: 'adult' });
    assert.equal(second.status, 200);
    assert.equal(second.json.node.id, 'who');
    assert.deepEqual(second.json.node.choices.map((c) => c.code), ['self', 'relative', 'professional']);
    assert.notEqual(second.json.token, first.json.token);
    const back = await api({ token: second.json.token, back: true });
    assert.equal(back.json.node.id, 'age');
  });

  test('"back" that is not a boolean is the client\'s mistake: 400 bad_request, never 500 (issue 15, F5)', async () => {
    const first = await api({ token: null });
    const second = await api({ token: first.json.token, answer: 'adult' });
    assert.equal(second.status, 200);
    for (const back of ['yes', 1, null, [], {}]) {
      const response = await api({ token: second.json.token, back });
      assert.equal(response.status, 400, `back=${JSON.stringify(back)}: ${response.body}`);
      assert.equal(response.json.error.code, 'bad_request');
    }
    const refused = await api({ token: second.json.token, back: false, answer: 'self' });
    assert.equal(refused.status, 200, 'back: false is still an answer');
  });

  test('walks to the end with a multiple answer, coordinates rounded to about 1 km, and a contact object', async () => {
    let token = (await api({ token: null })).json.token;
    const steps = [['adult', 'who'], ['self', 'danger_now'], ['no', 'needs'], [['legal', 'lawyer'], 'children'],
      ['yes_safe', 'location'], [{ lat: 50.463712, lon: 1.764988 }, 'language'], ['ar', 'contact'],
      [{ channel: 'sms', times: ['evening'], voicemail: false, identify: true }, 'end']];
    let last;
    for (const [answer, expected] of steps) {
      last = await api({ token, answer });
      assert.equal(last.status, 200, JSON.stringify(last.json));
      assert.equal(last.json.node.id, expected);
      token = last.json.token;
    }
    const summary = Object.fromEntries(last.json.node.summary.map((row) => [row.node, row.answer]));
    assert.equal(summary.needs, 'Connaître mes droits, Un avocat ou une avocate');
    assert.equal(summary.location, 'Position approximative (à environ 1 km près)');
    assert.match(summary.contact, /^Par SMS · Le soir · pas de message vocal · peut dire qui appelle/);
    assert.deepEqual(last.json.node.proposals, [], 'no invented professional');
    assert.ok(last.json.node.emergency_contacts.some((c) => c.href === 'sms:114'));
  });

  test('a refused answer: 400 invalid_answer with the same node and a usable token', async () => {
    const first = await api({ token: null });
    const refused = await api({ token: first.json.token, answer: 'teenager' });
    assert.equal(refused.status, 400);
    assert.equal(refused.json.error.code, 'invalid_answer');
    assert.equal(refused.json.error.field, 'answer-minor');
    assert.equal(refused.json.node.id, 'age');
    const retry = await api({ token: refused.json.token, answer: 'minor' });
    assert.equal(retry.json.node.id, 'youth');
    assert.ok(retry.json.node.youth_services.some((s) => s.phone === '0800 235 236'));
    assert.ok(retry.json.node.youth_services.some((s) => s.phone === '119'));
  });

  test('bad tokens, bad bodies and missing CSRF are refused', async () => {
    const first = await api({ token: null });
    const token = first.json.token;
    for (const bad of [token.slice(0, -5), `${token.slice(0, 30)}A${token.slice(31)}`, 'bonjour']) {
      const response = await api({ token: bad, answer: 'adult' });
      assert.equal(response.status, 400);
      assert.equal(response.json.error.code, 'invalid_token');
      assert.match(response.json.error.message, /recommencez/);
      assert.equal(response.json.node, undefined);
    }
    assert.equal((await api('{not json')).status, 400);
    assert.equal((await api({ answer: 'adult' })).json.error.code, 'bad_request');
    assert.equal((await api({ token, answer: { place: { nested: true } } })).status, 400);
    const noCsrf = await api({ token: null }, { 'x-csrf-token': '' });
    assert.equal(noCsrf.status, 403);
    const crossSite = await api({ token: null }, { 'sec-fetch-site': 'cross-site' });
    assert.equal(crossSite.status, 403);
  });
});
