// The territory console in Chromium (issue 11, docs/territory-console.md), on the real binary:
//  - an operator, invited with `passerelle user add` and signed in with the keyboard's TOTP,
//    creates "Paris 18e"-like territory "Baie d'Authie" from communes found by a search of the
//    gazetteer (checked in bulk), after a refused attempt that names the field;
//  - two referrals sent by victims show in the statistics of their territory;
//  - every console page type (local sheets included: list, form refused, preview), with its error states: axe-core (0 violations, phone and desktop
//    sizes) and the Nu Html Checker (0 errors).

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { VIEWPORTS, launchBrowser } from './browser.mjs';
import { ProAccount, pageAudit, sendReferral, submit, userAdd } from './pro-helpers.mjs';
import { startServer } from './server.mjs';

const kTimeout = { timeout: 240_000 };

// `count` organisations of the 10e for the import, one row each (over the 256 KiB that is checked
// while the request waits: the upload gets the progress page).
function largeCensusCsv(count) {
  let text = 'organization_id,organization_name,service_id,service_name,categories,location_id,address,'
    + 'postal_code,city,insee_code,latitude,longitude\n';
  for (let i = 1; i <= count; ++i) {
    text += `org-e2e-${i},Permanence de recensement ${i},svc-e2e-${i},Conseil juridique ${i},legal-advice,`
      + `loc-e2e-${i},${i} rue du Recensement,75010,Paris,75110,48.87,2.35\n`;
  }
  return text;
}

let server;
let browser;

before(async () => {
  // The lowest threshold (2): the two referrals of the test are shown as a figure, not as "< 5".
  server = await startServer({ extraArgs: ['--jobs-interval', '0', '--small-count-threshold', '2'] });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

describe('the territory console', () => {
  test('an operator creates a territory and every console page passes axe and the Nu checker', kTimeout, async () => {
    const { check, assertClean } = pageAudit();

    for (const codeWord of ['tulipe', 'glycine']) {
      await sendReferral(server.baseUrl, {
        serviceId: 'p10-avip-s1', needText: 'Un conseil', codeWord, contactDetail: '06 98 76 54 32',
      });
    }

    const context = await browser.newContext({ viewport: VIEWPORTS[0] });
    try {
      const page = await context.newPage();
      const main = page.locator('main');
      const visit = async (name, path, status = 200) => check(name, page, await page.goto(`${server.baseUrl}${path}`), status);

      const operator = new ProAccount('operateur@passerelle.test');
      const invited = await userAdd(server, operator.email, ['--role', 'operator']);
      await operator.enrol(page, server.baseUrl, invited.path);
      await operator.signIn(page, server.baseUrl);

      // --- a new territory, from the list of territories ---
      await visit('territories', '/pro/territoires');
      await check('new territory', page, await submit(page, main.getByRole('link', { name: 'Créer un territoire' })));
      await main.getByLabel('Identifiant').fill('baie-authie');
      await check('new territory: refused', page,
        await submit(page, main.getByRole('button', { name: 'Créer le territoire' })), 400);
      assert.match(await main.locator('.app-error-summary').textContent(), /nom est obligatoire/);
      await main.getByLabel('Nom', { exact: true }).fill('Baie d’Authie');
      await main.getByLabel('Site neutre de la sortie rapide').fill('https://meteofrance.com/');
      await main.getByLabel('Chercher des communes').fill('62180');
      await check('new territory: search', page, await submit(page, main.getByRole('button', { name: 'Chercher' })));
      const results = main.locator('input[name="result"]');
      const found = await results.count();
      assert.ok(found >= 3, `communes found for 62180: ${found}`);
      // Results come checked: keep three.
      for (let i = 0; i < found; ++i) await results.nth(i).setChecked(i < 3);
      await submit(page, main.getByRole('button', { name: 'Ajouter les communes cochées' }));
      assert.equal(await main.locator('input[name="commune"]').count(), 3, 'three communes in the territory');
      await submit(page, main.getByRole('button', { name: /Proposer le centre et le rayon/ }));
      assert.notEqual(await main.getByLabel('Latitude du centre, en degrés').inputValue(), '');
      const created = await submit(page, main.getByRole('button', { name: 'Créer le territoire' }));
      assert.equal(created.status(), 200);
      await page.goto(`${server.baseUrl}/pro/territoires`);
      assert.match(await main.textContent(), /Baie d’Authie/);
      await visit('hub (new territory)', '/pro/territoires/baie-authie');
      await visit('edit territory', '/pro/territoires/baie-authie/modifier');

      // --- the console of the 10e ---
      await visit('hub', '/pro/territoires/paris-10');
      await visit('local settings', '/pro/territoires/paris-10/parametres');
      await visit('actors', '/pro/territoires/paris-10/acteurs');
      await visit('new actor', '/pro/territoires/paris-10/acteurs/nouveau');
      await check('new actor: refused', page,
        await submit(page, main.getByRole('button', { name: /Enregistrer/ }).first()), 400);
      await visit('actor', '/pro/territoires/paris-10/acteurs/p10-avip');
      await visit('import', '/pro/territoires/paris-10/import');
      // The progress page (docs/territory-console.md "Progress"): a file of 3,000 organisations is
      // checked off the request thread while the page refreshes itself every 2 s (meta refresh).
      await main.getByLabel('Fichier des acteurs').setInputFiles(
        { name: 'gros.csv', mimeType: 'text/csv', buffer: Buffer.from(largeCensusCsv(3000)) });
      const progress = await submit(page, main.getByRole('button', { name: 'Voir ce que le fichier change' }));
      // Keep the page audited as served: its own refresh (2 s later) answers 204, which leaves the
      // document in place, instead of loading the next state while axe runs.
      const refresh = /\/import\?envoi=[0-9a-f]{32}$/;
      await page.route(refresh, (route) => route.fulfill({ status: 204 }));
      const served = await progress.text();
      assert.match(served, /<meta http-equiv="refresh" content="2">/, 'the check still runs');
      assert.match(await main.locator('[data-stop-refresh]').getAttribute('href'), /&auto=non$/,
        'the page offers to stop its refresh');
      // axe's `meta-refresh` rule flags any timed refresh. WCAG 2.2.1 (Timing Adjustable) allows one
      // that the user can turn off, as this page does ("Arrêter la mise à jour automatique", its
      // `&auto=non` page has no refresh: tests/integration/console-import.test.mjs): that one rule
      // is off for this one page state.
      await check('import: progress', page, progress, 200, { disabledRules: ['meta-refresh'] });
      await page.unroute(refresh);
      await visit('members', '/pro/territoires/paris-10/membres');
      await visit('invite', '/pro/territoires/paris-10/organisations/p10-avip/inviter');
      await visit('freshness', '/pro/territoires/paris-10/fraicheur');
      await visit('statistics', '/pro/territoires/paris-10/statistiques?period=month');
      const sent = main.locator('[data-stat-table] tr', { hasText: 'Demandes envoyées aux professionnels' }).first();
      assert.equal((await sent.locator('td').last().textContent()).trim(), '2', 'the two referrals sent in the test');
      await visit('statistics: bad period', '/pro/territoires/paris-10/statistiques?period=custom&du=2026-13-01&au=x', 400);
      await visit('statistics summary', '/pro/territoires/paris-10/statistiques/synthese');
      await visit('national statistics', '/pro/statistiques');
      await visit('audit log', '/pro/territoires/paris-10/journal');
      await visit('audit log (all)', '/pro/journal');
      await visit('delays', '/pro/territoires/paris-10/delais');
      // Local sheets (docs/territory-console.md "Local sheets"): the list, the form refused on a
      // field, the preview rendered by the public sheet's template, the Arabic form.
      await visit('local sheets', '/pro/territoires/paris-10/fiches');
      await visit('local sheet', '/pro/territoires/paris-10/fiches?langue=fr&fiche=porter-plainte');
      await main.getByLabel('Date de rédaction').fill('23/11/2026');
      await check('local sheet: refused', page, await submit(page, main.getByRole('button', { name: 'Prévisualiser' })), 400);
      assert.match(await main.locator('.app-error-summary').textContent(), /Date de rédaction : date invalide/);
      await main.getByLabel('Date de rédaction').fill('2026-11-23');
      await check('local sheet: preview', page, await submit(page, main.getByRole('button', { name: 'Prévisualiser' })));
      assert.match(await main.locator('[data-sheet-preview]').textContent(), /À retenir/);
      await visit('new local sheet', '/pro/territoires/paris-10/fiches?langue=fr&nouvelle=1');
      await visit('local sheet (Arabic)', '/pro/territoires/paris-10/fiches?langue=ar&fiche=porter-plainte');
    } finally {
      await context.close();
    }
    await assertClean();
  });
});
