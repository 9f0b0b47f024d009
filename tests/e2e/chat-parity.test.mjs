// The chat (JavaScript, static/js/help-chat.js) and the question pages (without JavaScript) give
// the same result for the same answers, in French, English and Arabic (issue 10 §5): the same
// headings, the same professionals with the same explanations, phones and referral buttons, the
// same emergency numbers. In the chat: focus on the result's heading, every question printed
// once, nothing left in French on /en and /ar, and a professional's details open in place.

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';

import { VIEWPORTS, launchBrowser } from './browser.mjs';
import { axeViolations, userAdd } from './pro-helpers.mjs';
import { startServer } from './server.mjs';

const run = promisify(execFile);

const kTimeout = { timeout: 180_000 };

// The same answers in every language, by code: Berck (62600), needs "know my rights", by phone
// in the evening.
const kAnswers = {
  age: { answer: ['adult'] },
  danger_now: { answer: ['no'] },
  who: { answer: ['self'] },
  needs: { answer: ['legal'] },
  children: { answer: ['none'] },
  location: { place: '62600' },
  language: { answer: ['fr'] },
  contact: { channel: ['phone'], times: ['evening'], voicemail: ['no'], identify: ['no'] },
};

// Fixed words of the chat and the pages that must not stay French on /en and /ar.
const kFrench = /Continuer|Retour|Préparer ma demande|Comment préférez-vous|Par téléphone|Nous vous recommandons|Recommencer/;

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

async function answer(form, node) {
  const given = kAnswers[node];
  assert.ok(given, `an answer for ${node}`);
  for (const [name, values] of Object.entries(given)) {
    if (typeof values === 'string') {
      await form.locator(`[name="${name}"]`).fill(values);
      continue;
    }
    for (const value of values) await form.locator(`input[name="${name}"][value="${value}"]`).check();
  }
}

// What the result says, independent of the order of equivalent professionals (they rotate).
function resultOf(form) {
  return form.evaluate((root) => {
    const norm = (s) => s.replace(/\s+/g, ' ').trim();
    const texts = (selector) => [...root.querySelectorAll(selector)].map((n) => norm(n.textContent));
    const cards = [...root.querySelectorAll('.app-proposal')].map((card) => {
      const copy = card.cloneNode(true);
      copy.querySelectorAll('.app-proposal__tag, .app-proposal__details').forEach((n) => n.remove());
      return `${norm(copy.textContent)}${card.querySelector('button[formaction]') ? ' [referral]' : ''}`;
    });
    return {
      headings: texts('h1, h2, h3:not(.app-proposal__name)'),
      tags: texts('.app-proposal__tag'),
      cards: cards.sort(),
      summary: texts('.app-summary-list__row'),
      numbers: [...root.querySelectorAll('a[href^="tel:"], a[href^="sms:"]')].map((a) => a.getAttribute('href')).sort(),
      // "Être rappelée maintenant" (issue 12): offered for the proposals on duty.
      callBacks: root.querySelectorAll('button[formaction$="/aide/rappel"]').length,
      nextDuty: texts('.app-next-duty'),
      // "Prendre rendez-vous" (issue 12 §2): offered for the proposals with open slots.
      bookings: root.querySelectorAll('button[formaction$="/aide/rendez-vous"]').length,
    };
  });
}

async function pageResult(prefix) {
  const context = await browser.newContext({ javaScriptEnabled: false, viewport: VIEWPORTS[0] });
  const page = await context.newPage();
  try {
    await page.goto(`${server.baseUrl}${prefix}/aide`);
    await Promise.all([page.waitForNavigation(), page.locator('form.app-help-start button').click()]);
    const form = page.locator('form.app-question');
    for (let node = await form.getAttribute('data-node'); node !== 'end'; node = await form.getAttribute('data-node')) {
      await answer(form, node);
      await Promise.all([page.waitForNavigation(), form.locator('button[value="continue"]').click()]);
      assert.notEqual(await form.getAttribute('data-node'), node, `the page accepted the answer to ${node}`);
    }
    return await resultOf(form);
  } finally {
    await context.close();
  }
}

// Runs the chat to the result; returns the result, the chat's text and what had the focus.
async function chatRun(page, prefix) {
  await page.goto(`${server.baseUrl}${prefix}/aide`);
  await page.locator('form.app-help-start button').click();
  const chat = page.locator('.app-chat');
  const form = chat.locator('form.app-question');
  await form.waitFor();
  for (let node = await form.getAttribute('data-node'); node !== 'end'; node = await form.getAttribute('data-node')) {
    // Each question printed once: in the question, not also in a bubble.
    const question = (await form.locator('h1').textContent()).trim();
    const times = await chat.evaluate((c, q) => c.textContent.split(q).length - 1, question);
    assert.equal(times, 1, `"${question}" printed once`);
    await answer(form, node);
    await form.evaluate((f) => f.setAttribute('data-test-answered', ''));
    await form.locator('button[value="continue"]').click();
    await chat.locator('form.app-question:not([data-test-answered])').waitFor();
    assert.equal(await chat.locator('[role="alert"]').count(), 0, `the chat accepted the answer to ${node}`);
  }
  const focus = await page.evaluate(() => {
    const active = document.activeElement;
    const box = active.getBoundingClientRect();
    return {
      tag: active.tagName,
      inChat: Boolean(active.closest('.app-chat')),
      onScreen: box.top >= 0 && box.bottom <= window.innerHeight,
    };
  });
  return { result: await resultOf(form), text: await chat.textContent(), focus };
}

describe('the chat gives the same result as the pages', () => {
  for (const prefix of ['', '/en', '/ar']) {
    test(`same answers, same result (${prefix || '/'})`, kTimeout, async () => {
      const expected = await pageResult(prefix);
      assert.ok(expected.cards.length >= 1, 'the pages propose someone');
      assert.equal(expected.tags.length, 1, 'one recommendation');

      const context = await browser.newContext({ viewport: VIEWPORTS[0] });
      const page = await context.newPage();
      const problems = [];
      page.on('pageerror', (error) => problems.push(error.message));
      try {
        const chat = await chatRun(page, prefix);
        assert.deepEqual(chat.result, expected);
        assert.deepEqual(chat.focus, { tag: 'H2', inChat: true, onScreen: true }, 'focus on the result heading');
        if (prefix) assert.equal(chat.text.match(kFrench)?.[0], undefined, 'nothing left in French');
        assert.equal(new URL(page.url()).pathname, `${prefix}/aide`);

        // A professional's details open in place: her answers stay, the page stays.
        const card = page.locator('.app-chat .app-proposal').first();
        const name = card.locator('.app-proposal__name a, a.app-proposal__name').first();
        await name.click();
        const details = card.locator('.app-proposal__details');
        await details.waitFor();
        assert.equal(await name.getAttribute('aria-expanded'), 'true');
        assert.ok((await details.locator('h2').count()) >= 2, 'the directory page\'s sections');
        assert.equal(new URL(page.url()).pathname, `${prefix}/aide`, 'still on the chat');
        assert.equal(await page.locator('.app-chat .app-summary-list').count(), 1, 'her answers are still there');
        await name.click();
        await page.waitForFunction(() => document.querySelector('.app-chat .app-proposal__details').hidden);
        assert.equal(await name.getAttribute('aria-expanded'), 'false');
        assert.deepEqual(problems, []);
      } finally {
        await context.close();
      }
    });
  }
});

// Issue 12 (docs/immediate-connection.md): with every service on duty, both paths offer "Être
// rappelée maintenant" on the same proposals, and the chat's result has no axe violation at
// 360×640. Last of the file: the duty rows it adds would show in the results above.
describe('on duty, the chat offers the same call-back as the pages', () => {
  test('Être rappelée maintenant, with and without JavaScript', kTimeout, async () => {
    const organization = (await run('sqlite3', [server.db.slice('sqlite:'.length),
      'SELECT organization_id FROM organization_key ORDER BY organization_id LIMIT 1'])).stdout.trim();
    const { id } = await userAdd(server, 'permanence-e2e@example.org', ['--role', 'member', '--org', organization]);
    const now = Math.floor(Date.now() / 1000);
    await run('sqlite3', [server.db.slice('sqlite:'.length), 'INSERT INTO duty_live (account_id, service_id, ' +
      `organization_id, started_at, ends_at) SELECT '${id}', id, organization_id, ${now}, ${now + 3600} FROM service`]);

    const expected = await pageResult('');
    assert.ok(expected.callBacks >= 1, 'the pages offer a call-back');
    assert.deepEqual(expected.nextDuty, [], 'someone is on duty: no next time');
    const context = await browser.newContext({ viewport: VIEWPORTS[0] });
    const page = await context.newPage();
    try {
      const chat = await chatRun(page, '');
      assert.deepEqual(chat.result, expected);
      assert.deepEqual(await axeViolations(page), []);
    } finally {
      await context.close();
    }
  });

  test('Prendre rendez-vous, with and without JavaScript, at 360×640', kTimeout, async () => {
    const db = server.db.slice('sqlite:'.length);
    const tomorrow = Math.floor(Date.now() / 1000) + 86400;
    // Two open slots of each service of the organizations that can receive requests.
    await run('sqlite3', [db, 'INSERT INTO appointment_slot (id, service_id, organization_id, starts_at, ends_at, ' +
      "mode, place, status, booking, created_at) SELECT 'rdv-e2e-' || id || '-' || n, id, organization_id, " +
      `${tomorrow} + n * 3600, ${tomorrow} + n * 3600 + 1800, 'in_person', '12 rue de la Paix', 'open', NULL, ` +
      `${tomorrow - 86400} FROM service, (SELECT 0 AS n UNION SELECT 1) WHERE organization_id IN ` +
      '(SELECT organization_id FROM organization_key)']);

    const expected = await pageResult('');
    assert.ok(expected.bookings >= 1, 'the pages offer an appointment');
    const context = await browser.newContext({ viewport: VIEWPORTS[0] });
    const page = await context.newPage();
    try {
      const chat = await chatRun(page, '');
      assert.deepEqual(chat.result, expected);
      // From the chat, the button leaves as an ordinary form post, to the slots page.
      await Promise.all([page.waitForURL(/\/aide\/rendez-vous$/),
        page.locator('.app-chat button[formaction$="/aide/rendez-vous"]').first().click()]);
      assert.equal(await page.locator('input[name="slot"]').count(), 2);
      assert.deepEqual(await axeViolations(page), []);
      await page.locator('input[name="slot"]').first().check();
      await Promise.all([page.waitForURL(/\/aide\/rapport$/), page.locator('[data-slots] button[type="submit"]').click()]);
      assert.match(await page.locator('[data-appointment]').first().textContent(), /12 rue de la Paix/);
      assert.deepEqual(await axeViolations(page), []);
    } finally {
      await context.close();
    }
  });
});
