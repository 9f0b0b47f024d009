// Statistics and gap analysis of the territory console (issue 11 §4, docs/territory-console.md
// "Statistics") against the real binary: the events are produced by using the public site (pages
// visited, the help flow to a referral and to a "no match"), then a coordinator reads her
// territory's page, its CSV and its printable summary; small counts are shown as "< N"; a
// coordinator of another territory gets 404; a bad period is a 400 naming the field.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { request, waitFor } from './harness.mjs';
import { startServer } from './harness.mjs';
import { mainOf, Professional, sendReferral } from './pro-harness.mjs';
import { queryNumber, queryText, Visitor } from './referral-visitor.mjs';

const kPage = '/pro/territoires/paris-10/statistiques';

// The cells of the row labelled `label` in the table `id` of a statistics page.
function rowOf(html, id, label) {
  const section = html.slice(html.indexOf(`data-stat-table="${id}"`));
  const table = section.slice(0, section.indexOf('</section>'));
  const row = table.match(new RegExp(`<th scope="row">${label}</th>(.*?)</tr>`));
  return row ? [...row[1].matchAll(/<td[^>]*>([^<]*)<\/td>/g)].map((m) => m[1]) : null;
}

describe('statistics of the territory console', () => {
  let server;
  let coordinator;

  before(async () => {
    // A threshold of 2 so that the few events of a test show both sides of the rule.
    server = await startServer({
      gazetteer: true,
      extraArgs: ['--jobs-interval', '0', '--territory', 'paris-10', '--stats-flush-ms', '200',
        '--small-count-threshold', '2'],
    });
    coordinator = new Professional(server.baseUrl, 'coordination-stats@example.org');
    await coordinator.enrolAndSignIn(server, ['--role', 'coordinator', '--territory', 'paris-10']);
  });
  after(async () => {
    await server?.stop();
  });

  test('the public site is used: pages visited, a referral sent, a need left without answer', async () => {
    for (const path of ['/', '/', '/', '/fiches', '/annuaire', '/annuaire', '/api/v1/communes?q=par']) {
      assert.equal((await request(server.baseUrl, 'GET', path)).status, 200, path);
    }
    await sendReferral(server);
    // Far from every service of the demo directory: nobody to propose.
    const far = new Visitor(server.baseUrl);
    await far.start();
    await far.answer(far.token, ['answer', 'adult']);
    await far.answer(far.token, ['answer', 'self']);
    await far.answer(far.token, ['answer', 'no']);
    await far.answer(far.token, ['answer', 'housing']);
    await far.answer(far.token, ['answer', 'yes_at_risk']);
    await far.answer(far.token, ['place', '13001']);
    await far.answer(far.token, ['answer', 'fr']);
    await far.finish(far.token, 'marronnier');
    // Visits are written by the flush, not by the request.
    await waitFor(async () => await queryNumber(server,
      "SELECT COALESCE(SUM(count), 0) FROM stat_counter WHERE kind = 'visit_home' AND territory_slug = 'paris-10'") === 3,
    'the visits of the home page flushed');
    await waitFor(async () => await queryNumber(server,
      "SELECT COALESCE(SUM(count), 0) FROM stat_counter WHERE kind = 'visit_directory'") === 2,
    'the visits of the directory flushed (not its API)');
    assert.equal(await queryNumber(server, "SELECT COUNT(*) FROM stat_counter WHERE kind = 'no_match'"), 1);
  });

  test('the coordinator reads her statistics, with small counts suppressed', async () => {
    const r = await coordinator.get(`${kPage}?period=week`);
    assert.equal(r.status, 200);
    const main = mainOf(r.body);
    assert.deepEqual(rowOf(main, 'activite', 'Visites de l’accueil'), ['3']);
    assert.deepEqual(rowOf(main, 'activite', 'Visites de l’annuaire'), ['2']);
    assert.deepEqual(rowOf(main, 'activite', 'Visites des fiches'), ['&lt; 2']);
    assert.deepEqual(rowOf(main, 'activite', 'Demandes envoyées aux professionnels'), ['&lt; 2']);
    assert.deepEqual(rowOf(main, 'besoins', 'Un hébergement ou un logement'), ['&lt; 2']);
    assert.match(main, /data-stat-table="communes"[\s\S]*Marseille/);
    // The gap by commune and need, with the distance from Marseille's centre to the nearest public
    // shelter of the demo directory (Paris or Montreuil: about 660 km).
    assert.match(main, /data-stat-table="communes_besoins"[\s\S]*?<th scope="row">Marseille[^<]*: Un hébergement ou un logement<\/th><td[^>]*>&lt; 2<\/td><td[^>]*>6[0-9]{2},[0-9] km<\/td>/);
    // Charts: inline SVG with a title, followed by their table; no inline style (CSP).
    assert.match(main, /<svg [^>]*role="img" aria-labelledby="chart-activite-title chart-activite-desc"/);
    assert.doesNotMatch(main, /style=/);
    assert.match(main, /data-stat-csv="communes"/);
    // The hub links to it.
    assert.match(mainOf((await coordinator.get('/pro/territoires/paris-10')).body), /href="\/pro\/territoires\/paris-10\/statistiques"/);
  });

  test('every table exports as CSV, with the same suppression', async () => {
    const csv = await coordinator.get('/pro/territoires/paris-10/statistiques.csv?table=activite&period=week');
    assert.equal(csv.status, 200);
    assert.match(csv.headers['content-type'], /^text\/csv/);
    assert.match(csv.headers['content-disposition'], /attachment; filename="paris-10-activite-/);
    assert.match(csv.body, /^"Événement","Nombre"\r\n/);
    assert.match(csv.body, /"Visites de l’accueil","3"\r\n/);
    assert.match(csv.body, /"Demandes envoyées aux professionnels","<2"\r\n/);
    const communes = await coordinator.get('/pro/territoires/paris-10/statistiques.csv?table=communes&period=year');
    assert.equal(communes.status, 200);
    assert.match(communes.body, /"Marseille[^"]*","<2"\r\n"Total","<2"\r\n/);
    const gaps = await coordinator.get('/pro/territoires/paris-10/statistiques.csv?table=communes_besoins&period=year');
    assert.match(gaps.body, /^"Commune et besoin","Parcours sans réponse","Service correspondant le plus proche"\r\n/);
    assert.match(gaps.body, /"Marseille[^"]*: Un hébergement ou un logement","<2","6[0-9]{2},[0-9] km"\r\n/);
    const unknown = await coordinator.get('/pro/territoires/paris-10/statistiques.csv?table=secret&period=week');
    assert.equal(unknown.status, 400);
    assert.match(unknown.body, /table/);
  });

  test('a printable one-page summary for the town hall', async () => {
    const r = await coordinator.get(`${kPage}/synthese?period=month`);
    assert.equal(r.status, 200);
    const main = mainOf(r.body);
    assert.match(main, /<strong class="app-stat-summary__value">[^<]+<\/strong> visites des pages publiques/);
    assert.match(main, /data-stat-summary-gaps[\s\S]*Marseille/);
  });

  test('a bad period is a 400 naming the field', async () => {
    const r = await coordinator.get(`${kPage}?period=custom&du=2026-02-30&au=2026-03-01`);
    assert.equal(r.status, 400);
    assert.match(mainOf(r.body), /href="#du">Indiquez la date de début/);
    assert.match(r.body, /<title>Erreur\s:\s/);
    const order = await coordinator.get(`${kPage}?period=custom&du=2026-03-02&au=2026-03-01`);
    assert.equal(order.status, 400);
    assert.match(mainOf(order.body), /href="#au">/);
    assert.equal((await coordinator.get(`${kPage}?period=siecle`)).status, 400);
    assert.equal((await coordinator.get('/pro/territoires/paris-10/statistiques.csv?table=activite&period=custom&du=x')).status, 400);
    assert.equal((await coordinator.get(`${kPage}/synthese?period=custom&du=2026-01-01&au=2026-13-01`)).status, 400);
  });

  test('another territory\'s coordinator gets 404, the national page is for operators', async () => {
    const other = new Professional(server.baseUrl, 'coordination-montreuil-stats@example.org');
    await other.enrolAndSignIn(server, ['--role', 'coordinator', '--territory', 'montreuillois']);
    assert.equal((await other.get(kPage)).status, 404);
    assert.equal((await other.get('/pro/territoires/paris-10/statistiques.csv?table=activite')).status, 404);
    assert.equal((await other.get(`${kPage}/synthese`)).status, 404);
    assert.equal((await coordinator.get('/pro/statistiques')).status, 404);
    const operator = new Professional(server.baseUrl, 'operateur-stats@example.org');
    await operator.enrolAndSignIn(server, ['--role', 'operator']);
    const national = await operator.get('/pro/statistiques?period=year');
    assert.equal(national.status, 200);
    assert.match(mainOf(national.body), /data-stat-table="territoires"/);
    assert.deepEqual(rowOf(mainOf(national.body), 'territoires', 'Total').length, 3);
    assert.equal((await operator.get(kPage)).status, 200);
  });
  test('immediate connection: its counters, the waits and their median, charted and in tables', async () => {
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris' }).format(new Date());
    const counts = { conversation_offered: 9, conversation_started: 7, conversation_answered: 5,
      conversation_abandoned: 1, conversation_wait_1m: 1, conversation_wait_3m: 3, conversation_wait_10m: 1,
      call_back_requested: 4, call_back_made: 1, appointment_booked: 3 };
    for (const [kind, count] of Object.entries(counts)) {
      await queryText(server, 'INSERT INTO stat_counter (day, territory_slug, kind, detail, count) ' +
        `VALUES ('${today}', 'paris-10', '${kind}', '', ${count})`);
    }
    const escaped = (label) => label.replace(/[()]/g, '\\$&');
    const r = await coordinator.get(`${kPage}?period=week`);
    assert.equal(r.status, 200);
    const main = mainOf(r.body);
    const immediate = (label) => rowOf(main, 'immediat', escaped(label));
    assert.deepEqual(immediate('Pages de résultats proposant « Écrire maintenant »'), ['9']);
    assert.deepEqual(immediate('Conversations commencées'), ['7']);
    assert.deepEqual(immediate('Conversations prises par un professionnel'), ['5']);
    assert.deepEqual(immediate('Conversations abandonnées avant une réponse'), ['&lt; 2']);
    assert.deepEqual(immediate('Rappels immédiats demandés'), ['4']);
    assert.deepEqual(immediate('Rappels immédiats faits (marqués « appelée »)'), ['&lt; 2']);
    assert.deepEqual(immediate('Rendez-vous pris'), ['3']);
    assert.equal(rowOf(main, 'activite', 'Conversations commencées'), null, 'no longer in the site\'s activity');
    assert.deepEqual(rowOf(main, 'attente', 'De 1 à 3 minutes'), ['3']);
    assert.deepEqual(rowOf(main, 'attente', 'Plus de 10 minutes'), ['&lt; 2']);
    assert.match(main, /data-stat-median-wait>entre 1 et 3 minutes</);
    // The median over time, by day: today's is published (5 answered), the other days' are not.
    const todayLabel = `${today.slice(8, 10)}/${today.slice(5, 7)}/${today.slice(0, 4)}`;
    assert.deepEqual(rowOf(main, 'attente_mediane', todayLabel), ['5', 'entre 1 et 3 minutes']);
    const section = main.slice(main.indexOf('data-stat-table="attente_mediane"'));
    assert.match(section.slice(0, section.indexOf('</section>')), /non publiée \(moins de 2 conversations prises\)/);
    // Charts with their accessible names, each followed by its table.
    for (const id of ['immediat', 'attente', 'attente_mediane']) {
      assert.match(main, new RegExp(`<svg[^>]*role="img" aria-labelledby="chart-${id}-title chart-${id}-desc"`));
    }
    assert.match(main, /<svg[^>]*chart-attente_mediane[\s\S]*?<path class="app-chart__line"/);
    const csv = await coordinator.get('/pro/territoires/paris-10/statistiques.csv?table=attente_mediane&period=week');
    assert.equal(csv.status, 200);
    assert.match(csv.body, /^"Période","Conversations prises","Attente médiane"\r\n/);
    assert.match(csv.body, new RegExp(`"${todayLabel}","5","entre 1 et 3 minutes"\r\n`));
  });

  test('a long ranking shows its first 50 rows on the page, every row in its CSV', async () => {
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Paris' }).format(new Date());
    await queryText(server, 'INSERT INTO stat_counter (day, territory_slug, kind, detail, count) ' +
      `SELECT '${today}', 'paris-10', 'no_match', 'need:legal|' || insee_code, 3 FROM commune ` +
      "WHERE insee_code LIKE '01%' ORDER BY insee_code LIMIT 60");
    const page = mainOf((await coordinator.get(`${kPage}?period=month`)).body);
    const section = page.slice(page.indexOf('data-stat-table="communes_besoins"'));
    const table = section.slice(0, section.indexOf('</section>'));
    assert.equal([...table.matchAll(/<th scope="row">/g)].length, 50);
    const more = Number(table.match(/data-stat-more="communes_besoins">Les (\d+) lignes suivantes/)?.[1]);
    assert.ok(more >= 10, `the page says how many rows are left for the CSV (${more})`);
    const csv = await coordinator.get('/pro/territoires/paris-10/statistiques.csv?table=communes_besoins&period=month');
    assert.equal(csv.body.trim().split('\r\n').length - 1, 50 + more, 'the CSV has every row');
    assert.doesNotMatch(page, /data-stat-more="activite"/, 'a short table is whole');
  });
});

// The national site (no --territory): a page of the annuaire about a territory's commune or
// service counts for that territory; the home page and a commune of no territory count for the
// national site ("").
describe('visits of the national site', () => {
  let server;
  before(async () => {
    server = await startServer({ gazetteer: true, extraArgs: ['--jobs-interval', '0', '--stats-flush-ms', '200'] });
  });
  after(async () => {
    await server?.stop();
  });

  test('each annuaire page counts for the territory it is about', async () => {
    for (const path of ['/annuaire?commune=75010', '/annuaire?commune=75010', '/annuaire/p10-cidff-s1',
      '/annuaire?commune=13001', '/']) {
      assert.equal((await request(server.baseUrl, 'GET', path)).status, 200, path);
    }
    const visits = (kind, slug) => queryNumber(server,
      `SELECT COALESCE(SUM(count), 0) FROM stat_counter WHERE kind = '${kind}' AND territory_slug = '${slug}'`);
    await waitFor(async () => await visits('visit_directory', 'paris-10') === 3, 'the 10e’s pages of the annuaire');
    await waitFor(async () => await visits('visit_home', '') === 1, 'the home page');
    assert.equal(await visits('visit_directory', ''), 1, 'Marseille: no territory');
    assert.equal(await visits('visit_directory', 'montreuillois'), 0);
  });

});
