// The audit log viewer (issue 11 §5, docs/territory-console.md "Audit log") against the real
// binary, without JavaScript: a coordinator reads her territory's entries and not another's;
// the filters (period, action, actor, object) work and a bad date names its field; an operator
// reads everything; no victim's data ever shows; the chain check is shown, and a tampered
// entry shows the chain broken at its place.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { runBinary, startServer } from './harness.mjs';
import { mainOf, parisDayPlus, Professional, sendReferral } from './pro-harness.mjs';
import { execFileAsync, queryNumber, queryText } from './referral-visitor.mjs';

const kJournal = '/pro/territoires/paris-10/journal';
const delays = [['action', 'enregistrer'], ['reminder_days', '1'], ['escalation_days', '2'], ['expiry_days', '60'],
  ['retention_days', '7']];
// The stored action code of each row, and the row's label (audit/labels.h) before it.
const actionsIn = (html) => [...html.matchAll(/<td data-action="([^"]+)">/g)].map((m) => m[1]);
const labelsIn = (html) => [...html.matchAll(/<td data-action="[^"]+">([^<]+)<br>/g)].map((m) => m[1]);
const objectsIn = (html) => [...html.matchAll(/<td data-object>([^<]*)<\/td>/g)].map((m) => m[1]);
const actorsIn = (html) => [...html.matchAll(/<td data-actor>([^<]*)<\/td>/g)].map((m) => m[1]);

async function execute(server, sql) {
  if (server.db.startsWith('sqlite:')) await execFileAsync('sqlite3', [server.db.slice('sqlite:'.length), sql]);
  else await execFileAsync('psql', [server.db, '-v', 'ON_ERROR_STOP=1', '-q', '-c', sql]);
}

describe('audit log viewer', () => {
  let server;
  let coordinator;  // paris-10
  let farCoordinator;  // montreuillois
  let operator;
  let referral;

  before(async () => {
    server = await startServer({ gazetteer: true, extraArgs: ['--post-limit', '100000', '--jobs-interval', '0'] });
    coordinator = new Professional(server.baseUrl, 'coordination-journal@example.org');
    await coordinator.enrolAndSignIn(server, ['--role', 'coordinator', '--territory', 'paris-10']);
    farCoordinator = new Professional(server.baseUrl, 'coordination-journal-93@example.org');
    await farCoordinator.enrolAndSignIn(server, ['--role', 'coordinator', '--territory', 'montreuillois']);
    operator = new Professional(server.baseUrl, 'exploitation-journal@example.org');
    await operator.enrolAndSignIn(server, ['--role', 'operator']);
    // One change in each territory, and a victim's referral in the 10e.
    await coordinator.get('/pro/territoires/paris-10/delais');
    assert.equal((await coordinator.post('/pro/territoires/paris-10/delais', delays)).status, 303);
    await farCoordinator.get('/pro/territoires/montreuillois/delais');
    assert.equal((await farCoordinator.post('/pro/territoires/montreuillois/delais', delays)).status, 303);
    referral = await sendReferral(server, { needText: 'Papiers retenus par Marcel', fields: [['contact_detail', '06 11 22 33 44']] });
    // Its reminder (1 day in paris-10 now): an entry `referral.reminded` on `referral:<id>`.
    const run = await runBinary(['jobs', 'run', '--db', server.db, '--now', parisDayPlus(2)]);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /reminded 1,/);
  });
  after(async () => {
    await server?.stop();
  });

  test('a coordinator sees her territory’s entries only, and the chain check', async () => {
    const hub = await coordinator.get('/pro/territoires/paris-10');
    assert.match(mainOf(hub.body), new RegExp(`href="${kJournal}"`));
    const page = await coordinator.get(kJournal);
    assert.equal(page.status, 200);
    const main = mainOf(page.body);
    const objects = objectsIn(main);
    assert.ok(objects.includes('territory:paris-10'), objects.join(' '));
    assert.ok(objects.includes(`referral:${referral.id}`), 'the referral of her territory');
    assert.ok(!objects.includes('territory:montreuillois'));
    const farAccount = await queryText(server,
      "SELECT id FROM account WHERE email = 'coordination-journal-93@example.org'");
    assert.ok(!objects.includes(`account:${farAccount}`), 'another territory’s coordinator is not hers');
    assert.ok(objects.every((o) => o !== ''), 'entries without an object are for operators');
    assert.match(main, /data-verify="ok">Intégrité du journal vérifiée : la chaîne est intacte/);
    // Each action in French, its code under it (and in the filter, the labels for the codes).
    const actions = actionsIn(main);
    const labels = labelsIn(main);
    assert.equal(labels.length, actions.length);
    actions.forEach((action, i) => assert.notEqual(labels[i], action, `${action} has a French label`));
    assert.equal(labels[actions.indexOf('territory.delays')], 'Délais du territoire changés');
    assert.match(main, /Délais du territoire changés<br><code class="app-audit-code">territory.delays<\/code>/);
    assert.match(main, /<option value="referral.reminded">Rappel d’une demande<\/option>/);
    assert.equal((await coordinator.get('/pro/territoires/montreuillois/journal')).status, 404);
    assert.equal((await coordinator.get('/pro/journal')).status, 404);
  });

  test('filters: action, actor, object, period; a bad date names its field', async () => {
    let page = await coordinator.get(`${kJournal}?action=territory.delays`);
    assert.deepEqual(actionsIn(page.body), ['territory.delays']);
    assert.match(page.body, /<option value="territory.delays" selected>/);
    const account = await queryText(server, "SELECT id FROM account WHERE email = 'coordination-journal@example.org'");
    page = await coordinator.get(`${kJournal}?acteur=account%3A${account}`);
    assert.ok(actionsIn(page.body).includes('login.success'));
    assert.ok(actionsIn(page.body).includes('territory.delays'));
    assert.deepEqual([...new Set(actorsIn(page.body))], [`account:${account}`]);
    page = await coordinator.get(`${kJournal}?objet=referral%3A${referral.id}`);
    assert.ok(actionsIn(page.body).length >= 1);
    assert.deepEqual([...new Set(objectsIn(page.body))], [`referral:${referral.id}`]);
    page = await coordinator.get(`${kJournal}?du=${parisDayPlus(3)}`);  // the jobs ran as of 2 days ahead
    assert.match(page.body, /data-audit-empty/);
    page = await coordinator.get(`${kJournal}?du=${parisDayPlus(-1)}&au=${parisDayPlus(0)}&action=territory.delays`);
    assert.deepEqual(actionsIn(page.body), ['territory.delays']);
    page = await coordinator.get(`${kJournal}?du=2026-13-01&au=hier`);
    assert.equal(page.status, 400);
    const main = mainOf(page.body);
    assert.match(main, /href="#du">La date de début doit être une date/);
    assert.match(main, /href="#au">La date de fin doit être une date/);
    assert.match(main, /aria-describedby="du-error"/);
    assert.match(page.body, /<title>Erreur\s:\s/);
    page = await coordinator.get(`${kJournal}?page=0`);
    assert.equal(page.status, 400);
    assert.match(mainOf(page.body), /href="#page">Le numéro de page doit être un nombre entier à partir de 1/);
    // Past the last page: nothing, and a link back.
    page = await coordinator.get(`${kJournal}?action=territory.delays&page=2`);
    assert.match(page.body, /data-audit-empty/);
    assert.match(page.body, /href="\/pro\/territoires\/paris-10\/journal\?du=&amp;au=&amp;action=territory.delays&amp;acteur=&amp;objet=&amp;page=1" rel="prev"/);
  });

  test('an operator reads everything; no victim’s data shows', async () => {
    assert.match(mainOf((await operator.get('/pro/territoires/paris-10')).body), /href="\/pro\/journal"/);
    assert.doesNotMatch(mainOf((await coordinator.get('/pro/territoires/paris-10')).body), /href="\/pro\/journal"/);
    const page = await operator.get('/pro/journal');
    assert.equal(page.status, 200);
    const objects = objectsIn(page.body);
    assert.ok(objects.includes('territory:paris-10') && objects.includes('territory:montreuillois'));
    const narrowed = await operator.get('/pro/journal?objet=territory%3Amontreuillois');
    assert.deepEqual([...new Set(objectsIn(narrowed.body))], ['territory:montreuillois']);
    assert.equal((await operator.get('/pro/territoires/montreuillois/journal')).status, 200);
    for (const html of [page.body, (await coordinator.get(kJournal)).body]) {
      assert.doesNotMatch(html, /Marcel|06 11 22 33 44|parapluie/);
    }
  });

  test('a tampered entry shows the chain broken at its place', async () => {
    const seq = await queryNumber(server, "SELECT MIN(seq) FROM audit_log WHERE action = 'territory.delays'");
    await execute(server, `UPDATE audit_log SET detail = 'rien' WHERE seq = ${seq}`);
    const page = await coordinator.get(kJournal);
    assert.equal(page.status, 200);
    assert.match(mainOf(page.body), new RegExp(`data-verify="broken">[\\s\\S]*la chaîne est rompue à l’entrée n° ${seq}`));
    assert.match((await operator.get('/pro/journal')).body, /data-verify="broken"/);
  });
});
