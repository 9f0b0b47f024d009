// "J'ai besoin d'aide" in Chromium: the question pages with JavaScript disabled (axe-core on every
// question type, the error summary, "Retour"), and the chat-style enhancement with JavaScript
// (one history entry, nothing stored, no CSP violation).

import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { after, before, describe, test } from 'node:test';

import { VIEWPORTS, launchBrowser, onlyHerDraftCookie } from './browser.mjs';
import { startServer } from './server.mjs';

const require = createRequire(import.meta.url);
const axeSource = await readFile(require.resolve('axe-core/axe.min.js'), 'utf8');
const kTags = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
const kTimeout = { timeout: 120_000 };

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

// axe-core needs timers, which do not run with JavaScript disabled: the page as the person sees
// it is replayed at the same origin (so its CSS loads) in a context with JavaScript, and checked
// there.
async function axeViolationsOfSnapshot(page) {
  const html = await page.content();
  const context = await browser.newContext({ viewport: page.viewportSize() });
  try {
    const snapshot = await context.newPage();
    const url = `${server.baseUrl}/axe-snapshot`;
    await snapshot.route(url, (route) => route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: html }));
    await snapshot.goto(url);
    return await axeViolations(snapshot);
  } finally {
    await context.close();
  }
}

async function axeViolations(page) {
  await page.evaluate(axeSource);
  const result = await page.evaluate(
    (tags) => window.axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] }),
    kTags,
  );
  assert.ok(result.passes.length > 0, 'axe ran its rules');
  return result.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
}

async function nodeOf(page) {
  return page.locator('form.app-question').getAttribute('data-node');
}

// Clicks "Continuer" (or the node's own continue button) and waits for the next page.
async function continueTo(page, expected) {
  await Promise.all([page.waitForNavigation(), page.locator('form.app-question button[value="continue"]').click()]);
  assert.equal(await nodeOf(page), expected);
}

describe('question pages without JavaScript', () => {
  for (const viewport of VIEWPORTS) {
    test(`every question type has no axe violation at ${viewport.width}px, and the flow works`, kTimeout, async () => {
      const context = await browser.newContext({ javaScriptEnabled: false, viewport });
      const page = await context.newPage();
      const violations = {};
      const check = async (name) => { violations[name] = await axeViolationsOfSnapshot(page); };
      try {
        await page.goto(`${server.baseUrl}/aide`);
        await check('start');
        await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Commencer' }).click()]);
        assert.equal(await nodeOf(page), 'age');
        assert.equal(await page.locator('h1').textContent(), 'Quel âge avez-vous ?');
        await check('choice');

        // Nothing chosen: the error summary, focusable link to the first radio.
        await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Continuer' }).click()]);
        assert.equal(await nodeOf(page), 'age');
        await check('choice with error');
        assert.equal(await page.locator('.app-error-summary a').getAttribute('href'), '#answer-minor');
        assert.equal(await page.locator('#answer-minor').count(), 1, 'the summary links to the first radio');

        await page.getByLabel('18 ans ou plus').check();
        await continueTo(page, 'who');
        await page.getByLabel('Pour une personne de mon entourage').check();
        await continueTo(page, 'relative_info');
        await check('info');
        await continueTo(page, 'danger_now');
        await page.getByLabel('Oui').check();
        await continueTo(page, 'emergency');
        await check('emergency');
        assert.equal(await page.locator('main a[href="tel:17"]').count() > 0, true);
        await continueTo(page, 'needs');

        // "Retour" goes one step back with the answer kept.
        await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Retour' }).click()]);
        assert.equal(await nodeOf(page), 'emergency');
        await continueTo(page, 'needs');
        // For someone else: the third person.
        await page.getByLabel('Connaître ses droits').check();
        await page.getByLabel('Autre chose').check();
        await check('multiple choice');
        await continueTo(page, 'needs_other');
        await page.getByLabel('De quoi d’autre cette personne a-t-elle besoin ?').fill('Des papiers');
        await check('text');
        await continueTo(page, 'children');
        await page.getByLabel('Je préfère ne pas répondre').check();
        await continueTo(page, 'location');
        await check('location');
        assert.equal(await page.locator('[data-module="app-geolocation"]').isVisible(), false,
          'the geolocation button needs JavaScript: hidden without it');
        await page.getByLabel('Où cherchez-vous de l’aide ?').fill('62170');
        await continueTo(page, 'language');
        await page.getByLabel('Français').check();
        await continueTo(page, 'contact');
        await check('contact');
        await page.getByLabel('Par SMS').check();
        await page.getByLabel('Le soir').check();
        await continueTo(page, 'end');
        await check('end');
        assert.match(await page.locator('main').textContent(), /Code postal 62170/);
        // Without JavaScript the questions are Post/Redirect/Get: their page waits in her draft,
        // and the browser holds its one cookie on its three paths, nothing else.
        const cookies = await context.cookies();
        assert.ok(onlyHerDraftCookie(cookies), JSON.stringify(cookies));
        assert.deepEqual(cookies.map((c) => c.path).sort(), ['/aide', '/sortie', '/suivi']);
        assert.deepEqual(violations, Object.fromEntries(Object.keys(violations).map((k) => [k, []])));
      } finally {
        await context.close();
      }
    });
  }

  test('a minor reaches the youth page, which has no axe violation', kTimeout, async () => {
    const context = await browser.newContext({ javaScriptEnabled: false, viewport: VIEWPORTS[0] });
    const page = await context.newPage();
    try {
      await page.goto(`${server.baseUrl}/aide`);
      await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Commencer' }).click()]);
      await page.getByLabel('Moins de 18 ans').check();
      await continueTo(page, 'youth');
      const hrefs = await page.locator('main a').evaluateAll((links) => links.map((a) => a.getAttribute('href')));
      assert.ok(hrefs.includes('tel:119'));
      assert.ok(hrefs.includes('tel:0800235236'));
      assert.deepEqual(await axeViolationsOfSnapshot(page), []);
    } finally {
      await context.close();
    }
  });
});

// The chat's current question is replaced by each answer of the API: marks it, acts, and waits
// for a new one (the same question again after a refused answer), so that no click races the
// previous answer (a click while the chat waits would be lost).
async function inChat(chat, act) {
  const form = chat.locator('form.app-question');
  await form.evaluate((f) => f.setAttribute('data-test-answered', ''));
  await act();
  await chat.locator('form.app-question:not([data-test-answered])').waitFor();
}

function continueIn(chat, name = 'Continuer') {
  return inChat(chat, () => chat.getByRole('button', { name, exact: true }).click());
}

describe('chat-style enhancement with JavaScript', () => {
  test('the whole flow in one page and one history entry, nothing stored, no CSP violation', kTimeout, async () => {
    const context = await browser.newContext({ viewport: VIEWPORTS[0] });
    const page = await context.newPage();
    const problems = [];
    page.on('console', (message) => {
      // The refused empty answer below is a 400 by design; the browser logs every 4xx.
      if (message.type() === 'error' && !/status of 400/.test(message.text())) problems.push(message.text());
    });
    page.on('pageerror', (error) => problems.push(error.message));
    try {
      await page.goto(`${server.baseUrl}/aide`);
      const historyBefore = await page.evaluate(() => history.length);
      await page.getByRole('button', { name: 'Commencer' }).click();
      const chat = page.locator('.app-chat');
      await chat.locator('form.app-question').waitFor();
      await chat.getByLabel('18 ans ou plus').check();
      await continueIn(chat);
      await chat.getByLabel('Pour moi').check();
      await continueIn(chat);
      await chat.getByLabel('Non', { exact: true }).check();
      await continueIn(chat);
      // "Retour" in the chat, then forward again.
      await chat.getByLabel('Un avocat ou une avocate').waitFor();
      await inChat(chat, () => chat.getByRole('button', { name: 'Retour' }).click());
      await chat.getByLabel('Je ne sais pas').check();
      await continueIn(chat);
      await continueIn(chat, 'Continuer les questions');
      // Nothing chosen: an error, same question.
      await continueIn(chat);
      await chat.locator('[role="alert"]').waitFor();
      await chat.getByLabel('Un avocat ou une avocate').check();
      await continueIn(chat);
      await chat.getByLabel('Oui, et j’ai peur pour leur sécurité').check();
      await continueIn(chat);
      // A mistyped place: the chat offers the same close matches as the page, as radios.
      await chat.getByLabel('Où cherchez-vous de l’aide ?').fill('Berk');
      await continueIn(chat);
      await chat.getByLabel('Berck (62600)').check();
      await continueIn(chat);
      await chat.getByLabel('Arabe').check();
      await continueIn(chat);
      await chat.getByLabel('Par téléphone').check();
      await chat.getByLabel('Le soir').check();
      await continueIn(chat);
      await chat.locator('.app-summary-list').waitFor();
      const text = await chat.textContent();
      assert.match(text, /Un avocat ou une avocate/);
      assert.match(text, /Berck/);
      assert.match(text, /Oui, et j’ai peur pour leur sécurité/);
      assert.equal(new URL(page.url()).pathname, '/aide', 'never left the page');
      assert.equal(await page.evaluate(() => history.length), historyBefore, 'a single history entry');
      assert.deepEqual(await page.evaluate(() => ({ local: localStorage.length, session: sessionStorage.length })),
        { local: 0, session: 0 });
      assert.deepEqual(await context.cookies(), []);
      assert.deepEqual(problems, []);
      assert.deepEqual(await axeViolations(page), []);
      // The proposals of the matching, and her request prepared on an ordinary page.
      const proposals = chat.locator('.app-proposal');
      assert.ok(await proposals.count() >= 1, 'at least one professional proposed');
      assert.match(await proposals.first().locator('.app-proposal__why').textContent(), /·|km|commune/);
      await Promise.all([
        page.waitForURL(`${server.baseUrl}/aide/rapport`),
        chat.getByRole('button', { name: 'Préparer ma demande à ce professionnel' }).first().click(),
      ]);
      assert.match(await page.locator('main').textContent(), /Votre demande à/);
    } finally {
      await context.close();
    }
  });
});
