// The public shell over HTTP against the real binary: security headers on every response,
// no cookies, the quick exit, CSRF, body limits, health, logs without personal data.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { csrfTokenIn, request, startServer, waitFor } from './harness.mjs';

const kPublicPages = ['/', '/aide', '/securite-en-ligne', '/mentions-legales', '/confidentialite', '/accessibilite'];
const kCanary = 'CANARY-Marie-0612345678';

function assertSecurityHeaders(response, what) {
  const csp = response.headers['content-security-policy'];
  assert.ok(csp, `${what}: no Content-Security-Policy`);
  for (const directive of ["default-src 'self'", "frame-ancestors 'none'", "base-uri 'none'",
    "form-action 'self'", "object-src 'none'"]) {
    assert.ok(csp.includes(directive), `${what}: CSP lacks ${directive}`);
  }
  assert.ok(!csp.includes('unsafe-inline'), `${what}: CSP allows inline code`);
  assert.equal(response.headers['referrer-policy'], 'no-referrer', what);
  assert.equal(response.headers['x-content-type-options'], 'nosniff', what);
  assert.equal(response.headers['cross-origin-opener-policy'], 'same-origin', what);
  assert.match(response.headers['permissions-policy'] ?? '', /geolocation=\(self\)/, what);
  assert.match(response.headers['permissions-policy'] ?? '', /camera=\(\)/, what);
  assert.equal(response.headers.server, undefined, `${what}: Server header reveals the software`);
  assert.equal(response.headers['set-cookie'], undefined, `${what}: sets a cookie`);
}

describe('public shell', () => {
  let server;
  before(async () => { server = await startServer(); });
  after(async () => { await server?.stop(); });

  const get = (path, headers) => request(server.baseUrl, 'GET', path, { headers });
  const post = (path, body, headers = {}) => request(server.baseUrl, 'POST', path, {
    body, headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
  });

  test('every public page answers 200 in French, uncached, with the headers and no cookie', async () => {
    for (const path of kPublicPages) {
      const response = await get(path);
      assert.equal(response.status, 200, path);
      assert.match(response.headers['content-type'], /^text\/html; charset=utf-8/, path);
      assert.equal(response.headers['cache-control'], 'no-store', path);
      assert.match(response.body, /<html lang="fr"/, path);
      assert.match(response.body, /Cacher le site/, `${path}: no quick exit`);
      assert.match(response.body, /J(’|'|&#39;)ai besoin d(’|'|&#39;)aide/, `${path}: no help button`);
      for (const number of ['17', '114', '115', '3919', '119']) {
        assert.ok(response.body.includes(`tel:${number}`) || response.body.includes(`sms:${number}`),
          `${path}: emergency number ${number} not linked`);
      }
      assert.doesNotMatch(response.body, /<script(?![^>]*\bsrc=)[^>]*>/, `${path}: inline script`);
      assert.doesNotMatch(response.body, /\sstyle="/, `${path}: inline style`);
      assert.doesNotMatch(response.body, /(src|href)="(https?:)?\/\/(?!127\.0\.0\.1)/, `${path}: third-party resource`);
      assertSecurityHeaders(response, path);
    }
  });

  test('static files have hashed names, a long cache and the headers; unhashed names are 404', async () => {
    const home = await get('/');
    const assets = [...home.body.matchAll(/(?:href|src)="(\/static\/[^"]+)"/g)].map((m) => m[1]);
    assert.ok(assets.length >= 2, 'the home page links its CSS and JS');
    for (const asset of assets) {
      assert.match(asset, /\.[0-9a-f]{10}\.[a-z0-9]+$/, `${asset} has no content hash`);
      const response = await get(asset);
      assert.equal(response.status, 200, asset);
      assert.equal(response.headers['cache-control'], 'public, max-age=31536000, immutable', asset);
      assertSecurityHeaders(response, asset);
    }
    const unhashed = assets[0].replace(/\.[0-9a-f]{10}(\.[a-z0-9]+)$/, '$1');
    const missing = await get(unhashed);
    assert.equal(missing.status, 404);
    assertSecurityHeaders(missing, unhashed);
  });

  test('error pages are French pages of the site with the headers', async () => {
    const notFound = await get('/nexiste-pas');
    assert.equal(notFound.status, 404);
    assert.match(notFound.body, /Page introuvable/);
    assert.match(notFound.body, /Cacher le site/);
    assertSecurityHeaders(notFound, '404');

    const token = csrfTokenIn((await get('/')).body);
    const notAllowed = await request(server.baseUrl, 'DELETE', '/aide', {
      body: `_csrf=${token}`, headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    assert.equal(notAllowed.status, 405);
    assert.deepEqual(notAllowed.headers.allow.split(', ').sort(), ['GET', 'HEAD', 'POST']);
    assertSecurityHeaders(notAllowed, '405');
  });

  test('/sortie clears the site data and sends to the neutral site', async () => {
    const exit = await get('/sortie');
    assert.equal(exit.status, 303);
    assert.equal(exit.headers.location, 'http://127.0.0.1:9/neutre');
    assert.equal(exit.headers['clear-site-data'], '"cache", "cookies", "storage"');
    assertSecurityHeaders(exit, '/sortie');
    const territorial = await get('/sortie?t=montreuillois');
    assert.equal(territorial.headers.location, 'https://meteofrance.com/');
    const unknown = await get('/sortie?t=nulle-part');
    assert.equal(unknown.headers.location, 'http://127.0.0.1:9/neutre');
  });

  test('the help button posts with a page token; without it, or cross-site, it is refused', async () => {
    const token = csrfTokenIn((await get('/')).body);
    const sameOrigin = { origin: server.baseUrl, 'sec-fetch-site': 'same-origin' };
    const ok = await post('/aide', `_csrf=${encodeURIComponent(token)}`, sameOrigin);
    assert.equal(ok.status, 200);
    assert.match(ok.body, /3919/);
    assertSecurityHeaders(ok, 'POST /aide');

    const noToken = await post('/aide', 'x=1', sameOrigin);
    assert.equal(noToken.status, 403);
    assert.match(noToken.body, /Action refusée/);
    assertSecurityHeaders(noToken, '403');

    const forged = await post('/aide', `_csrf=${encodeURIComponent(token.slice(0, -2))}AA`, sameOrigin);
    assert.equal(forged.status, 403);
    const crossSite = await post('/aide', `_csrf=${encodeURIComponent(token)}`, { 'sec-fetch-site': 'cross-site' });
    assert.equal(crossSite.status, 403);
    const otherOrigin = await post('/aide', `_csrf=${encodeURIComponent(token)}`, { origin: 'https://evil.example' });
    assert.equal(otherOrigin.status, 403);
  });

  test('an oversized body is refused with 413 and the site error page', async () => {
    const token = csrfTokenIn((await get('/')).body);
    const response = await post('/aide', `_csrf=${token}&texte=${'a'.repeat(300 * 1024)}`);
    assert.equal(response.status, 413);
    assert.match(response.body, /trop volumineux/);
    assertSecurityHeaders(response, '413');
  });

  test('/healthz checks the database', async () => {
    const response = await get('/healthz');
    assert.equal(response.status, 200);
    assert.equal(response.body, 'ok\n');
    assertSecurityHeaders(response, '/healthz');
  });

  test('HEAD answers the headers without a body', async () => {
    const response = await request(server.baseUrl, 'HEAD', '/');
    assert.equal(response.status, 200);
    assert.equal(response.body, '');
  });

  test('logs carry request ids but no query string, form content or token', async () => {
    const token = csrfTokenIn((await get(`/?q=${kCanary}`)).body);
    await post('/aide', `_csrf=${encodeURIComponent(token)}&note=${kCanary}`);
    await get(`/nexiste-pas-${kCanary}`);
    // Visitors' requests write no line (docs/security.md, F2); the professional space's do.
    assert.doesNotMatch(server.logs(), /event=request /);
    await get(`/pro/demandes?q=${kCanary}`);
    // The line is written as the response goes out: wait for it rather than race it.
    await waitFor(() => /event=request request_id=[0-9a-f]{16}/.test(server.logs()), 'the /pro request line');
    const logs = server.logs();
    assert.ok(!logs.includes('CANARY'), 'personal data reached the logs');
    assert.ok(!logs.includes(token), 'a CSRF token reached the logs');
  });
});

describe('the server process', () => {
  test('stops cleanly on SIGTERM and keeps its key file private', async () => {
    const server = await startServer();
    const { statSync } = await import('node:fs');
    const mode = statSync(`${server.dir}/data/server.key`).mode & 0o777;
    assert.equal(mode, 0o600);
    server.child.kill('SIGTERM');
    const { code } = await server.exited;
    assert.equal(code, 0);
    assert.match(server.logs(), /event=stopped/);
    await server.stop();
  });

  test('SIGINT stops it too', async () => {
    const server = await startServer();
    server.child.kill('SIGINT');
    const { code } = await server.exited;
    assert.equal(code, 0);
    await server.stop();
  });
});
