// "J'ai besoin d'aide" in English and Arabic (content/flows/en.yaml, ar.yaml) over HTTP against
// the real binary, without JavaScript: /en/aide and /ar/aide start the translated flow, the
// question pages are in the right language and direction, with no French question text, and the
// same answer codes lead to the same nodes as in French.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { csrfTokenIn, request, startServer } from './harness.mjs';
import { QuestionPages as Visitor } from './question-pages.mjs';

const kSameOrigin = { 'sec-fetch-site': 'same-origin' };

// Question texts of content/flows/fr.yaml that must not appear in a translated page.
const kFrenchQuestions = [
  'Quel âge avez-vous', 'Êtes-vous en danger en ce moment', 'Pour qui cherchez-vous de l’aide',
  'De quoi avez-vous besoin', 'Moins de 18 ans', '18 ans ou plus', 'Appelez le 17 ou envoyez un SMS au 114',
  'Continuer les questions', 'Je ne sais pas',
];

function assertNoFrenchQuestion(html, where) {
  for (const french of kFrenchQuestions) assert.ok(!html.includes(french), `${where}: French text "${french}"`);
}

describe('help flow in English and Arabic, without JavaScript', () => {
  let server;
  before(async () => { server = await startServer(); });
  after(async () => { await server?.stop(); });

  test('/en/aide: the first question is in English, left to right', async () => {
    const v = new Visitor(server.baseUrl, '/en');
    const first = await v.start();
    assert.match(first.body, /<html lang="en" dir="ltr">/);
    assert.equal(v.node, 'age');
    assert.equal(v.heading, 'How old are you?');
    assert.match(v.main, /This question helps us point you to the right people\./);
    assert.match(v.main, /<label class="app-radios__label" for="answer-minor">Under 18<\/label>/);
    assert.match(v.main, /<label class="app-radios__label" for="answer-adult">18 or older<\/label>/);
    assertNoFrenchQuestion(v.main, 'age');
  });

  test('/en/aide: adult, for myself, not in danger → the needs, in English', async () => {
    const v = new Visitor(server.baseUrl, '/en');
    await v.start();
    await v.answer(['answer', 'adult']);
    assert.equal(v.node, 'who');
    assert.equal(v.heading, 'Who are you looking for help for?');
    assert.match(v.main, /For someone close to me/);
    await v.answer(['answer', 'self']);
    assert.equal(v.node, 'danger_now');
    assert.equal(v.heading, 'Are you in danger right now?');
    assert.match(v.main, /I don’t know/);
    assertNoFrenchQuestion(v.main, 'danger_now');
    await v.answer(['answer', 'no']);
    assert.equal(v.node, 'needs');
    assert.equal(v.heading, 'What do you need?');
    assert.match(v.main, /type="checkbox" value="protection_order"/);
    assert.match(v.main, /A protection order \(“ordonnance de protection”\)/);
    assertNoFrenchQuestion(v.main, 'needs');
    assert.match(v.page.body, /<html lang="en" dir="ltr">/);
  });

  test('/en/aide: the youth page\'s "start again" link stays in English', async () => {
    const v = new Visitor(server.baseUrl, '/en');
    await v.start();
    await v.answer(['answer', 'minor']);
    assert.equal(v.node, 'youth');
    assert.match(v.main, /<a href="\/en\/aide">/);
    assert.doesNotMatch(v.main, /<a href="\/aide">/);
  });

  test('/en/aide: a refused answer gives the English error message', async () => {
    const v = new Visitor(server.baseUrl, '/en');
    await v.start();
    const refused = await v.post([['action', 'continue']]);
    assert.equal(refused.status, 400);
    assert.equal(v.node, 'age');
    assert.match(refused.body, /<a href="#answer-minor">Say whether you are under 18, or 18 or older\.<\/a>/);
  });

  test('/ar/aide: the first question is in Arabic, right to left', async () => {
    const v = new Visitor(server.baseUrl, '/ar');
    const first = await v.start();
    assert.match(first.body, /<html lang="ar" dir="rtl">/);
    assert.equal(v.node, 'age');
    assert.equal(v.heading, 'كم عمركِ؟');
    assert.match(v.main, /<label class="app-radios__label" for="answer-minor">أقل من 18 سنة<\/label>/);
    assert.match(v.main, /<label class="app-radios__label" for="answer-adult">18 سنة أو أكثر<\/label>/);
    assertNoFrenchQuestion(v.main, 'age');
  });

  test('/ar/aide: adult, in danger → 17 and SMS 114 first, in Arabic, then the questions go on', async () => {
    const v = new Visitor(server.baseUrl, '/ar');
    await v.start();
    await v.answer(['answer', 'adult']);
    assert.equal(v.node, 'who');
    assert.equal(v.heading, 'لمن تبحثين عن المساعدة؟');
    await v.answer(['answer', 'self']);
    assert.equal(v.node, 'danger_now');
    assert.equal(v.heading, 'هل أنتِ في خطر الآن؟');
    assert.match(v.main, /<label class="app-radios__label" for="answer-unsure">لا أعرف<\/label>/);
    await v.answer(['answer', 'yes']);
    assert.equal(v.node, 'emergency');
    const main = v.main;
    assert.match(main, /اتصلي بالرقم 17 أو أرسلي رسالة نصية إلى الرقم 114/);
    assert.match(main, /الدرك \(gendarmerie\)/, 'the French institution name is kept');
    const call17 = main.indexOf('href="tel:17"');
    const sms114 = main.indexOf('href="sms:114"');
    const continueButton = main.indexOf('value="continue"');
    assert.ok(call17 > 0 && sms114 > 0, '17 and 114 are links');
    assert.ok(call17 < continueButton && sms114 < continueButton, 'the numbers come before the option to continue');
    assert.match(main, /متابعة الأسئلة/);
    assertNoFrenchQuestion(main, 'emergency');
    await v.answer();
    assert.equal(v.node, 'needs');
    assert.equal(v.heading, 'ماذا تحتاجين؟');
    assert.match(v.page.body, /<html lang="ar" dir="rtl">/);
  });

  test('/ar/aide: a minor ends at the youth page, in Arabic', async () => {
    const v = new Visitor(server.baseUrl, '/ar');
    await v.start();
    await v.answer(['answer', 'minor']);
    assert.equal(v.node, 'youth');
    assert.match(v.main, /يمكن لأشخاص بالغين مساعدتكِ مجانًا/);
    assert.match(v.main, /href="tel:119"/);
    assert.doesNotMatch(v.main, /Des adultes peuvent vous aider/);
  });

  // templates/help/question.mustache has no "{{! i18n: catalog }}" marker, so the Renderer marks
  // the page content as untranslated French: <div lang="fr" dir="ltr"> around the English or
  // Arabic question (wrong voice for screen readers, Arabic laid out left to right). Not fixable
  // in the flow files.
  test('the question content is not marked as French', async () => {
    for (const prefix of ['/en', '/ar']) {
      const v = new Visitor(server.baseUrl, prefix);
      await v.start();
      assert.ok(!v.page.body.includes('<div lang="fr" dir="ltr">'), `${prefix}: question content marked lang="fr"`);
    }
  });
});

// The report she reviews before sending is in her language: the choice labels come from her
// flow, the words around her place from the catalog (session 12 found "Code postal" in French).
describe('her report in Arabic', () => {
  let server;
  before(async () => { server = await startServer({ gazetteer: true }); });
  after(async () => { await server?.stop(); });

  test('/ar/aide: the report she reviews names her place in Arabic', async () => {
    const v = new Visitor(server.baseUrl, '/ar');
    await v.start();
    await v.answer(['answer', 'adult']);
    await v.answer(['answer', 'self']);
    await v.answer(['answer', 'no']);
    await v.answer(['answer', 'legal']);
    await v.answer(['answer', 'none']);
    await v.answer(['place', '75010']);
    await v.answer(['answer', 'fr']);
    await v.answer(['channel', 'phone'], ['times', 'evening'], ['voicemail', 'no'], ['identify', 'no']);
    assert.equal(v.node, 'end');
    const services = [...v.main.matchAll(/formaction="\/ar\/aide\/rapport" name="service_id" value="([^"]+)"/g)];
    assert.ok(services.length > 0, 'the result offers to prepare a request');
    let report = null;
    for (const [, serviceId] of services) {
      v.browser.csrf = v.csrf;
      const r = await v.browser.post('/ar/aide/rapport', [['token', v.token], ['service_id', serviceId]]);
      if (r.status === 200) { report = r.body; break; }
      assert.equal(r.status, 404, 'a proposal that cannot receive requests says so');
    }
    assert.ok(report, 'one proposal accepts requests');
    assert.match(report, /الرمز البريدي 75010/);
    assert.doesNotMatch(report, /Code postal/);
  });
});

describe('help flow JSON API in English and Arabic', () => {
  let server;
  before(async () => { server = await startServer(); });
  after(async () => { await server?.stop(); });

  for (const [prefix, age, who] of [['/en', 'How old are you?', 'Who are you looking for help for?'],
    ['/ar', 'كم عمركِ؟', 'لمن تبحثين عن المساعدة؟']]) {
    test(`${prefix}/api/v1/help gives the ${prefix.slice(1)} texts with the French codes`, async () => {
      const csrf = csrfTokenIn((await request(server.baseUrl, 'GET', `${prefix}/aide`)).body);
      const api = async (payload) => {
        const response = await request(server.baseUrl, 'POST', `${prefix}/api/v1/help`, {
          body: JSON.stringify(payload),
          headers: { 'content-type': 'application/json', 'x-csrf-token': csrf, ...kSameOrigin },
        });
        assert.equal(response.status, 200, response.body);
        return JSON.parse(response.body);
      };
      const first = await api({ token: null });
      assert.equal(first.node.id, 'age');
      assert.equal(first.node.text, age);
      assert.deepEqual(first.node.choices.map((c) => c.code), ['minor', 'adult']);
      const second = await api({ token: first.token, answer: 'adult' });
      assert.equal(second.node.id, 'who');
      assert.equal(second.node.text, who);
      assert.deepEqual(second.node.choices.map((c) => c.code), ['self', 'relative', 'professional']);
    });
  }
});
