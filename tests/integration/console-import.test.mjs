// The territory console's census by file (issue 11 §2, docs/territory-console.md "Import") over
// HTTP against the real binary, without JavaScript: a coordinator uploads a CSV of 20
// organisations (multipart/form-data), sees the dry run (20 created), applies it (20 written,
// audited), sees the same file as 20 unchanged; a file with one bad line is refused naming the
// line and changes nothing; an HSDS upload; her download imports again as unchanged; another
// territory's coordinator gets 404. SQLite, or PostgreSQL with PASSERELLE_TEST_DB=postgresql.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { request, spawnServe, startServer } from './harness.mjs';
import { mainOf, Professional, sendReferral } from './pro-harness.mjs';
import { queryNumber } from './referral-visitor.mjs';

const kImport = '/pro/territoires/paris-10/import';
const kHeader = 'organization_id,organization_name,phones,service_id,service_name,categories,opening_hours,'
  + 'location_id,address,postal_code,city,insee_code,latitude,longitude,confidential\n';

// `count` organisations of the 10e, one row each: org-imp-01 … (`bad`: the line, 2 = first row,
// whose category is unknown; `prefix`: instead of "imp" in the identifiers).
function censusCsv(count, { bad, prefix = 'imp' } = {}) {
  let text = kHeader;
  for (let i = 1; i <= count; ++i) {
    const n = String(i).padStart(count > 99 ? 4 : 2, '0');
    const category = i + 1 === bad ? 'voyance' : 'legal-advice';
    const p = String(i).padStart(4, '0');
    text += `org-${prefix}-${n},Permanence ${n},01 98 ${p.slice(0, 2)} ${p.slice(2)} 00 (accueil),svc-${prefix}-${n},`
      + `Conseil ${n},${category},Mo-Fr 09:00-17:00,loc-${prefix}-${n},${i} rue du Recensement,75010,Paris,75110,`
      + '48.87,2.35,false\n';
  }
  return text;
}

const kHsds = JSON.stringify({ organizations: [{
  id: 'org-imp-h', name: 'Maison HSDS', phones: [{ number: '01 99 00 40 01', type: 'voice' }],
  locations: [{ id: 'loc-imp-h', name: 'Accueil', latitude: 48.873, longitude: 2.357,
    addresses: [{ address_1: '5 rue H', postal_code: '75010', city: 'Paris', insee_code: '75110' }] }],
  services: [{ id: 'svc-imp-h', name: 'Permanence juridique', categories: ['legal-advice'],
    opening_hours: 'Tu 14:00-18:00', service_at_locations: [{ location_id: 'loc-imp-h' }] }],
}] });

// Posts `content` as the file of the import form (multipart/form-data), with the page's token.
async function upload(pro, filename, content, path = kImport, formPath = path) {
  assert.equal((await pro.get(formPath)).status, 200);
  const boundary = '----passerelle' + Math.random().toString(16).slice(2);
  const body = `--${boundary}\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n${pro.csrf}\r\n`
    + `--${boundary}\r\nContent-Disposition: form-data; name="fichier"; filename="${filename}"\r\n`
    + `Content-Type: text/csv\r\n\r\n${content}\r\n--${boundary}--\r\n`;
  const r = await request(pro.baseUrl, 'POST', path, {
    body,
    headers: pro.headers({ 'content-type': `multipart/form-data; boundary=${boundary}`, 'sec-fetch-site': 'same-origin' }),
  });
  pro.keepCookie(r);
  return r;
}

// Uploads, follows to the dry run page; returns it.
async function dryRun(pro, filename, content) {
  const r = await upload(pro, filename, content);
  assert.equal(r.status, 303, r.status === 303 ? '' : mainOf(r.body).slice(0, 600));
  assert.match(r.headers.location, /^\/pro\/territoires\/paris-10\/import\?envoi=[0-9a-f]{32}$/);
  const page = await pro.get(r.headers.location);
  assert.equal(page.status, 200);
  return page;
}

const counts = (page) => ['created', 'updated', 'unchanged'].map(
  (k) => Number(page.body.match(new RegExp(`data-${k}-count>(\\d+)<`))[1]));

async function apply(pro, page) {
  const envoi = page.body.match(/name="envoi" value="([0-9a-f]+)"/)[1];
  return pro.post(`${kImport}/appliquer`, [['envoi', envoi]]);
}

const bigCount = (server) => queryNumber(server, "SELECT COUNT(*) FROM organization WHERE id LIKE 'org-big-%'");

// GETs `path` every 300 ms until `done(page)`, for a minute at most; returns that page.
async function until(pro, path, done) {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const page = await pro.get(path);
    if (done(page)) return page;
    assert.equal(page.status, 200, mainOf(page.body).slice(0, 600));
    assert.ok(Date.now() < deadline, 'the job never ended');
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
}

const imported = (server) => queryNumber(server, "SELECT COUNT(*) FROM organization WHERE id LIKE 'org-imp-%'");

describe('territory console: import and export of actors', () => {
  let server;
  let coordinator;
  let other;

  before(async () => {
    server = await startServer();
    coordinator = new Professional(server.baseUrl, 'coordination-import@example.org');
    await coordinator.enrolAndSignIn(server, ['--role', 'coordinator', '--territory', 'paris-10']);
    other = new Professional(server.baseUrl, 'coordination-montreuil@example.org');
    await other.enrolAndSignIn(server, ['--role', 'coordinator', '--territory', 'montreuillois']);
  });
  after(async () => {
    await server?.stop();
  });

  test('the hub links to the import; the form posts a file', async () => {
    const hub = await coordinator.get('/pro/territoires/paris-10');
    assert.match(mainOf(hub.body), /href="\/pro\/territoires\/paris-10\/import"/);
    const form = await coordinator.get(kImport);
    assert.equal(form.status, 200);
    assert.match(form.body, /enctype="multipart\/form-data"/);
    assert.match(form.body, /<input[^>]*id="fichier"[^>]*type="file"/);
  });

  test('a file with one bad line is refused naming it, and writes nothing', async () => {
    const r = await upload(coordinator, 'acteurs.csv', censusCsv(20, { bad: 7 }));
    assert.equal(r.status, 400);
    const main = mainOf(r.body);
    assert.match(main, /href="#fichier">Ligne 7 : categories : catégorie inconnue « voyance »/);
    assert.match(main, /rien n’a été enregistré/);
    assert.equal(await imported(server), 0);
    assert.equal(await queryNumber(server, 'SELECT COUNT(*) FROM console_import_upload'), 0);
    // Not a file at all.
    const empty = await upload(coordinator, '', '');
    assert.equal(empty.status, 400);
    assert.match(mainOf(empty.body), /href="#fichier">Choisissez un fichier CSV ou HSDS/);
    const columns = await upload(coordinator, 'acteurs.csv', 'nom,ville\nA,Paris\n');
    assert.equal(columns.status, 400);
    assert.match(mainOf(columns.body), /href="#fichier">[^<]*colonne/);
  });

  test('20 organisations: dry run, apply, then the same file is unchanged', async () => {
    const csv = censusCsv(20);
    const page = await dryRun(coordinator, 'acteurs.csv', csv);
    assert.deepEqual(counts(page), [20, 0, 0]);
    assert.equal([...page.body.matchAll(/<li><strong>Permanence \d\d<\/strong>/g)].length, 20);
    assert.equal(await imported(server), 0, 'a dry run writes nothing');
    const r = await apply(coordinator, page);
    assert.equal(r.status, 303);
    assert.match(r.headers.location, /etat=applique&crees=20&modifiees=0&inchangees=0/);
    assert.match(mainOf((await coordinator.get(r.headers.location)).body), /L’import est appliqué : 20 organisation/);
    assert.equal(await imported(server), 20);
    assert.equal(await queryNumber(server, 'SELECT COUNT(*) FROM console_import_upload'), 0, 'the kept file is gone');
    assert.equal(await queryNumber(server,
      "SELECT COUNT(*) FROM audit_log WHERE action = 'directory.imported' AND object = 'territory:paris-10'"), 1);
    // New actors are drafts, as from the census forms: not public until published.
    assert.equal(await queryNumber(server,
      "SELECT COUNT(*) FROM organization WHERE id LIKE 'org-imp-%' AND publication = 'draft'"), 20);
    assert.equal((await request(server.baseUrl, 'GET', '/annuaire/svc-imp-01')).status, 404);
    const published = await coordinator.post('/pro/territoires/paris-10/acteurs/org-imp-01/etat', [['action', 'publier']]);
    assert.equal(published.status, 303);
    const shown = await request(server.baseUrl, 'GET', '/annuaire/svc-imp-01');
    assert.equal(shown.status, 200);
    assert.match(shown.body, /Conseil 01/);
    // Applying twice does nothing more.
    assert.match((await apply(coordinator, page)).headers.location, /etat=expire/);

    const again = await dryRun(coordinator, 'acteurs.csv', csv);
    assert.deepEqual(counts(again), [0, 0, 20]);
    assert.match(again.body, /data-nothing/);
    assert.doesNotMatch(again.body, /data-apply-form/);
  });

  test('a changed field is shown old → new', async () => {
    const csv = censusCsv(20).replace('Conseil 03,', 'Conseil juridique 03,');
    const page = await dryRun(coordinator, 'acteurs.csv', csv);
    assert.deepEqual(counts(page), [0, 1, 19]);
    assert.match(page.body, /data-updated="org-imp-03"[\s\S]*<th scope="row">services\[svc-imp-03\]\.name<\/th><td>Conseil 03<\/td><td>Conseil juridique 03<\/td>/);
  });

  test('an HSDS upload', async () => {
    const page = await dryRun(coordinator, 'acteurs.json', kHsds);
    assert.deepEqual(counts(page), [1, 0, 0]);
    assert.match(page.body, /HSDS \(JSON\)/);
    assert.equal((await apply(coordinator, page)).status, 303);
    assert.equal(await queryNumber(server, "SELECT COUNT(*) FROM organization WHERE id = 'org-imp-h'"), 1);
    const bad = await upload(coordinator, 'acteurs.json', kHsds.replace('"Tu 14:00-18:00"', '"le mardi"'));
    assert.equal(bad.status, 400);
    assert.match(mainOf(bad.body), /Élément \$\.organizations\[0\]\.services\[0\]\.opening_hours : opening_hours/);
  });

  test('the download is the full data, not cached, audited, and imports again as unchanged', async () => {
    for (const [path, type] of [['export.csv', /^text\/csv/], ['export.json', /^application\/json/]]) {
      const r = await coordinator.get(`/pro/territoires/paris-10/${path}`);
      assert.equal(r.status, 200);
      assert.match(r.headers['content-type'], type);
      assert.equal(r.headers['cache-control'], 'no-store');
      assert.match(r.headers['content-disposition'], /^attachment; filename="passerelle-paris-10\./);
      assert.match(r.body, /org-imp-20/);
      const page = await dryRun(coordinator, `passerelle-paris-10.${path.split('.')[1]}`, r.body);
      const [created, updated, unchanged] = counts(page);
      assert.equal(created + updated, 0, created + updated === 0 ? '' : mainOf(page.body).slice(0, 1500));
      assert.ok(unchanged >= 21);
    }
    assert.equal(await queryNumber(server,
      "SELECT COUNT(*) FROM audit_log WHERE action = 'export' AND object = 'territory:paris-10'"), 2);
  });

  test('the import takes a file over the 256 KiB every other route is limited to', async () => {
    const big = censusCsv(2000);
    assert.ok(big.length > 300 * 1024, `${big.length} bytes`);
    const sent = await upload(coordinator, 'gros.csv', big);
    assert.equal(sent.status, 303);
    const page = await until(coordinator, sent.headers.location, (p) => !/http-equiv="refresh"/.test(p.body));
    assert.deepEqual(counts(page), [2000, 0, 0]);
    await coordinator.get('/pro/territoires/paris-10/delais');
    const other = await coordinator.post('/pro/territoires/paris-10/delais', [['x', 'a'.repeat(300 * 1024)]]);
    assert.equal(other.status, 413);
    // docs/security.md F7: the larger limit is for a signed-in session only, refused before the
    // body is read otherwise (without a cookie, or with a forged one).
    const body = 'x'.repeat(300 * 1024);
    const type = { 'content-type': 'multipart/form-data; boundary=x' };
    assert.equal((await request(server.baseUrl, 'POST', kImport, { body, headers: type })).status, 413);
    assert.equal((await request(server.baseUrl, 'POST', kImport, {
      body, headers: { ...type, cookie: 'passerelle_pro=' + 'A'.repeat(43) } })).status, 413);
  });

  // Progress (docs/territory-console.md "Progress"): a file over 256 KiB is checked and applied off
  // the request thread; its page refreshes itself (meta refresh, no JavaScript) until the result.
  test('3,000 organisations: the progress page, then the diff, then apply writes all', async () => {
    const big = censusCsv(3000, { prefix: 'big' });
    const r = await upload(coordinator, 'gros.csv', big);
    assert.equal(r.status, 303);
    const here = r.headers.location;
    assert.match(here, /^\/pro\/territoires\/paris-10\/import\?envoi=[0-9a-f]{32}$/);
    const first = await coordinator.get(here);
    assert.equal(first.status, 200);
    assert.match(first.body, /<meta http-equiv="refresh" content="2">/);
    assert.match(mainOf(first.body), /Vérification du fichier[\s\S]*gros\.csv[\s\S]*data-stop-refresh/);
    const manual = await coordinator.get(`${here}&auto=non`);
    assert.doesNotMatch(manual.body, /http-equiv="refresh"/, 'her choice to stop the refresh');
    assert.match(mainOf(manual.body), /data-refresh/);
    const diff = await until(coordinator, here, (p) => !/http-equiv="refresh"/.test(p.body));
    assert.equal(diff.status, 200);
    assert.deepEqual(counts(diff), [3000, 0, 0]);
    assert.equal(await bigCount(server), 0, 'a dry run writes nothing');

    const applied = await apply(coordinator, diff);
    assert.equal(applied.status, 303);
    assert.equal(applied.headers.location, here, 'the apply runs off the request thread too');
    const running = await coordinator.get(here);
    if (running.status === 200) assert.match(mainOf(running.body), /Application de l’import|data-progress/);
    const done = await until(coordinator, here, (p) => p.status === 303);
    assert.match(done.headers.location, /etat=applique&crees=3000&modifiees=0&inchangees=0/);
    assert.equal(await bigCount(server), 3000);
    assert.equal(await queryNumber(server,
      "SELECT COUNT(*) FROM audit_log WHERE action = 'directory.imported' AND detail = 'csv created=3000 updated=0 unchanged=0'"), 1);
    assert.equal(await queryNumber(server, "SELECT COUNT(*) FROM console_import_job WHERE state = 'running'"), 0);
  });

  test('a large file refused at its last line changes nothing', async () => {
    const before = await imported(server);
    const r = await upload(coordinator, 'faux.csv', censusCsv(3000, { prefix: 'bad', bad: 3001 }));
    assert.equal(r.status, 303);
    const refused = await until(coordinator, r.headers.location, (p) => !/http-equiv="refresh"/.test(p.body));
    assert.equal(refused.status, 400);
    assert.match(mainOf(refused.body), /href="#fichier">Ligne 3001 : categories : catégorie inconnue « voyance »/);
    assert.equal(await queryNumber(server, "SELECT COUNT(*) FROM organization WHERE id LIKE 'org-bad-%'"), 0);
    assert.equal(await imported(server), before);
    const envoi = r.headers.location.split('=')[1];
    assert.equal(await queryNumber(server, `SELECT COUNT(*) FROM console_import_upload WHERE id = '${envoi}'`), 0,
      'a refused file is not kept');
    assert.equal((await coordinator.post(`${kImport}/appliquer`, [['envoi', envoi]])).headers.location,
      `${kImport}?etat=expire`);
  });

  test("another territory's coordinator gets 404, and cannot apply her file", async () => {
    const page = await dryRun(coordinator, 'acteurs.csv', censusCsv(21));
    const envoi = page.body.match(/name="envoi" value="([0-9a-f]+)"/)[1];
    for (const path of [kImport, `${kImport}?envoi=${envoi}`, '/pro/territoires/paris-10/export.csv',
      '/pro/territoires/paris-10/export.json']) {
      assert.equal((await other.get(path)).status, 404, path);
    }
    const foreign = await upload(other, 'acteurs.csv', censusCsv(1), kImport, '/pro/territoires/montreuillois/import');
    assert.equal(foreign.status, 404);
    await other.get('/pro/territoires/montreuillois/import');
    assert.equal((await other.post(`${kImport}/appliquer`, [['envoi', envoi]])).status, 404);
    // Her own territory's import does not know the file either.
    const own = await other.post('/pro/territoires/montreuillois/import/appliquer', [['envoi', envoi]]);
    assert.match(own.headers.location, /etat=expire/);
    assert.equal(await queryNumber(server, "SELECT COUNT(*) FROM organization WHERE id = 'org-imp-21'"), 0);
  });
});

// An apply interrupted by a crash (docs/territory-console.md "Progress", docs/crash-safety.md): the
// server is killed with SIGKILL while it applies 3,000 organisations (as tests/crash/kill-loop.mjs
// kills it), then served again on the same database. Nothing of the file is written; on SQLite the
// restarted server marks the job interrupted and offers to apply the file again, which then
// writes it all. On PostgreSQL a job of a stopped instance is taken for running for 30 minutes
// (another instance may run it): there, only "nothing written" is checked.
describe('territory console: an apply interrupted by a crash', () => {
  let server;
  let restarted;

  after(async () => {
    if (restarted && restarted.child.exitCode === null && restarted.child.signalCode === null) {
      restarted.child.kill('SIGTERM');
      await restarted.exited;
    }
    await server?.stop();  // killed already: removes its folder
  });

  test('kill -9 during the apply: nothing written, the job interrupted, applied again after', async () => {
    server = await startServer({ gazetteer: true });  // the communes the help flow's proposals need
    const coordinator = new Professional(server.baseUrl, 'coordination-crash@example.org');
    await coordinator.enrolAndSignIn(server, ['--role', 'coordinator', '--territory', 'paris-10']);
    const crashed = (s) => queryNumber(s, "SELECT COUNT(*) FROM organization WHERE id LIKE 'org-crash-%'");
    const r = await upload(coordinator, 'gros.csv', censusCsv(3000, { prefix: 'crash' }));
    assert.equal(r.status, 303);
    const here = r.headers.location;
    const envoi = here.split('=')[1];
    const diff = await until(coordinator, here, (p) => !/http-equiv="refresh"/.test(p.body));
    assert.deepEqual(counts(diff), [3000, 0, 0]);
    assert.equal((await apply(coordinator, diff)).headers.location, here);
    const running = await coordinator.get(here);
    assert.equal(running.status, 200, 'the apply of 3,000 organisations still runs');
    assert.match(mainOf(running.body), /Application de l’import/);

    server.child.kill('SIGKILL');
    assert.equal((await server.exited).signal, 'SIGKILL');
    assert.equal(await crashed(server), 0, 'nothing of the file is written');

    restarted = await spawnServe({ db: server.db, dir: server.dir });
    await restarted.healthy(120_000);
    coordinator.baseUrl = restarted.baseUrl;
    assert.equal(await crashed(restarted), 0);
    const job = `SELECT COUNT(*) FROM console_import_job WHERE upload_id = '${envoi}' AND kind = 'apply' AND state = `;
    if (server.db.startsWith('sqlite:')) {
      assert.equal(await queryNumber(restarted, `${job}'interrupted'`), 1);
      const page = await coordinator.get(here);
      assert.equal(page.status, 200);
      assert.match(mainOf(page.body), /L’application du fichier a été interrompue \(arrêt du serveur\) : rien n’a été écrit/);
      const again = await apply(coordinator, page);
      assert.equal(again.headers.location, here);
      // While it runs, victims send referrals through the help flow: none may fail because the
      // import holds the database (on SQLite one writer at a time; others wait up to the 5 s busy
      // timeout). sendReferral asserts each confirmation page. At least one starts while the apply
      // runs; its referral is written at its end, which may come after the apply's short write
      // (the unit test ConcurrentWritesSucceedDuringTheApplyOfALargeFile overlaps writes precisely).
      const applying = async () => await queryNumber(restarted, `${job}'running'`) === 1;
      let sent = 0;
      while (await applying()) {
        await sendReferral(restarted, { codeWord: `pendant${sent}` });
        sent += 1;
      }
      assert.ok(sent >= 1, 'a referral started while the apply ran');
      const done = await until(coordinator, here, (p) => p.status === 303);
      assert.match(done.headers.location, /etat=applique&crees=3000&modifiees=0&inchangees=0/);
      assert.equal(await crashed(restarted), 3000);
    } else {
      assert.equal(await queryNumber(restarted, `${job}'running'`), 1);
    }
  });
});
