// Issue 15 (the outside security review) against the real binary: invalid UTF-8 in a form (F4),
// resource limits at the edge (F7), /suivi limits that cannot lock her out and hold across
// instances (F6), and a log that cannot date her visit (F2). docs/security.md says how to rerun.
//   PASSERELLE_ASSETS_DIR=$PWD PASSERELLE_BIN=$PWD/build/passerelle node --test --test-concurrency=1 tests/integration/hardening.test.mjs
//   tests/pg/with-postgres.sh env PASSERELLE_TEST_DB=postgresql node --test --test-concurrency=1 tests/integration/hardening.test.mjs
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import net from 'node:net';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';

import { binary, csrfTokenIn, freePort, repoRoot, request, startServer } from './harness.mjs';
import { encode, openReport, queryNumber, sendFields, Visitor } from './referral-visitor.mjs';

const kForm = { 'content-type': 'application/x-www-form-urlencoded', 'sec-fetch-site': 'same-origin' };

// Raw bytes on a socket: resolves what the server answered before closing (or after `waitMs`).
function rawExchange(port, chunks, { waitMs = 3000 } = {}) {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    let received = '';
    const timer = setTimeout(() => { socket.destroy(); resolve({ received, closed: false }); }, waitMs);
    socket.on('data', (d) => { received += d.toString('utf8'); });
    socket.on('error', () => {}); // a reset after the answer is expected
    socket.on('close', () => { clearTimeout(timer); resolve({ received, closed: true }); });
    socket.on('connect', () => { for (const chunk of chunks) socket.write(chunk); });
    socket.on('timeout', reject);
  });
}

// A visitor that has sent a referral: { v, code }.
async function sentReferral(server) {
  const v = new Visitor(server.baseUrl);
  const end = await v.finish(await v.walkToContact('Papiers retenus'), 'parapluie');
  const report = await openReport(v, end);
  const r = await v.post('/aide/envoi', [...sendFields(report, [['contact_detail', '06 11 22 33 44'], ['pseudonym', 'Camille']]), ['consent', 'yes'], ['action', 'send']]);
  assert.equal(r.status, 200);
  const code = r.body.match(/data-followup-code><strong>([a-z]+-[a-z]+-[a-z]+-\d{4})</)?.[1];
  assert.ok(code);
  return { v, code, report };
}

// POST /suivi as a client at `address` (the server trusts X-Forwarded-For from loopback), then,
// as a browser does, the 303 to GET /suivi with the draft cookie it set (ADR 0011).
async function followUp(baseUrl, csrf, address, code, action = 'show', extra = []) {
  const posted = await request(baseUrl, 'POST', '/suivi', {
    body: encode([['_csrf', csrf], ['code', code], ['action', action], ...extra]),
    headers: { ...kForm, 'x-forwarded-for': address },
  });
  if (posted.status !== 303) return posted;
  const cookie = [posted.headers['set-cookie'] ?? []].flat().map((line) => line.split(';')[0]).join('; ');
  return request(baseUrl, 'GET', posted.headers.location, {
    headers: { 'x-forwarded-for': address, 'sec-fetch-site': 'same-origin', ...(cookie ? { cookie } : {}) },
  });
}

function wrongDigits(code, offset) {
  const digits = Number(code.slice(-4));
  return code.slice(0, -4) + String((digits + offset) % 10000).padStart(4, '0');
}

describe('F4: invalid UTF-8 in a form field', () => {
  let server;
  before(async () => { server = await startServer({ gazetteer: true, extraArgs: ['--post-limit', '100000'] }); });
  after(async () => { await server?.stop(); });

  test('POST /aide/envoi with message=caf%E9+%FF: 400 naming the field, her text given back, nothing sent', async () => {
    const v = new Visitor(server.baseUrl);
    const end = await v.finish(await v.walkToContact('Papiers retenus'), 'parapluie');
    const report = await openReport(v, end);
    const before = await queryNumber(server, 'SELECT COUNT(*) FROM referral');
    for (const [field, raw] of [['message', 'caf%E9+%FF'], ['pseudonym', 'L%E9a'], ['contact_detail', 'a%C0%AF%40b.fr']]) {
      const body = `${encode([['_csrf', v.csrf], ...sendFields(report, []), ['consent', 'yes'], ['action', 'send']])}&${field}=${raw}`;
      const r = await request(server.baseUrl, 'POST', '/aide/envoi', { body, headers: kForm });
      assert.equal(r.status, 400, `${field}: ${r.status}`);
      assert.match(r.body, new RegExp(`«\\s${field}\\s»`), `${field} is named`);
      assert.match(r.body, /<textarea[^>]*readonly>[^<]*\uFFFD/, 'her text is given back, bad bytes replaced');
      assert.match(r.body, /3919/, 'the error page keeps the emergency numbers');
    }
    const message = await request(server.baseUrl, 'POST', '/aide/envoi', {
      body: `${encode([['_csrf', v.csrf], ...sendFields(report, [])])}&message=caf%E9+%FF`, headers: kForm,
    });
    assert.match(message.body, /readonly>caf\uFFFD \uFFFD<\/textarea>/);
    assert.equal(await queryNumber(server, 'SELECT COUNT(*) FROM referral'), before, 'nothing sent');
    // The same in a query string, and in English.
    const query = await request(server.baseUrl, 'GET', '/en/annuaire?commune=%FF');
    assert.equal(query.status, 400);
    assert.ok(query.body.includes('“commune”'));
    assert.doesNotMatch(server.logs(), /handler_failed/, 'no 500 anywhere');
  });
});

describe('F7: resource limits at the edge', () => {
  let server;
  before(async () => { server = await startServer({ demo: false, extraArgs: ['--max-connections', '8'] }); });
  after(async () => { await server?.stop(); });

  test('a body announced too large is refused with 413 from Content-Length, before it is sent', async () => {
    const started = Date.now();
    const { received } = await rawExchange(server.port, [
      'POST /aide/envoi HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 8388608\r\n\r\n',
    ]);
    assert.match(received, /^HTTP\/1\.1 413 /, received);
    assert.match(received, /Envoi trop volumineux/);
    assert.ok(Date.now() - started < 4000, 'answered without waiting for the 8 MiB');
    // Just under the limit is read and answered by the pipeline (403: no token), not refused.
    const small = await request(server.baseUrl, 'POST', '/aide/envoi', { body: 'a'.repeat(256 * 1024), headers: kForm });
    assert.equal(small.status, 403);
  });

  test('oversized or malformed headers get 431, 414 or 400 instead of a dropped connection', async () => {
    const cases = [
      [`GET / HTTP/1.1\r\nHost: x\r\nCookie: ${'a'.repeat(9000)}\r\n\r\n`, 431],
      [`GET / HTTP/1.1\r\nHost: x\r\n${Array.from({ length: 101 }, (_, i) => `X-F${i}: v\r\n`).join('')}\r\n`, 431],
      [`GET /${'a'.repeat(9000)} HTTP/1.1\r\nHost: x\r\n\r\n`, 414],
      ['GET / HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n', 400],
      ['POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab', 400],
    ];
    for (const [bytes, status] of cases) {
      const { received } = await rawExchange(server.port, [bytes]);
      assert.match(received, new RegExp(`^HTTP/1\\.1 ${status} `), `${JSON.stringify(bytes.slice(0, 40))}: ${received.slice(0, 60)}`);
      assert.match(received, /Connection: close/i);
    }
    const health = await request(server.baseUrl, 'GET', '/healthz');
    assert.equal(health.status, 200, 'the server is fine');
  });

  test('connections are capped (--max-connections): the next one waits until one closes', async () => {
    const idle = await Promise.all(Array.from({ length: 8 }, () => new Promise((resolve) => {
      const socket = net.connect(server.port, '127.0.0.1', () => resolve(socket));
    })));
    try {
      const waiting = request(server.baseUrl, 'GET', '/healthz');
      const first = await Promise.race([waiting, new Promise((resolve) => setTimeout(() => resolve('waiting'), 1500))]);
      assert.equal(first, 'waiting', 'not served while 8 connections are open');
      idle.pop().destroy();
      assert.equal((await waiting).status, 200, 'served once one closed');
    } finally {
      for (const socket of idle) socket.destroy();
    }
  });
});

describe('F7: women behind one shared address finish their help flow', () => {
  let server;
  // The default limits: --post-limit 120, the help class counted apart.
  before(async () => { server = await startServer({ gazetteer: true }); });
  after(async () => { await server?.stop(); });

  test('twelve help flows to the report (over 120 POSTs) from one address all finish; other POSTs keep their limit', async () => {
    let posts = 0;
    for (let woman = 0; woman < 12; woman++) {
      const v = new Visitor(server.baseUrl);
      const end = await v.finish(await v.walkToContact(`Besoin ${woman}`), 'parapluie');
      const report = await openReport(v, end);
      const preview = await v.post('/aide/envoi', [...sendFields(report, []), ['action', 'preview']]);
      assert.equal(preview.status, 200, `woman ${woman}`);
      posts += 12;
    }
    assert.ok(posts > 120);
    const csrf = csrfTokenIn((await request(server.baseUrl, 'GET', '/')).body);
    const statuses = [];
    for (let i = 0; i < 121; i++) {
      statuses.push((await request(server.baseUrl, 'POST', '/', { body: `_csrf=${csrf}`, headers: kForm })).status);
    }
    assert.equal(statuses.at(-1), 429, 'the ordinary POST limit still holds for other routes');
    assert.ok(statuses.slice(0, 120).every((s) => s !== 429));
  });
});

// A second `serve` on the same database and data folder (same server key): another instance.
async function startInstance(server) {
  const port = await freePort();
  const child = spawn(binary, ['serve', '--db', server.db, '--listen', `127.0.0.1:${port}`,
    '--data-dir', join(server.dir, 'data'), '--jobs-interval', '0'], { cwd: repoRoot, stdio: ['ignore', 'ignore', 'ignore'] });
  const baseUrl = `http://127.0.0.1:${port}`;
  // Wait for it as long as a loaded CI machine needs, and say so if it never comes up.
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      if ((await request(baseUrl, 'GET', '/healthz')).status === 200) break;
    } catch { /* starting */ }
    if (child.exitCode !== null) throw new Error(`the second instance exited with ${child.exitCode}`);
    if (Date.now() > deadline) { child.kill('SIGKILL'); throw new Error('the second instance did not become healthy in 60 s'); }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return { baseUrl, stop: () => new Promise((resolve) => { child.on('exit', resolve); child.kill('SIGTERM'); }) };
}

describe('F6: /suivi limits stop the guesser, not her, on every instance', () => {
  let server;
  before(async () => { server = await startServer({ gazetteer: true, extraArgs: ['--post-limit', '100000'] }); });
  after(async () => { await server?.stop(); });

  test('someone who knows her words cannot lock her out; the guesser stays blocked on another instance', async () => {
    const { v, code } = await sentReferral(server);
    const him = '203.0.113.66';
    for (let i = 1; i <= 6; i++) {
      const r = await followUp(server.baseUrl, v.csrf, him, wrongDigits(code, i));
      assert.ok([404, 429].includes(r.status), `guess ${i}: ${r.status}`);
    }
    const blocked = await followUp(server.baseUrl, v.csrf, him, code);
    assert.equal(blocked.status, 429, 'the guesser is stopped even with the right code');
    const her = await followUp(server.baseUrl, v.csrf, '198.51.100.7', code);
    assert.equal(her.status, 200, 'she gets in with her code');
    assert.match(her.body, /data-status=/);

    // Another instance on the same database: the same counters.
    const second = await startInstance(server);
    try {
      const csrf = csrfTokenIn((await request(second.baseUrl, 'GET', '/suivi')).body);
      assert.equal((await followUp(second.baseUrl, csrf, him, code)).status, 429, 'blocked there too');
      assert.equal((await followUp(second.baseUrl, csrf, '198.51.100.7', code)).status, 200);
      // "Supprimer ma demande" stays hers.
      const deleted = await followUp(second.baseUrl, csrf, '198.51.100.7', code, 'delete', [['confirm', 'yes']]);
      assert.equal(deleted.status, 200);
      assert.match(deleted.body, /supprimée/);
    } finally {
      await second.stop();
    }
    const rows = await queryNumber(server, 'SELECT COUNT(*) FROM attempt_throttle');
    assert.ok(rows >= 3, `${rows} counters in the database`);
  });
});

describe('F2: the log cannot date her visit', () => {
  let server;
  before(async () => {
    server = await startServer({ gazetteer: true, extraArgs: ['--post-limit', '100000', '--jobs-interval', '0'] });
  });
  after(async () => { await server?.stop(); });

  test('a help flow, a referral, /suivi, /api/v1/help and /sortie write no line; the hour count comes at shutdown', async () => {
    const startup = server.logs().length;
    const { v, code } = await sentReferral(server);
    assert.equal((await followUp(server.baseUrl, v.csrf, '127.0.0.1', code)).status, 200);
    assert.equal((await followUp(server.baseUrl, v.csrf, '127.0.0.1', wrongDigits(code, 1))).status, 404);
    const api = await request(server.baseUrl, 'POST', '/api/v1/help', {
      body: '{"token": null}', headers: { 'content-type': 'application/json', 'x-csrf-token': v.csrf, 'sec-fetch-site': 'same-origin' },
    });
    assert.equal(api.status, 200);
    assert.equal((await request(server.baseUrl, 'GET', '/sortie')).status, 303);
    assert.equal((await request(server.baseUrl, 'GET', '/en/aide')).status, 200);
    await new Promise((resolve) => setTimeout(resolve, 300));
    // Only the hourly count may appear (if the visit crossed a full hour).
    const during = server.logs().slice(startup).split('\n').filter((l) => l && !/event=visitor_requests hour=/.test(l));
    assert.deepEqual(during, [], `lines written during her visit:\n${during.join('\n')}`);

    await server.stop();
    const shutdown = server.logs().slice(startup);
    for (const line of shutdown.trim().split('\n')) {
      // Start/stop, or what was counted and held, named by its hour only.
      assert.match(line, /event=(stopping|stopped)| hour=\d{4}-\d\d-\d\dT\d\d /, line);
      assert.doesNotMatch(line, /route=|\/aide|\/suivi|\/api\/v1\/help|\/sortie|request_id=/, line);
    }
    // All of the log since start-up (a visit may cross a full hour): the help class's counts.
    const counted = {};
    let requests = 0;
    for (const m of server.logs().slice(startup).matchAll(/event=visitor_requests hour=\d{4}-\d\d-\d\dT\d\d class=help requests=(\d+) statuses=(\S+)/g)) {
      requests += Number(m[1]);
      for (const pair of m[2].split(',')) {
        const [status, count] = pair.split(':');
        counted[status] = (counted[status] || 0) + Number(count);
      }
    }
    assert.ok(requests >= 15, `counted: ${requests}`);
    assert.ok(counted['200'] >= 14);
    assert.ok(counted['404'] >= 1, 'the wrong code');
  });
});
