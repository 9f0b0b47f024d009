// The referral (issue 3 §6–7) over HTTP against the real binary, without JavaScript: from the
// result page to the report, consent, the sealed referral and its follow-up code, /suivi, and
// the confidentiality check (canaries never stored in clear: SQLite file + WAL, or pg_dump).
import assert from 'node:assert/strict';
import { mkdtemp, readFile, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';

import { request, startServer } from './harness.mjs';
import {
  execFileAsync, mainOf, openReport, proposalsIn, queryNumber, sendFields, tokenIn, Visitor,
} from './referral-visitor.mjs';

const countReferrals = (server) => queryNumber(server, 'SELECT COUNT(*) FROM referral');
const countSentStat = (server) =>
  queryNumber(server, "SELECT COALESCE(SUM(count), 0) FROM stat_counter WHERE kind = 'referral_sent'");

describe('referral without JavaScript', () => {
  let server;
  before(async () => {
    // `passerelle demo` (run by the harness) writes the demo secret keys under <data-dir>/demo-keys.
    server = await startServer({ gazetteer: true, extraArgs: ['--post-limit', '100000'] });
  });
  after(async () => {
    await server?.stop();
  });

  test('demo organizations get key pairs, secret keys 0600', async () => {
    const dir = join(server.dir, 'data', 'demo-keys');
    const files = await readdir(dir);
    assert.ok(files.length >= 50, `${files.length} demo key files`);
    for (const file of files) {
      assert.equal((await stat(join(dir, file))).mode & 0o777, 0o600, file);
    }
  });

  test('an adult in the 10e: report, removal, consent, code, same token, /suivi, deletion', async () => {
    const v = new Visitor(server.baseUrl);
    const contact = await v.walkToContact('Papiers retenus');
    const end = await v.finish(contact, 'parapluie');
    const report = await openReport(v, end);
    let main = mainOf(report.page.body);
    assert.match(main, /Votre demande à/);
    assert.match(main, /J’accepte que cette demande, telle qu’elle apparaît ci-dessus, soit envoyée à :/);
    // Safe-contact instructions come first in the report.
    assert.ok(main.indexOf('data-report-section="safe_contact"') < main.indexOf('data-report-section="answers"'));
    assert.match(main, /data-item="children"/);
    assert.match(main, /parapluie/);

    // Remove an item: the preview no longer has it.
    const fields = sendFields(report, [['contact_detail', '06 11 22 33 44'], ['pseudonym', 'Camille-ZQX7']])
      .filter(([k, value]) => !(k === 'include' && value === 'children'));
    let r = await v.post('/aide/envoi', [...fields, ['action', 'preview']]);
    assert.equal(r.status, 200);
    main = mainOf(r.body);
    assert.doesNotMatch(main, /data-item="children"/);
    assert.match(main, /Camille-ZQX7/);
    assert.match(main, /id="include-children" name="include" type="checkbox" value="children">/, 'unchecked');

    // No consent: nothing is sent.
    r = await v.post('/aide/envoi', [...fields, ['action', 'send']]);
    assert.equal(r.status, 400);
    assert.match(r.body, /app-error-summary/);
    assert.equal(await countReferrals(server), 0);

    r = await v.post('/aide/envoi', [...fields, ['consent', 'yes'], ['action', 'send']]);
    assert.equal(r.status, 200);
    const code = r.body.match(/data-followup-code><strong>([a-z]+-[a-z]+-[a-z]+-\d{4})</)?.[1];
    assert.ok(code, 'the confirmation shows the follow-up code');
    const organization = r.body.match(/data-organization>([^<]+)</)[1];
    assert.match(r.body, /Et maintenant/);
    assert.equal(await countReferrals(server), 1);

    // The same token again: the same referral, the same code.
    r = await v.post('/aide/envoi', [...fields, ['consent', 'yes'], ['action', 'send']]);
    assert.equal(r.status, 200);
    assert.ok(r.body.includes(`<strong>${code}</strong>`));
    assert.equal(await countReferrals(server), 1);
    assert.equal(await countSentStat(server), 1, 'referral_sent counted once');

    // Follow-up: the status, typed loosely.
    const suivi = await request(server.baseUrl, 'GET', '/suivi');
    assert.equal(suivi.status, 200);
    r = await v.post('/suivi', [['code', code.replaceAll('-', ' ').toUpperCase()]]);
    assert.equal(r.status, 200);
    assert.match(r.body, /data-status="new"/);
    assert.ok(r.body.includes(organization));

    // A wrong code shows nothing specific.
    const digits = code.slice(-4);
    const wrong = code.slice(0, -4) + String((Number(digits) + 1) % 10000).padStart(4, '0');
    r = await v.post('/suivi', [['code', wrong]]);
    assert.equal(r.status, 404);
    assert.doesNotMatch(r.body, /data-status/);
    assert.ok(!r.body.includes(organization));
    const nonsense = await v.post('/suivi', [['code', 'pas un code']]);
    assert.equal(nonsense.status, 404);
    assert.equal(mainOf(nonsense.body).replace(/value="[^"]*"/g, ''), mainOf(r.body).replace(/value="[^"]*"/g, ''));

    // Reply, sealed to the organization, with a copy sealed to her own code-derived key.
    r = await v.post('/suivi', [['code', code], ['action', 'reply'], ['message', 'Merci, plutôt après 19 h']]);
    assert.equal(r.status, 200);
    assert.match(r.body, /Votre message a été envoyé/);
    assert.match(r.body, /Vous :<\/strong> <bdi class="app-message-text">Merci, plutôt après 19 h/, 'she reads her own message back with her code');

    // The same code in English and Arabic: the status in her language.
    r = await v.post('/en/suivi', [['code', code]]);
    assert.equal(r.status, 200);
    assert.match(r.body, /data-status="new">Sent: the professional has not taken it up yet\.</);
    r = await v.post('/ar/suivi', [['code', code]]);
    assert.equal(r.status, 200);
    assert.match(r.body, /data-status="new">أُرسل: لم يتكفّل به المهني بعد\.</);

    // Delete: gone at once.
    r = await v.post('/suivi', [['code', code], ['action', 'delete']]);
    assert.equal(r.status, 200);
    assert.match(r.body, /Votre demande a été supprimée/);
    r = await v.post('/suivi', [['code', code]]);
    assert.equal(r.status, 404);
  });

  test('only a service among her proposals can receive it', async () => {
    // A service of the other demo territory that accepts referrals: never proposed for the 10e.
    const select = "SELECT s.id FROM service s JOIN organization o ON o.id = s.organization_id "
      + "JOIN organization_key k ON k.organization_id = o.id "
      + "WHERE o.territory_slug = 'montreuillois' AND o.accepts_referrals = 1 ORDER BY s.id LIMIT 1";
    const { stdout } = server.db.startsWith('sqlite:')
      ? await execFileAsync('sqlite3', [server.db.slice('sqlite:'.length), select])
      : await execFileAsync('psql', [server.db, '-At', '-c', select]);
    const elsewhere = stdout.trim();
    assert.ok(elsewhere, 'a Montreuillois service that accepts referrals');
    const v = new Visitor(server.baseUrl);
    const end = await v.finish(await v.walkToContact('Rien'), 'pomme');
    assert.ok(!proposalsIn(end.body).includes(elsewhere));
    const before = await countReferrals(server);
    for (const path of ['/aide/rapport', '/aide/envoi']) {
      const r = await v.post(path, [['token', tokenIn(end.body)], ['service_id', elsewhere], ['consent', 'yes'],
        ['contact_detail', '06 11 22 33 44'], ['action', 'send']]);
      assert.equal(r.status, 400, path);
      assert.match(r.body, /ne fait pas partie des propositions/);
    }
    assert.equal(await countReferrals(server), before);
  });

  test('a GET never shows a report, a forged token is refused', async () => {
    const r = await request(server.baseUrl, 'GET', '/aide/envoi');
    assert.equal(r.status, 303);
    const v = new Visitor(server.baseUrl);
    await v.start();
    const refused = await v.post('/aide/rapport', [['token', 'AQ' + 'x'.repeat(60)], ['service_id', 'x']]);
    assert.equal(refused.status, 400);
    const unfinished = await v.post('/aide/rapport', [['token', v.token], ['service_id', 'x']]);
    assert.equal(unfinished.status, 400);
  });

  test('confidentiality: 20 referrals with canaries leave none in clear in the database', async () => {
    const v = new Visitor(server.baseUrl);
    const contact = await v.walkToContact('CANARYFREE autre besoin');
    for (let i = 0; i < 20; i += 1) {
      const end = await v.finish(contact, `CANARYWORD${i}`);
      const report = await openReport(v, end);
      const r = await v.post('/aide/envoi', sendFields(report, [
        ['contact_detail', `06 00 00 ${String(10 + i)} 99`], ['pseudonym', `CANARYPSEUDO${i}`],
        ['message', `CANARYTEXT${i} mon histoire`], ['consent', 'yes'], ['handover', 'yes'], ['action', 'send'],
      ]));
      assert.equal(r.status, 200);
      const code = r.body.match(/data-followup-code><strong>([^<]+)</)[1];
      const reply = await v.post('/suivi', [['code', code], ['action', 'reply'], ['message', `CANARYREPLY${i}`]]);
      assert.equal(reply.status, 200);
    }
    assert.ok(await countReferrals(server) >= 20);
    const canaries = ['CANARY', 'ZQX7', 'parapluie', '06 00 00'];
    let scanned = '';
    if (server.db.startsWith('sqlite:')) {
      const file = server.db.slice('sqlite:'.length);
      for (const f of [file, `${file}-wal`]) {
        const bytes = await readFile(f).catch(() => Buffer.alloc(0));
        scanned += bytes.toString('latin1');
      }
      assert.ok(scanned.length > 0);
    } else {
      const { stdout } = await execFileAsync('/usr/lib/postgresql/15/bin/pg_dump', [server.db], { maxBuffer: 1 << 28 });
      scanned = stdout;
      assert.match(scanned, /CREATE TABLE public.referral/);
    }
    assert.match(scanned, /ref-[0-9a-f]{16}/, 'the scan reads the referral rows (ids are in clear)');
    for (const canary of canaries) {
      assert.equal(scanned.split(canary).length - 1, 0, `${canary} found in clear`);
    }
  });
});
