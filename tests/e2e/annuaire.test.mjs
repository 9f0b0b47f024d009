// /annuaire in a real browser: the list and its filters work with JavaScript disabled, the detail
// pages and the list have no axe violation (WCAG 2.1 A/AA), and with JavaScript the commune
// autocomplete fills in without breaking the Content-Security-Policy.

import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { after, before, describe, test } from 'node:test';

import { VIEWPORTS, launchBrowser } from './browser.mjs';
import { startServer } from './server.mjs';

const require = createRequire(import.meta.url);
const axeSource = await readFile(require.resolve('axe-core/axe.min.js'), 'utf8');
const kTags = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
const kTestTimeout = { timeout: 60_000 };

// The list, an unknown commune, a detail page and a confidential shelter's detail page.
const kPages = [
  '/annuaire',
  '/annuaire?commune=75010',
  '/annuaire?commune=Atlantide',
  '/annuaire/p10-cidff-s1',
  '/annuaire/p10-hebergement-s1',
];

let server;
let browser;

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

describe('annuaire without JavaScript', () => {
  test('the GET form finds services near a postal code, and a result opens its detail page', kTestTimeout, async () => {
    const context = await browser.newContext({ javaScriptEnabled: false, viewport: VIEWPORTS[0] });
    try {
      const page = await context.newPage();
      await page.goto(`${server.baseUrl}/annuaire`);
      await page.fill('#annuaire-commune', '75010');
      await page.selectOption('#annuaire-categorie', 'legal-advice');
      await page.check('#annuaire-gratuit');
      await Promise.all([page.waitForURL(/\/annuaire\?/), page.click('.app-annuaire-form button[type="submit"]')]);
      const url = new URL(page.url());
      assert.equal(url.searchParams.get('commune'), '75010');
      assert.equal(url.searchParams.get('categorie'), 'legal-advice');
      assert.equal(url.searchParams.get('gratuit'), '1');
      const results = page.locator('.app-annuaire-result');
      assert.ok(await results.count() >= 1, 'at least one result');
      assert.match(await results.first().textContent(), /Information juridique/);
      assert.equal(await page.locator('.app-annuaire__map').count(), 0, 'no map without tiles configured');
      const name = (await results.first().locator('h3 a').textContent()).trim();
      await Promise.all([page.waitForURL(/\/annuaire\/[^/?]+$/), results.first().locator('h3 a').click()]);
      assert.equal((await page.locator('h1').textContent()).trim(), name);
      assert.ok(await page.locator('a[href^="tel:"]').count() >= 1);
    } finally {
      await context.close();
    }
  });

  test('an unknown commune shows an error linked to the field', kTestTimeout, async () => {
    const context = await browser.newContext({ javaScriptEnabled: false, viewport: VIEWPORTS[0] });
    try {
      const page = await context.newPage();
      const response = await page.goto(`${server.baseUrl}/annuaire?commune=Atlantide`);
      assert.equal(response.status(), 200);
      assert.match(await page.locator('[role="alert"]').textContent(), /Nous ne trouvons pas la commune/);
      assert.equal(await page.getAttribute('#annuaire-commune', 'aria-invalid'), 'true');
    } finally {
      await context.close();
    }
  });
});

describe('annuaire with JavaScript', () => {
  test('the commune field gets suggestions, with no CSP violation or script error', kTestTimeout, async () => {
    const context = await browser.newContext({ viewport: VIEWPORTS[1] });
    try {
      const page = await context.newPage();
      const problems = [];
      page.on('pageerror', (error) => problems.push(error.message));
      page.on('console', (message) => { if (message.type() === 'error') problems.push(message.text()); });
      await page.goto(`${server.baseUrl}/annuaire`);
      await page.fill('#annuaire-commune', 'montreuil');
      await page.waitForFunction(() => document.querySelectorAll('#annuaire-communes option').length > 0,
        null, { timeout: 5_000 });
      const labels = await page.$$eval('#annuaire-communes option', (options) => options.map((o) => o.value));
      assert.ok(labels.includes('Montreuil-sur-Mer (62170)'), labels.join(', '));
      await page.fill('#annuaire-commune', 'Montreuil-sur-Mer (62170)');
      await Promise.all([page.waitForURL(/commune=/), page.press('#annuaire-commune', 'Enter')]);
      assert.match(await page.locator('.app-annuaire__summary').textContent(), /Montreuil-sur-Mer/);
      assert.deepEqual(problems, []);
    } finally {
      await context.close();
    }
  });
});

for (const viewport of VIEWPORTS) {
  describe(`annuaire accessibility at ${viewport.width}×${viewport.height}`, () => {
    for (const path of kPages) {
      test(`${path} has no axe violation`, kTestTimeout, async () => {
        const context = await browser.newContext({ viewport: { width: viewport.width, height: viewport.height } });
        try {
          const page = await context.newPage();
          const response = await page.goto(`${server.baseUrl}${path}`);
          assert.equal(response.status(), 200, path);
          await page.evaluate(axeSource);
          const result = await page.evaluate(
            (tags) => window.axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] }),
            kTags,
          );
          assert.ok(result.passes.length > 0, 'axe ran its rules');
          const details = result.violations
            .map((v) => `${v.id}: ${v.help}\n${v.nodes.map((n) => `    ${n.target.join(' ')}`).join('\n')}`).join('\n');
          assert.equal(result.violations.length, 0, `axe violations on ${path}:\n${details}`);
        } finally {
          await context.close();
        }
      });
    }
  });
}
