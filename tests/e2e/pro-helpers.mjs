// Shared pieces of the browser tests of the professional space: TOTP codes computed here (RFC 6238
// with node:crypto, independent from the server's code), accounts made with `passerelle user add`,
// the invitation and the sign-in driven in Chromium, a referral sent by a victim over HTTP, axe-core
// and the Nu Html Checker.

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

import { base32Decode, currentStep, totp, userAdd as userAddWith } from '../integration/pro-harness.mjs';
import { openReportFor, sendFields } from '../integration/referral-visitor.mjs';
import { VIEWPORTS } from './browser.mjs';
import { repoRoot } from './server.mjs';

const run = promisify(execFile);

// ---- RFC 6238 (tests/integration/pro-harness.mjs) ----
export { base32Decode, currentStep, totp };
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// ---- accounts ----

// `passerelle user add` (tests/integration/pro-harness.mjs): the invitation path and the account id.
export async function userAdd(server, email, args) {
  const added = await userAddWith(server, ['--email', email, ...args, '--public-url', server.baseUrl],
    { dataDir: server.dataDir });
  if (added.code !== 0) throw new Error(`passerelle user add failed: ${added.stderr}`);
  assert.ok(added.path, added.stdout);
  return { path: added.path, id: added.stdout.match(/account (acc-[0-9a-f]+)/)?.[1], stdout: added.stdout };
}

// Clicks and waits for the page it leads to; returns that page's response (after redirects).
export async function submit(page, locator) {
  const [response] = await Promise.all([page.waitForNavigation(), locator.click()]);
  return response;
}

// One professional: an e-mail, a password, the TOTP secret read from the enrolment page and the
// last step used (a code is never accepted twice).
export class ProAccount {
  constructor(email, password = `une phrase de passe assez longue pour ${email}`) {
    this.email = email;
    this.password = password;
    this.secret = null;
    this.lastStep = 0;
  }

  // The code of the next unused step, waiting if the server would not accept it yet (±1 step).
  async nextCode() {
    while (this.lastStep + 1 > currentStep() + 1) await sleep(500);
    const step = Math.max(this.lastStep + 1, currentStep());
    this.lastStep = step;
    return totp(this.secret, step);
  }

  // The invitation in the browser: password step, then TOTP (the manual key read on the page).
  // `seen(name, response)` is called on each page (axe, HTML validation); with `refuseFirst`, a
  // too short password and a wrong code are tried first.
  async enrol(page, baseUrl, path, { seen = async () => {}, refuseFirst = false } = {}) {
    let response = await page.goto(`${baseUrl}${path}`);
    assert.equal(response.status(), 200);
    await seen('invitation: password step', response);
    const main = page.locator('main');
    if (refuseFirst) {
      await main.getByLabel('Mot de passe', { exact: true }).fill('court');
      await main.getByLabel('Le même mot de passe, une seconde fois').fill('court');
      response = await submit(page, main.getByRole('button', { name: 'Continuer' }));
      assert.equal(response.status(), 400);
      await seen('invitation: password refused', response);
    }
    await main.getByLabel('Mot de passe', { exact: true }).fill(this.password);
    await main.getByLabel('Le même mot de passe, une seconde fois').fill(this.password);
    response = await submit(page, main.getByRole('button', { name: 'Continuer' }));
    assert.equal(response.status(), 200);
    await seen('invitation: TOTP step', response);
    this.secret = base32Decode(await page.locator('#manual-key').textContent());
    assert.equal(await page.locator('.app-qr-container svg').count(), 1, 'the QR code');
    this.lastStep = currentStep();
    if (refuseFirst) {
      await main.getByLabel('Code affiché par l’application').fill(totp(this.secret, this.lastStep + 5));
      response = await submit(page, main.getByRole('button', { name: 'Activer mon compte' }));
      assert.equal(response.status(), 400);
      await seen('invitation: TOTP refused', response);
      assert.match(await main.textContent(), /Il y a un problème/);
      this.secret = base32Decode(await page.locator('#manual-key').textContent());
    }
    await main.getByLabel('Code affiché par l’application').fill(totp(this.secret, this.lastStep));
    response = await submit(page, main.getByRole('button', { name: 'Activer mon compte' }));
    assert.equal(new URL(page.url()).pathname + new URL(page.url()).search, '/pro?etat=active');
    return response;
  }

  // Sign-in by filling the form and clicking (the keyboard-only path is tested in pro.test.mjs).
  async signIn(page, baseUrl) {
    await page.goto(`${baseUrl}/pro`);
    const main = page.locator('main');
    await main.getByLabel('Adresse e-mail').fill(this.email);
    await main.getByLabel('Mot de passe').fill(this.password);
    await main.getByLabel('Code de sécurité').fill(await this.nextCode());
    const response = await submit(page, main.getByRole('button', { name: 'Se connecter' }));
    assert.equal(new URL(page.url()).pathname, '/pro/accueil', `signed in as ${this.email}`);
    return response;
  }
}

// ---- a victim's referral, over HTTP without JavaScript (tests/integration/referral-visitor.mjs) ----

// An adult in the 10e sends a referral to `serviceId` (a new visitor until she is offered it). Returns her
// follow-up code, the organization's name and her browser-less visitor.
export async function sendReferral(baseUrl, { serviceId, needText, codeWord, contactDetail, message = '' }) {
  const { visitor, report: chosen } = await openReportFor(baseUrl, serviceId, needText, codeWord);
  const fields = [['contact_detail', contactDetail], ['consent', 'yes'], ['action', 'send']];
  if (message) fields.push(['message', message]);
  const sent = await visitor.post('/aide/envoi', sendFields(chosen, fields));
  assert.equal(sent.status, 200);
  return {
    code: sent.body.match(/data-followup-code><strong>([a-z-]+-\d{4})</)[1],
    organization: sent.body.match(/data-organization>([^<]+)</)[1],
    visitor,
  };
}

// ---- axe-core and the Nu Html Checker ----

const require = createRequire(import.meta.url);
const axeSource = await readFile(require.resolve('axe-core/axe.min.js'), 'utf8');
const kTags = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
const kVnuJar = join(repoRoot, 'node_modules', 'vnu-jar', 'build', 'dist', 'vnu.jar');

// axe-core violations of the page as it is (JavaScript must be enabled in its context).
// `disabledRules`: axe rules not run on this page (each caller says why, next to the call).
export async function axeViolations(page, { disabledRules = [] } = {}) {
  await page.evaluate(axeSource);
  const result = await page.evaluate(
    ([tags, disabled]) => window.axe.run(document, {
      runOnly: { type: 'tag', values: tags },
      rules: Object.fromEntries(disabled.map((id) => [id, { enabled: false }])),
      resultTypes: ['violations'],
    }),
    [kTags, disabledRules],
  );
  assert.ok(result.passes.length > 0, 'axe ran its rules');
  return result.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
}

// Runs the Nu Html Checker once over { name: html }; returns its error lines ('' when valid).
export async function nuHtmlErrors(documents) {
  const dir = await mkdtemp(join(tmpdir(), 'passerelle-vnu-pro-'));
  try {
    const files = [];
    let index = 0;
    for (const [name, html] of Object.entries(documents)) {
      index += 1;
      const file = join(dir, `${String(index).padStart(2, '0')}-${name.replace(/[^a-z0-9]+/gi, '-')}.html`);
      await writeFile(file, html);
      files.push(file);
    }
    try {
      const { stdout, stderr } = await run('java', ['-jar', kVnuJar, '--errors-only', '--format', 'gnu', ...files],
        { maxBuffer: 16 * 1024 * 1024 });
      return (stdout + stderr).trim();
    } catch (error) {
      if (error.code === 'ENOENT') throw new Error('java is not installed (the Nu Html Checker needs Java 11+)');
      return `${error.stdout ?? ''}${error.stderr ?? ''}`.trim() || `vnu exited with ${error.code}`;
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

// The pages of a test, each checked as it is shown: `check(name, page, response, status, { disabledRules })` keeps the
// HTML as served and the axe violations at every size of VIEWPORTS; `assertClean()` then runs the
// Nu Html Checker over them all and asserts 0 and 0 in one comparison, so that a failure shows
// every problem at once.
export function pageAudit() {
  const documents = {};   // name → HTML as served
  const violations = {};  // name @ width → axe violations
  const check = async (name, page, response, status = 200, { disabledRules = [] } = {}) => {
    assert.equal(response.status(), status, `${name}: status`);
    assert.ok(!(name in documents), `${name} checked once`);
    documents[name] = await response.text();
    for (const viewport of VIEWPORTS) {
      await page.setViewportSize(viewport);
      const found = await axeViolations(page, { disabledRules });
      if (found.length) violations[`${name} @ ${viewport.width}px`] = found;
    }
  };
  const assertClean = async () => {
    const nuErrors = await nuHtmlErrors(documents);
    assert.deepEqual({ axe: violations, nu: nuErrors.split('\n').filter(Boolean) }, { axe: {}, nu: [] });
  };
  return { documents, check, assertClean };
}
