// Issue 10 §1: nothing of hers on the device after the quick exit. A fresh persistent Chromium
// profile goes through the whole journey (help questions, report, sending, follow-up, a reply)
// with a canary string in every free field, with JavaScript and again without; then "Cacher le
// site", then the browser is closed. The whole profile folder is searched (binary-safe, also
// UTF-16): no canary, no follow-up code. Then the profile is reopened and Back is pressed as far
// as it goes, accepting any resubmission: none of her data appears.

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, test } from 'node:test';

import { answerQuestions, everythingBackwards, findInFolder, launchProfile, quickExit } from './her-device.mjs';
import { startServer } from './server.mjs';

const run = promisify(execFile);
const kTimeout = { timeout: 240_000 };

let server;
before(async () => { server = await startServer(); });
after(async () => { await server?.stop(); });

// Services that can receive a referral (accepting organization with a key).
async function referrableServices() {
  const { stdout } = await run('sqlite3', [server.db.slice('sqlite:'.length),
    'SELECT s.id FROM service s JOIN organization o ON o.id = s.organization_id '
    + 'JOIN organization_key k ON k.organization_id = o.id WHERE o.accepts_referrals = 1']);
  return new Set(stdout.trim().split('\n'));
}

// From the end of the questions to the follow-up: report, sending, /suivi, a reply.
async function sendAndFollow(page, canary, services) {
  const buttons = page.getByRole('button', { name: 'Préparer ma demande à ce professionnel' });
  const values = await buttons.evaluateAll((all) => all.map((b) => b.value || b.closest('form')?.querySelector('[name=service_id]')?.value));
  const index = values.findIndex((id) => services.has(id));
  assert.ok(index >= 0, `a proposal that can receive a referral among ${values}`);
  await Promise.all([page.waitForURL(/\/aide\/rapport$/), buttons.nth(index).click()]);
  await page.locator('#contact_detail').fill(canary.phone);
  await page.locator('#pseudonym').fill(canary.pseudonym);
  await page.locator('#message').fill(canary.message);
  await page.locator('#consent').check();
  await Promise.all([page.waitForURL(/\/aide\/envoi$/), page.getByRole('button', { name: 'Envoyer ma demande' }).click()]);
  const code = (await page.locator('[data-followup-code]').textContent()).trim();
  assert.match(code, /^[a-z]+-[a-z]+-[a-z]+-\d{4}$/);
  await page.goto(`${server.baseUrl}/suivi`);
  await page.locator('#code').fill(code);
  await Promise.all([page.waitForURL(/\/suivi$/), page.getByRole('button', { name: 'Voir ma demande' }).click()]);
  await page.locator('[data-status]').waitFor();
  await page.locator('#message').fill(canary.reply);
  await page.getByRole('button', { name: 'Envoyer le message' }).click();
  await page.getByText('Votre message a été envoyé').waitFor();
  return code;
}

describe('device trace after the quick exit', () => {
  for (const javaScript of [true, false]) {
    test(`nothing of hers stays in the browser profile, ${javaScript ? 'with' : 'without'} JavaScript`, kTimeout, async (t) => {
      const tag = javaScript ? 'JS' : 'NOJS';
      const canary = {
        need: `CANARYNEED${tag}q7`,
        codeWord: `CANARYWORD${tag}k2`,
        phone: javaScript ? '06 71 93 58 24' : '07 64 28 35 19',
        pseudonym: `CANARYNAME${tag}w4`,
        message: `CANARYMSG${tag}z9`,
        reply: `CANARYREPLY${tag}x3`,
      };
      const profile = await mkdtemp(join(tmpdir(), 'passerelle-profile-'));
      try {
        const services = await referrableServices();
        let context = await launchProfile(profile, javaScript);
        const page = context.pages()[0] ?? await context.newPage();
        await answerQuestions(page, server.baseUrl, canary, javaScript);
        const code = await sendAndFollow(page, canary, services);
        await quickExit(page, server.exitDestination);
        await context.close();

        // Every free field, the help questions' included (their pages are Post/Redirect/Get too).
        const needles = [...Object.values(canary), code, code.replaceAll('-', ' '), canary.phone.replaceAll(' ', '')];
        assert.deepEqual(await findInFolder(profile, needles), [], 'the profile folder holds none of her data');

        context = await launchProfile(profile, javaScript, true);
        const { seen, visited } = await everythingBackwards(context, needles);
        await context.close();
        t.diagnostic(`back through: ${visited.map((url) => url.replace(server.baseUrl, '')).join(' ← ')}`);
        assert.deepEqual(seen, [], 'Back and resubmissions show none of her data');
      } finally {
        await rm(profile, { recursive: true, force: true });
      }
    });
  }
});
