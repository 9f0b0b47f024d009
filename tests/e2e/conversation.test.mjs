// "Écrire maintenant" in Chromium (issue 12, docs/conversation.md, ADR 0014): her side at
// 360×640 with JavaScript (the event stream brings the professional's words without a reload)
// and without (form posts, the page that refreshes itself, the writing page that does not), in
// French, English and Arabic; the professional's desk at 360×640 and at a desktop size (the
// queue shows needs and commune, never her identity; take, reply, quick replies, the code word,
// end); the quick exit and "Quelqu'un arrive" during a conversation (the desk reads that it was
// interrupted; Back shows nothing of hers; nothing of hers stays in the browser profile); her
// consent at the end (a follow-up code) or not (nothing kept). axe-core on every state of both
// sides. Screenshots of her states go to /tmp/convshots/ (not in git).
//
// The professional is a member of one organization whose service is on duty; the equivalent
// services rotate per visitor, so she answers the questions again until that service is among
// her proposals (never assuming it comes first).

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, test } from 'node:test';

import { VIEWPORTS, launchBrowser, onlyHerDraftCookie } from './browser.mjs';
import { answerQuestions, everythingBackwards, findInFolder, launchProfile, quickExit } from './her-device.mjs';
import { ProAccount, axeViolations, userAdd } from './pro-helpers.mjs';
import { startServer } from './server.mjs';

const run = promisify(execFile);
const kTimeout = { timeout: 300_000 };
const kPhone = VIEWPORTS[0];
const kDesktop = VIEWPORTS[1];
const kOrganization = 'p10-accueil-jour';
const kService = 'p10-accueil-jour-s1';
const kShots = '/tmp/convshots';
const kHerPath = /\/aide\/conversation\/([A-Za-z0-9_-]{43})$/;
const kHerWritingPath = /\/aide\/conversation\/([A-Za-z0-9_-]{43})\/ecrire$/;
// The live lines of a conversation page (hers and the desk's).
const kMessages = '[data-conversation-messages] li';

let server;
let browser;
let desk;  // the professional's page
let pro;
const violations = {};  // state → axe violations, asserted empty at the end
// axe's `meta-refresh` rule flags any timed refresh. WCAG 2.2.1 (Timing Adjustable) allows one the
// user can turn off before meeting it: her reading page (without JavaScript) links to the writing
// page of the same conversation, which never refreshes and has "Voir les nouveaux messages sans
// écrire"; the desk's list links to itself without refresh ("?auto=non", audited in full too).
// That one rule is off for those page states only.
const kRefreshing = { disabledRules: ['meta-refresh'] };

const sql = async (query) => (await run('sqlite3', [server.db.slice('sqlite:'.length), query])).stdout.trim();

before(async () => {
  await mkdir(kShots, { recursive: true });
  server = await startServer();
  browser = await launchBrowser();
  const invited = await userAdd(server, 'permanence-e2e@example.org', ['--role', 'member', '--org', kOrganization]);
  const context = await browser.newContext({ viewport: kDesktop });
  desk = await context.newPage();
  pro = new ProAccount('permanence-e2e@example.org');
  await pro.enrol(desk, server.baseUrl, invited.path);
  await pro.signIn(desk, server.baseUrl);
  // On duty for the next hour ("je suis disponible maintenant", src/duty; the form itself is
  // tested by tests/integration/conversation.test.mjs): presence at the desk is what remains.
  const now = Math.floor(Date.now() / 1000);
  await sql('INSERT INTO duty_live (account_id, service_id, organization_id, started_at, ends_at) '
    + `SELECT '${invited.id}', id, organization_id, ${now}, ${now + 3600} FROM service WHERE organization_id = '${kOrganization}'`);
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

// axe at the page's current size, kept by state name (asserted at the end, all at once).
async function audit(name, page, options) {
  const found = await axeViolations(page, options);
  if (found.length) violations[name] = found;
}

// axe on a page seen without JavaScript: its HTML as served, without its scripts, in a page with
// JavaScript (axe is a script) at the same origin and size. Its own refresh answers 204, which
// leaves the document in place while axe runs.
async function auditWithoutJavaScript(name, html, viewport, options) {
  const context = await browser.newContext({ viewport });
  try {
    const page = await context.newPage();
    const address = `${server.baseUrl}/aide/conversation/axe-${Math.random().toString(36).slice(2)}`;
    let served = false;
    await page.route(address, (route) => {
      if (served) return route.fulfill({ status: 204 });
      served = true;
      return route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8',
        body: html.replace(/<script\b[^>]*>[^]*?<\/script>/g, '') });
    });
    await page.goto(address);
    await audit(name, page, options);
  } finally {
    await context.close();
  }
}

async function shot(page, name) {
  await page.screenshot({ path: join(kShots, `${name}.png`), fullPage: true });
}

// The professional opens the desk (present for two minutes: what makes the button appear).
async function atDesk(viewport = kDesktop) {
  await desk.setViewportSize(viewport);
  const response = await desk.goto(`${server.baseUrl}/pro/conversations`);
  assert.equal(response.status(), 200);
  return response;
}

// She answers the questions (`canary`: her free text and code word) until the organization's
// service is among her proposals, then clicks its "Écrire maintenant". Returns her id.
async function herOpens(page, canary, javaScript) {
  for (let attempt = 0; attempt < 10; attempt++) {
    await atDesk();
    await answerQuestions(page, server.baseUrl, canary, javaScript);
    const button = page.locator(`button.app-proposal__talk[value="${kService}"]`);
    if (await button.count() === 0) continue;
    assert.equal(await button.first().textContent(), 'Écrire maintenant');
    await Promise.all([page.waitForURL(javaScript ? kHerWritingPath : kHerPath), button.first().click()]);
    return new URL(page.url()).pathname.match(/conversation\/([A-Za-z0-9_-]{43})/)[1];
  }
  throw new Error(`${kService} was not proposed in 10 walks`);
}

// The desk takes the conversation waiting with `needs` in its queue (the only one waiting: the
// tests run one after the other) and goes to its writing page.
async function deskTakes(viewport, stateName) {
  await atDesk(viewport);
  const queue = desk.locator('[data-conversation-queue] tbody tr');
  assert.equal(await queue.count(), 1, 'one person waiting');
  await audit(`desk: queue @ ${viewport.width}`, desk, kRefreshing);
  const row = await queue.first().textContent();
  assert.equal(await desk.locator('[data-stop-refresh]').getAttribute('href'), '/pro/conversations?auto=non');
  await Promise.all([desk.waitForURL(/\/pro\/conversations\/[0-9a-f]+(\/ecrire)?$/),
    queue.first().getByRole('button', { name: 'Prendre' }).click()]);
  // With JavaScript the desk's reading page goes to its writing page at once.
  await desk.waitForURL(/\/pro\/conversations\/[0-9a-f]+\/ecrire$/);
  await desk.getByLabel('Votre message').waitFor();
  await audit(`desk: ${stateName} @ ${viewport.width}`, desk);
  return { row, deskPath: new URL(desk.url()).pathname.replace(/\/ecrire$/, '') };
}

async function deskSays(text) {
  await desk.getByLabel('Votre message').fill(text);
  await desk.getByRole('button', { name: 'Envoyer', exact: true }).click();
  await desk.locator(kMessages, { hasText: text }).waitFor();
  assert.equal(await desk.getByLabel('Votre message').inputValue(), '', 'the box is emptied');
}

// Her side with JavaScript: she writes on the writing page; the line appears without a reload.
async function herSays(page, text, label = 'Votre message', send = 'Envoyer') {
  await page.getByLabel(label).fill(text);
  await page.getByRole('button', { name: send, exact: true }).click();
  await page.locator(kMessages, { hasText: text }).waitFor();
}

function text(page) {
  return page.locator('main').textContent();
}

describe('"Écrire maintenant" in the browser', () => {
  test('her side with JavaScript at 360×640 in French, the desk at a desktop size, and her consent', kTimeout, async () => {
    const context = await browser.newContext({ viewport: kPhone });
    const page = await context.newPage();
    const canary = { need: 'CANARYNEEDjs', codeWord: 'Parapluie Bleu' };
    try {
      const id = await herOpens(page, canary, true);
      assert.equal(await page.locator('meta[http-equiv="refresh"]').count(), 0, 'the writing page never refreshes');
      await page.locator('[data-conversation-status]', { hasText: 'Vous êtes la prochaine personne' }).waitFor();
      await shot(page, 'fr-js-1-waiting');
      // Whom she writes to, named once (the demo's day centre has one service of the same name).
      const names = (await page.locator('.app-conversation .app-lead bdi').allTextContents()).map((t) => t.trim());
      assert.ok(names.length >= 1 && new Set(names).size === names.length, `named once: ${names.join(' · ')}`);
      await audit('her (JS): waiting', page);
      // She writes while waiting; the page stays the same document throughout.
      await page.evaluate(() => { window.sameDocument = true; });
      await herSays(page, 'CANARYWAITjs je suis à la gare du Nord');
      await audit('her (JS): waiting, her words', page);

      // The queue: needs and commune, never her words, her code word or an identity.
      const { row } = await deskTakes(kDesktop, 'conversation taken');
      assert.match(row, /Paris 10e|75010/, `the commune in the queue: ${row}`);
      assert.match(row, /hébergement|logement/i, `her needs in the queue: ${row}`);
      assert.doesNotMatch(row, /CANARYWAITjs|Parapluie/i);
      await desk.locator(kMessages, { hasText: 'CANARYWAITjs' }).waitFor();  // read once taken

      // The professional's words reach her through the event stream, without a reload.
      await page.locator('[data-conversation-status]', { hasText: 'Un professionnel vous répond.' }).waitFor();
      await deskSays('CANARYPROjs bonjour, je vous lis');
      await page.locator(kMessages, { hasText: 'CANARYPROjs' }).waitFor();
      assert.equal(await page.evaluate(() => window.sameDocument), true, 'no reload on her side');
      await shot(page, 'fr-js-2-talking');
      await audit('her (JS): talking', page);
      await herSays(page, 'CANARYHERjs oui je suis seule');
      await desk.locator(kMessages, { hasText: 'CANARYHERjs' }).waitFor();

      // A quick reply, sent as is.
      const quick = 'Êtes-vous en sécurité pour écrire en ce moment ?';
      await desk.getByRole('button', { name: quick }).click();
      await page.locator(kMessages, { hasText: quick }).waitFor();

      // The code word: asked, typed by her in another case and spacing, never shown to anyone.
      await desk.getByRole('button', { name: 'Demander le mot convenu' }).click();
      await page.locator('[data-conversation-status]', { hasText: 'écrivez le mot convenu' }).waitFor();
      await shot(page, 'fr-js-3-code-word-asked');
      await audit('her (JS): code word asked', page);
      await page.getByLabel('Votre message').fill('  parapluie   BLEU ');
      await page.getByRole('button', { name: 'Envoyer', exact: true }).click();
      await page.locator(kMessages, { hasText: 'Merci.' }).waitFor();
      await desk.locator(kMessages, { hasText: 'Mot convenu : correct.' }).waitFor();
      assert.doesNotMatch(await text(page), /parapluie/i, 'her code word is not shown back to her');
      assert.doesNotMatch(await text(desk), /parapluie/i, 'nor to the professional');
      await audit('desk: code word checked @ 1366', desk);
      assert.equal(await page.evaluate(() => window.sameDocument), true, 'still no reload on her side');

      // The professional ends it: her page shows the choice, the box not ticked.
      // (Its own event stream may replace the page while the form's answer comes: either way the
      // desk lands on the conversation's page, ended.)
      await desk.getByRole('button', { name: 'Terminer la conversation' }).click({ noWaitAfter: true });
      await desk.locator('[data-conversation-ended]').waitFor();
      await desk.waitForURL(/\/pro\/conversations\/[0-9a-f]+$/);
      await audit('desk: ended @ 1366', desk);
      await page.waitForURL(kHerPath);
      const consent = page.getByLabel(/J’accepte que cette conversation et mes réponses soient envoyées/);
      await consent.waitFor();
      assert.equal(await consent.isChecked(), false, 'the consent box is not ticked');
      assert.match(await text(page), /Accueil de jour|accueil/i);
      assert.equal(await page.locator('meta[http-equiv="refresh"]').count(), 0, 'the ended page does not refresh');
      await shot(page, 'fr-js-4-ended');
      await audit('her (JS): ended, her choice', page);
      await consent.check();
      await Promise.all([page.waitForURL(kHerPath), page.getByRole('button', { name: 'Envoyer comme demande' }).click()]);
      const code = (await page.locator('[data-followup-code]').textContent()).trim();
      assert.match(code, /^[a-z]+-[a-z]+-[a-z]+-\d{4}$/, 'her follow-up code');
      await shot(page, 'fr-js-5-sent');
      await audit('her (JS): sent, her code', page);
      // The conversation is over: its address has expired; her code opens the request.
      const gone = await page.goto(`${server.baseUrl}/aide/conversation/${id}`);
      assert.equal(gone.status(), 404);
      await page.goto(`${server.baseUrl}/suivi`);
      await page.locator('#code').fill(code);
      await Promise.all([page.waitForURL(/\/suivi$/), page.getByRole('button', { name: 'Voir ma demande' }).click()]);
      await page.locator('[data-status]').waitFor();
      assert.deepEqual(await page.evaluate(() => [localStorage.length, sessionStorage.length]), [0, 0]);
      assert.ok(onlyHerDraftCookie(await context.cookies()), 'no cookie but her draft one');
    } finally {
      await context.close();
    }
  });

  test('her side without JavaScript at 360×640, the desk at 360×640, and no consent: nothing kept', kTimeout, async () => {
    const context = await browser.newContext({ viewport: kPhone, javaScriptEnabled: false });
    const page = await context.newPage();
    const canary = { need: 'CANARYNEEDnojs', codeWord: 'Hibiscus' };
    const referrals = await sql('SELECT COUNT(*) FROM referral');
    try {
      const id = await herOpens(page, canary, false);
      // The reading page refreshes itself every 5 s (once), and offers the writing page.
      const reading = await page.content();
      assert.equal(await page.locator('meta[http-equiv="refresh"]').count(), 1, 'one refresh');
      assert.equal(await page.locator('meta[http-equiv="refresh"]').getAttribute('content'), '5');
      await page.locator('[data-conversation-status]', { hasText: 'Vous êtes la prochaine personne' }).waitFor();
      await shot(page, 'fr-nojs-1-waiting');
      await auditWithoutJavaScript('her (no JS): waiting, reading', reading, kPhone, kRefreshing);

      await Promise.all([page.waitForURL(kHerWritingPath), page.getByRole('link', { name: 'Écrire un message' }).click()]);
      assert.equal(await page.locator('meta[http-equiv="refresh"]').count(), 0, 'the writing page never refreshes');
      await shot(page, 'fr-nojs-2-writing');
      await auditWithoutJavaScript('her (no JS): writing', await page.content(), kPhone);
      // An empty message: the page says which field, nothing sent.
      const empty = await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Envoyer', exact: true }).click()]);
      assert.equal(empty[0].status(), 400);
      assert.equal(await page.locator('.app-error-summary a[href="#message"]').count(), 1);
      await shot(page, 'fr-nojs-3-empty-message');
      await auditWithoutJavaScript('her (no JS): empty message refused', await page.content(), kPhone);
      // Post/Redirect/Get: the reading page with her line.
      await page.getByLabel('Votre message').fill('CANARYWAITnojs il est au travail');
      await Promise.all([page.waitForURL(kHerPath), page.getByRole('button', { name: 'Envoyer', exact: true }).click()]);
      await page.locator(kMessages, { hasText: 'CANARYWAITnojs' }).waitFor();

      // The desk at 360×640, with JavaScript.
      const { row } = await deskTakes(kPhone, 'conversation taken');
      assert.doesNotMatch(row, /CANARYWAITnojs|Hibiscus/i);
      await deskSays('CANARYPROnojs bonjour');
      // Her reading page brings it at its next refresh, without anything done on her side.
      await page.locator(kMessages, { hasText: 'CANARYPROnojs' }).waitFor({ timeout: 20_000 });
      await page.locator('[data-conversation-status]', { hasText: 'Un professionnel vous répond.' }).waitFor();
      assert.match(new URL(page.url()).pathname, kHerPath);
      await shot(page, 'fr-nojs-4-talking');
      await auditWithoutJavaScript('her (no JS): talking, reading', await page.content(), kPhone, kRefreshing);
      await Promise.all([page.waitForURL(kHerWritingPath), page.getByRole('link', { name: 'Écrire un message' }).click()]);
      await page.getByLabel('Votre message').fill('CANARYHERnojs merci');
      await Promise.all([page.waitForURL(kHerPath), page.getByRole('button', { name: 'Envoyer', exact: true }).click()]);
      await desk.locator(kMessages, { hasText: 'CANARYHERnojs' }).waitFor();
      await audit('desk: talking @ 360', desk);

      // She ends it; without ticking the box, "Envoyer comme demande" is refused and names it.
      await Promise.all([page.waitForURL(kHerPath), page.getByRole('button', { name: 'Terminer la conversation' }).click()]);
      await desk.locator(kMessages, { hasText: 'Elle a terminé la conversation.' }).waitFor();
      await audit('desk: she ended @ 360', desk);
      const consent = page.getByLabel(/J’accepte que cette conversation et mes réponses soient envoyées/);
      assert.equal(await consent.isChecked(), false, 'the consent box is not ticked');
      assert.equal(await page.locator('meta[http-equiv="refresh"]').count(), 0, 'the ended page does not refresh');
      await shot(page, 'fr-nojs-5-ended');
      await auditWithoutJavaScript('her (no JS): ended', await page.content(), kPhone);
      const [refused] = await Promise.all([page.waitForNavigation(),
        page.getByRole('button', { name: 'Envoyer comme demande' }).click()]);
      assert.equal(refused.status(), 400);
      assert.match(await page.locator('.app-error-summary').textContent(), /Cochez la case/);
      assert.equal(await page.locator('.app-error-summary a').getAttribute('href'), '#consent', 'the link leads to the box');
      await shot(page, 'fr-nojs-6-consent-missing');
      await auditWithoutJavaScript('her (no JS): consent missing', await page.content(), kPhone);
      await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Ne rien garder' }).click()]);
      await shot(page, 'fr-nojs-7-forgotten');
      await auditWithoutJavaScript('her (no JS): nothing kept', await page.content(), kPhone);
      assert.equal(await sql('SELECT COUNT(*) FROM referral'), referrals, 'no request sent');
      assert.equal((await page.goto(`${server.baseUrl}/aide/conversation/${id}`)).status(), 404, 'its address has expired');
      assert.deepEqual(await context.cookies().then((all) => onlyHerDraftCookie(all)), true);
    } finally {
      await context.close();
    }
  });

  test('her page in English and in Arabic (right to left), with and without JavaScript', kTimeout, async () => {
    const js = await browser.newContext({ viewport: kPhone });
    const nojs = await browser.newContext({ viewport: kPhone, javaScriptEnabled: false });
    try {
      const page = await js.newPage();
      const id = await herOpens(page, { need: 'CANARYNEEDen', codeWord: 'Lune' }, true);
      // Her language, from the page's own language links (the same conversation).
      await Promise.all([page.waitForURL(/\/en\/aide\/conversation\/[A-Za-z0-9_-]{43}\/ecrire$/),
        page.locator('.app-languages a[hreflang="en"]').click()]);
      await page.getByRole('heading', { name: 'Write to a professional' }).waitFor();
      await audit('her (JS, en): waiting', page);
      await deskTakes(kDesktop, 'conversation taken (en)');
      await deskSays('CANARYPROen hello');
      await page.locator(kMessages, { hasText: 'CANARYPROen' }).waitFor();
      await shot(page, 'en-js-1-talking');
      await audit('her (JS, en): talking', page);

      // The same conversation in Arabic, with JavaScript then without.
      await Promise.all([page.waitForURL(/\/ar\/aide\/conversation\/[A-Za-z0-9_-]{43}\/ecrire$/),
        page.locator('.app-languages a[hreflang="ar"]').click()]);
      assert.equal(await page.locator('html').getAttribute('dir'), 'rtl');
      assert.equal(await page.locator('html').getAttribute('lang'), 'ar');
      await page.getByRole('heading', { name: 'الكتابة إلى مهني' }).waitFor();
      await herSays(page, 'CANARYHERar شكرا', await page.locator('label[for="message"]').textContent(),
        await page.locator('button[name="action"][value="say"]').textContent());
      await desk.locator(kMessages, { hasText: 'CANARYHERar' }).waitFor();
      await shot(page, 'ar-js-1-talking');
      await audit('her (JS, ar): talking', page);

      const plain = await nojs.newPage();
      const response = await plain.goto(`${server.baseUrl}/ar/aide/conversation/${id}`);
      assert.equal(response.status(), 200);
      assert.equal(await plain.locator('html').getAttribute('dir'), 'rtl');
      await plain.locator(kMessages, { hasText: 'CANARYPROen' }).waitFor();
      await shot(plain, 'ar-nojs-1-talking');
      await auditWithoutJavaScript('her (no JS, ar): talking', await plain.content(), kPhone, kRefreshing);
      // She ends it in Arabic: the choice, then nothing kept.
      await Promise.all([plain.waitForNavigation(), plain.locator('button[name="action"][value="end"]').click()]);
      assert.equal(await plain.locator('#consent').isChecked(), false);
      await shot(plain, 'ar-nojs-2-ended');
      await auditWithoutJavaScript('her (no JS, ar): ended', await plain.content(), kPhone);
      await Promise.all([plain.waitForNavigation(), plain.locator('button[name="action"][value="forget"]').click()]);
      // Her JavaScript page follows: the conversation is gone.
      await page.waitForURL(/\/ar\/aide\/conversation\/[A-Za-z0-9_-]{43}$/);
      await shot(page, 'ar-js-2-gone');
      await audit('her (JS, ar): gone', page);
    } finally {
      await js.close();
      await nojs.close();
    }
  });

  test('the quick exit ends her side, the desk is told, Back and the profile hold nothing of hers', kTimeout, async (t) => {
    const canary = { need: 'CANARYNEEDexit', codeWord: 'CANARYWORDexit' };
    const words = ['CANARYHERexit', 'CANARYPROexit'];
    const profile = await mkdtemp(join(tmpdir(), 'passerelle-profile-'));
    let context;
    try {
      context = await launchProfile(profile, true);
      const page = context.pages()[0] ?? await context.newPage();
      await herOpens(page, canary, true);
      const { deskPath } = await deskTakes(kDesktop, 'conversation taken (quick exit)');
      await herSays(page, 'CANARYHERexit il rentre à 18 h');
      await deskSays('CANARYPROexit je suis là');
      await page.locator(kMessages, { hasText: 'CANARYPROexit' }).waitFor();
      assert.deepEqual(await page.evaluate(() => [localStorage.length, sessionStorage.length]), [0, 0]);
      await quickExit(page, server.exitDestination);

      // The desk: interrupted, told not to reply, and no box to write in any more.
      await desk.locator('[data-conversation-interrupted]').waitFor();
      assert.match(await desk.locator('[data-conversation-interrupted]').textContent(),
        /Conversation interrompue : elle a quitté le site avec « Cacher le site »\. Ne lui répondez pas/);
      assert.equal(await desk.getByLabel('Votre message').count(), 0);
      await audit('desk: interrupted (quick exit) @ 1366', desk);
      await atDesk();
      assert.match(await desk.locator('[data-conversation-mine]').textContent(), /conversation interrompue/);
      await audit('desk: list with an interrupted conversation @ 1366', desk, kRefreshing);
      await Promise.all([desk.waitForURL(/\/pro\/conversations\?auto=non$/), desk.locator('[data-stop-refresh]').click()]);
      assert.equal(await desk.locator('meta[http-equiv="refresh"]').count(), 0, 'the refresh is off');
      assert.match(await desk.locator('[data-conversation-mine]').textContent(), /conversation interrompue/);
      await audit('desk: list without refresh @ 1366', desk);
      await desk.goto(`${server.baseUrl}${deskPath}`);
      await Promise.all([desk.waitForURL(/\/pro\/conversations$/),
        desk.getByRole('button', { name: 'Fermer cette conversation' }).click()]);

      // Back, in the same tab: nothing of hers (the page has expired, and is not kept in memory).
      await page.goBack();
      const back = await page.content();
      t.diagnostic(`Back after the quick exit: ${page.url().replace(server.baseUrl, '')}`);
      assert.deepEqual(words.filter((w) => back.includes(w)), [], 'Back shows none of her words');
      await context.close();

      assert.deepEqual(await findInFolder(profile, [...words, ...Object.values(canary)]), [],
        'the profile folder holds none of her words');
      context = await launchProfile(profile, true, true);
      const { seen, visited } = await everythingBackwards(context, words);
      await context.close();
      t.diagnostic(`back through: ${visited.map((url) => url.replace(server.baseUrl, '')).join(' ← ')}`);
      assert.deepEqual(seen, [], 'Back and resubmissions show none of her words');
    } finally {
      await context?.close().catch(() => {});
      await rm(profile, { recursive: true, force: true });
    }
  });

  for (const javaScript of [true, false]) {
    test(`"Quelqu'un arrive" closes at once on a neutral screen, ${javaScript ? 'with' : 'without'} JavaScript`, kTimeout, async () => {
      const context = await browser.newContext({ viewport: kPhone, javaScriptEnabled: javaScript });
      const page = await context.newPage();
      const tag = javaScript ? 'js' : 'nojs';
      try {
        const id = await herOpens(page, { need: `CANARYNEEDsomeone${tag}`, codeWord: 'Soleil' }, javaScript);
        const { deskPath } = await deskTakes(kDesktop, `conversation taken (someone, ${tag})`);
        await deskSays(`CANARYPROsomeone${tag} bonjour`);
        await page.locator(kMessages, { hasText: `CANARYPROsomeone${tag}` }).waitFor({ timeout: 20_000 });
        // A link through the quick exit (a form could not redirect to the neutral site: the CSP's
        // form-action 'self' stops it, which this test found).
        const button = page.getByRole('link', { name: 'Quelqu’un arrive' });
        assert.equal(await button.getAttribute('href'), `/sortie?conversation=${id}&raison=arrive`);
        // The quick exit's own link: with JavaScript, quick-exit.js blanks the screen before the
        // network answers and replaces this page in the history (tests/e2e/quick-exit.test.mjs).
        assert.equal(await button.getAttribute('data-module'), 'app-quick-exit');
        const historyBefore = javaScript ? await page.evaluate(() => history.length) : 0;
        await Promise.all([page.waitForURL(server.exitDestination), button.click()]);
        if (javaScript) assert.equal(await page.evaluate(() => history.length), historyBefore, 'replaced in the history');
        assert.equal(await page.textContent('body'), 'neutre');
        await desk.goto(`${server.baseUrl}${deskPath}`);
        assert.match(await desk.locator('[data-conversation-interrupted]').textContent(), /elle a signalé que quelqu’un arrive/);
        await audit(`desk: interrupted (someone, ${tag}) @ 1366`, desk);
        await page.goBack();
        assert.doesNotMatch(await page.content(), new RegExp(`CANARYPROsomeone${tag}`), 'Back shows nothing of it');
        assert.equal((await page.goto(`${server.baseUrl}/aide/conversation/${id}`)).status(), 404);
      } finally {
        await context.close();
      }
    });
  }

  test('every state of both sides has no axe violation', () => {
    assert.deepEqual(violations, {});
  });
});
