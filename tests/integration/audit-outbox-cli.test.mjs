// `passerelle audit verify` and `passerelle outbox deliver` as an operator or cron runs them:
// exit codes, what they print, bad SMTP settings named, and an e-mail delivered once over real
// SMTP (tests/smtp-sink/sink.mjs), then again after an outage; a sent row keeps its Paris day
// only, and `jobs run` removes final rows after 30 days. SQLite or PostgreSQL (harness.mjs).
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

// Runs one statement with the database's own client (to tamper, to queue a row, or to read one
// value): resolves to what it printed, trimmed.
async function sqlOn(url, statement) {
  if (url.startsWith('sqlite:')) {
    const { stdout } = await execFileAsync('sqlite3', [url.slice('sqlite:'.length), statement]);
    return stdout.trim();
  }
  const { stdout } = await execFileAsync('psql', [url, '-v', 'ON_ERROR_STOP=1', '-q', '-t', '-A', '-c', statement]);
  return stdout.trim();
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
    // Sent: its times keep the Paris day only (00:00 in Paris is 22:00 or 23:00 UTC), not the second.
    for (const column of ['claimed_at', 'sent_at']) {
      const at = Number(await sql(`SELECT ${column} FROM outbox WHERE id = 'it-1'`));
      assert.ok([79200, 82800].includes(at % 86400), `${column} = ${at}`);
      assert.ok(at <= Date.now() / 1000 && at > Date.now() / 1000 - 26 * 3600, `${column} = ${at}`);
    }

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

test('jobs run: final outbox rows go after 30 Paris days, pending ones stay; the count ends the summary', async () => {
  await sql('DELETE FROM outbox');
  const march1 = 1772319600;  // 00:00 in Paris on 1 March 2026
  for (const [id, status] of [['r-sent', 'sent'], ['r-failed', 'failed'], ['r-unknown', 'unknown'],
    ['r-pending', 'pending']]) {
    await sql(`INSERT INTO outbox (id, recipient, kind, created_at, status, attempts, next_attempt_at, sent_at)
               VALUES ('${id}', 'accueil@asso.example.org', 'new_referral', ${march1}, '${status}', 1,
                       ${march1}, ${status === 'sent' ? march1 : 'NULL'})`);
  }
  const kept = await runBinary(['jobs', 'run', '--db', db, '--now', '2026-03-31']);
  assert.equal(kept.code, 0, kept.stderr);
  assert.match(kept.stdout, /^reminded 0, escalated 0, expired 0, .*, failures 0, outbox rows removed 0(,|$)/m);
  const removed = await runBinary(['jobs', 'run', '--db', db, '--now', '2026-04-01']);
  assert.equal(removed.code, 0, removed.stderr);
  assert.match(removed.stdout, /, outbox rows removed 3(,|$)/m);
  assert.match(removed.stderr, /event=jobs_run .*outbox_removed=3/);
  assert.doesNotMatch(removed.stdout + removed.stderr, /accueil@asso|r-sent/);  // counts only
  const again = await runBinary(['jobs', 'run', '--db', db, '--now', '2026-04-01']);
  assert.match(again.stdout, /, outbox rows removed 0(,|$)/m);
  assert.equal(await sql('SELECT id FROM outbox'), 'r-pending');
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
