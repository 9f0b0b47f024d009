// Practical sheets and information pages over HTTP against the real binary.
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';

import { csrfTokenIn, repoRoot, request, startServer } from './harness.mjs';

const sheetSlugs = readdirSync(join(repoRoot, 'content/sheets/fr'))
  .filter((f) => f.endsWith('.md') && f !== 'README.md').map((f) => f.replace(/\.md$/, ''));

describe('sheets and information pages', () => {
  let server;
  before(async () => { server = await startServer(); });
  after(async () => { await server?.stop(); });
  const get = (path) => request(server.baseUrl, 'GET', path);
  const search = async (q) => {
    const token = csrfTokenIn((await get('/fiches')).body);
    return request(server.baseUrl, 'POST', '/fiches/recherche', {
      body: `_csrf=${encodeURIComponent(token)}&q=${encodeURIComponent(q)}`,
      headers: { 'content-type': 'application/x-www-form-urlencoded', origin: server.baseUrl, 'sec-fetch-site': 'same-origin' },
    });
  };

  test('the information pages answer', async () => {
    for (const path of ['/fiches', '/fiches/recherche', '/violentometre', '/temoin', '/ressources']) {
      const response = await get(path);
      assert.equal(response.status, 200, path);
      assert.equal(response.headers['set-cookie'], undefined, path);
    }
  });

  test('/fiches lists every French sheet and each sheet page shows summary, references, sources and dates', async () => {
    const originals = sheetSlugs.filter((slug) => !slug.endsWith('-facile'));
    assert.ok(originals.length >= 25, `only ${originals.length} French sheets (at least 25 expected)`);
    assert.ok(sheetSlugs.length - originals.length >= 5, 'at least 5 easy-read (FALC) sheets expected');
    const index = await get('/fiches');
    for (const slug of sheetSlugs) {
      const page = await get(`/fiches/${slug}`);
      assert.equal(page.status, 200, slug);
      assert.match(page.body, /À retenir/, slug);
      assert.match(page.body, /Textes de référence/, slug);
      assert.match(page.body, /href="https:\/\//, `${slug}: no source link`);
      assert.match(page.body, /Rédigée le <time datetime="\d{4}-\d{2}-\d{2}">/, slug);
      assert.match(page.body, /mise à jour le <time datetime="\d{4}-\d{2}-\d{2}">/, slug);
      // Every internal link of the sheet resolves.
      for (const [, href] of page.body.matchAll(/href="(\/fiches\/[^"#]+)"/g)) {
        assert.equal((await get(href)).status, 200, `${slug} links to ${href}`);
      }
      const isEasyRead = /Lire la fiche complète/.test(page.body);
      if (!isEasyRead) assert.ok(index.body.includes(`href="/fiches/${slug}"`), `${slug} missing from /fiches`);
    }
  });

  test('an unknown sheet is a French 404 page', async () => {
    const response = await get('/fiches/nexiste-pas');
    assert.equal(response.status, 404);
    assert.match(response.body, /Cette fiche n(’|'|&#39;|&apos;)existe pas/);
  });

  test('search is a POST that finds a sheet, and a no-result page points to help and 3919', async () => {
    const first = sheetSlugs[0];
    const title = (await get(`/fiches/${first}`)).body.match(/<h1[^>]*>([^<]+)<\/h1>/)[1];
    const found = await search(title);
    assert.equal(found.status, 200);
    assert.ok(found.body.includes(`href="/fiches/${first}"`), `searching "${title}" does not find ${first}`);
    const nothing = await search('xylophone zeppelin');
    assert.equal(nothing.status, 200);
    assert.match(nothing.body, /Aucune fiche ne correspond/);
    assert.match(nothing.body, /tel:3919/);
    assert.match(nothing.body, /action="\/aide"/);
    const tooLong = await search('a'.repeat(201));
    assert.equal(tooLong.status, 400);
    const withoutToken = await request(server.baseUrl, 'POST', '/fiches/recherche', {
      body: 'q=plainte', headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    assert.equal(withoutToken.status, 403);
  });

  test('English and Arabic paths set the language, and every page links to its other languages', async () => {
    for (const [prefix, lang, dir] of [['', 'fr', 'ltr'], ['/en', 'en', 'ltr'], ['/ar', 'ar', 'rtl']]) {
      const response = await get(`${prefix}/fiches`);
      assert.equal(response.status, 200, prefix);
      assert.match(response.body, new RegExp(`<html lang="${lang}" dir="${dir}"`), prefix);
    }
  });

  // The search table: with and without accents, other case, one-letter typos; the expected sheet
  // must be among the first three results.
  const kSearchTable = [
  ['plainte', 'porter-plainte'],
  ['porter plainte', 'porter-plainte'],
  ['plinte', 'porter-plainte'],
  ['ordonnance de protection', 'ordonnance-de-protection'],
  ['ordonance', 'ordonnance-de-protection'],
  ['protection immédiate', 'ordonnance-de-protection'],
  ['ITT', 'certificat-medical-itt'],
  ['certificat medical', 'certificat-medical-itt'],
  ['médico-judiciaire', 'certificat-medical-itt'],
  ['avocat', 'aide-juridictionnelle-avocat'],
  ['aide juridictionnelle', 'aide-juridictionnelle-avocat'],
  ["aide universelle d'urgence", "aides-financieres"],
  ['RSA', 'aides-financieres'],
  ['hebergement', 'hebergement-urgence-logement'],
  ['enfants', 'enfants-autorite-parentale'],
  ['autorite parentale', 'enfants-autorite-parentale'],
  ['divorce', 'separation-divorce'],
  ['divorse', 'separation-divorce'],
  ['titre de séjour', 'personnes-etrangeres-titre-de-sejour'],
  ['titre de sejour', 'personnes-etrangeres-titre-de-sejour'],
  ['démission', 'travail-emploi'],
  ['chomage', 'travail-emploi'],
  ['preuves', 'preuves'],
  ['logiciel espion', 'cyberviolences-logiciels-espions'],
  ['cyberviolences', 'cyberviolences-logiciels-espions'],
  ['violences sexuelles', 'violences-sexuelles-couple'],
  ['bracelet anti-rapprochement', 'teleprotection-bracelet'],
  ['téléphone grave danger', 'teleprotection-bracelet'],
  ['TÉMOIN', 'temoin-proche'],
  ['emprise', 'controle-coercitif-emprise'],
  ['controle coercitif', 'controle-coercitif-emprise'],
  ["numéros d'urgence", "numeros-urgence"],
  ['quitter le domicile', 'quitter-le-domicile'],
  ['abandon de domicile', 'quitter-le-domicile'],
  ['hopital', 'deposer-plainte-hopital'],
  ['mineur', 'jeunes-mineurs'],
  ['procureur', 'suivi-apres-plainte'],
  ['violences economiques', 'violences-economiques-administratives'],
  ['psychologue', 'sante-soins-psychologiques'],
  ['éviction', 'eviction-conjoint-violent'],
  ];

  test(`search table: ${kSearchTable.length} queries find their sheet in the top 3`, async () => {
    assert.ok(kSearchTable.length >= 30);
    const misses = [];
    for (const [query, expected] of kSearchTable) {
      const response = await search(query);
      assert.equal(response.status, 200, query);
      const found = [...response.body.matchAll(/<li class="app-sheet-list__item"><a href="\/fiches\/([^"]+)"/g)]
        .map((m) => m[1]);
      if (!found.slice(0, 3).includes(expected)) misses.push(`${query} → ${found.slice(0, 3).join(', ') || 'nothing'} (expected ${expected})`);
    }
    assert.deepEqual(misses, []);
  });

  test('translated sheets (English, Arabic) render in their language and their links keep the language', async () => {
    for (const [locale, dir] of [['en', 'ltr'], ['ar', 'rtl']]) {
      const slugs = readdirSync(join(repoRoot, `content/sheets/${locale}`))
        .filter((f) => f.endsWith('.md')).map((f) => f.replace(/\.md$/, ''));
      assert.ok(slugs.length >= 10, `${locale}: ${slugs.length} translated sheets (at least 10 expected)`);
      const index = await get(`/${locale}/fiches`);
      for (const slug of slugs) {
        const page = await get(`/${locale}/fiches/${slug}`);
        assert.equal(page.status, 200, `${locale}/${slug}`);
        assert.match(page.body, new RegExp(`<html lang="${locale}" dir="${dir}">`), `${locale}/${slug}`);
        assert.doesNotMatch(page.body, /app-untranslated/, `${locale}/${slug} is marked untranslated`);
        const main = page.body.slice(page.body.indexOf('<main'), page.body.indexOf('</main>'));
        assert.doesNotMatch(main, /href="\/fiches\//, `${locale}/${slug} links to a French sheet`);
        for (const [, href] of page.body.matchAll(new RegExp(`href="(/${locale}/fiches/[^"#]+)"`, 'g'))) {
          assert.equal((await get(href)).status, 200, `${locale}/${slug} links to ${href}`);
        }
        assert.ok(index.body.includes(`href="/${locale}/fiches/${slug}"`), `${slug} missing from /${locale}/fiches`);
      }
    }
  });
});
