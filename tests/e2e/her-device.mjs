// Her device in the browser tests (issue 10 §1, docs/conversation.md): a persistent Chromium
// profile (the launch flags of browser.mjs), the help questions answered on pages or in the chat,
// the quick exit, the search of the profile folder for her words and Back through a restored
// session. Used by device-trace.test.mjs and conversation.test.mjs.

import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

import { chromium } from 'playwright-core';

// The launch flags of browser.mjs, with a persistent profile.
// `restore`: reopen the tabs and history of the last session (what "Continue where you left off"
// or a crash recovery does), the worst case for her.
export function launchProfile(userDataDir, javaScriptEnabled, restore = false) {
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
export async function findInFolder(dir, needles) {
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

// Answers the help questions, on pages (no JavaScript) or in the chat (JavaScript).
export async function answerQuestions(page, baseUrl, canary, javaScript) {
  await page.goto(`${baseUrl}/aide`);
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

export async function quickExit(page, exitDestination) {
  await Promise.all([page.waitForURL(exitDestination), page.locator('.app-quick-exit__button').click()]);
}

// Back as far as it goes in every restored tab; a resubmission prompt is accepted.
export async function everythingBackwards(context, needles) {
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
