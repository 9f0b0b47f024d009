// Upgrade path (issue 15 §2, tests/upgrade/README.md): a database written by a previous release
// (its migrations, demo data, a referral sent and a message written with the old binary, in
// tests/upgrade/v<N>.sql) is migrated by this binary, served, and everything still opens: the
// follow-up code the OLD binary gave her, her message, the report with the organization's key,
// the directory and the audit chain.
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';

import { csrfTokenIn, databaseUrl, repoRoot, request, runBinary, startServer } from '../integration/harness.mjs';
import { Professional } from '../integration/pro-harness.mjs';
import { execFileAsync, mainOf, queryText, Visitor } from '../integration/referral-visitor.mjs';

const here = join(repoRoot, 'tests', 'upgrade');
// SQLite: v<N>.sql (sqlite3 .dump); PostgreSQL (PASSERELLE_TEST_DB=postgresql inside
// tests/pg/with-postgres.sh): v<N>-pg.sql (pg_dump).
const isPostgres = process.env.PASSERELLE_TEST_DB === 'postgresql';
const fixtures = (await readdir(here)).filter((f) => (isPostgres ? /^v\d+-pg\.sql$/ : /^v\d+\.sql$/).test(f))
  .map((f) => f.slice(0, -4));

for (const name of fixtures) {
  describe(`upgrade from ${name}`, () => {
    let dir;
    let server;
    let facts;
    after(async () => {
      await server?.stop();
      if (dir) await rm(dir, { recursive: true, force: true });
    });

    test('the old database is migrated by this release', async () => {
      facts = JSON.parse(await readFile(join(here, `${name}.json`), 'utf8'));
      dir = await mkdtemp(join(tmpdir(), 'passerelle-upgrade-'));
      const data = join(dir, 'data');
      await mkdir(join(data, 'demo-keys'), { recursive: true, mode: 0o700 });
      // The old data folder: its server key and the demo key of her organization.
      await writeFile(join(data, 'server.key'), Buffer.from(facts.server_key, 'base64'), { mode: 0o600 });
      await writeFile(join(data, 'demo-keys', `${facts.organization_id}.key`), Buffer.from(facts.demo_key, 'base64'), { mode: 0o600 });
      const db = await databaseUrl(dir);  // PostgreSQL: the test database, emptied
      if (isPostgres) {
        await execFileAsync('psql', [db, '-v', 'ON_ERROR_STOP=1', '-q', '-f', join(here, `${name}.sql`)]);
      } else {
        await execFileAsync('sqlite3', [db.slice('sqlite:'.length), `.read ${join(here, `${name}.sql`)}`]);
      }
      assert.equal(await queryText({ db }, 'SELECT MAX(version) FROM schema_migrations'), String(facts.migration));

      const migrated = await runBinary(['migrate', '--db', db]);
      assert.equal(migrated.code, 0, migrated.stderr);
      const versions = (await queryText({ db }, 'SELECT version FROM schema_migrations ORDER BY version')).split('\n').map(Number);
      const files = (await readdir(join(repoRoot, 'migrations'))).map((f) => Number(f.slice(0, 4)));
      assert.deepEqual(versions, files.sort((a, b) => a - b), 'every migration of this release applied');
      // The gazetteer is left out of the fixture (public data): loaded again as at set-up.
      const gazetteer = await runBinary(['gazetteer', 'load', '--db', db]);
      assert.equal(gazetteer.code, 0, gazetteer.stderr);
      server = await startServer({ dir, db, demo: false, extraArgs: ['--post-limit', '100000', '--jobs-interval', '0'] });
    });

    test('the follow-up code given by the old binary still opens her referral and her message', async () => {
      // A browser without JavaScript: POST, then the 303 to GET /suivi with her draft cookie.
      const v = new Visitor(server.baseUrl);
      v.csrf = csrfTokenIn((await v.get('/suivi')).body);
      const r = await v.post('/suivi', [['code', facts.code]]);
      assert.equal(r.status, 200);
      assert.match(r.body, /data-status=/);
      assert.ok(r.body.includes(`<bdi class="app-message-text">${facts.message}`), 'her message, read with her old code');
      const reply = await v.post('/suivi', [['code', facts.code], ['action', 'reply'], ['message', 'Après la mise à jour']]);
      assert.match(reply.body, /Vous\s:<\/strong> <bdi class="app-message-text">Après la mise à jour/, 'she can still write');
    });

    test('a member of her organization opens it with the organization key', async () => {
      const pro = new Professional(server.baseUrl, 'mise-a-jour@example.org');
      await pro.enrolAndSignIn(server, ['--role', 'member', '--org', facts.organization_id]);
      const r = await pro.get(`/pro/demandes/${facts.referral_id}`);
      assert.equal(r.status, 200);
      const main = mainOf(r.body);
      assert.ok(main.includes(facts.code_word), 'her report');
      assert.ok(main.includes(facts.message), 'her message');
    });

    test('the directory shows and the audit chain verifies', async () => {
      const annuaire = await request(server.baseUrl, 'GET', '/annuaire?commune=75010');
      assert.equal(annuaire.status, 200);
      assert.match(annuaire.body, /Autour de Paris 10e/);
      const results = annuaire.body.split('class="app-annuaire-result"').length - 1;
      assert.ok(results >= 10, `${results} organizations around the 10e`);
      const help = await request(server.baseUrl, 'GET', '/aide');
      assert.equal(help.status, 200);
      const verify = await runBinary(['audit', 'verify', '--db', server.db]);
      assert.equal(verify.code, 0, verify.stderr);
    });
  });
}

test('there is an upgrade fixture', () => assert.ok(fixtures.length > 0));
