#!/usr/bin/env node
// Writes the upgrade fixture of a release (tests/upgrade/README.md): run it with the binary of
// that release, on that release's tree, BEFORE new migrations are added.
//
//   PASSERELLE_BIN=build/passerelle node tests/upgrade/make-fixture.mjs v9
//
// It loads the demo data into a fresh SQLite database, sends one referral through the help flow,
// writes one /suivi message, then writes
//   tests/upgrade/<name>.sql   `sqlite3 .dump` of the database without the gazetteer's communes
//                              (the test loads them again: they are public data, and 35,000 rows)
//   tests/upgrade/<name>.json  what the old binary showed her (follow-up code, code word, message,
//                              organization and referral ids) and the data folder's keys needed to
//                              read it (server.key and the organization's demo key, base64: test
//                              keys of a fixture, never used anywhere else).
import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

import { repoRoot, startServer } from '../integration/harness.mjs';
import { sendReferral } from '../integration/pro-harness.mjs';
import { queryText } from '../integration/referral-visitor.mjs';

const execFileAsync = promisify(execFile);
const name = process.argv[2];
if (!/^v\d+$/.test(name ?? '')) throw new Error('usage: make-fixture.mjs vN (N: the last migration of the release)');

// PostgreSQL (PASSERELLE_TEST_DB=postgresql in tests/pg/with-postgres.sh): <name>-pg.sql, a
// plain pg_dump without the communes' rows, and <name>-pg.json.
const isPostgres = process.env.PASSERELLE_TEST_DB === 'postgresql';
const fixture = isPostgres ? `${name}-pg` : name;
const server = await startServer({ gazetteer: true, extraArgs: ['--post-limit', '100000', '--jobs-interval', '0'] });
try {
  const codeWord = 'mimosa-fixture';
  const referral = await sendReferral(server, { codeWord });
  const message = 'Message de la version précédente';
  const reply = await referral.visitor.post('/suivi', [['code', referral.code], ['action', 'reply'], ['message', message]]);
  if (reply.status !== 200) throw new Error(`/suivi reply: ${reply.status}`);
  const migrations = (await queryText(server, 'SELECT version FROM schema_migrations ORDER BY version')).split('\n');
  if (`v${migrations.at(-1)}` !== name) throw new Error(`the database is at migration ${migrations.at(-1)}, not ${name}`);
  let dump;
  if (isPostgres) {
    ({ stdout: dump } = await execFileAsync('pg_dump', ['--no-owner', '--no-privileges', '--exclude-table-data=commune',
      server.db], { maxBuffer: 64 * 1024 * 1024 }));
  } else {
    const { stdout } = await execFileAsync('sqlite3', [server.db.slice('sqlite:'.length), '.dump'], { maxBuffer: 64 * 1024 * 1024 });
    dump = stdout.split('\n').filter((line) => !line.startsWith('INSERT INTO commune ')).join('\n');
  }
  await writeFile(join(repoRoot, 'tests', 'upgrade', `${fixture}.sql`), dump);
  const dataDir = join(server.dir, 'data');
  const facts = {
    made_at_commit: (await execFileAsync('git', ['rev-parse', 'HEAD'], { cwd: repoRoot })).stdout.trim(),
    migration: Number(migrations.at(-1)),
    referral_id: referral.id,
    organization_id: referral.organizationId,
    code: referral.code,
    code_word: codeWord,
    message,
    server_key: (await readFile(join(dataDir, 'server.key'))).toString('base64'),
    demo_key: (await readFile(join(dataDir, 'demo-keys', `${referral.organizationId}.key`))).toString('base64'),
  };
  await writeFile(join(repoRoot, 'tests', 'upgrade', `${fixture}.json`), `${JSON.stringify(facts, null, 2)}\n`);
  console.log(`tests/upgrade/${fixture}.sql and ${fixture}.json written (${dump.length} bytes of SQL)`);
} finally {
  await server.stop();
}
