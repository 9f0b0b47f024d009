// Starts the real `passerelle` binary on a free loopback port against a fresh database:
// SQLite in a temporary directory, or — when PASSERELLE_TEST_DB=postgresql — the throw-away
// PostgreSQL server of tests/pg/with-postgres.sh (PASSERELLE_TEST_PG_URL), emptied first.
import { spawn, execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import http from 'node:http';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

export const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
export const binary = process.env.PASSERELLE_BIN || join(repoRoot, 'build', 'passerelle');
const execFileAsync = promisify(execFile);

export async function freePort() {
  const probe = net.createServer();
  await new Promise((resolve, reject) => {
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', resolve);
  });
  const { port } = probe.address();
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

// Runs the binary to completion; resolves { code, stdout, stderr } whatever the exit code.
export async function runBinary(args, env = {}) {
  try {
    const { stdout, stderr } = await execFileAsync(binary, args, {
      cwd: repoRoot, timeout: 60_000, env: { ...process.env, ...env },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    if (typeof error.code !== 'number') throw error;
    return { code: error.code, stdout: error.stdout, stderr: error.stderr };
  }
}

async function resetPostgres(url) {
  // Drop everything the previous test file created, with the server's own client.
  await execFileAsync('psql', [url, '-v', 'ON_ERROR_STOP=1', '-q', '-c',
    'DROP SCHEMA public CASCADE; CREATE SCHEMA public;']);
}

export async function databaseUrl(dir) {
  if (process.env.PASSERELLE_TEST_DB === 'postgresql') {
    const url = process.env.PASSERELLE_TEST_PG_URL;
    if (!url) throw new Error('PASSERELLE_TEST_DB=postgresql needs PASSERELLE_TEST_PG_URL (tests/pg/with-postgres.sh)');
    await resetPostgres(url);
    return url;
  }
  return `sqlite:${join(dir, 'passerelle.db')}`;
}

// Starts migrate + demo (+ gazetteer load) + serve. Returns { baseUrl, port, db, dir, logs(), stop() }.
// With `dir` and `db` (an existing data folder and database: a restored backup, an upgraded
// fixture), serves those instead, and `stop()` leaves them in place.
// The `serve` options that send its e-mail to the local SMTP sink `sink` (tests/smtp-sink) at
// once, with the links of the messages on http://passerelle.test.
export function mailArgs(sink) {
  return ['--smtp-url', `smtp://127.0.0.1:${sink.port}`, '--smtp-from', 'passerelle@test.example',
    '--public-url', 'http://passerelle.test', '--outbox-poll-ms', '100'];
}

export async function startServer({
  extraArgs = [], env = {}, demo = true, gazetteer = false, dir: givenDir, db: givenDb,
} = {}) {
  const dir = givenDir ?? await mkdtemp(join(tmpdir(), 'passerelle-it-'));
  const db = givenDb ?? await databaseUrl(dir);
  if (demo) {
    const loaded = await runBinary(['demo', '--db', db, '--data-dir', join(dir, 'data')]);
    if (loaded.code !== 0) throw new Error(`passerelle demo failed: ${loaded.stderr}`);
  }
  if (gazetteer) { // the communes of build/gazetteer/communes.csv (scripts/install-deps.sh), for /annuaire
    const loaded = await runBinary(['gazetteer', 'load', '--db', db]);
    if (loaded.code !== 0) throw new Error(`passerelle gazetteer load failed: ${loaded.stderr}`);
  }
  const server = await spawnServe({ db, dir, extraArgs, env });
  try {
    await server.healthy();
  } catch (error) {
    server.child.kill('SIGKILL');
    throw error;
  }
  return {
    ...server,
    async stop() {
      const { child, exited } = server;
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const result = await exited;
      if (!givenDir) await rm(dir, { recursive: true, force: true });
      return result;
    },
  };
}

// Spawns `passerelle serve` on `db` with the data folder `<dir>/data`, on a free port, without
// waiting: `healthy()` resolves once /healthz answers 200 and throws (with the output) when the
// process exits first or after 15 s (or `timeoutMs`). Used as is by tests that kill the process (tests/crash/).
export async function spawnServe({ db, dir, extraArgs = [], env = {} }) {
  const port = await freePort();
  const child = spawn(binary, ['serve', '--db', db, '--listen', `127.0.0.1:${port}`,
    '--data-dir', join(dir, 'data'), '--exit-url', 'http://127.0.0.1:9/neutre', ...extraArgs], {
    cwd: repoRoot, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk) => { output += chunk; });
  child.stderr.on('data', (chunk) => { output += chunk; });
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  const baseUrl = `http://127.0.0.1:${port}`;
  return {
    baseUrl, port, db, dir, child, exited,
    logs: () => output,
    async healthy(timeoutMs = 15_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        if (child.exitCode !== null || child.signalCode !== null) throw new Error(`passerelle serve exited early:\n${output}`);
        try {
          const response = await request(baseUrl, 'GET', '/healthz');
          if (response.status === 200) return;
        } catch { /* not listening yet */ }
        if (Date.now() > deadline) throw new Error(`passerelle serve did not become healthy:\n${output}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    },
  };
}

// One HTTP request with full control of the headers. Resolves { status, headers, body }.
export function request(baseUrl, method, path, { headers = {}, body } = {}) {
  const allHeaders = { ...headers };
  if (body !== undefined) allHeaders['content-length'] = Buffer.byteLength(body);
  return new Promise((resolve, reject) => {
    const req = http.request(`${baseUrl}${path}`, { method, headers: allHeaders, agent: false }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    if (body !== undefined) req.write(body);
    req.end();
  });
}

// The CSRF token of the first form of a page.
export function csrfTokenIn(html) {
  const match = html.match(/name="_csrf" value="([^"]+)"/);
  if (!match) throw new Error('no _csrf field in the page');
  return match[1];
}

// Waits until `predicate()` holds (a log line written just after the response, say: on a loaded
// machine it may come a moment later), polling every 50 ms; throws naming `what` after `timeoutMs`.
export async function waitFor(predicate, what, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await predicate())) {  // a predicate may be async: awaited every round
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
