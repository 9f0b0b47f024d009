// Issue 10 §1: nothing of hers on the device after the quick exit. A fresh persistent Chromium
// profile goes through the whole journey (help questions, report, sending, follow-up, a reply)
// with a canary string in every free field, with JavaScript and again without; then "Cacher le
// site", then the browser is closed. The whole profile folder is searched (binary-safe, also
// UTF-16): no canary, no follow-up code. Then the profile is reopened and Back is pressed as far
// as it goes, accepting any resubmission: none of her data appears.

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, test } from 'node:test';

import { chromium } from 'playwright-core';

import { startServer } from './server.mjs';

const run = promisify(execFile);
const kTimeout = { timeout: 240_000 };

let server;
before(async () => { server = await startServer(); });
after(async () => { await server?.stop(); });

// The launch flags of browser.mjs, with a persistent profile.
// `restore`: reopen the tabs and history of the last session (what "Continue where you left off"
// or a crash recovery does), the worst case for her.
function launchProfile(userDataDir, javaScriptEnabled, restore = false) {
  return chromium.launchPersistentContext(userDataDir, {
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    headless: true,
    javaScriptEnabled,
    viewport: { width: 360, height: 640 },
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', ...(restore ? ['--restore-last-session'] : [])],
  });
}

// Every file under `dir`, searched for each needle as UTF-8 and UTF-16LE bytes.
async function findInFolder(dir, needles) {
  const hits = [];
  const walk = async (path) => {
    for (const entry of await readdir(path, { withFileTypes: true })) {
      const full = join(path, entry.name);
      if (entry.isDirectory()) await walk(full);
      else if (entry.isFile()) {
        let bytes;
        try { bytes = await readFile(full); } catch { continue; }
        for (const needle of needles) {
          if (bytes.includes(Buffer.from(needle, 'utf8')) || bytes.includes(Buffer.from(needle, 'utf16le'))) {
            hits.push(`${needle} in ${full.slice(dir.length)}`);
          }
        }
      }
    }
  };
  await walk(dir);
  return hits;
}

// Services that can receive a referral (accepting organization with a key).
async function referrableServices() {
  const { stdout } = await run('sqlite3', [server.db.slice('sqlite:'.length),
    'SELECT s.id FROM service s JOIN organization o ON o.id = s.organization_id '
    + 'JOIN organization_key k ON k.organization_id = o.id WHERE o.accepts_referrals = 1']);
  return new Set(stdout.trim().split('\n'));
}

// Answers the help questions, on pages (no JavaScript) or in the chat (JavaScript).
async function answerQuestions(page, canary, javaScript) {
  await page.goto(`${server.baseUrl}/aide`);
  const root = javaScript ? page.locator('.app-chat') : page.locator('main');
  const next = async () => {
    const button = root.getByRole('button', { name: 'Continuer', exact: true }).last();
    if (javaScript) await button.click();
    else await Promise.all([page.waitForNavigation(), button.click()]);
  };
  if (javaScript) await page.getByRole('button', { name: 'Commencer' }).click();
  else await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Commencer' }).click()]);
  await root.getByLabel('18 ans ou plus').last().check();
  await next();
  await root.getByLabel('Pour moi').last().check();
  await next();
  await root.getByLabel('Non', { exact: true }).last().check();
  await next();
  await root.getByLabel('Un hébergement ou un logement').last().check();
  await root.getByLabel('Autre chose').last().check();
  await next();
  await root.getByLabel('De quoi d’autre avez-vous besoin ?').last().fill(canary.need);
  await next();
  await root.getByLabel('Non', { exact: true }).last().check();
  await next();
  await root.getByLabel('Où cherchez-vous de l’aide ?').last().fill('75010');
  await next();
  await root.getByLabel('Français').last().check();
  await next();
  await root.locator('input[name="channel"][value="phone"]').last().check();
  await root.locator('input[name="times"][value="evening"]').last().check();
  await root.locator('input[name="voicemail"][value="no"]').last().check();
  await root.locator('input[name="identify"][value="no"]').last().check();
  await root.locator('#code_word').last().fill(canary.codeWord);
  await root.locator('input[name="if_other"][value="hang_up"]').last().check();
  await next();
  await root.getByRole('button', { name: 'Préparer ma demande à ce professionnel' }).first().waitFor();
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

async function quickExit(page) {
  await Promise.all([page.waitForURL(server.exitDestination), page.locator('.app-quick-exit__button').click()]);
}

// Back as far as it goes in every restored tab; a resubmission prompt is accepted.
async function everythingBackwards(context, needles) {
  // The restored tabs appear shortly after the launch.
  await new Promise((resolve) => setTimeout(resolve, 2_000));
  const pages = context.pages().length ? context.pages() : [await context.newPage()];
  const seen = [];
  const visited = [];
  for (const page of pages) {
    page.on('dialog', (dialog) => dialog.accept());
    visited.push(page.url());
    for (let i = 0; i < 40; i++) {
      const text = await page.content().catch(() => '');
      for (const needle of needles) if (text.includes(needle)) seen.push(`${needle} at ${page.url()}`);
      const before = page.url();
      const response = await page.goBack({ waitUntil: 'load', timeout: 10_000 }).catch(() => null);
      if (!response) {
        // A form entry ("Confirm form resubmission"): resubmit it by reloading; no entry left: stop.
        await page.reload({ timeout: 10_000 }).catch(() => null);
        const again = await page.content().catch(() => '');
        for (const needle of needles) if (again.includes(needle)) seen.push(`${needle} at ${page.url()} (resubmitted)`);
        if (page.url() === before) break;
      }
      visited.push(page.url());
    }
    visited.push('|');
  }
  return { seen, visited };
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
        await answerQuestions(page, canary, javaScript);
        const code = await sendAndFollow(page, canary, services);
        await quickExit(page);
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
