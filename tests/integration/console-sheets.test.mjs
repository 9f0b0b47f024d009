// Local sheets from the territory console (issue 11 §1, docs/territory-console.md "Local sheets")
// against the real binary, without JavaScript: a coordinator previews her version of a national
// sheet (nothing saved), saves it, and the public sheet page of the territory the server serves
// shows it at once; a bad sheet (a source off the official sites, a date, a link to no sheet, a
// slug taken) is refused on its field with the line, and nothing is written; a sheet only the
// territory has; going back to the national version; the audit entries carry field names only;
// a server started later reads the saved sheets; another territory's coordinator gets 404.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { request, spawnServe, startServer } from './harness.mjs';
import { mainOf, Professional } from './pro-harness.mjs';
import { queryNumber, queryText } from './referral-visitor.mjs';

const kPage = '/pro/territoires/paris-10/fiches';
const kEdit = `${kPage}?langue=fr&fiche=porter-plainte`;
const kLocalTitle = 'Porter plainte à Paris 10e';
const unescape = (html) => html.replace(/&#(\d+);/g, (_, n) => String.fromCharCode(Number(n)))
  .replace(/&#x([0-9a-f]+);/gi, (_, n) => String.fromCharCode(parseInt(n, 16)))
  .replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

// The values of the sheet form of `html`, as a browser would send them.
function formFields(html) {
  const main = mainOf(html);
  const fields = [];
  for (const name of ['title', 'written_on', 'reviewed_on', 'easy_read_of']) {
    const value = main.match(new RegExp(`name="${name}" type="text"[^>]*value="([^"]*)"`))?.[1];
    assert.notEqual(value, undefined, name);
    fields.push([name, unescape(value)]);
  }
  for (const name of ['summary', 'legal_references', 'sources', 'related', 'body']) {
    const value = main.match(new RegExp(`name="${name}"[^>]*>([^<]*)</textarea>`))?.[1];
    assert.notEqual(value, undefined, name);
    fields.push([name, unescape(value)]);
  }
  for (const m of main.matchAll(/name="topics" type="checkbox" value="([a-z]+)" checked/g)) fields.push(['topics', m[1]]);
  fields.push(['audience', main.match(/<option value="([a-z]+)" selected>/)[1]]);
  return fields;
}
const withField = (fields, name, value) => fields.map(([n, v]) => [n, n === name ? value : v]);

describe('local sheets in the console', () => {
  let server;
  let coordinator;
  let other;
  let national;  // the fields of the national sheet porter-plainte, as the form shows them

  const rows = () => queryNumber(server, 'SELECT COUNT(*) FROM territory_sheet');
  const publicSheet = (path, base = server.baseUrl) => request(base, 'GET', path);
  const edit = async (fields, { path = kEdit, fiche = 'porter-plainte' } = {}) => {
    assert.equal((await coordinator.get(path)).status, 200);
    return coordinator.post(kPage, [['langue', 'fr'], ['fiche', fiche], ...fields]);
  };

  before(async () => {
    server = await startServer({ extraArgs: ['--territory', 'paris-10', '--jobs-interval', '0'] });
    coordinator = new Professional(server.baseUrl, 'coordination-fiches@example.org');
    await coordinator.enrolAndSignIn(server, ['--role', 'coordinator', '--territory', 'paris-10']);
    other = new Professional(server.baseUrl, 'coordination-montreuil-fiches@example.org');
    await other.enrolAndSignIn(server, ['--role', 'coordinator', '--territory', 'montreuillois']);
  });
  after(async () => {
    await server?.stop();
  });

  test('the hub links the page; it lists the sheets of each language with their state', async () => {
    const hub = await coordinator.get('/pro/territoires/paris-10');
    assert.match(mainOf(hub.body), new RegExp(`href="${kPage}"`));
    const list = await coordinator.get(kPage);
    assert.equal(list.status, 200);
    assert.match(list.body, /<tr data-sheet="porter-plainte" data-state="national">/);
    assert.match(list.body, /data-local-count="0"/);
    const english = await coordinator.get(`${kPage}?langue=en`);
    assert.match(english.body, /<tr data-sheet="porter-plainte" data-state="national">/);
    assert.doesNotMatch(english.body, /data-sheet="preuves"/, 'a sheet not translated is not listed in English');
    const form = await coordinator.get(kEdit);
    assert.equal(form.status, 200);
    national = formFields(form.body);
    assert.equal(national.find(([n]) => n === 'title')[1], 'Porter plainte : comment faire');
    assert.ok(national.some(([n, v]) => n === 'topics' && v === 'plainte'));
    assert.match(national.find(([n]) => n === 'sources')[1], /^https:\/\/www\.service-public\.fr\//);
    assert.doesNotMatch(form.body, /value="national"/, 'nothing to reset yet');
    assert.equal((await coordinator.get(`${kPage}?langue=fr&fiche=nope`)).status, 404);
    assert.equal((await coordinator.get(`${kPage}?langue=de`)).status, 404);
  });

  test('another territory\'s coordinator cannot read or change it', async () => {
    assert.equal((await other.get(kPage)).status, 404);
    assert.equal((await other.get('/pro/territoires/montreuillois/fiches')).status, 200);
    const r = await other.post(kPage, [['langue', 'fr'], ['fiche', 'porter-plainte'], ['action', 'enregistrer'],
      ...withField(national, 'title', 'X')]);
    assert.equal(r.status, 404);
    assert.equal(await rows(), 0);
  });

  test('a bad sheet names its field and line, keeps what she typed and writes nothing', async () => {
    const sources = national.find(([n]) => n === 'sources')[1];
    const cases = [
      ['sources', `${sources}\nhttps://blog.example.com/plainte`,
        /href="#sources">Sources officielles \(ligne 5 de la liste\) : source hors liste des sites officiels ou non https : https:\/\/blog\.example\.com\/plainte/],
      ['written_on', '23/11/2026', /href="#written_on">Date de rédaction : date invalide pour « written_on » : attendu AAAA-MM-JJ/],
      ['body', 'Premier paragraphe.\n\nVoir [la fiche](/fiches/nulle-part).',
        /href="#body">Texte de la fiche \(ligne 3\) : lien interne vers une fiche introuvable : \/fiches\/nulle-part/],
      ['title', '', /href="#title">Titre : valeur vide pour « title »/],
      ['related', 'preuves\nfiche-inconnue', /href="#related">Fiches liées \(ligne 2 de la liste\) : fiche liée introuvable « fiche-inconnue »/],
    ];
    for (const [field, value, message] of cases) {
      for (const action of ['apercu', 'enregistrer']) {
        const r = await edit([['action', action], ...withField(national, field, value)]);
        assert.equal(r.status, 400, `${field} ${action}`);
        assert.match(mainOf(r.body), message);
        assert.match(r.body, new RegExp(`aria-describedby="(${field}-hint )?${field}-error"`));
        assert.doesNotMatch(r.body, /data-sheet-preview/);
        if (field === 'written_on') assert.match(r.body, /name="written_on" type="text"[^>]*value="23\/11\/2026"/);
      }
    }
    // Markup in the body is not HTML on the page: the form gives it back escaped.
    const r = await edit([['action', 'enregistrer'],
      ...withField(withField(national, 'sources', 'http://www.service-public.fr/'), 'body', '<script>alert(1)</script>')]);
    assert.equal(r.status, 400);
    assert.doesNotMatch(r.body, /<script>alert/);
    assert.equal(await rows(), 0);
    assert.equal(await queryNumber(server, "SELECT COUNT(*) FROM audit_log WHERE action LIKE 'territory.sheet%'"), 0);
  });

  test('preview shows the sheet as the public page does, and saves nothing', async () => {
    const r = await edit([['action', 'apercu'], ...withField(withField(national, 'title', kLocalTitle), 'body',
      '## Au commissariat du 10e\n\nLe commissariat du 10e arrondissement reçoit les plaintes jour et nuit.')]);
    assert.equal(r.status, 200, mainOf(r.body).slice(0, 2000));
    assert.match(r.body, /data-sheet-preview/);
    assert.match(r.body, /<h2 class="app-heading-xl" data-preview-title>Porter plainte à Paris 10e<\/h2>/);
    assert.match(r.body, /<h2[^>]*>Au commissariat du 10e<\/h2>/, 'the Markdown rendered');
    assert.match(r.body, /Sources officielles/);
    assert.equal(await rows(), 0);
    const page = await publicSheet('/fiches/porter-plainte');
    assert.match(page.body, /<h1 class="app-heading-xl">Porter plainte\S{0,8}\s?: comment faire<\/h1>/);
  });

  test('a saved sheet is served at once on the public page of the territory', async () => {
    const fields = withField(withField(national, 'title', kLocalTitle), 'body',
      '## Au commissariat du 10e\n\nLe commissariat du 10e arrondissement reçoit les plaintes jour et nuit.');
    const r = await edit([['action', 'enregistrer'], ...fields]);
    assert.equal(r.status, 303, `${r.status} ${r.body.slice(0, 3000)}`);
    assert.equal(r.headers.location, `${kEdit}&etat=enregistre`);
    const after = await coordinator.get(r.headers.location);
    assert.match(after.body, /data-notice>La fiche est enregistrée/);
    assert.match(after.body, /value="national">Revenir à la version nationale/);
    assert.equal(await rows(), 1);
    assert.match(await queryText(server, "SELECT text FROM territory_sheet WHERE slug = 'porter-plainte'"),
      /^---\nslug: "porter-plainte"\ntitle: "Porter plainte à Paris 10e"\n/);
    const page = await publicSheet('/fiches/porter-plainte');
    assert.equal(page.status, 200);
    assert.match(page.body, /<h1 class="app-heading-xl">Porter plainte à Paris 10e<\/h1>/);
    assert.match(page.body, /reçoit les plaintes jour et nuit/);
    assert.match(page.body, /Cette fiche est propre à votre territoire/);
    assert.match((await publicSheet('/en/fiches/porter-plainte')).body, /<h1 class="app-heading-xl">(?!Porter plainte à Paris)/,
      'the English sheet unchanged');
    const audit = await queryText(server,
      "SELECT actor || ' ' || object || ' ' || detail FROM audit_log WHERE action = 'territory.sheet_changed'");
    const id = await queryText(server, "SELECT id FROM account WHERE email = 'coordination-fiches@example.org'");
    assert.equal(audit, `account:${id} territory:paris-10 sheet fr porter-plainte title,body`, 'field names, never the text');
    const list = await coordinator.get(kPage);
    assert.match(list.body, /<tr data-sheet="porter-plainte" data-state="replaced">/);
    assert.match(list.body, /data-local-count="1"/);
    // A bad edit afterwards leaves the saved sheet as it was, on the public page too.
    const bad = await edit([['action', 'enregistrer'], ...withField(fields, 'reviewed_on', '2020-01-01')]);
    assert.equal(bad.status, 400);
    assert.match(mainOf(bad.body), /href="#reviewed_on">Date de mise à jour : reviewed_on est antérieure à written_on/);
    assert.match((await publicSheet('/fiches/porter-plainte')).body, /Porter plainte à Paris 10e/);
    // A server of the territory started later reads it from the database.
    const later = await spawnServe({ db: server.db, dir: server.dir, extraArgs: ['--territory', 'paris-10', '--jobs-interval', '0'] });
    try {
      await later.healthy();
      assert.match((await publicSheet('/fiches/porter-plainte', later.baseUrl)).body, /Porter plainte à Paris 10e/);
    } finally {
      later.child.kill('SIGTERM');
      await later.exited;
    }
  });

  test('a sheet only the territory has; a slug taken is refused', async () => {
    const path = `${kPage}?langue=fr&nouvelle=1`;
    const form = await coordinator.get(path);
    assert.equal(form.status, 200);
    assert.match(form.body, /id="slug" name="slug"/);
    const fields = withField(withField(national, 'title', 'Le tribunal de Paris'), 'body', 'Le tribunal judiciaire de Paris est porte de Clichy.');
    let r = await edit([['slug', 'porter-plainte'], ['action', 'enregistrer'], ...fields], { path, fiche: '' });
    assert.equal(r.status, 400);
    assert.match(mainOf(r.body), /href="#slug">Adresse de la fiche : la fiche « porter-plainte » existe déjà/);
    r = await edit([['slug', 'Tribunal de Paris'], ['action', 'enregistrer'], ...fields], { path, fiche: '' });
    assert.equal(r.status, 400);
    assert.match(mainOf(r.body), /href="#slug">Adresse de la fiche : slug « Tribunal de Paris » invalide/);
    assert.equal(await rows(), 1);
    r = await edit([['slug', 'tribunal-de-paris'], ['action', 'enregistrer'], ...fields], { path, fiche: '' });
    assert.equal(r.status, 303, r.body.slice(0, 2000));
    assert.equal(r.headers.location, `${kPage}?langue=fr&fiche=tribunal-de-paris&etat=enregistre`);
    assert.match((await publicSheet('/fiches/tribunal-de-paris')).body, /<h1 class="app-heading-xl">Le tribunal de Paris<\/h1>/);
    const list = await coordinator.get(kPage);
    assert.match(list.body, /<tr data-sheet="tribunal-de-paris" data-state="local">/);
    // Removed, it is gone from the public site.
    assert.equal((await coordinator.get(`${kPage}?langue=fr&fiche=tribunal-de-paris`)).status, 200);
    r = await coordinator.post(kPage, [['langue', 'fr'], ['fiche', 'tribunal-de-paris'], ['action', 'national']]);
    assert.equal(r.status, 303);
    assert.equal(r.headers.location, `${kPage}?langue=fr&etat=supprimee`);
    assert.equal((await publicSheet('/fiches/tribunal-de-paris')).status, 404);
  });

  test('back to the national version', async () => {
    assert.equal((await coordinator.get(kEdit)).status, 200);
    const r = await coordinator.post(kPage, [['langue', 'fr'], ['fiche', 'porter-plainte'], ['action', 'national']]);
    assert.equal(r.status, 303);
    assert.equal(r.headers.location, `${kEdit}&etat=national`);
    assert.equal(await rows(), 0);
    assert.match((await publicSheet('/fiches/porter-plainte')).body, /<h1 class="app-heading-xl">Porter plainte\S{0,8}\s?: comment faire<\/h1>/);
    assert.equal(await queryText(server,
      "SELECT detail FROM audit_log WHERE action = 'territory.sheet_reset' AND detail LIKE '%porter-plainte%'"),
    'sheet fr porter-plainte');
  });
});
