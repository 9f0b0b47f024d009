// `passerelle audit verify` and `passerelle outbox deliver` as an operator or cron runs them:
// exit codes, what they print, bad SMTP settings named, and an e-mail delivered once over real
// SMTP (tests/smtp-sink/sink.mjs), then again after an outage. SQLite or PostgreSQL (harness.mjs).
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';

import { decodeBody, startSink } from '../smtp-sink/sink.mjs';
import { databaseUrl, runBinary, startServer } from './harness.mjs';

const execFileAsync = promisify(execFile);
const FROM = 'passerelle@example.org';

let dir;
let db;

// Runs one statement with the database's own client (to tamper, or to queue a row).
async function sqlOn(url, statement) {
  if (url.startsWith('sqlite:')) {
    await execFileAsync('sqlite3', [url.slice('sqlite:'.length), statement]);
  } else {
    await execFileAsync('psql', [url, '-v', 'ON_ERROR_STOP=1', '-q', '-c', statement]);
  }
}

const sql = (statement) => sqlOn(db, statement);

async function queue(id, recipient, kind) {
  await sql(`INSERT INTO outbox (id, recipient, kind, created_at, status, attempts, next_attempt_at)
             VALUES ('${id}', '${recipient}', '${kind}', 0, 'pending', 0, 0)`);
}

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'passerelle-audit-outbox-'));
  db = await databaseUrl(dir);
  const migrated = await runBinary(['migrate', '--db', db]);
  assert.equal(migrated.code, 0, migrated.stderr);
});

after(async () => {
  await rm(dir, { recursive: true, force: true });
});

test('audit verify: an intact log exits 0, an entry added behind its head exits 1 naming it', async () => {
  const ok = await runBinary(['audit', 'verify', '--db', db]);
  assert.equal(ok.code, 0, ok.stderr);
  assert.match(ok.stdout, /audit log: 0 entries verified, chain intact/);

  await sql(`INSERT INTO audit_log (seq, at, actor, action, object, detail, prev_hash, hash)
             VALUES (1, 0, 'cli', 'export', '', '', '${'0'.repeat(64)}', 'forged')`);
  const tampered = await runBinary(['audit', 'verify', '--db', db]);
  assert.equal(tampered.code, 1);
  assert.match(tampered.stderr, /TAMPERED: first bad entry: seq 1: entry 1 is beyond the chain head/);
  await sql('DELETE FROM audit_log');
});

test('outbox deliver: missing or bad SMTP settings are named, exit 2', async () => {
  const none = await runBinary(['outbox', 'deliver', '--db', db], { PASSERELLE_SMTP_URL: '' });
  assert.equal(none.code, 2);
  assert.match(none.stderr, /PASSERELLE_SMTP_URL/);

  const bad = await runBinary(['outbox', 'deliver', '--db', db, '--smtp-url', 'http://mail.example.org',
    '--smtp-from', FROM]);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /invalid configuration: --smtp-url \(PASSERELLE_SMTP_URL\): must start with smtp:\/\//);

  const secret = await runBinary(['outbox', 'deliver', '--db', db, '--smtp-url', 'smtp://u:hunter2@h:notaport',
    '--smtp-from', FROM]);
  assert.equal(secret.code, 2);
  assert.doesNotMatch(secret.stderr, /hunter2/);

  const noFrom = await runBinary(['outbox', 'deliver', '--db', db, '--smtp-url', 'smtp://127.0.0.1:25'],
    { PASSERELLE_SMTP_FROM: '' });
  assert.equal(noFrom.code, 2);
  assert.match(noFrom.stderr, /PASSERELLE_SMTP_FROM/);

  const badNow = await runBinary(['outbox', 'deliver', '--db', db, '--smtp-url', 'smtp://127.0.0.1:25',
    '--smtp-from', FROM, '--now', 'demain']);
  assert.equal(badNow.code, 2);
  assert.match(badNow.stderr, /--now/);
});

test('outbox deliver: delivered once over SMTP, content-free; an outage is retried later', async () => {
  const sink = await startSink();
  try {
    const args = ['outbox', 'deliver', '--db', db, '--smtp-url', `smtp://127.0.0.1:${sink.port}`,
      '--smtp-from', FROM, '--public-url', 'https://passerelle.example.org/'];
    await queue('it-1', 'accueil@asso.example.org', 'new_referral');
    const first = await runBinary(args);
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stdout, /outbox: 1 sent, 0 to retry later, 0 failed/);
    assert.doesNotMatch(first.stdout + first.stderr, /accueil@asso/);  // no address in logs
    assert.equal(sink.messages.length, 1);
    assert.deepEqual(sink.messages[0].to, ['accueil@asso.example.org']);
    const body = decodeBody(sink.messages[0].data);
    assert.match(body, /Une nouvelle demande vous attend sur Passerelle\./);
    assert.match(body, /\nhttps:\/\/passerelle\.example\.org\/pro\n/);

    const again = await runBinary(args);
    assert.match(again.stdout, /outbox: 0 sent/);
    assert.equal(sink.messages.length, 1);

    // The server goes away: the next e-mail waits, then goes out once it is back.
    const port = sink.port;
    await sink.close();
    await queue('it-2', 'accueil@asso.example.org', 'new_message');
    const down = await runBinary(args);
    assert.equal(down.code, 0, down.stderr);
    assert.match(down.stdout, /0 sent, 1 to retry later/);
    assert.match(down.stderr, /event=notification_retry outbox_id=it-2 kind=new_message error=connect attempt=1/);

    const back = await startSink({ port });
    try {
      const tooEarly = await runBinary(args);
      assert.match(tooEarly.stdout, /0 sent, 0 to retry later/);
      const later = new Date(Date.now() + 5 * 60_000).toISOString().replace(/\.\d+Z$/, 'Z');
      const retried = await runBinary([...args, '--now', later]);
      assert.match(retried.stdout, /outbox: 1 sent/);
      assert.equal(back.messages.length, 1);
      assert.match(decodeBody(back.messages[0].data), /Un nouveau message vous attend sur Passerelle\./);
    } finally {
      await back.close();
    }
  } finally {
    await sink.close().catch(() => {});
  }
});

test('serve delivers the outbox in the background and stops cleanly', async () => {
  const sink = await startSink();
  const server = await startServer({
    demo: false,
    extraArgs: ['--smtp-url', `smtp://127.0.0.1:${sink.port}`, '--smtp-from', FROM, '--outbox-poll-ms', '200'],
  });
  try {
    await sqlOn(server.db, `INSERT INTO outbox (id, recipient, kind, created_at, status, attempts, next_attempt_at)
                            VALUES ('it-serve', 'accueil@asso.example.org', 'reminder', 0, 'pending', 0, 0)`);
    const deadline = Date.now() + 15_000;
    while (sink.messages.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    assert.equal(sink.messages.length, 1, server.logs());
    assert.match(decodeBody(sink.messages[0].data), /Une demande attend toujours/);
    assert.doesNotMatch(server.logs(), /accueil@asso/);
  } finally {
    const { code } = await server.stop();
    assert.equal(code, 0, server.logs());
    await sink.close();
  }
});
