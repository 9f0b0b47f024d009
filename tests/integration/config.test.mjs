// Invalid configuration: one clear line naming the setting, exit code 2.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { freePort, runBinary } from './harness.mjs';

async function expectConfigError(args, env, settingPattern) {
  const { code, stderr } = await runBinary(args, env);
  assert.equal(code, 2, `exit code for ${args.join(' ')}: ${stderr}`);
  const lines = stderr.trim().split('\n').filter((l) => !l.startsWith('ts='));
  assert.equal(lines.length, 1, `one line expected, got:\n${stderr}`);
  assert.match(lines[0], settingPattern);
}

test('a database URL of an unknown kind names --db', async () => {
  await expectConfigError(['serve', '--db', 'mysql://u@h/db'], {}, /--db \(PASSERELLE_DB\).*"mysql"/);
});

test('the environment variable is read and named', async () => {
  await expectConfigError(['migrate'], { PASSERELLE_DB: 'oracle:x' }, /PASSERELLE_DB/);
});

test('a bad listen address names --listen', async () => {
  await expectConfigError(['serve', '--db', 'sqlite:/tmp/never.db', '--listen', '127.0.0.1:99999'], {},
    /--listen \(PASSERELLE_LISTEN\).*port/);
});

test('a non-http exit URL names --exit-url', async () => {
  await expectConfigError(['serve', '--db', 'sqlite:/tmp/never.db', '--exit-url', 'javascript:alert(1)'], {},
    /--exit-url/);
});

test('a map tile URL on another host names --tile-url (public pages contact no other host)', async () => {
  await expectConfigError(['serve', '--db', 'sqlite:/tmp/never.db', '--tile-url', 'https://tiles.example.org/{z}/{x}/{y}.png'],
    {}, /--tile-url/);
  await expectConfigError(['serve', '--db', 'sqlite:/tmp/never.db'], { PASSERELLE_TILE_URL: '//tiles.example.org/{z}/{x}/{y}.png' },
    /PASSERELLE_TILE_URL/);
  await expectConfigError(['serve', '--db', 'sqlite:/tmp/never.db', '--tile-url', '/tuiles/tile.png'], {}, /\{z\}/);
});

test('an unknown flag and a missing subcommand are configuration errors', async () => {
  await expectConfigError(['serve', '--colour', 'red'], {}, /invalid configuration/);
  await expectConfigError([], {}, /invalid configuration/);
});

test('an unknown territory names --territory', async () => {
  const port = await freePort();
  const { mkdtemp } = await import('node:fs/promises');
  const dir = await mkdtemp('/tmp/passerelle-cfg-');
  await expectConfigError(['serve', '--db', `sqlite:${dir}/p.db`, '--data-dir', `${dir}/data`,
    '--listen', `127.0.0.1:${port}`, '--territory', 'atlantide'], {}, /--territory.*atlantide/);
});

test('--help works for every subcommand', async () => {
  for (const sub of ['serve', 'migrate', 'demo']) {
    const { code, stdout } = await runBinary([sub, '--help']);
    assert.equal(code, 0, sub);
    assert.match(stdout, /--db/, sub);
  }
});
