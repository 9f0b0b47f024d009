// The quick exit ("Cacher le site"): by click, by Shift pressed 3 times, by the skip link, at a
// phone and a desktop size. Each time the page must blank itself (overlay) before it leaves, and
// leave through /sortie (303 + Clear-Site-Data) to the neutral site.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { VIEWPORTS, launchBrowser } from './browser.mjs';
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

const kTestTimeout = { timeout: 60_000 };

// Runs in the page before its own scripts: reports the overlay the moment quick-exit.js adds it,
// from inside the page, because Playwright cannot evaluate in a page whose navigation is pending.
function watchForOverlay() {
  const inspect = (overlay) => {
    const rect = overlay.getBoundingClientRect();
    const style = getComputedStyle(overlay);
    const probes = [
      [1, 1],
      [innerWidth / 2, innerHeight / 2],
      [innerWidth - 2, innerHeight - 2],
    ];
    return {
      present: true,
      coversViewport: rect.left <= 0 && rect.top <= 0 && rect.right >= innerWidth && rect.bottom >= innerHeight,
      onTop: probes.every(([x, y]) => document.elementFromPoint(x, y) === overlay),
      visible: style.display !== 'none' && style.visibility === 'visible' && style.opacity === '1',
      background: style.backgroundColor,
    };
  };
  new MutationObserver((records) => {
    for (const record of records) {
      for (const node of record.addedNodes) {
        if (node.nodeType === Node.ELEMENT_NODE && node.classList.contains('app-quick-exit__overlay')) {
          window.reportOverlay(inspect(node));
        }
      }
    }
  }).observe(document, { childList: true, subtree: true });
}

// A fresh context (no shared state between tests) that records every request to /sortie and
// every overlay the page shows.
async function openPage(viewport) {
  const context = await browser.newContext({ viewport: { width: viewport.width, height: viewport.height } });
  const overlays = [];
  const overlayWaiters = [];
  await context.exposeFunction('reportOverlay', (state) => {
    overlays.push(state);
    for (const wake of overlayWaiters.splice(0)) wake();
  });
  await context.addInitScript(watchForOverlay);
  const page = await context.newPage();
  const exitRequests = [];
  page.on('request', (request) => {
    if (new URL(request.url()).pathname === '/sortie') exitRequests.push(request);
  });
  const nextOverlay = () =>
    overlays.length ? Promise.resolve() : new Promise((resolve) => overlayWaiters.push(resolve));
  return { context, page, exitRequests, overlays, nextOverlay };
}

function withTimeout(promise, ms, what) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

// Runs `action`, holds the navigation to /sortie until the page has reported its overlay, then
// lets it go and checks where the browser ends up.
async function exitAndCheck({ page, exitRequests, overlays, nextOverlay }, action) {
  let arrived;
  const atExit = new Promise((resolve) => {
    arrived = resolve;
  });
  let release;
  const released = new Promise((resolve) => {
    release = resolve;
  });
  const historyBefore = await page.evaluate(() => history.length);
  await page.route('**/sortie', async (route) => {
    arrived();
    await released;
    await route.continue();
  });

  // Playwright's input actions wait for the navigations they start: let the action run while the
  // navigation is held, and wait for it only once released.
  const acting = action();
  try {
    await withTimeout(atExit, 5_000, 'the navigation to /sortie');
    await withTimeout(nextOverlay(), 5_000, 'the overlay');
  } finally {
    release();
    await acting;
  }

  await page.waitForURL(server.exitDestination, { timeout: 10_000 });
  assert.deepEqual(
    overlays,
    [{ present: true, coversViewport: true, onTop: true, visible: true, background: 'rgb(255, 255, 255)' }],
    'a white overlay covered the page before it left',
  );
  assert.equal(await page.textContent('body'), 'neutre');

  assert.equal(exitRequests.length, 1, 'exactly one request to /sortie');
  const exitResponse = await exitRequests[0].response();
  assert.ok(exitResponse, '/sortie answered');
  assert.equal(exitResponse.status(), 303);
  const headers = await exitResponse.allHeaders();
  assert.equal(headers.location, server.exitDestination);
  assert.match(headers['clear-site-data'] ?? '', /"cache"/);
  assert.match(headers['clear-site-data'] ?? '', /"cookies"/);
  assert.match(headers['clear-site-data'] ?? '', /"storage"/);

  // location.replace(): the neutral site took the place of the page that was left in this tab's
  // history (a plain link would have added an entry).
  assert.equal(await page.evaluate(() => history.length), historyBefore);
}

for (const viewport of VIEWPORTS) {
  describe(`quick exit at ${viewport.width}×${viewport.height}`, () => {
    test('clicking "Cacher le site" blanks the page and leaves for the neutral site', kTestTimeout, async () => {
      const session = await openPage(viewport);
      try {
        await session.page.goto(`${server.baseUrl}/`);
        const button = session.page.locator('.app-quick-exit__button');
        assert.equal((await button.textContent()).trim(), 'Cacher le site');
        await exitAndCheck(session, () => button.click());
      } finally {
        await session.context.close();
      }
    });

    test('pressing Shift 3 times leaves', kTestTimeout, async () => {
      const session = await openPage(viewport);
      try {
        await session.page.goto(`${server.baseUrl}/securite-en-ligne`);
        await exitAndCheck(session, async () => {
          for (let i = 0; i < 3; i++) await session.page.keyboard.press('Shift');
        });
      } finally {
        await session.context.close();
      }
    });

    test('the first Tab reaches the exit skip link, and Enter leaves', kTestTimeout, async () => {
      const session = await openPage(viewport);
      try {
        await session.page.goto(`${server.baseUrl}/aide`);
        await session.page.keyboard.press('Tab');
        const focused = await session.page.evaluate(() => ({
          classes: [...document.activeElement.classList],
          text: document.activeElement.textContent.trim(),
          href: document.activeElement.getAttribute('href'),
        }));
        assert.ok(focused.classes.includes('app-skip-exit'), `first focus is the exit skip link, got ${JSON.stringify(focused)}`);
        assert.equal(focused.text, 'Cacher le site et quitter maintenant');
        assert.equal(focused.href, '/sortie');
        await exitAndCheck(session, () => session.page.keyboard.press('Enter'));
      } finally {
        await session.context.close();
      }
    });
  });
}

describe('Shift presses that must not leave', () => {
  const viewport = VIEWPORTS[1];

  test('Shift pressed twice does not leave', kTestTimeout, async () => {
    const { context, page, exitRequests, overlays } = await openPage(viewport);
    try {
      await page.goto(`${server.baseUrl}/`);
      await page.keyboard.press('Shift');
      await page.keyboard.press('Shift');
      await page.waitForTimeout(500);
      assert.equal(exitRequests.length, 0);
      assert.deepEqual(overlays, []);
      assert.equal(new URL(page.url()).pathname, '/');
    } finally {
      await context.close();
    }
  });

  test('another key between Shift presses starts the count again', kTestTimeout, async () => {
    const { context, page, exitRequests, overlays } = await openPage(viewport);
    try {
      await page.goto(`${server.baseUrl}/`);
      await page.keyboard.press('Shift');
      await page.keyboard.press('Shift');
      await page.keyboard.press('a');
      await page.keyboard.press('Shift');
      await page.waitForTimeout(500);
      assert.equal(exitRequests.length, 0);
      assert.deepEqual(overlays, []);
    } finally {
      await context.close();
    }
  });

  test('holding Shift down (key repeat) counts as one press', kTestTimeout, async () => {
    const { context, page, exitRequests, overlays } = await openPage(viewport);
    try {
      await page.goto(`${server.baseUrl}/`);
      await page.keyboard.down('Shift');
      await page.keyboard.down('Shift'); // a repeated keydown while the key is held
      await page.keyboard.down('Shift');
      await page.keyboard.up('Shift');
      await page.waitForTimeout(500);
      assert.equal(exitRequests.length, 0);
    } finally {
      await context.close();
    }
  });

  test('3 Shift presses spread over more than 5 seconds do not leave; 3 quick ones then do', kTestTimeout, async () => {
    const session = await openPage(viewport);
    const { context, page, exitRequests, overlays } = session;
    try {
      await page.clock.install();
      await page.goto(`${server.baseUrl}/`);
      await page.keyboard.press('Shift');
      await page.clock.runFor(3_000);
      await page.keyboard.press('Shift');
      await page.clock.runFor(2_500); // 5.5 s after the first press: the count went back to 0
      await page.keyboard.press('Shift');
      await page.waitForTimeout(300);
      assert.equal(exitRequests.length, 0, 'slow presses do not leave');
      assert.deepEqual(overlays, []);

      // The press above counts as the first of a new series: two more within 5 s leave.
      await page.clock.runFor(1_000);
      await exitAndCheck(session, async () => {
        await page.keyboard.press('Shift');
        await page.keyboard.press('Shift');
      });
    } finally {
      await context.close();
    }
  });
});
