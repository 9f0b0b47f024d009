// A visitor leaves no trace in the browser and the browser talks to no one else: no cookie, no
// web storage, no request to another host, no Content-Security-Policy violation, no script error.

import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

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

test('public pages and the help button set no cookie, no storage, and reach no other host', { timeout: 120_000 }, async () => {
  const context = await browser.newContext({ viewport: VIEWPORTS[0] });
  const cspViolations = [];
  await context.exposeFunction('reportCspViolation', (violation) => cspViolations.push(violation));
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) => {
      window.reportCspViolation(`${location.pathname}: ${event.violatedDirective} blocked ${event.blockedURI || 'inline'}`);
    });
  });
  const page = await context.newPage();
  const serverHost = new URL(server.baseUrl).host;
  const foreignRequests = [];
  const setCookies = [];
  const headerReads = []; // Set-Cookie is only readable asynchronously
  page.on('request', (request) => {
    const url = new URL(request.url());
    if (url.host !== serverHost) foreignRequests.push(request.url());
  });
  page.on('response', (response) => {
    headerReads.push(
      response.headerValue('set-cookie').then((cookie) => {
        if (cookie) setCookies.push(`${response.url()}: ${cookie}`);
      }),
    );
  });
  const scriptErrors = [];
  page.on('pageerror', (error) => scriptErrors.push(`${page.url()}: ${error.message}`));

  const storageOf = () => page.evaluate(() => ({ local: localStorage.length, session: sessionStorage.length }));
  try {
    for (const path of PUBLIC_PAGES) {
      const response = await page.goto(`${server.baseUrl}${path}`);
      assert.equal(response.status(), path === '/nexiste-pas' ? 404 : 200, `status of ${path}`);
      assert.deepEqual(await storageOf(), { local: 0, session: 0 }, `web storage after ${path}`);
    }

    await page.goto(`${server.baseUrl}/`);
    await Promise.all([
      page.waitForURL(`${server.baseUrl}/aide`),
      page.locator('main').getByRole('button', { name: "J'ai besoin d'aide" }).click(),
    ]);

    await Promise.all(headerReads);
    // One comparison, so that a failure shows every problem at once.
    assert.deepEqual(
      {
        helpPageHeading: await page.locator('h1').textContent(),
        storageAfterHelp: await storageOf(),
        cookies: await context.cookies(),
        setCookieHeaders: setCookies,
        foreignRequests,
        cspViolations,
        scriptErrors,
      },
      {
        helpPageHeading: 'J’ai besoin d’aide',
        storageAfterHelp: { local: 0, session: 0 },
        cookies: [],
        setCookieHeaders: [],
        foreignRequests: [],
        cspViolations: [],
        scriptErrors: [],
      },
    );
  } finally {
    await context.close();
  }
});
