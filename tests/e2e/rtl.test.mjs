// Arabic pages are laid out right to left: the page direction is rtl and the layout is the mirror
// of the French one. Screenshots of both are written to build/e2e-screenshots/ for a human look,
// and the test compares the boxes of the header, the quick exit and the text.

import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, test } from 'node:test';

import { VIEWPORTS, launchBrowser } from './browser.mjs';
import { repoRoot, startServer } from './server.mjs';

const kShots = join(repoRoot, 'build', 'e2e-screenshots');
let server;
let browser;

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
  await mkdir(kShots, { recursive: true });
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

// Where the main blocks sit, as fractions of the viewport width (0 = left edge, 1 = right edge).
async function layoutOf(page, width) {
  return page.evaluate((width) => {
    const box = (selector) => {
      const r = document.querySelector(selector).getBoundingClientRect();
      return { left: r.left / width, right: r.right / width };
    };
    return {
      dir: getComputedStyle(document.documentElement).direction,
      name: box('.app-header__name'),
      help: box('.app-header__help button'),
      heading: box('main h1'),
      headingAlign: getComputedStyle(document.querySelector('main h1')).textAlign,
    };
  }, width);
}

for (const viewport of VIEWPORTS) {
  test(`Arabic pages are mirrored at ${viewport.width}×${viewport.height}`, { timeout: 60_000 }, async () => {
    const context = await browser.newContext({ viewport: { width: viewport.width, height: viewport.height } });
    try {
      const page = await context.newPage();
      for (const path of ['/', '/fiches/porter-plainte']) {
        await page.goto(`${server.baseUrl}${path}`);
        const french = await layoutOf(page, viewport.width);
        await page.screenshot({ path: join(kShots, `fr${path.replaceAll('/', '_')}-${viewport.name}.png`) });
        await page.goto(`${server.baseUrl}/ar${path}`);
        const arabic = await layoutOf(page, viewport.width);
        await page.screenshot({ path: join(kShots, `ar${path.replaceAll('/', '_')}-${viewport.name}.png`) });

        assert.equal(french.dir, 'ltr', path);
        assert.equal(arabic.dir, 'rtl', `/ar${path}`);
        // The site name starts the header: left in French, right in Arabic.
        assert.ok(french.name.left < 0.5, `${path}: French site name on the left`);
        assert.ok(arabic.name.right > 0.5, `/ar${path}: Arabic site name on the right`);
        // The name and the help button swap sides.
        assert.ok(french.name.left < french.help.left, `${path}: name before help, left to right`);
        assert.ok(arabic.name.right > arabic.help.right, `/ar${path}: name before help, right to left`);
        // The heading starts from the right edge in Arabic.
        assert.ok(['start', 'right'].includes(arabic.headingAlign), `/ar${path}: h1 aligned ${arabic.headingAlign}`);
        assert.ok(Math.abs(1 - arabic.heading.right - french.heading.left) < 0.05,
          `/ar${path}: the heading's right margin mirrors the French left margin`);
      }
    } finally {
      await context.close();
    }
  });
}

// A phone number of several groups must read left to right inside Arabic text: "116 006", not
// "006 116" (the space between two numbers takes the paragraph's direction unless isolated).
// Measured on screen: every occurrence of each group sequence, its first group left of its last.
test('phone numbers keep their digit order on Arabic pages', { timeout: 60_000 }, async () => {
  const page = await browser.newPage();
  try {
    const checked = {};
    for (const path of ['/ar/aide', '/ar/fiches/numeros-urgence', '/ar/fiches/qui-peut-m-aider', '/ar/temoin',
      '/ar/ressources', '/ar/mentions-legales']) {
      const response = await page.goto(`${server.baseUrl}${path}`);
      assert.equal(response.status(), 200, path);
      const found = await page.evaluate(() => {
        const out = [];
        const walker = document.createTreeWalker(document.querySelector('main'), NodeFilter.SHOW_TEXT);
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
          for (const match of node.data.matchAll(/\d+(?: \d+)+/g)) {
            const groups = match[0].split(' ');
            const at = (offset, length) => {
              const range = document.createRange();
              range.setStart(node, offset);
              range.setEnd(node, offset + length);
              return range.getBoundingClientRect();
            };
            const first = at(match.index, groups[0].length);
            const last = at(match.index + match[0].length - groups.at(-1).length, groups.at(-1).length);
            if (first.width === 0 || Math.abs(first.top - last.top) > 2) continue;  // hidden or wrapped
            out.push({ number: match[0], inOrder: first.left < last.left });
          }
        }
        return out;
      });
      checked[path] = found;
    }
    const reversed = Object.entries(checked).flatMap(([path, found]) =>
      found.filter((f) => !f.inOrder).map((f) => `${path}: ${f.number}`));
    assert.deepEqual(reversed, []);
    assert.ok(checked['/ar/aide'].some((f) => f.number === '116 006'), 'the start page shows 116 006');
    assert.ok(checked['/ar/fiches/numeros-urgence'].some((f) => f.number === '0800 235 236'), 'the sheet shows 0800 235 236');
  } finally {
    await page.close();
  }
});
