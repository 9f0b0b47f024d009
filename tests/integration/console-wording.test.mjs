// Local wording of the help flow from the territory console (issue 11 §1, docs/territory-console.md
// "Local wording") against the real binary, without JavaScript: a coordinator previews a new
// wording of a question (nothing saved, the public still sees the national one), saves it, and the
// public help pages of the territory the server serves show it at once, in French and in English;
// bad wording (empty, too long, markup) is refused on its field with what she typed, and nothing
// is written; going back to the national wording; the audit entries carry field names only;
// another territory's coordinator gets 404.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { startServer } from './harness.mjs';
import { mainOf, Professional } from './pro-harness.mjs';
import { QuestionPages } from './question-pages.mjs';
import { queryNumber, queryText } from './referral-visitor.mjs';

const kPage = '/pro/territoires/paris-10/textes';
const kAge = `${kPage}?langue=fr&noeud=age`;
const kNational = 'Quel âge avez-vous ?';
// The text of an attribute or element as the renderer escapes it.
const unescape = (html) => html.replace(/&#(\d+);/g, (_, n) => String.fromCharCode(Number(n)))
  .replace(/&#x([0-9a-f]+);/gi, (_, n) => String.fromCharCode(parseInt(n, 16)))
  .replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
const escaped = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const kLocal = 'Quel âge avez-vous ? (Paris 10e : « permanence » le mardi)';

describe('local wording in the console', () => {
  let server;
  let coordinator;
  let other;

  // The first public question (age), as a visitor of `prefix` sees it.
  const publicAge = async (prefix = '') => {
    const pages = new QuestionPages(server.baseUrl, prefix);
    const r = await pages.start();
    assert.equal(r.status, 200);
    assert.equal(pages.node, 'age');
    return pages;
  };
  const rows = () => queryNumber(server, 'SELECT COUNT(*) FROM territory_wording');
  const stored = () => queryText(server, "SELECT wording FROM territory_wording WHERE item = 'age' AND locale = 'fr'");
  const edit = async (fields, path = kAge) => {
    assert.equal((await coordinator.get(path)).status, 200);
    return coordinator.post(kPage, [['langue', 'fr'], ['noeud', 'age'], ...fields]);
  };
  const nationalFields = [['text', kNational], ['hint', 'Cette question permet de vous orienter vers les bonnes personnes.'],
    ['label_minor', 'Moins de 18 ans'], ['label_adult', '18 ans ou plus']];
  const withField = (name, value) => nationalFields.map(([n, v]) => [n, n === name ? value : v]);

  before(async () => {
    server = await startServer({ extraArgs: ['--territory', 'paris-10', '--jobs-interval', '0'] });
    coordinator = new Professional(server.baseUrl, 'coordination-textes@example.org');
    await coordinator.enrolAndSignIn(server, ['--role', 'coordinator', '--territory', 'paris-10']);
    other = new Professional(server.baseUrl, 'coordination-montreuil-textes@example.org');
    await other.enrolAndSignIn(server, ['--role', 'coordinator', '--territory', 'montreuillois']);
  });
  after(async () => {
    await server?.stop();
  });

  test('the hub links the page; it lists the questions with their wording', async () => {
    const hub = await coordinator.get('/pro/territoires/paris-10');
    assert.match(mainOf(hub.body), new RegExp(`href="${kPage}"`));
    const list = await coordinator.get(kPage);
    assert.equal(list.status, 200);
    assert.match(list.body, /<tr data-node="age">/);
    assert.match(list.body, new RegExp(`>${escaped(kNational)}</a>`));
    assert.match(list.body, /data-local-count="0"/);
    const form = await coordinator.get(kAge);
    assert.equal(form.status, 200);
    assert.match(form.body, new RegExp(`id="text" name="text" type="text" autocomplete="off" value="${escaped(kNational)}"`));
    assert.match(form.body, /id="label_adult" name="label_adult"[^>]*value="18 ans ou plus"/);
    assert.equal((await coordinator.get(`${kPage}?langue=fr&noeud=nope`)).status, 404);
    assert.equal((await coordinator.get(`${kPage}?langue=de`)).status, 404);
  });

  test('another territory\'s coordinator cannot read or change it', async () => {
    assert.equal((await other.get(kPage)).status, 404);
    assert.equal((await other.get('/pro/territoires/montreuillois/textes')).status, 200);
    const r = await other.post(kPage, [['langue', 'fr'], ['noeud', 'age'], ['action', 'enregistrer'], ...withField('text', 'X')]);
    assert.equal(r.status, 404);
    assert.equal(await rows(), 0);
  });

  test('bad wording names its field, keeps what she typed and writes nothing', async () => {
    const cases = [
      ['text', '', /href="#text">Question ou titre : le texte est obligatoire/],
      ['text', 'a'.repeat(201), /href="#text">Question ou titre : 200 caractères au plus/],
      ['label_adult', '<b>Majeure</b>', /href="#label_adult">Réponse « 18 ans ou plus » : du texte simple seulement/],
      ['label_minor', '', /href="#label_minor">Réponse « Moins de 18 ans » : le texte est obligatoire/],
      ['hint', '<script>alert(1)</script>', /href="#hint">Aide sous la question : du texte simple seulement/],
    ];
    for (const [field, value, message] of cases) {
      for (const action of ['apercu', 'enregistrer']) {
        const r = await edit([['action', action], ...withField(field, value)]);
        assert.equal(r.status, 400, `${field} ${action}`);
        assert.match(mainOf(r.body), message);
        assert.match(r.body, new RegExp(`aria-describedby="${field}-hint ${field}-error"`));
        assert.doesNotMatch(r.body, /<b>Majeure<\/b>|<script>alert/, 'what she typed, escaped');
        if (value.startsWith('<b>')) assert.match(r.body, /value="&lt;b&gt;Majeure&lt;\/b&gt;"/);
        if (value.startsWith('a')) assert.match(r.body, /value="a{201}"/);
        assert.doesNotMatch(r.body, /data-wording-preview/);
      }
    }
    assert.equal(await rows(), 0);
    assert.equal(await queryNumber(server, "SELECT COUNT(*) FROM audit_log WHERE action LIKE 'territory.wording%'"), 0);
  });

  test('preview shows the question as the public will, and saves nothing', async () => {
    const r = await edit([['action', 'apercu'], ...withField('text', kLocal)]);
    assert.equal(r.status, 200, mainOf(r.body).slice(0, 2000));
    assert.match(r.body, /data-wording-preview/);
    assert.match(r.body, /data-preview-text>Quel âge avez-vous \? \(Paris 10e : « permanence » le mardi\)</);
    assert.match(r.body, /18 ans ou plus/);
    assert.equal(await rows(), 0);
    assert.equal((await publicAge()).heading, kNational);
  });

  test('saved wording is served at once on the public pages of the territory', async () => {
    const r = await edit([['action', 'enregistrer'], ...withField('text', kLocal).map(([n, v]) =>
      [n, n === 'label_adult' ? 'J’ai 18 ans ou plus' : v])]);
    assert.equal(r.status, 303, `${r.status} ${r.body.slice(0, 3000)}`);
    assert.equal(r.headers.location, `${kAge}&etat=enregistre`);
    assert.match((await coordinator.get(r.headers.location)).body, /data-notice>Les textes sont enregistrés/);
    assert.deepEqual(JSON.parse(await stored()), { text: kLocal, labels: { adult: 'J’ai 18 ans ou plus' } },
      'only what differs from the national wording');
    const pages = await publicAge();
    assert.equal(pages.heading, kLocal);
    assert.match(pages.main, /J’ai 18 ans ou plus/);
    assert.match(pages.main, /Moins de 18 ans/, 'the other label kept');
    // The flow goes on: the answer codes did not change.
    await pages.answer(['answer', 'adult']);
    assert.equal(pages.node, 'who');
    const audit = await queryText(server,
      "SELECT actor || ' ' || object || ' ' || detail FROM audit_log WHERE action = 'territory.wording_changed'");
    const id = await queryText(server, "SELECT id FROM account WHERE email = 'coordination-textes@example.org'");
    assert.equal(audit, `account:${id} territory:paris-10 flow fr age text,label:adult`, 'field names, never the text');
    const list = await coordinator.get(kPage);
    assert.match(list.body, /data-local-count="1"/);
    // A bad edit afterwards leaves the saved wording as it was, on the public page too.
    const bad = await edit([['action', 'enregistrer'], ...withField('text', '')]);
    assert.equal(bad.status, 400);
    assert.equal(JSON.parse(await stored()).text, kLocal);
    assert.equal((await publicAge()).heading, kLocal);
  });

  test('English wording is served on the English pages only', async () => {
    const path = `${kPage}?langue=en&noeud=age`;
    const form = await coordinator.get(path);
    assert.equal(form.status, 200);
    const english = form.body.match(/id="text" name="text" type="text" autocomplete="off" value="([^"]*)"/)[1];
    const labels = [...form.body.matchAll(/id="(label_[a-z]+)" name="label_[a-z]+" type="text" autocomplete="off" value="([^"]*)"/g)]
      .map((m) => [m[1], unescape(m[2])]);
    const hint = unescape(form.body.match(/id="hint"[^>]*>([^<]*)<\/textarea>/)[1]);
    const r = await coordinator.post(kPage, [['langue', 'en'], ['noeud', 'age'], ['action', 'enregistrer'],
      ['text', 'How old are you? (Paris 10)'], ['hint', hint], ...labels]);
    assert.equal(r.status, 303, `${r.status} ${r.body.slice(0, 3000)}`);
    assert.notEqual(english, 'How old are you? (Paris 10)');
    assert.equal((await publicAge('/en')).heading, 'How old are you? (Paris 10)');
    assert.equal((await publicAge()).heading, kLocal, 'the French wording unchanged');
  });

  test('back to the national wording', async () => {
    assert.equal((await coordinator.get(kAge)).status, 200);
    const r = await coordinator.post(kPage, [['langue', 'fr'], ['noeud', 'age'], ['action', 'national']]);
    assert.equal(r.status, 303);
    assert.equal(r.headers.location, `${kAge}&etat=national`);
    assert.equal(await queryNumber(server, "SELECT COUNT(*) FROM territory_wording WHERE locale = 'fr'"), 0);
    assert.equal((await publicAge()).heading, kNational);
    assert.equal(await queryText(server, "SELECT detail FROM audit_log WHERE action = 'territory.wording_reset'"),
      'flow fr age');
  });
});
