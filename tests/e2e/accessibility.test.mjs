// axe-core on every public page, at a phone and a desktop size: no WCAG 2.1 A/AA violation.

import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { after, before, describe, test } from 'node:test';

import { PUBLIC_PAGES, VIEWPORTS, launchBrowser } from './browser.mjs';
import { startServer } from './server.mjs';

const require = createRequire(import.meta.url);
const axeSource = await readFile(require.resolve('axe-core/axe.min.js'), 'utf8');
const kTags = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

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

function describeViolations(violations) {
  return violations
    .map((v) => `${v.id} (${v.impact}): ${v.help}\n${v.nodes.map((n) => `    ${n.target.join(' ')}: ${n.failureSummary}`).join('\n')}`)
    .join('\n');
}

for (const viewport of VIEWPORTS) {
  describe(`accessibility at ${viewport.width}×${viewport.height}`, () => {
    for (const path of PUBLIC_PAGES) {
      test(`${path} has no axe violation`, { timeout: 60_000 }, async () => {
        const context = await browser.newContext({ viewport: { width: viewport.width, height: viewport.height } });
        try {
          const page = await context.newPage();
          await page.goto(`${server.baseUrl}${path}`);
          // Evaluated through the DevTools protocol, so the page's CSP does not apply to it.
          await page.evaluate(axeSource);
          const result = await page.evaluate(
            (tags) => window.axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] }),
            kTags,
          );
          assert.ok(result.passes.length > 0, 'axe ran its rules');
          assert.equal(result.violations.length, 0, `axe violations on ${path}:\n${describeViolations(result.violations)}`);
        } finally {
          await context.close();
        }
      });
    }
  });
}
