// The shell around every public page: the quick exit stays on screen, and the help button and the
// emergency numbers are there.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { PUBLIC_PAGES, VIEWPORTS, launchBrowser } from './browser.mjs';
import { startServer } from './server.mjs';

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

// The public page with the largest document height at this viewport.
async function longestPage(page) {
  let longest = { path: null, height: 0 };
  for (const path of PUBLIC_PAGES) {
    await page.goto(`${server.baseUrl}${path}`);
    const height = await page.evaluate(() => document.documentElement.scrollHeight);
    if (height > longest.height) longest = { path, height };
  }
  return longest;
}

for (const viewport of VIEWPORTS) {
  describe(`layout at ${viewport.width}×${viewport.height}`, () => {
    test('"Cacher le site" is still on screen and clickable at the bottom of the longest page', { timeout: 60_000 }, async () => {
      const context = await browser.newContext({ viewport: { width: viewport.width, height: viewport.height } });
      try {
        const page = await context.newPage();
        const longest = await longestPage(page);
        assert.ok(longest.height > viewport.height * 2, `the longest page (${longest.path}) scrolls`);
        await page.goto(`${server.baseUrl}${longest.path}`);
        await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
        const state = await page.evaluate(() => {
          const button = document.querySelector('.app-quick-exit__button');
          const rect = button.getBoundingClientRect();
          const x = rect.left + rect.width / 2;
          const y = rect.top + rect.height / 2;
          return {
            scrolled: window.scrollY > 0,
            inViewport: rect.top >= 0 && rect.left >= 0 && rect.bottom <= innerHeight && rect.right <= innerWidth,
            onTop: button.contains(document.elementFromPoint(x, y)),
            bigEnough: rect.height >= 44 && rect.width >= 44,
          };
        });
        assert.deepEqual(state, { scrolled: true, inViewport: true, onTop: true, bigEnough: true }, longest.path);
      } finally {
        await context.close();
      }
    });

    test('every public page has the help button, the emergency numbers and the footer links', { timeout: 60_000 }, async () => {
      const context = await browser.newContext({ viewport: { width: viewport.width, height: viewport.height } });
      try {
        const page = await context.newPage();
        for (const path of PUBLIC_PAGES) {
          await page.goto(`${server.baseUrl}${path}`);
          // Links stay in the page's language: /en/… and /ar/… keep their prefix.
          const prefix = path.match(/^\/(en|ar)\//)?.[0].slice(0, -1) ?? '';
          const shell = await page.evaluate((prefix) => {
            const form = document.querySelector(`header form[action="${prefix}/aide"]`);
            const visible = (element) => element && element.getClientRects().length > 0;
            return {
              title: document.title.endsWith(' – Passerelle'),
              helpForm: form?.method === 'post' && visible(form.querySelector('button[type="submit"]')),
              csrfField: (form?.querySelector('input[type="hidden"][name="_csrf"]')?.value ?? '').length > 0,
              emergency: [...document.querySelectorAll('.app-emergency a')]
                .filter(visible)
                .map((a) => a.getAttribute('href')),
              footer: [...document.querySelectorAll('footer a:not([hreflang])')].map((a) => a.getAttribute('href')),
              main: document.querySelector('main')?.id,
            };
          }, prefix);
          assert.deepEqual(shell, {
            title: true,
            helpForm: true,
            csrfField: true,
            emergency: ['tel:17', 'sms:114', 'tel:115', 'tel:3919', 'tel:119'],
            footer: ['/suivi', '/securite-en-ligne', '/mentions-legales', '/confidentialite', '/accessibilite'].map((p) => prefix + p),
            main: 'contenu',
          }, path);
        }
      } finally {
        await context.close();
      }
    });
  });
}
