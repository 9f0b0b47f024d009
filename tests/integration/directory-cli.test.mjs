// The real binary's `import` and `export` on a fresh database (SQLite, or PostgreSQL with
// PASSERELLE_TEST_DB=postgresql): bad files fail loudly with exit code 1 and write nothing,
// --skip-invalid and --dry-run behave as documented, public exports hide confidential places,
// and an HSDS export imports back unchanged.
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';

import { databaseUrl, repoRoot, runBinary } from './harness.mjs';

let dir;
let db;

const header = 'organization_id,organization_name,phones,service_id,service_name,categories,opening_hours,'
  + 'location_id,address,postal_code,city,insee_code,latitude,longitude,confidential\n';
const rowA = 'it-a,Association IT,01 99 00 40 01,it-a-s,Écoute,victim-support-association,Mo-Fr 09:00-17:00,'
  + 'it-a-l,1 rue du Test,75010,Paris,75110,48.87,2.36,false\n';
const shelter = 'it-b,Foyer IT,01 99 00 40 02,it-b-s,Abri,shelter,24/7,'
  + 'it-b-l,4 impasse Cachée,75010,Paris,75110,48.8799,2.3599,true\n';

async function file(name, text) {
  const path = join(dir, name);
  await writeFile(path, text);
  return path;
}

async function exportAll(format, ...flags) {
  const result = await runBinary(['export', '--db', db, '--format', format, ...flags]);
  assert.equal(result.code, 0, result.stderr);
  return result.stdout;
}

function organizationIds(hsds) {
  return JSON.parse(hsds).organizations.map((o) => o.id);
}

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'passerelle-dircli-'));
  db = await databaseUrl(dir);
  const demo = await runBinary(['demo', '--db', db, '--data-dir', join(dir, 'data')]);
  assert.equal(demo.code, 0, demo.stderr);
  assert.match(demo.stdout, /demo directory loaded: paris-10 \(\d+ organizations: \d+ created/);
  assert.match(demo.stdout, /demo directory loaded: montreuillois/);
});

after(async () => {
  await rm(dir, { recursive: true, force: true });
});

test('a file with one bad row is refused whole: exit 1, the line and reason on stderr, nothing written', async () => {
  const before = await exportAll('hsds', '--include-confidential');
  const bad = rowA.replace('victim-support-association', 'voyance');
  const path = await file('bad.csv', header + shelter + bad);
  const result = await runBinary(['import', '--db', db, '--format', 'csv', '--territory', 'paris-10', path]);
  assert.equal(result.code, 1);
  assert.match(result.stderr, /bad\.csv: line 3: categories : catégorie inconnue « voyance »/);
  assert.match(result.stderr, /passerelle import: 1 rejection: nothing written \(fix them, or use --skip-invalid/);
  assert.equal(result.stdout,
    'nothing written; 2 rows read: 1 organization would have been created, 0 updated, 0 unchanged; 1 rejection\n');
  assert.doesNotMatch(result.stderr, /\[#/, 'no progress bar when stderr is not a terminal');
  assert.equal(await exportAll('hsds', '--include-confidential'), before);
});

test('file-level errors: unknown territory, broken JSON, unknown column, missing file', async () => {
  const before = await exportAll('hsds', '--include-confidential');
  const cases = [
    [['--format', 'csv', '--territory', 'atlantide', await file('ok.csv', header + rowA)], /territoire inconnu « atlantide »/],
    [['--format', 'hsds', '--territory', 'paris-10', await file('broken.json', '{"organizations": [\n{"id": ]}')],
      /JSON invalide ligne 2/],
    [['--format', 'csv', '--territory', 'paris-10', await file('col.csv', 'organization_name,couleur\nA,bleu\n')],
      /ligne 1 : colonne inconnue « couleur »/],
    [['--format', 'csv', '--territory', 'paris-10', join(dir, 'absent.csv')], /fichier illisible/],
  ];
  for (const [args, pattern] of cases) {
    const result = await runBinary(['import', '--db', db, ...args]);
    assert.equal(result.code, 1, `${args.join(' ')}: ${result.stderr}`);
    assert.match(result.stderr, pattern);
  }
  const badFormat = await runBinary(['import', '--db', db, '--format', 'xml', '--territory', 'paris-10', 'x']);
  assert.equal(badFormat.code, 2);
  assert.equal(await exportAll('hsds', '--include-confidential'), before);
});

test('--dry-run reports and writes nothing; --skip-invalid writes only the valid organizations', async () => {
  const path = await file('mixed.csv', header + rowA + shelter.replace('24/7', 'tout le temps'));
  const before = await exportAll('hsds', '--include-confidential');
  const dry = await runBinary(['import', '--db', db, '--format', 'csv', '--territory', 'paris-10', '--dry-run', path]);
  assert.equal(dry.code, 1);
  assert.match(dry.stderr, /line 3: opening_hours : position/);
  assert.match(dry.stdout, /^nothing written \(--dry-run\); 2 rows read: 1 organization would have been created, /);
  assert.equal(await exportAll('hsds', '--include-confidential'), before);

  const skip = await runBinary(['import', '--db', db, '--format', 'csv', '--territory', 'paris-10', '--skip-invalid', path]);
  assert.equal(skip.code, 0, skip.stderr);
  assert.equal(skip.stdout, '2 rows read: 1 organization created, 0 updated, 0 unchanged; 1 rejection\n');
  const ids = organizationIds(await exportAll('hsds', '--territory', 'paris-10'));
  assert.ok(ids.includes('it-a'));
  assert.ok(!ids.includes('it-b'));
});

test('public exports hide confidential places; --include-confidential shows them', async () => {
  const path = await file('shelter.csv', header + shelter.replace(/it-b/g, 'it-c'));
  const result = await runBinary(['import', '--db', db, '--format', 'csv', '--territory', 'paris-10', path]);
  assert.equal(result.code, 0, result.stderr);
  for (const format of ['hsds', 'csv']) {
    const open = await exportAll(format, '--territory', 'paris-10');
    assert.match(open, /Foyer IT/);
    assert.doesNotMatch(open, /impasse Cachée|48\.8799|2\.3599/);
    // The demo shelters too.
    assert.doesNotMatch(open, /passage Secret-Démo|cour Cachée-Démo/);
    const full = await exportAll(format, '--territory', 'paris-10', '--include-confidential');
    assert.match(full, /impasse Cachée/);
  }
  const unknown = await runBinary(['export', '--db', db, '--format', 'csv', '--territory', 'atlantide']);
  assert.equal(unknown.code, 1);
  assert.match(unknown.stderr, /unknown territory "atlantide"/);
});

test('an HSDS export imports back unchanged; the documented examples import', async () => {
  const exported = await exportAll('hsds', '--territory', 'montreuillois', '--include-confidential');
  const count = JSON.parse(exported).organizations.length;
  assert.ok(count >= 25);
  const path = await file('mtr.json', exported);
  const again = await runBinary(['import', '--db', db, '--format', 'hsds', '--territory', 'montreuillois', path]);
  assert.equal(again.code, 0, again.stderr);
  assert.equal(again.stdout,
    `${count} organizations read: 0 organizations created, 0 updated, ${count} unchanged; 0 rejections\n`);
  assert.equal(await exportAll('hsds', '--territory', 'montreuillois', '--include-confidential'), exported);

  // The documented examples import as they are.
  const docs = await readFile(join(repoRoot, 'docs', 'data-formats.md'), 'utf8');
  const csvExample = docs.match(/```csv\n([\s\S]*?)```/)[1];
  const jsonExample = docs.match(/```json\n([\s\S]*?)```/)[1];
  const csvResult = await runBinary(['import', '--db', db, '--format', 'csv', '--territory', 'paris-10',
    await file('doc.csv', csvExample)]);
  assert.equal(csvResult.code, 0, csvResult.stderr);
  assert.match(csvResult.stdout, /^3 rows read: 2 organizations created/);
  const jsonResult = await runBinary(['import', '--db', db, '--format', 'hsds', '--territory', 'paris-10',
    await file('doc.json', jsonExample)]);
  assert.equal(jsonResult.code, 0, jsonResult.stderr);
  assert.match(jsonResult.stdout, /^1 organization read: 0 organizations created, 1 updated/);
});

// Issue 15 F3: this file crashed the binary (SIGSEGV) in every mode (runBinary throws on a signal).
test('a refused first row and a second row repeating its id: both rejected, no crash, in every mode', async () => {
  const path = await file('f3.csv', 'organization_id,organization_name\norg-x,Nom A,champ en trop\norg-x,Nom B\n');
  const before = await exportAll('hsds', '--include-confidential');
  for (const flags of [[], ['--dry-run'], ['--skip-invalid'], ['--skip-invalid', '--dry-run']]) {
    const result = await runBinary(['import', '--db', db, '--format', 'csv', '--territory', 'paris-10', ...flags, path]);
    assert.equal(result.code, flags.includes('--skip-invalid') ? 0 : 1, `${flags.join(' ')}: ${result.stderr}`);
    assert.match(result.stderr, /f3\.csv: line 2: 3 champs pour 2 colonnes/);
    assert.match(result.stderr, /f3\.csv: line 3: organisation « Nom B » non importée : la ligne 2 est refusée/);
    assert.match(result.stdout, /2 rows read: 0 organizations (would have been )?created, 0 updated, 0 unchanged; 2 rejections/);
  }
  assert.equal(await exportAll('hsds', '--include-confidential'), before);
});

// Issue 10 §7: without ids, every derived id used to be the same (release) or the binary aborted
// (debug).
test('a CSV file without ids imports every organization under its own id, and again unchanged', async () => {
  const text = 'organization_name,phones,service_name,categories,address,postal_code,city,insee_code,latitude,longitude\n'
    + 'Sans Id Un,01 99 00 40 11,Écoute,victim-support-association,1 rue Un,75010,Paris,75110,48.87,2.36\n'
    + 'Sans Id Deux,01 99 00 40 12,Écoute,victim-support-association,2 rue Deux,75010,Paris,75110,48.871,2.361\n';
  const path = await file('no-ids.csv', text);
  const first = await runBinary(['import', '--db', db, '--format', 'csv', '--territory', 'paris-10', path]);
  assert.equal(first.code, 0, first.stderr);
  assert.equal(first.stdout, '2 rows read: 2 organizations created, 0 updated, 0 unchanged; 0 rejections\n');
  const organizations = JSON.parse(await exportAll('hsds', '--territory', 'paris-10')).organizations
    .filter((o) => o.name.startsWith('Sans Id'));
  assert.deepEqual(organizations.map((o) => o.name).sort(), ['Sans Id Deux', 'Sans Id Un']);
  assert.notEqual(organizations[0].id, organizations[1].id);
  for (const o of organizations) assert.match(o.id, /^org-[0-9a-f]{32}$/);
  const again = await runBinary(['import', '--db', db, '--format', 'csv', '--territory', 'paris-10', path]);
  assert.equal(again.code, 0, again.stderr);
  assert.equal(again.stdout, '2 rows read: 0 organizations created, 0 updated, 2 unchanged; 0 rejections\n');
});
