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
  execFileAsync, mainOf, nonceIn, openReport, proposalsIn, queryNumber, sendFields, tokenIn, Visitor,
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
    assert.match(main, /J’accepte que cette demande, telle qu’elle apparaît ci-dessus, soit envoyée à\s:/);
    // Safe-contact instructions come first in the report.
    assert.ok(main.indexOf('data-report-section="safe_contact"') < main.indexOf('data-report-section="answers"'));
    assert.match(main, /data-item="children"/);
    assert.match(main, /parapluie/);

    // Remove an item: the preview no longer has it. The POST answers 303 and the GET shows the page.
    const fields = sendFields(report, [['contact_detail', '06 11 22 33 44'], ['pseudonym', 'Camille-ZQX7']])
      .filter(([k, value]) => !(k === 'include' && value === 'children'));
    let r = await v.post('/aide/envoi', [...fields, ['action', 'preview']]);
    assert.equal(r.status, 200);
    main = mainOf(r.body);
    assert.doesNotMatch(main, /data-item="children"/);
    assert.match(main, /Camille-ZQX7/);
    assert.match(main, /id="include-children" name="include" type="checkbox" value="children">/, 'unchecked');
    assert.doesNotMatch(main, /Elle a accepté/, 'no consent line before she ticked the box');
    const withNonce = (page, list) => [['nonce', nonceIn(page.body)], ...list.filter(([k]) => k !== 'nonce')];

    // The form posted again with its used nonce (a resubmission): a neutral expired page.
    const stale = await v.post('/aide/envoi', [...fields, ['action', 'preview']]);
    assert.equal(stale.status, 400);
    assert.match(stale.body, /Page expirée/);
    assert.doesNotMatch(stale.body, /Camille-ZQX7|06 11 22 33 44/);
    r = await v.get('/aide/rapport');
    assert.equal(r.status, 200, 'the draft is still there');
    assert.match(r.body, /value="06 11 22 33 44"/, 'what she typed is given back');

    // No consent: nothing is sent.
    r = await v.post('/aide/envoi', withNonce(r, [...fields, ['action', 'send']]));
    assert.equal(r.status, 400);
    assert.match(r.body, /app-error-summary/);
    assert.equal(await countReferrals(server), 0);

    r = await v.post('/aide/envoi', withNonce(r, [...fields, ['consent', 'yes'], ['action', 'send']]));
    assert.equal(r.status, 200);
    const code = r.body.match(/data-followup-code><strong>([a-z]+-[a-z]+-[a-z]+-\d{4})</)?.[1];
    assert.ok(code, 'the confirmation shows the follow-up code');
    const organization = r.body.match(/data-organization>([^<]+)</)[1];
    assert.match(r.body, /Et maintenant/);
    assert.equal(await countReferrals(server), 1);

    // Back to the report or the confirmation (a later GET, not the one after her POST): a neutral
    // expired page, so that whoever holds the open browser does not read her code there.
    for (const path of ['/aide/rapport', '/aide/envoi']) {
      r = await v.get(path);
      assert.equal(r.status, 400, path);
      assert.match(r.body, /Page expirée/);
      assert.ok(!r.body.includes(code), path);
    }

    // Back to her proposals, "Préparer ma demande" and send again (issue 10 §2): the same
    // referral and code; the same after re-answering the contact question ("Retour", "Continuer").
    for (const endPage of [end, await v.finish(contact, 'parapluie')]) {
      const again = await v.post('/aide/rapport', [['token', tokenIn(endPage.body)], ['service_id', report.serviceId]]);
      assert.equal(again.status, 200);
      r = await v.post('/aide/envoi', sendFields({ ...report, page: again },
        [['contact_detail', '06 11 22 33 44'], ['consent', 'yes'], ['action', 'send']]));
      assert.equal(r.status, 200);
      assert.ok(r.body.includes(`<strong>${code}</strong>`), 'the same code');
    }
    assert.equal(await countReferrals(server), 1);
    assert.equal(await countSentStat(server), 1, 'referral_sent counted once');

    // Follow-up: the status, typed loosely.
    const suivi = await request(server.baseUrl, 'GET', '/suivi');
    assert.equal(suivi.status, 200);
    r = await v.post('/suivi', [['code', code.replaceAll('-', ' ').toUpperCase()]]);
    assert.equal(r.status, 200);
    assert.match(r.body, /data-status="new"/);
    assert.ok(r.body.includes(organization));
    assert.doesNotMatch(r.body, new RegExp(code), 'the code is not written into the status page');

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

    // Reply from the status page (the code stays in her draft), sealed to the organization,
    // with a copy sealed to her own code-derived key.
    r = await v.post('/suivi', [['code', code]]);
    r = await v.post('/suivi', [['nonce', nonceIn(r.body)], ['action', 'reply'], ['message', 'Merci, plutôt après 19 h']]);
    assert.equal(r.status, 200);
    assert.match(r.body, /Votre message a été envoyé/);
    assert.match(r.body, /Vous\s:<\/strong> <bdi class="app-message-text">Merci, plutôt après 19 h/, 'she reads her own message back with her code');
    const replayed = await v.post('/suivi', [['nonce', 'x'.repeat(32)], ['action', 'reply'], ['message', 'encore']]);
    assert.equal(replayed.status, 400, 'a replayed form is expired');

    // The same code in English and Arabic: the status in her language.
    r = await v.post('/en/suivi', [['code', code]]);
    assert.equal(r.status, 200);
    assert.match(r.body, /data-status="new">Sent: the professional has not taken it up yet\.</);
    r = await v.post('/ar/suivi', [['code', code]]);
    assert.equal(r.status, 200);
    assert.match(r.body, /data-status="new">أُرسل: لم يتكفّل به المهني بعد\.</);

    // Delete: a confirmation first (nothing deleted yet), then gone at once.
    r = await v.post('/suivi', [['code', code]]);
    r = await v.post('/suivi', [['nonce', nonceIn(r.body)], ['action', 'delete']]);
    assert.equal(r.status, 200);
    assert.match(r.body, /Supprimer votre demande\s\?/);
    assert.match(r.body, /app-button--warning/);
    // "Non, garder ma demande": back to the status, nothing deleted.
    r = await v.post('/suivi', [['nonce', nonceIn(r.body)], ['action', 'show']]);
    assert.ok(r.body.includes('data-status="new"'), 'not deleted');
    // Typed again, /suivi shows the code form, not her request.
    const later = await v.get('/suivi');
    assert.match(later.body, /id="code"/);
    assert.doesNotMatch(later.body, /data-status/);
    r = await v.post('/suivi', [['code', code], ['action', 'delete'], ['confirm', 'yes']]);
    assert.equal(r.status, 200);
    assert.match(r.body, /Votre demande a été supprimée/);
    r = await v.post('/suivi', [['code', code]]);
    assert.equal(r.status, 404);
  });

  test('four parallel sends of one run give one referral and one code', async () => {
    const first = new Visitor(server.baseUrl);
    const end = await first.finish(await first.walkToContact('Parallèle'), 'orage');
    const { serviceId } = await openReport(first, end);
    const before = await countReferrals(server);
    // Four browsers (four drafts) holding the same end page of one run.
    const visitors = [first, ...[1, 2, 3].map(() => Object.assign(new Visitor(server.baseUrl), { csrf: first.csrf }))];
    const reports = await Promise.all(visitors.map(async (v) => ({
      serviceId, token: tokenIn(end.body),
      page: await v.post('/aide/rapport', [['token', tokenIn(end.body)], ['service_id', serviceId]]),
    })));
    const pages = await Promise.all(visitors.map((v, i) => v.post('/aide/envoi',
      sendFields(reports[i], [['contact_detail', '06 12 12 12 12'], ['consent', 'yes'], ['action', 'send']]))));
    const codes = pages.map((p) => p.body.match(/data-followup-code><strong>([^<]+)</)?.[1]);
    assert.ok(codes[0]);
    assert.deepEqual(codes, [codes[0], codes[0], codes[0], codes[0]]);
    assert.equal(await countReferrals(server), before + 1);
  });

  test('the one cookie of the public side: her draft id, on /aide, /suivi and /sortie only; the quick exit ends it', async () => {
    const v = new Visitor(server.baseUrl);
    const end = await v.finish(await v.walkToContact('Cookie'), 'nuage');
    // Set once, by the first answer of the questions (their Post/Redirect/Get keeps the page in
    // her draft), and not again while the same draft lives.
    assert.deepEqual(new Set(v.setCookies.map(({ path }) => path)), new Set(['/aide/questions']));
    const report = await openReport(v, end);
    const r = await v.post('/aide/envoi', sendFields(report, [['contact_detail', '06 13 13 13 13'], ['consent', 'yes'],
      ['message', 'CANARYCOOKIE'], ['action', 'send']]));
    const code = r.body.match(/data-followup-code><strong>([^<]+)</)[1];
    assert.ok(v.setCookies.length > 0);
    for (const { path, line } of v.setCookies) {
      assert.ok(['/aide/questions'].includes(path), `set by ${path}`);
      assert.match(line, /^passerelle_draft=[A-Za-z0-9_-]{43}; Path=\/(aide|suivi|sortie); HttpOnly; SameSite=Strict$/, line);
      assert.doesNotMatch(line, /Max-Age|Expires|Domain/i);
    }
    assert.deepEqual(new Set(v.setCookies.map(({ line }) => line.match(/Path=([^;]+)/)[1])),
      new Set(['/aide', '/suivi', '/sortie']));
    const id = v.cookies.get('passerelle_draft');
    // Stored only as a keyed hash, with the draft sealed.
    assert.equal(await queryNumber(server, `SELECT COUNT(*) FROM public_draft WHERE id_hash = '${id}' OR sealed LIKE '%CANARY%'`), 0);
    // The quick exit: Clear-Site-Data, the cookie expired on every path, the draft destroyed.
    const exit = await request(server.baseUrl, 'GET', '/sortie', { headers: v.cookieHeader() });
    assert.equal(exit.status, 303);
    assert.match(exit.headers['clear-site-data'], /"cookies"/);
    assert.ok([exit.headers['set-cookie']].flat().some((line) => /^passerelle_draft=; Path=\/aide; Max-Age=0/.test(line)));
    const after = await request(server.baseUrl, 'GET', '/aide/envoi', { headers: v.cookieHeader() });
    assert.equal(after.status, 400);
    assert.match(after.body, /Page expirée/);
    assert.ok(!after.body.includes(code), 'the confirmation is gone with the draft');
    // Pages without a draft set no cookie.
    for (const path of ['/aide', '/aide/questions', '/suivi', '/aide/rapport', '/aide/envoi', '/sortie']) {
      const page = await request(server.baseUrl, 'GET', path);
      assert.equal(page.headers['set-cookie'], undefined, path);
    }
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
    const r = await v.post('/aide/rapport', [['token', tokenIn(end.body)], ['service_id', elsewhere], ['consent', 'yes'],
      ['contact_detail', '06 11 22 33 44'], ['action', 'send']]);
    assert.equal(r.status, 400);
    assert.match(r.body, /ne fait pas partie des propositions/);
    // Sending is possible only from her draft, which only a proposed service enters.
    const sent = await v.post('/aide/envoi', [['token', tokenIn(end.body)], ['service_id', elsewhere], ['consent', 'yes'],
      ['contact_detail', '06 11 22 33 44'], ['action', 'send']]);
    assert.equal(sent.status, 400);
    assert.match(sent.body, /Page expirée/);
    assert.equal(await countReferrals(server), before);
  });

  test('a GET without her draft shows no report, a forged token is refused', async () => {
    for (const path of ['/aide/envoi', '/aide/rapport']) {
      const r = await request(server.baseUrl, 'GET', path);
      assert.equal(r.status, 400, path);
      assert.match(r.body, /Page expirée/);
    }
    const v = new Visitor(server.baseUrl);
    await v.start();
    const refused = await v.post('/aide/rapport', [['token', 'AQ' + 'x'.repeat(60)], ['service_id', 'x']]);
    assert.equal(refused.status, 400);
    const unfinished = await v.post('/aide/rapport', [['token', v.token], ['service_id', 'x']]);
    assert.equal(unfinished.status, 400);
  });

  test('confidentiality: 20 referrals with canaries leave none in clear in the database', async () => {
    for (let i = 0; i < 20; i += 1) {
      // One run each: a run gives one referral per service (issue 10 §2).
      const v = new Visitor(server.baseUrl);
      const end = await v.finish(await v.walkToContact('CANARYFREE autre besoin'), `CANARYWORD${i}`);
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
