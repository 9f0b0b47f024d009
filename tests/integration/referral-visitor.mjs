// Helpers of the referral tests: a browser without JavaScript going through the help flow to a
// sent referral, and SQL queries on the test database (sqlite3 or psql).
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

import { csrfTokenIn, request } from './harness.mjs';

export const execFileAsync = promisify(execFile);
const kSameOrigin = { 'sec-fetch-site': 'same-origin' };
const kForm = { 'content-type': 'application/x-www-form-urlencoded', ...kSameOrigin };

export function encode(pairs) {
  return pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');
}
export function mainOf(html) { return html.slice(html.indexOf('<main'), html.indexOf('</main>')); }
export function tokenIn(html) { return html.match(/name="token" value="([^"]+)"/)?.[1]; }
export function nonceIn(html) { return html.match(/name="nonce" value="([^"]+)"/)?.[1]; }

// A browser without JavaScript: it keeps cookies (the one draft cookie of the report and
// follow-up pages, ADR 0011) and follows the 303 of a POST to its GET, as a browser does.
export class Visitor {
  constructor(baseUrl) {
    this.baseUrl = baseUrl;
    this.cookies = new Map();
    this.setCookies = [];  // every Set-Cookie received, with the path of the request
  }

  cookieHeader() {
    return this.cookies.size ? { cookie: [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ') } : {};
  }

  keepCookies(path, response) {
    const header = response.headers['set-cookie'];
    for (const line of header === undefined ? [] : [header].flat()) {
      this.setCookies.push({ path, line });
      const [pair] = line.split(';');
      const name = pair.slice(0, pair.indexOf('='));
      const value = pair.slice(pair.indexOf('=') + 1);
      if (/max-age=0/i.test(line) || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  async get(path) {
    const response = await request(this.baseUrl, 'GET', path, { headers: { ...kSameOrigin, ...this.cookieHeader() } });
    this.keepCookies(path, response);
    return response;
  }

  async post(path, fields) {
    let response = await request(this.baseUrl, 'POST', path,
      { body: encode([['_csrf', this.csrf], ...fields]), headers: { ...kForm, ...this.cookieHeader() } });
    this.keepCookies(path, response);
    for (let hops = 0; response.status === 303 && hops < 3; hops++) {
      const location = response.headers.location;
      if (!location?.startsWith('/')) break;
      response = await this.get(location);
    }
    this.page = response;
    return response;
  }

  async start() {
    const home = await request(this.baseUrl, 'GET', '/aide');
    this.csrf = csrfTokenIn(home.body);
    const r = await this.post('/aide/questions', [['action', 'start']]);
    this.token = tokenIn(r.body);
  }

  async answer(token, ...fields) {
    const r = await this.post('/aide/questions', [['token', token], ...fields, ['action', 'continue']]);
    assert.equal(r.status, 200, `answering ${JSON.stringify(fields)}: ${r.status}`);
    this.token = tokenIn(r.body);
    return r;
  }

  // An adult in the 10e (or at `place`), housing and other needs, who wants to be called back.
  // Returns the token of the contact question (re-answering it gives a fresh end token).
  async walkToContact(freeText, place = '75010') {
    await this.start();
    await this.answer(this.token, ['answer', 'adult']);
    await this.answer(this.token, ['answer', 'self']);
    await this.answer(this.token, ['answer', 'no']);
    await this.answer(this.token, ['answer', 'housing'], ['answer', 'legal'], ['answer', 'other']);
    await this.answer(this.token, ['answer', freeText]);
    await this.answer(this.token, ['answer', 'yes_at_risk']);
    await this.answer(this.token, ['place', place]);
    await this.answer(this.token, ['answer', 'fr']);
    return this.token;
  }

  async finish(contactToken, codeWord) {
    const r = await this.answer(contactToken, ['channel', 'phone'], ['times', 'evening'], ['voicemail', 'no'],
      ['identify', 'no'], ['code_word', codeWord], ['if_other', 'hang_up']);
    assert.match(r.body, /data-node="end"/);
    return r;
  }
}

export function proposalsIn(html) {
  return [...html.matchAll(/formaction="\/aide\/rapport" name="service_id" value="([^"]+)"/g)].map((m) => m[1]);
}

// Opens the report for the first proposal that can receive referrals (the demo has some that
// cannot: they get a page that says so).
export async function openReport(v, endPage) {
  const services = proposalsIn(endPage.body);
  assert.ok(services.length > 0, 'the result page offers to prepare a request');
  const token = tokenIn(endPage.body);
  for (const serviceId of services) {
    const r = await v.post('/aide/rapport', [['token', token], ['service_id', serviceId]]);
    if (r.status === 200) return { token, serviceId, page: r };
    assert.equal(r.status, 404);
  }
  throw new Error('no proposal accepts referrals');
}

// A new visitor answers (as walkToContact and finish do) until `serviceId` is among her
// proposals, then opens its report. Equivalent professionals rotate per visitor by design, so a
// test that needs one given professional cannot assume it comes first.
export async function openReportFor(baseUrl, serviceId, needText, codeWord) {
  for (let attempt = 0; attempt < 30; attempt++) {
    const visitor = new Visitor(baseUrl);
    const end = await visitor.finish(await visitor.walkToContact(needText), codeWord);
    if (!proposalsIn(end.body).includes(serviceId)) continue;
    const token = tokenIn(end.body);
    const page = await visitor.post('/aide/rapport', [['token', token], ['service_id', serviceId]]);
    assert.equal(page.status, 200, `${serviceId} is among her proposals and accepts referrals`);
    return { visitor, report: { token, serviceId, page } };
  }
  throw new Error(`service ${serviceId} never proposed in 30 visits`);
}

export function sendFields(report, extra) {
  const items = [...report.page.body.matchAll(/name="include" type="checkbox" value="([a-z_]+)"/g)].map((m) => m[1]);
  return [['nonce', nonceIn(report.page.body)], ['token', report.token], ['service_id', report.serviceId],
    ...items.map((id) => ['include', id]), ...extra];
}

// The send form of a report page as she leaves it: every answer included, her phone number,
// consent given.
export function sendFieldsOfPage(page) {
  const items = [...page.matchAll(/name="include" type="checkbox" value="([a-z_]+)"/g)].map((m) => m[1]);
  return [['nonce', nonceIn(page)], ...items.map((i) => ['include', i]), ['contact_detail', '06 12 34 56 78'],
    ['consent', 'yes'], ['action', 'send']];
}

export async function queryNumber(server, sql) {
  const { stdout } = server.db.startsWith('sqlite:')
    ? await execFileAsync('sqlite3', [server.db.slice('sqlite:'.length), sql])
    : await execFileAsync('psql', [server.db, '-At', '-c', sql]);
  return Number(stdout.trim());
}
// The text a query returns (first column of each row, one per line).
export async function queryText(server, sql) {
  const { stdout } = server.db.startsWith('sqlite:')
    ? await execFileAsync('sqlite3', [server.db.slice('sqlite:'.length), sql])
    : await execFileAsync('psql', [server.db, '-At', '-c', sql]);
  return stdout.trim();
}

// A visitor in the 10e runs the flow to the end; returns the first of her proposals whose
// organization can receive a request (it has a key), as { serviceId, organizationId }.
export async function firstReferrableProposal(server) {
  const visitor = new Visitor(server.baseUrl);
  const end = await visitor.finish(await visitor.walkToContact('Papiers retenus'), 'mimosa');
  for (const serviceId of proposalsIn(end.body)) {
    const organizationId = await queryText(server, `SELECT organization_id FROM service WHERE id = '${serviceId}'`);
    const keys = await queryNumber(server, `SELECT COUNT(*) FROM organization_key WHERE organization_id = '${organizationId}'`);
    if (keys) return { serviceId, organizationId };
  }
  throw new Error('no proposal of the 10e can receive a request');
}
