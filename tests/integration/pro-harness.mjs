// Shared pieces of the tests of the professional space (tests/integration/pro-*.test.mjs and
// tests/e2e/pro-helpers.mjs): TOTP codes computed here (RFC 6238 with node:crypto, independent
// from the server's code), accounts made with `passerelle user add`, the invitation (password,
// TOTP) and the sign-in over HTTP without JavaScript, two small cookie-keeping browsers for /pro,
// and a referral sent by a victim through the help flow.
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { join } from 'node:path';

import { request, runBinary } from './harness.mjs';
import {
  encode, mainOf as referralMainOf, openReport, openReportFor, queryText, sendFields, Visitor,
} from './referral-visitor.mjs';

// ---- RFC 6238: HMAC-SHA-1, 6 digits, 30 s ----
export function base32Decode(text) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = 0;
  let value = 0;
  const out = [];
  for (const c of text.replace(/[\s=]/g, '').toUpperCase()) {
    const index = alphabet.indexOf(c);
    if (index < 0) throw new Error(`not base32: ${c}`);
    value = (value << 5) | index;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}

export function totp(secret, step) {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(step));
  const mac = createHmac('sha1', secret).update(counter).digest();
  const offset = mac[mac.length - 1] & 0x0f;
  return String((mac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000).padStart(6, '0');
}

export const currentStep = () => Math.floor(Date.now() / 1000 / 30);

// ---- pages ----

// The <main> element of a page; fails when there is none (so that no comparison of two pages,
// and no doesNotMatch, passes on an empty string).
export function mainOf(html) {
  const match = html.match(/<main[\s\S]*<\/main>/);
  assert.ok(match, 'a <main> element');
  return match[0];
}

// The `_csrf` of the form posting to `action` (the layout's help form comes first).
export function formToken(html, action) {
  for (const form of html.split('<form').slice(1)) {
    if (form.includes(`action="${action}"`)) {
      const match = form.match(/name="_csrf" value="([^"]+)"/);
      if (match) return match[1];
    }
  }
  throw new Error(`no form posting to ${action}`);
}

// ---- accounts ----

// `passerelle user add` on the server's database and data directory (`dataDir`: the e2e server
// names it; the integration server keeps it under its `dir`). Resolves { code, stdout, stderr,
// path } whatever the exit code; `path` is the invitation's path, read from the printed link.
export async function userAdd(server, args, { dataDir = join(server.dir, 'data') } = {}) {
  const result = await runBinary(['user', 'add', '--db', server.db, '--data-dir', dataDir, ...args]);
  return { ...result, path: result.stdout.match(/https?:\/\/[^\s]+(\/pro\/invitation\/[A-Za-z0-9_-]+)/)?.[1] };
}

// A browser that keeps the /pro cookie and takes each form's own `_csrf`.
export class Browser {
  constructor(baseUrl) {
    this.baseUrl = baseUrl;
    this.cookie = null;  // "name=value"
    this.setCookies = [];  // every Set-Cookie received, with the path that set it
  }

  remember(path, response) {
    for (const value of response.headers['set-cookie'] ?? []) {
      this.setCookies.push({ path, value });
      const [pair, ...attributes] = value.split(';').map((s) => s.trim());
      const cleared = attributes.some((a) => a.toLowerCase() === 'max-age=0');
      this.cookie = cleared ? null : pair;
    }
  }

  headersFor(path) {
    const headers = { 'sec-fetch-site': 'same-origin' };
    // The cookie's Path is /pro (or / over HTTPS): it is only sent under /pro here.
    if (this.cookie && (path === '/pro' || path.startsWith('/pro/') || path.startsWith('/pro?'))) {
      headers.cookie = this.cookie;
    }
    return headers;
  }

  async get(path) {
    const response = await request(this.baseUrl, 'GET', path, { headers: this.headersFor(path) });
    this.remember(path, response);
    return response;
  }

  async post(path, fields) {
    const headers = { ...this.headersFor(path), 'content-type': 'application/x-www-form-urlencoded' };
    const response = await request(this.baseUrl, 'POST', path, { headers, body: new URLSearchParams(fields).toString() });
    this.remember(path, response);
    return response;
  }

  // GETs `page`, then posts `fields` to `action` with the CSRF token of that page's form.
  async submit(page, action, fields) {
    const shown = await this.get(page);
    assert.equal(shown.status, 200, `${page}: ${shown.status}`);
    return this.post(action, [['_csrf', formToken(shown.body, action)], ...fields]);
  }
}

// Sets the password and enrols TOTP; returns { secret, lastStep }.
export async function acceptInvitation(browser, path, password) {
  let page = await browser.get(path);
  assert.equal(page.status, 200, page.body);
  await browser.post(path, [['_csrf', formToken(page.body, path)], ['password', password], ['confirmation', password]])
    .then((r) => assert.equal(r.status, 303, r.body));
  page = await browser.get(path);
  assert.equal(page.status, 200);
  const key = page.body.match(/id="manual-key">([A-Z2-7 ]+)</)[1];
  const secret = base32Decode(key);
  const step = currentStep();
  const r = await browser.post(`${path}/totp`, [['_csrf', formToken(page.body, `${path}/totp`)], ['code', totp(secret, step)]]);
  assert.equal(r.status, 303, r.body);
  assert.equal(r.headers.location, '/pro?etat=active');
  return { secret, lastStep: step };
}

// Signs in with the next unused step of `account` (or `code` as typed); returns the response.
export async function signIn(browser, email, account, { password, code } = {}) {
  const page = await browser.get('/pro');
  const step = account ? Math.max(account.lastStep + 1, currentStep()) : currentStep();
  const typed = code ?? totp(account.secret, step);
  const response = await browser.post('/pro', [['_csrf', formToken(page.body, '/pro')], ['email', email],
    ['password', password], ['code', typed]]);
  if (response.status === 303 && account) account.lastStep = step;
  return response;
}

// `passerelle user add`, invitation (password, TOTP), sign-in. Returns { browser, account, printed }.
export async function signedIn(server, email, args, { password }) {
  const added = await userAdd(server, ['--email', email, ...args]);
  assert.equal(added.code, 0, added.stderr);
  assert.ok(added.path, added.stdout);
  const browser = new Browser(server.baseUrl);
  const account = await acceptInvitation(browser, added.path, password);
  const r = await signIn(browser, email, account, { password });
  assert.equal(r.status, 303, r.body);
  assert.equal(r.headers.location, '/pro/accueil');
  return { browser, account, printed: added.stdout };
}

// The Paris calendar day `days` after today, as `jobs run --now` takes it (noon UTC that day).
export function parisDayPlus(days) {
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris' }).format(new Date());
  const day = new Date(`${today}T12:00:00Z`);
  day.setUTCDate(day.getUTCDate() + days);
  return day.toISOString().slice(0, 10);
}

// A professional's browser without JavaScript: one session cookie, and the token of the page's
// own forms (the one in <main>; the layout's help button carries the public one), sent with
// every POST.
export class Professional {
  constructor(baseUrl, email) {
    this.baseUrl = baseUrl;
    this.email = email;
    this.password = `une phrase de passe assez longue ${email}`;
    this.cookie = '';
  }

  headers(extra = {}) { return this.cookie ? { cookie: this.cookie, ...extra } : extra; }

  keepCookie(response) {
    const set = response.headers['set-cookie']?.[0];
    if (set) this.cookie = set.split(';')[0].endsWith('=') ? '' : set.split(';')[0];
  }

  async get(path) {
    const r = await request(this.baseUrl, 'GET', path, { headers: this.headers() });
    this.keepCookie(r);
    if (r.status === 200) this.csrf = referralMainOf(r.body).match(/name="_csrf" value="([^"]+)"/)?.[1] ?? this.csrf;
    return r;
  }

  async post(path, fields) {
    const r = await request(this.baseUrl, 'POST', path, {
      body: encode([['_csrf', this.csrf], ...fields]),
      headers: this.headers({ 'content-type': 'application/x-www-form-urlencoded', 'sec-fetch-site': 'same-origin' }),
    });
    this.keepCookie(r);
    return r;
  }

  // Invitation → password → TOTP, then sign-in with the next TOTP step (a code is never accepted
  // twice). Returns what `user add` printed.
  async enrolAndSignIn(server, args) {
    const added = await userAdd(server, ['--email', this.email, ...args, '--public-url', server.baseUrl]);
    assert.equal(added.code, 0, added.stderr);
    assert.ok(added.path, added.stdout);
    await this.enrolFromLink(added.path);
    return added.stdout;
  }

  // The invitation `link` (a path) → password → TOTP, then sign-in. The recovery code shown at
  // the password step (a first member invited from the web creates her organization's keys) is
  // kept in `recoveryCode`.
  async enrolFromLink(link) {
    let r = await this.get(link);
    assert.equal(r.status, 200);
    r = await this.post(link, [['password', this.password], ['confirmation', this.password]]);
    if (r.status === 200) {
      this.recoveryCode = r.body.match(/data-recovery-code><code>([A-Z0-9-]+)</)?.[1];
      assert.ok(this.recoveryCode, r.body);
    } else {
      assert.equal(r.status, 303, r.body);
    }
    r = await this.get(link);
    this.secret = base32Decode(r.body.match(/id="manual-key">([^<]+)</)[1]);
    const step = currentStep();
    r = await this.post(`${link}/totp`, [['code', totp(this.secret, step)]]);
    assert.equal(r.status, 303, r.body);
    await this.get('/pro');
    r = await this.post('/pro', [['email', this.email], ['password', this.password], ['code', totp(this.secret, step + 1)]]);
    assert.equal(r.status, 303, `sign-in: ${r.status}`);
    assert.ok(this.cookie, 'a session cookie');
  }

  // GETs the referral page (for its form token), then posts to one of its actions.
  async act(id, action, fields) {
    assert.equal((await this.get(`/pro/demandes/${id}`)).status, 200);
    const r = await this.post(`/pro/demandes/${id}/${action}`, fields);
    assert.equal(r.status, 303, `${action}: ${r.status} ${referralMainOf(r.body).slice(0, 400)}`);
    return r;
  }
}

// ---- a victim's referral ----

// An adult in the 10e goes through the help flow (tests/integration/referral-visitor.mjs) and
// sends a referral to her first proposal that accepts them, with `fields` (her contact detail and
// any free text), consent and, with `handover`, her consent to a hand-over. Returns { id, code,
// organizationId, visitor }.
// Her referral, sent through the help pages. With `serviceId`, to that service: equivalent
// professionals are proposed in a rotation drawn per visitor, so new visitors answer the same
// questions until one is offered it (as a visitor would pick it among her proposals).
export async function sendReferral(server, {
  needText = 'Papiers retenus', codeWord = 'parapluie', fields = [['contact_detail', '06 11 22 33 44']],
  handover = false, serviceId = null,
} = {}) {
  let visitor;
  let report;
  if (serviceId === null) {
    visitor = new Visitor(server.baseUrl);
    report = await openReport(visitor, await visitor.finish(await visitor.walkToContact(needText), codeWord));
  } else {
    ({ visitor, report } = await openReportFor(server.baseUrl, serviceId, needText, codeWord));
  }
  const before = (await queryText(server, 'SELECT id FROM referral')).split('\n');
  const extra = [...fields, ['consent', 'yes'], ['action', 'send']];
  if (handover) extra.push(['handover', 'yes']);
  const r = await visitor.post('/aide/envoi', sendFields(report, extra));
  assert.equal(r.status, 200);
  const code = r.body.match(/data-followup-code><strong>([a-z-]+-\d{4})</)[1];
  const ids = (await queryText(server, 'SELECT id FROM referral')).split('\n').filter((id) => id && !before.includes(id));
  assert.equal(ids.length, 1);
  const organizationId = await queryText(server, `SELECT organization_id FROM referral WHERE id = '${ids[0]}'`);
  return { id: ids[0], code, organizationId, serviceId: report.serviceId, visitor };
}

// ---- the territory form of the console ----

// What the operator's browser posts: every field of the form as she left it.
export function territoryFields({ slug = '', name = '', communes = [], lat = '', lon = '', radius = '', q = '',
  results = [], youth = [], emergency = [['Police', '17', 'voice']], exit = 'https://meteofrance.com/',
  languages = ['fr'], action }) {
  const fields = [['slug', slug], ['name', name], ...communes.map((c) => ['commune', c]), ['q', q],
    ...results.map((c) => ['result', c]), ['centre_lat', lat], ['centre_lon', lon], ['default_radius_km', radius],
    ['youth_rows', String(youth.length)], ['emergency_rows', String(emergency.length)],
    ['neutral_exit_url', exit], ...languages.map((l) => ['language', l]), ['action', action]];
  youth.forEach(([n, p, d], i) => fields.push([`youth_name_${i}`, n], [`youth_phone_${i}`, p], [`youth_description_${i}`, d]));
  emergency.forEach(([l, n, k], i) => fields.push([`emergency_label_${i}`, l], [`emergency_number_${i}`, n], [`emergency_kind_${i}`, k]));
  return fields;
}
