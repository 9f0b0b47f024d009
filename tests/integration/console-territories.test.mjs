// The territories of the console (issue 11 §1, docs/territory-console.md "Territories") over
// HTTP against the real binary, without JavaScript: an operator creates a territory from three
// communes found by a search of the gazetteer, edits and archives it; a coordinator edits her own
// territory's local settings and reaches no other; a form error names the field and writes
// nothing; `passerelle territory add|list|edit` does the same from the command line.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { runBinary, startServer } from './harness.mjs';
import { mainOf, Professional, territoryFields } from './pro-harness.mjs';
import { queryNumber, queryText } from './referral-visitor.mjs';

const kNew = '/pro/territoires/nouveau';
const audited = (server, action) =>
  queryNumber(server, `SELECT COUNT(*) FROM audit_log WHERE action = '${action}'`);

const valueOf = (html, id) => html.match(new RegExp(`id="${id}"[^>]*value="([^"]*)"`))?.[1];

describe('territories in the console', () => {
  let server;
  let operator;
  let coordinator;

  before(async () => {
    server = await startServer({ gazetteer: true, extraArgs: ['--jobs-interval', '0'] });
    operator = new Professional(server.baseUrl, 'operateur@example.org');
    await operator.enrolAndSignIn(server, ['--role', 'operator']);
    coordinator = new Professional(server.baseUrl, 'coordination-10@example.org');
    await coordinator.enrolAndSignIn(server, ['--role', 'coordinator', '--territory', 'paris-10']);
  });
  after(async () => {
    await server?.stop();
  });

  test('an operator creates a territory with three communes found by a search', async () => {
    const list = await operator.get('/pro/territoires');
    assert.match(mainOf(list.body), /href="\/pro\/territoires\/nouveau"/);
    const form = await operator.get(kNew);
    assert.equal(form.status, 200);
    // The national emergency numbers are proposed.
    assert.equal(valueOf(form.body, 'emergency_number_0'), '17');

    // A postal code of the Montreuillois: its communes as checkboxes.
    const base = { slug: 'baie-authie', name: 'Baie d’Authie' };
    let r = await operator.post(kNew, territoryFields({ ...base, q: '62180', action: 'chercher' }));
    assert.equal(r.status, 200);
    let main = mainOf(r.body);
    for (const insee of ['62688', '62849', '62866']) {
      assert.match(main, new RegExp(`name="result" value="${insee}" checked`), insee);
    }
    // Her typed values come back.
    assert.equal(valueOf(main, 'name'), 'Baie d’Authie');

    // Three of them added at once; the centre and radius are proposed from them.
    r = await operator.post(kNew, territoryFields({ ...base, q: '62180', results: ['62688', '62849', '62866'],
      action: 'ajouter' }));
    assert.equal(r.status, 200);
    main = mainOf(r.body);
    assert.match(main, /3 commune\(s\) ajoutée\(s\)/);
    for (const insee of ['62688', '62849', '62866']) assert.match(main, new RegExp(`name="commune" value="${insee}" checked`));
    const lat = valueOf(main, 'centre_lat');
    const lon = valueOf(main, 'centre_lon');
    const radius = valueOf(main, 'default_radius_km');
    assert.ok(Number(lat) > 50.3 && Number(lat) < 50.5, lat);
    assert.ok(Number(lon) > 1.5 && Number(lon) < 1.8, lon);
    assert.ok(Number(radius) >= 1 && Number(radius) <= 10, radius);

    // A search by name finds another; she does not add it. Then she saves, adjusting the radius.
    r = await operator.post(kNew, territoryFields({ ...base, communes: ['62688', '62849', '62866'], lat, lon, radius,
      q: 'berck', action: 'chercher' }));
    assert.match(mainOf(r.body), /name="result" value="62108"/);
    r = await operator.post(kNew, territoryFields({ ...base, communes: ['62688', '62849', '62866'], lat, lon,
      radius: '12', youth: [['Maison des Adolescents', '03 91 18 15 80', 'Accueil des 11-25 ans.']],
      languages: ['fr', 'en'], action: 'enregistrer' }));
    assert.equal(r.status, 303, r.body);
    assert.equal(r.headers.location, '/pro/territoires/baie-authie/modifier?etat=cree');
    assert.equal(await queryNumber(server, "SELECT COUNT(*) FROM territory_commune WHERE territory_slug = 'baie-authie'"), 3);
    assert.equal(await queryNumber(server, "SELECT default_radius_km FROM territory WHERE slug = 'baie-authie'"), 12);
    assert.equal(await queryText(server, "SELECT languages FROM territory WHERE slug = 'baie-authie'"), 'fr,en');
    assert.equal(await queryText(server,
      "SELECT actor FROM audit_log WHERE action = 'territory.created' AND object = 'territory:baie-authie'"),
    `account:${await queryText(server, "SELECT id FROM account WHERE email = 'operateur@example.org'")}`);
    const edit = await operator.get('/pro/territoires/baie-authie/modifier?etat=cree');
    assert.equal(edit.status, 200);
    assert.match(mainOf(edit.body), /Le territoire est créé/);
    assert.equal(valueOf(edit.body, 'youth_phone_0'), '03 91 18 15 80');
    // Its hub is reachable, with the operators' link.
    assert.match(mainOf((await operator.get('/pro/territoires/baie-authie')).body), /href="\/pro\/territoires\/baie-authie\/modifier"/);
  });

  test('a form error names the field, keeps what she typed and writes nothing', async () => {
    const territories = await queryNumber(server, 'SELECT COUNT(*) FROM territory');
    const entries = await queryNumber(server, 'SELECT COUNT(*) FROM audit_log');
    await operator.get(kNew);
    const r = await operator.post(kNew, territoryFields({ slug: 'Paris 18', name: 'Paris 18e', communes: ['75118'],
      lat: '48,89', lon: 'est', radius: '3', youth: [['MDA', 'pas de numéro', '']], action: 'enregistrer' }));
    assert.equal(r.status, 400);
    const main = mainOf(r.body);
    assert.match(r.body, /<title>Erreur\s:\s/);
    assert.match(main, /href="#slug">L’identifiant s’écrit en lettres minuscules/);
    assert.match(main, /href="#centre_lat">La latitude et la longitude du centre sont des nombres/);
    assert.match(main, /href="#youth_name_0">Le téléphone de « MDA »/);
    assert.match(main, /aria-describedby="slug-hint slug-error"/);
    assert.equal(valueOf(main, 'slug'), 'Paris 18');
    assert.equal(valueOf(main, 'centre_lon'), 'est');
    assert.equal(valueOf(main, 'youth_phone_0'), 'pas de numéro');
    // An existing slug is refused on the slug too.
    const taken = await operator.post(kNew, territoryFields({ slug: 'paris-10', name: 'Doublon', communes: ['75110'],
      lat: '48.87', lon: '2.36', radius: '3', action: 'enregistrer' }));
    assert.equal(taken.status, 400);
    assert.match(mainOf(taken.body), /href="#slug">Un territoire porte déjà l’identifiant « paris-10 »/);
    assert.equal(await queryNumber(server, 'SELECT COUNT(*) FROM territory'), territories);
    assert.equal(await queryNumber(server, 'SELECT COUNT(*) FROM audit_log'), entries);
    assert.equal(await queryText(server, "SELECT name FROM territory WHERE slug = 'paris-10'"), 'Paris 10e arrondissement');
  });

  test('a coordinator edits her own settings and reaches no other territory', async () => {
    for (const path of [kNew, '/pro/territoires/baie-authie/parametres', '/pro/territoires/montreuillois/parametres',
      '/pro/territoires/paris-10/modifier', '/pro/territoires/baie-authie']) {
      assert.equal((await coordinator.get(path)).status, 404, path);
    }
    const page = await coordinator.get('/pro/territoires/paris-10/parametres');
    assert.equal(page.status, 200);
    assert.equal(valueOf(page.body, 'youth_phone_0'), '119');
    // A bad number: 400 naming the row, nothing written.
    let r = await coordinator.post('/pro/territoires/paris-10/parametres', [['youth_rows', '1'],
      ['youth_name_0', 'Allô enfance en danger'], ['youth_phone_0', '119'], ['youth_description_0', ''],
      ['emergency_rows', '2'], ['emergency_label_0', 'Police'], ['emergency_number_0', '17'], ['emergency_kind_0', 'voice'],
      ['emergency_label_1', 'SMS'], ['emergency_number_1', 'x'], ['emergency_kind_1', 'sms'],
      ['neutral_exit_url', 'https://www.service-public.fr/'], ['action', 'enregistrer']]);
    assert.equal(r.status, 400);
    assert.match(mainOf(r.body), /href="#emergency_label_1">Le numéro de « SMS » doit être un numéro/);
    assert.equal(valueOf(r.body, 'neutral_exit_url'), 'https://www.service-public.fr/');
    assert.equal(await audited(server, 'territory.settings'), 0);
    // Fixed: saved, audited; the other fields of the territory stay.
    r = await coordinator.post('/pro/territoires/paris-10/parametres', [['youth_rows', '1'],
      ['youth_name_0', 'Allô enfance en danger'], ['youth_phone_0', '119'], ['youth_description_0', ''],
      ['emergency_rows', '3'], ['emergency_label_0', 'Police'], ['emergency_number_0', '17'], ['emergency_kind_0', 'voice'],
      ['emergency_label_1', 'SMS'], ['emergency_number_1', '114'], ['emergency_kind_1', 'sms'],
      ['emergency_label_2', ''], ['emergency_number_2', ''], ['emergency_kind_2', 'voice'],
      ['neutral_exit_url', 'https://www.service-public.fr/'], ['action', 'enregistrer']]);
    assert.equal(r.status, 303);
    assert.equal(r.headers.location, '/pro/territoires/paris-10/parametres?etat=enregistres');
    assert.equal(await queryText(server, "SELECT neutral_exit_url FROM territory WHERE slug = 'paris-10'"),
      'https://www.service-public.fr/');
    assert.equal(await queryNumber(server, "SELECT COUNT(*) FROM territory_commune WHERE territory_slug = 'paris-10'"), 1);
    assert.equal(await audited(server, 'territory.settings'), 1);
    // The quick exit follows it.
    const exit = await fetch(`${server.baseUrl}/sortie?t=paris-10`, { redirect: 'manual' });
    assert.equal(exit.headers.get('location'), 'https://www.service-public.fr/');
  });

  test('the delay before a waiting conversation is offered the other ways: 1 to 30 minutes, audited', async () => {
    const page = await coordinator.get('/pro/territoires/paris-10/parametres');
    assert.equal(valueOf(page.body, 'conversation_offer_minutes'), '5', 'the default');
    const fields = (minutes) => [['youth_rows', '1'], ['youth_name_0', 'Allô enfance en danger'], ['youth_phone_0', '119'],
      ['youth_description_0', ''], ['emergency_rows', '2'], ['emergency_label_0', 'Police'], ['emergency_number_0', '17'],
      ['emergency_kind_0', 'voice'], ['emergency_label_1', 'SMS'], ['emergency_number_1', '114'],
      ['emergency_kind_1', 'sms'], ['neutral_exit_url', 'https://www.service-public.fr/'],
      ['conversation_offer_minutes', minutes], ['action', 'enregistrer']];
    const entries = await audited(server, 'territory.settings');
    for (const bad of ['0', '31', 'cinq', '2,5', '']) {
      const r = await coordinator.post('/pro/territoires/paris-10/parametres', fields(bad));
      assert.equal(r.status, 400, bad);
      assert.match(mainOf(r.body), /href="#conversation_offer_minutes">Le délai avant de proposer les autres moyens [^<]*entre 1 et 30/);
      assert.match(r.body, /id="conversation_offer_minutes-error"/);
      assert.equal(valueOf(r.body, 'conversation_offer_minutes'), bad, 'given back as typed');
    }
    assert.equal(await queryNumber(server, "SELECT conversation_offer_minutes FROM territory WHERE slug = 'paris-10'"), 5);
    assert.equal(await audited(server, 'territory.settings'), entries, 'nothing written');
    const r = await coordinator.post('/pro/territoires/paris-10/parametres', fields(' 12 '));
    assert.equal(r.status, 303);
    assert.equal(await queryNumber(server, "SELECT conversation_offer_minutes FROM territory WHERE slug = 'paris-10'"), 12);
    assert.equal(await queryText(server,
      "SELECT detail FROM audit_log WHERE action = 'territory.settings' ORDER BY seq DESC LIMIT 1"),
    'conversation_offer_minutes');
    assert.equal(valueOf((await coordinator.get('/pro/territoires/paris-10/parametres')).body,
      'conversation_offer_minutes'), '12');
  });

  test('an operator edits and archives a territory; the archive leaves the public lists', async () => {
    await operator.get('/pro/territoires/baie-authie/modifier');
    let r = await operator.post('/pro/territoires/baie-authie/modifier', territoryFields({ name: 'Baie d’Authie (62)',
      communes: ['62688', '62849'], lat: '50.4', lon: '1.6', radius: '8', action: 'enregistrer' }));
    assert.equal(r.status, 303);
    assert.equal(await queryNumber(server, "SELECT COUNT(*) FROM territory_commune WHERE territory_slug = 'baie-authie'"), 2);
    assert.equal(await queryText(server, "SELECT detail FROM audit_log WHERE action = 'territory.changed'"),
      'name,communes,centre,default_radius_km,youth_services,languages');
    await operator.get('/pro/territoires/baie-authie/modifier');
    r = await operator.post('/pro/territoires/baie-authie/archiver', [['action', 'archiver']]);
    assert.equal(r.status, 303);
    assert.equal(await audited(server, 'territory.archived'), 1);
    const list = await operator.get('/pro/territoires');
    assert.doesNotMatch(list.body, /data-territory="baie-authie"/);
    const page = await operator.get('/pro/territoires/baie-authie/modifier');
    assert.match(mainOf(page.body), /data-archived/);
    assert.match(mainOf((await operator.get(kNew)).body), /href="\/pro\/territoires\/baie-authie\/modifier"/);
  });

  test('passerelle territory add, list and edit; a bad field is named', async () => {
    let r = await runBinary(['territory', 'add', '--db', server.db, '--slug', 'cli-18', '--name', 'Paris 18e',
      '--commune', '75118', '--exit-url', 'https://meteofrance.com/', '--youth', 'MDA|pas un numéro|']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /--youth #1: le téléphone de « MDA »/);
    assert.equal(await queryNumber(server, "SELECT COUNT(*) FROM territory WHERE slug = 'cli-18'"), 0);
    r = await runBinary(['territory', 'add', '--db', server.db, '--slug', 'cli-18', '--name', 'Paris 18e',
      '--commune', '75118', '--commune', '75117', '--exit-url', 'https://meteofrance.com/', '--language', 'fr']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /Territory cli-18 created: 2 communes/);
    r = await runBinary(['territory', 'edit', '--db', server.db, 'cli-18', '--radius', 'loin']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /--radius: a number of kilometres/);
    r = await runBinary(['territory', 'edit', '--db', server.db, 'cli-18', '--radius', '300']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /--radius: le rayon doit être entre 0 et 200 km/);
    r = await runBinary(['territory', 'edit', '--db', server.db, 'cli-18', '--radius', '4', '--archive']);
    assert.equal(r.code, 0, r.stderr);
    r = await runBinary(['territory', 'list', '--db', server.db]);
    assert.equal(r.code, 0);
    assert.match(r.stdout, /^cli-18\tarchived\t2 communes\tParis 18e$/m);
    assert.match(r.stdout, /^paris-10\tactive\t1 communes\tParis 10e arrondissement$/m);
    assert.equal(await queryText(server,
      "SELECT COUNT(*) FROM audit_log WHERE actor = 'cli' AND object = 'territory:cli-18'"), '3');
  });
});
