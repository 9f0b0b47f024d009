// `passerelle gazetteer correct`: a coordinator's correction of one commune's point, kept by a
// later `gazetteer load`; a probable typo or an unknown commune is refused with its reason.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';

import { databaseUrl, runBinary } from './harness.mjs';

let dir;
let db;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'passerelle-gaz-'));
  db = await databaseUrl(dir);
  assert.equal((await runBinary(['migrate', '--db', db])).code, 0);
  const loaded = await runBinary(['gazetteer', 'load', '--db', db]);
  assert.equal(loaded.code, 0, loaded.stderr);
});

after(async () => {
  await rm(dir, { recursive: true, force: true });
});

test('a correction is kept by a later load; typos and unknown communes are refused', async () => {
  const ok = await runBinary(['gazetteer', 'correct', '--db', db, '62588', '50.4644', '1.7636']);
  assert.equal(ok.code, 0, ok.stderr);
  assert.match(ok.stdout, /62588 : point corrigé/);

  const reloaded = await runBinary(['gazetteer', 'load', '--db', db]);
  assert.equal(reloaded.code, 0, reloaded.stderr);
  assert.match(reloaded.stdout, /[1-9]\d* officielles ou corrigées conservées/);

  const far = await runBinary(['gazetteer', 'correct', '--db', db, '62588', '48.8566', '2.3522']);
  assert.equal(far.code, 1);
  assert.match(far.stderr, /62588 : Point à \d+ km de celui de la commune/);

  const unknown = await runBinary(['gazetteer', 'correct', '--db', db, '99999', '50.4', '1.7']);
  assert.equal(unknown.code, 1);
  assert.match(unknown.stderr, /99999 : Commune inconnue/);

  const notANumber = await runBinary(['gazetteer', 'correct', '--db', db, '62588', 'nord', '1.7']);
  assert.equal(notANumber.code, 2);
  assert.match(notANumber.stderr, /lat/);
});
