// The shell around every public page: the quick exit stays on screen, the help button, the
// navigation, a description and the emergency numbers are there (once); the home page leads to
// everything in one tap; the chrome stays compact on a phone (issue 10 §6).

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
              emergency: [...document.querySelectorAll('.app-emergency a, main a[href^="tel:"], main a[href^="sms:"]')]
                .filter(visible)
                .map((a) => a.getAttribute('href'))
                .filter((href) => ['tel:17', 'sms:114', 'tel:115', 'tel:3919', 'tel:119'].includes(href))
                .filter((href, i, all) => all.indexOf(href) === i),
              bandShown: visible(document.querySelector('.app-emergency__list')),
              navigation: [...document.querySelectorAll('nav.app-service-nav a')].filter(visible).map((a) => a.getAttribute('href')),
              description: (document.querySelector('meta[name="description"]')?.content ?? '').length > 50,
              footer: [...document.querySelectorAll('footer a:not([hreflang])')].map((a) => a.getAttribute('href')),
              main: document.querySelector('main')?.id,
            };
          }, prefix);
          assert.deepEqual(shell, {
            title: true,
            helpForm: true,
            csrfField: true,
            emergency: ['tel:17', 'sms:114', 'tel:115', 'tel:3919', 'tel:119'],
            // /aide lists the numbers with their explanations: not a second time in the band.
            bandShown: !/^(\/(en|ar))?\/aide$/.test(path),
            navigation: ['/fiches', '/annuaire', '/violentometre', '/temoin'].map((p) => prefix + p),
            description: true,
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

describe('finding things from the home page, on a small screen', () => {
  test('the home page leads to the sheets, the directory, the violentomètre and the witness page in one tap', { timeout: 60_000 }, async () => {
    const context = await browser.newContext({ viewport: VIEWPORTS[0] });
    try {
      const page = await context.newPage();
      for (const prefix of ['', '/en', '/ar']) {
        await page.goto(`${server.baseUrl}${prefix}/`);
        const main = await page.evaluate(() => ({
          cards: [...document.querySelectorAll('main .app-card')].map((card) => card.querySelector('a')?.getAttribute('href')),
          links: [...document.querySelectorAll('main a')].map((a) => a.getAttribute('href')),
          search: document.querySelector('main form[role="search"]')?.getAttribute('action'),
        }));
        assert.deepEqual(main.cards, ['/fiches', '/aide', '/annuaire', '/violentometre'].map((p) => prefix + p), prefix);
        assert.ok(main.links.includes(`${prefix}/temoin`), `${prefix}/: the witness page`);
        assert.equal(main.search, `${prefix}/fiches/recherche`);
        // A whole card can be tapped, not only its title.
        const card = page.locator('main .app-card').nth(2);
        await card.scrollIntoViewIfNeeded();
        const box = await card.boundingBox();
        await Promise.all([page.waitForURL(`${server.baseUrl}${prefix}/annuaire`), page.mouse.click(box.x + box.width / 2, box.y + box.height - 8)]);
      }
      // The search field finds sheets.
      await page.goto(`${server.baseUrl}/`);
      await page.locator('main input[type="search"]').fill('plainte');
      await Promise.all([page.waitForURL(`${server.baseUrl}/fiches/recherche`), page.locator('main form[role="search"] button').click()]);
      assert.ok(await page.locator('main a[href^="/fiches/"]').count() >= 1);
    } finally {
      await context.close();
    }
  });

  test('on a 360×640 phone the chrome is compact and "Commencer" is on the first screen', { timeout: 60_000 }, async () => {
    const context = await browser.newContext({ viewport: VIEWPORTS[0] });
    try {
      const page = await context.newPage();
      for (const prefix of ['', '/en', '/ar']) {
        await page.goto(`${server.baseUrl}${prefix}/fiches`);
        const chrome = await page.evaluate(() => document.querySelector('main').getBoundingClientRect().top);
        assert.ok(chrome <= 290, `${prefix}/fiches: the chrome takes ${chrome} px`);
        assert.ok(await page.locator('.app-quick-exit__button').isVisible());
        assert.ok(await page.locator('header .app-button--help').isVisible());
        await page.goto(`${server.baseUrl}${prefix}/aide`);
        const start = await page.locator('form.app-help-start button').boundingBox();
        assert.ok(start.y + start.height <= 640, `${prefix}/aide: "Commencer" ends at ${start.y + start.height} px`);
      }
    } finally {
      await context.close();
    }
  });

  test('the follow-up code, panels and the warning button have their styles', { timeout: 60_000 }, async () => {
    const context = await browser.newContext({ viewport: VIEWPORTS[0] });
    try {
      const page = await context.newPage();
      await page.goto(`${server.baseUrl}/fiches`);
      const styles = await page.evaluate(() => {
        const main = document.querySelector('main');
        main.insertAdjacentHTML('afterbegin', '<div class="app-panel app-panel--confirmation" id="t-panel"><p>x</p></div>'
          + '<p class="app-code" id="t-code"><strong>ABCD-EFGH-JKMN</strong></p>'
          + '<button class="app-button app-button--warning" id="t-warning">x</button><button class="app-button" id="t-main">y</button>');
        const style = (id) => getComputedStyle(document.getElementById(id));
        return {
          panelBorder: parseFloat(style('t-panel').borderTopWidth) > 0,
          codeSize: parseFloat(style('t-code').fontSize) >= 24,
          codeSpacing: parseFloat(style('t-code').letterSpacing) > 0,
          codeMonospace: /mono/i.test(style('t-code').fontFamily),
          warningDiffers: style('t-warning').backgroundColor !== style('t-main').backgroundColor,
        };
      });
      assert.deepEqual(styles, { panelBorder: true, codeSize: true, codeSpacing: true, codeMonospace: true, warningDiffers: true });
    } finally {
      await context.close();
    }
  });

  test('a sheet not translated yet is shown in French with a notice in her language', { timeout: 60_000 }, async () => {
    const context = await browser.newContext({ viewport: VIEWPORTS[0] });
    try {
      const page = await context.newPage();
      const response = await page.goto(`${server.baseUrl}/ar/fiches/preuves`);
      assert.equal(response.status(), 200);
      assert.equal(await page.locator('html').getAttribute('lang'), 'ar');
      assert.equal(await page.locator('main article.app-sheet').getAttribute('lang'), 'fr');
      assert.match(await page.locator('main .app-untranslated').textContent(), /[\u0600-\u06FF]/, 'the notice in Arabic');
      assert.match(await page.locator('meta[name="description"]').getAttribute('content'), /\w{10}/);
      // The list offers it too, marked as French.
      await page.goto(`${server.baseUrl}/en/fiches`);
      const french = page.locator('main a[href="/en/fiches/preuves"]');
      assert.equal(await french.getAttribute('lang'), 'fr');
      assert.ok(await page.locator('main a[href="/en/fiches/porter-plainte"]:not([lang])').count() === 1, 'a translated sheet stays in English');
    } finally {
      await context.close();
    }
  });

  test('directory cards are short, and a confidential shelter is "in the commune"', { timeout: 60_000 }, async () => {
    const context = await browser.newContext({ viewport: VIEWPORTS[0] });
    try {
      const page = await context.newPage();
      await page.goto(`${server.baseUrl}/annuaire?commune=75010`);
      const heights = await page.locator('.app-annuaire-result').evaluateAll((cards) => cards.map((c) => c.getBoundingClientRect().height));
      assert.ok(heights.length >= 3);
      // About 540 px before the redesign. A card's opening line depends on the hour of the run
      // ("ouvert jusqu'à…", "ouvre lundi à…"), which can wrap to one more line: hence the margin
      // (a card of 331 px failed a 330 px bound on a Sunday night).
      assert.ok(Math.max(...heights) < 380, `cards of ${heights.map(Math.round).join(', ')} px`);
      const shelter = page.locator('.app-annuaire-result[data-href="/annuaire/p10-hebergement-s1"]');
      const text = await shelter.textContent();
      assert.match(text, /dans la commune/);
      assert.doesNotMatch(text, /\d+ m \(centre de la commune\)/);
    } finally {
      await context.close();
    }
  });
});
