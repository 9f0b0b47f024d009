// With JavaScript disabled, the public shell must still do its two jobs: leave quickly, and get
// help.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { VIEWPORTS, launchBrowser } from './browser.mjs';
import { startServer } from './server.mjs';

let server;
let browser;
let context;

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
  context = await browser.newContext({ javaScriptEnabled: false, viewport: VIEWPORTS[0] });
});

after(async () => {
  await context?.close();
  await browser?.close();
  await server?.stop();
});

const kTestTimeout = { timeout: 60_000 };

test('"Cacher le site" is a plain link to /sortie, which leads to the neutral site', kTestTimeout, async () => {
  const page = await context.newPage();
  const exits = [];
  page.on('response', (response) => {
    if (new URL(response.url()).pathname === '/sortie') exits.push(response);
  });
  await page.goto(`${server.baseUrl}/confidentialite`);
  assert.equal(await page.locator('.app-quick-exit__hint').isVisible(), false,
    'the Shift hint stays hidden: without JavaScript Shift does nothing');
  await page.click('.app-quick-exit__button');
  await page.waitForURL(server.exitDestination);
  assert.equal(await page.textContent('body'), 'neutre');
  assert.equal(exits.length, 1);
  assert.equal(exits[0].status(), 303);
  assert.match((await exits[0].allHeaders())['clear-site-data'] ?? '', /"storage"/);
  await page.close();
});

test('the exit skip link works too', kTestTimeout, async () => {
  const page = await context.newPage();
  await page.goto(`${server.baseUrl}/`);
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.className), 'app-skip-link app-skip-exit');
  await page.keyboard.press('Enter');
  await page.waitForURL(server.exitDestination);
  await page.close();
});

test('"J\'ai besoin d\'aide" submits and shows the help page with the emergency numbers', kTestTimeout, async () => {
  const page = await context.newPage();
  await page.goto(`${server.baseUrl}/securite-en-ligne`);
  const posts = [];
  page.on('request', (request) => {
    if (request.method() === 'POST') posts.push(new URL(request.url()).pathname);
  });
  await Promise.all([
    page.waitForURL(`${server.baseUrl}/aide`),
    page.locator('header').getByRole('button', { name: "J'ai besoin d'aide" }).click(),
  ]);
  assert.deepEqual(posts, ['/aide']);
  assert.equal(await page.locator('h1').textContent(), 'J’ai besoin d’aide');
  const hrefs = await page.locator('main a').evaluateAll((links) => links.map((a) => a.getAttribute('href')));
  for (const number of ['tel:17', 'sms:114', 'tel:112', 'tel:115', 'tel:3919', 'tel:119', 'tel:116006']) {
    assert.ok(hrefs.includes(number), `the help page links to ${number}`);
  }
  // The guided questions start from a plain form button.
  assert.equal(await page.locator('main').getByRole('button', { name: 'Commencer' }).count(), 1);
  await page.close();
});
