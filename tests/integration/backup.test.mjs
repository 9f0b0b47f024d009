// Backup and restore (issue 15 §2, docs/operations.md) with the real binary: after referrals,
// messages and audit entries, a backup taken while the server serves (SQLite: `passerelle
// backup`; PostgreSQL: pg_dump), restored into a new database (`passerelle restore`; pg_restore),
// served again with the server key put back from its own place: every referral opens with the
// organization's key (a member signs in) and with her follow-up code, `passerelle audit verify`
// passes, and she can still write.
import assert from 'node:assert/strict';
import { copyFile, mkdir, mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';

import { runBinary, startServer } from './harness.mjs';
import { Professional, sendReferral, totp } from './pro-harness.mjs';
import { execFileAsync, mainOf, queryNumber } from './referral-visitor.mjs';

const isPostgres = process.env.PASSERELLE_TEST_DB === 'postgresql';
const currentStep = () => Math.floor(Date.now() / 1000 / 30);

describe(`backup and restore (${isPostgres ? 'PostgreSQL: pg_dump, pg_restore' : 'SQLite: passerelle backup, restore'})`, () => {
  let server;
  let restoredServer;
  let work;  // the operator's folders: backups, and the new server's data folder
  let restoredDb;
  const referrals = [];
  const member = {};

  before(async () => {
    work = await mkdtemp(join(tmpdir(), 'passerelle-backup-'));
    server = await startServer({ gazetteer: true, extraArgs: ['--post-limit', '100000', '--jobs-interval', '0'] });
  });
  after(async () => {
    await restoredServer?.stop();
    await server?.stop();
    if (isPostgres && restoredDb) {
      await execFileAsync('psql', [process.env.PASSERELLE_TEST_PG_URL, '-q', '-c', 'DROP DATABASE IF EXISTS passerelle_restored']);
    }
    await rm(work, { recursive: true, force: true });
  });

  test('referrals, messages and audit entries, then a backup while serving', async () => {
    for (const codeWord of ['sauvegarde-un', 'sauvegarde-deux', 'sauvegarde-trois']) {
      const referral = await sendReferral(server, { codeWord, serviceId: referrals[0]?.serviceId ?? null });
      referral.message = `Message avant la sauvegarde ${codeWord}`;
      const r = await referral.visitor.post('/suivi', [['code', referral.code], ['action', 'reply'], ['message', referral.message]]);
      assert.match(r.body, /Votre message a été envoyé/);
      referrals.push(referral);
      if (referrals.length === 1) {
        // A member of her organization, early: her TOTP steps are long past when she signs in
        // again on the restored server.
        member.pro = new Professional(server.baseUrl, 'sauvegarde@example.org');
        await member.pro.enrolAndSignIn(server, ['--role', 'member', '--org', referral.organizationId]);
        member.lastStep = currentStep() + 1;  // at most: enrolment used the step of its time, sign-in the next
      }
    }
    for (const referral of referrals) {
      const r = await member.pro.get(`/pro/demandes/${referral.id}`);
      assert.equal(r.status, 200);
      assert.match(mainOf(r.body), new RegExp(referral.codeWord));
    }
    member.audits = await queryNumber(server, 'SELECT COUNT(*) FROM audit_log');
    assert.ok(member.audits >= 5, `${member.audits} audit entries`);

    // The backup runs while another victim sends her referral.
    const during = sendReferral(server, { codeWord: 'pendant-la-sauvegarde', serviceId: referrals[0].serviceId });
    if (isPostgres) {
      const refused = await runBinary(['backup', '--db', server.db, '--to', join(work, 'refused.db')]);
      assert.equal(refused.code, 1);
      assert.match(refused.stderr, /pg_dump/, 'passerelle backup points at pg_dump for PostgreSQL');
      await execFileAsync('pg_dump', ['--format=custom', `--file=${join(work, 'passerelle.dump')}`, server.db]);
    } else {
      const backup = await runBinary(['backup', '--db', server.db, '--to', join(work, 'passerelle-backup.db')]);
      assert.equal(backup.code, 0, backup.stderr);
      assert.match(backup.stdout, /server key is not in it/);
      assert.equal((await stat(join(work, 'passerelle-backup.db'))).mode & 0o777, 0o600);
      const again = await runBinary(['backup', '--db', server.db, '--to', join(work, 'passerelle-backup.db')]);
      assert.equal(again.code, 1, 'an existing backup file is not overwritten');
    }
    await during;
  });

  test('restored into a new database, with the server key put back', async () => {
    const dir = join(work, 'restored');
    await mkdir(join(dir, 'data'), { recursive: true });
    if (isPostgres) {
      const admin = process.env.PASSERELLE_TEST_PG_URL;
      await execFileAsync('psql', [admin, '-q', '-c', 'DROP DATABASE IF EXISTS passerelle_restored']);
      await execFileAsync('psql', [admin, '-q', '-c', 'CREATE DATABASE passerelle_restored']);
      restoredDb = admin.replace(/\/[^/]+$/, '/passerelle_restored');
      await execFileAsync('pg_restore', ['--no-owner', `--dbname=${restoredDb}`, join(work, 'passerelle.dump')]);
    } else {
      restoredDb = `sqlite:${join(dir, 'passerelle.db')}`;
      const from = join(work, 'passerelle-backup.db');
      const restore = await runBinary(['restore', '--db', restoredDb, '--from', from]);
      assert.equal(restore.code, 0, restore.stderr);
      const twice = await runBinary(['restore', '--db', restoredDb, '--from', from]);
      assert.equal(twice.code, 1, 'a database that holds data is not overwritten without --force');
      assert.match(twice.stderr, /--force/);
      const forced = await runBinary(['restore', '--db', restoredDb, '--from', from, '--force']);
      assert.equal(forced.code, 0, forced.stderr);
      const notOurs = await runBinary(['restore', '--db', `sqlite:${join(work, 'other.db')}`, '--from', join(server.dir, 'data', 'server.key')]);
      assert.equal(notOurs.code, 1, 'a file that is not a Passerelle database is refused');
    }
    // The server key comes back from where the operator keeps it, apart from database backups.
    await copyFile(join(server.dir, 'data', 'server.key'), join(dir, 'data', 'server.key'));
    const verify = await runBinary(['audit', 'verify', '--db', restoredDb]);
    assert.equal(verify.code, 0, verify.stderr);
    const verified = Number(verify.stdout.match(/(\d+) entries verified/)?.[1]);
    assert.ok(verified >= member.audits, `${verified} entries verified, ${member.audits} before the backup`);
    restoredServer = await startServer({ dir, db: restoredDb, demo: false, extraArgs: ['--post-limit', '100000', '--jobs-interval', '0'] });
  });

  test('every referral opens with its follow-up code, and she can still write', async () => {
    for (const referral of referrals) {
      referral.visitor.baseUrl = restoredServer.baseUrl;
      const r = await referral.visitor.post('/suivi', [['code', referral.code]]);
      assert.equal(r.status, 200, referral.codeWord);
      assert.ok(r.body.includes(`Vous\u202F:</strong> <bdi class="app-message-text">${referral.message}`), referral.codeWord);
    }
    const r = await referrals[0].visitor.post('/suivi', [['code', referrals[0].code], ['action', 'reply'], ['message', 'Après la restauration']]);
    assert.match(r.body, /Vous\s:<\/strong> <bdi class="app-message-text">Après la restauration/);
  });

  test('every referral opens with the organization key: the member signs in again', async () => {
    const pro = member.pro;
    pro.baseUrl = restoredServer.baseUrl;
    pro.cookie = '';
    // A TOTP step is accepted once (the restored database remembers the last one used) and from
    // one step before its time.
    const step = Math.max(member.lastStep + 1, currentStep());
    while (currentStep() + 1 < step) await new Promise((resolve) => setTimeout(resolve, 500));
    await pro.get('/pro');
    const signed = await pro.post('/pro', [['email', pro.email], ['password', pro.password], ['code', totp(pro.secret, step)]]);
    assert.equal(signed.status, 303, 'sign-in on the restored server');
    for (const referral of referrals) {
      const page = await pro.get(`/pro/demandes/${referral.id}`);
      assert.equal(page.status, 200);
      const main = mainOf(page.body);
      assert.match(main, new RegExp(referral.codeWord), 'her report, opened with the organization key');
      assert.ok(main.includes(referral.message), 'her message, opened with the organization key');
    }
    const verify = await runBinary(['audit', 'verify', '--db', restoredDb]);
    assert.equal(verify.code, 0, 'the chain goes on after the restore');
  });
});
