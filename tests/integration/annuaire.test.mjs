// The public directory over HTTP against the real binary, with the demonstration data and the
// default gazetteer: /annuaire and its detail pages, the JSON API (shapes, errors, rate limit),
// the map's configuration, and the confidential-address leak test across every public endpoint.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';

import { repoRoot, request, runBinary, startServer, waitFor } from './harness.mjs';

// Every confidential location of the demonstration data: its street and its coordinates.
function confidentialSecrets() {
  const secrets = [];
  for (const file of ['montreuillois.hsds.json', 'paris-10.hsds.json']) {
    const data = JSON.parse(readFileSync(join(repoRoot, 'content/demo', file), 'utf8'));
    for (const organization of data.organizations) {
      for (const location of organization.locations) {
        if (!location.confidential) continue;
        secrets.push({
          where: `${organization.id}/${location.id}`,
          street: location.addresses[0].address_1,
          name: location.name,
          latitude: location.latitude,
          longitude: location.longitude,
          transportation: location.transportation || '',
        });
      }
    }
  }
  return secrets;
}

// The number as any serializer could write it (1.645, 1.6450, 1,645), not inside a longer number.
function numberPattern(value) {
  const [whole, fraction] = String(value).split('.');
  return new RegExp(`(?<![\\d.])${whole}[.,]${fraction}0*(?!\\d)`);
}

function assertNoLeak(label, text, secrets) {
  for (const s of secrets) {
    assert.ok(!text.includes(s.street), `${label}: street of ${s.where}`);
    assert.ok(!text.includes(JSON.stringify(s.street).slice(1, -1)), `${label}: escaped street of ${s.where}`);
    assert.ok(!numberPattern(s.latitude).test(text), `${label}: latitude of ${s.where}`);
    assert.ok(!numberPattern(s.longitude).test(text), `${label}: longitude of ${s.where}`);
    if (s.transportation) assert.ok(!text.includes(s.transportation), `${label}: transport notes of ${s.where}`);
  }
}

const json = (response) => JSON.parse(response.body);

describe('annuaire: national instance', () => {
  let server;
  before(async () => { server = await startServer({ gazetteer: true, extraArgs: ['--api-limit', '100000'] }); });
  after(async () => { await server?.stop(); });
  const get = (path) => request(server.baseUrl, 'GET', path);

  // Every public service id, through the API around both demo territories.
  async function allServiceIds() {
    const ids = new Set();
    for (const [lat, lon] of [[50.4638, 1.7633], [48.876, 2.359]]) {
      for (let page = 1; ; page += 1) {
        const r = await get(`/api/v1/services?lat=${lat}&lon=${lon}&radius_km=60&per_page=50&page=${page}`);
        assert.equal(r.status, 200, r.body);
        const body = json(r);
        for (const item of body.contents) ids.add(item.id);
        if (!body.has_more) break;
      }
    }
    return [...ids];
  }

  test('the list without a place asks for one; with a postal code it lists the nearest services', async () => {
    const empty = await get('/annuaire');
    assert.equal(empty.status, 200);
    assert.match(empty.body, /Indiquez votre commune ou votre code postal/);
    assert.match(empty.body, /<form class="app-annuaire-form" method="get" action="\/annuaire"/);

    const page = await get('/annuaire?commune=75010');
    assert.equal(page.status, 200);
    assert.match(page.body, /Autour de Paris 10e/);
    const items = page.body.split('class="app-annuaire-result"').slice(1);
    assert.ok(items.length >= 10, `${items.length} results`);
    assert.match(page.body, /href="tel:\d+"/);
    assert.match(page.body, /href="sms:\d+"/);
    assert.match(page.body, /vérifié le <time datetime="\d{4}-\d{2}-\d{2}">/);
    assert.match(page.body, /Information juridique|Association d&apos;aide aux victimes|Association d'aide aux victimes/);
    assert.match(page.body, /<dt>Distance<\/dt><dd>[\d,]+ k?m/);
    assert.match(page.body, /Adresse confidentielle · 75010 Paris/);
    assert.match(page.body, /Ouvert|Fermé|Horaires non communiqués/);
    // Distances grow down the list.
    const distances = [...page.body.matchAll(/<dt>Distance<\/dt><dd>([\d,]+) (k?m)/g)]
      .map(([, n, unit]) => Number(n.replace(',', '.')) * (unit === 'km' ? 1000 : 1));
    assert.deepEqual(distances, [...distances].sort((a, b) => a - b));
  });

  test('filters: category, language, free, wheelchair, open now; temporary closures shown', async () => {
    const police = await get('/annuaire?commune=Montreuil-sur-Mer&categorie=gendarmerie');
    assert.equal(police.status, 200);
    assert.match(police.body, /Gendarmerie/);
    assert.doesNotMatch(police.body, /<span class="app-annuaire-tag">Psychologue<\/span>/);
    const filtered = await get('/annuaire?commune=62170&langue=ar&gratuit=1&fauteuil=1&ouvert=1');
    assert.equal(filtered.status, 200);
    assert.match(filtered.body, /name="ouvert" type="checkbox" value="1" checked/);
    const closed = await get('/annuaire?commune=Le+Touquet-Paris-Plage&rayon=30');
    assert.match(closed.body, /Fermeture temporaire/);
  });

  test('an unknown commune is explained on the page, not a server error', async () => {
    const page = await get('/annuaire?commune=Atlantide');
    assert.equal(page.status, 200);
    assert.match(page.body, /Nous ne trouvons pas la commune «\sAtlantide\s»/);
    assert.match(page.body, /role="alert"/);
    assert.equal((await get('/annuaire?commune=99999')).status, 200);
    assert.equal((await get(`/annuaire?commune=${'x'.repeat(5000)}`)).status, 200);
  });

  // Labels that src/annuaire builds in French (categories, openings, closures, dates, phones,
  // accessibility, languages, week table): none may be left on the English and Arabic pages.
  const kFrenchLabels = [
    'Information juridique', "tag\">Association d'aide aux victimes<", 'Fermé temporairement', 'Fermeture temporaire',
    "aujourd'hui", 'demain', 'vérifié le', 'Téléphone', 'Accessible en fauteuil', 'Horaires non communiqués',
    'Ouvert', 'Fermé', 'lundi', 'Lundi', 'janvier', 'décembre', 'français', 'arabe', 'espagnol', ' h 30',
    'Nous ne trouvons pas', 'Cette page n',
  ];
  const mainOf = (body) => body.slice(body.indexOf('<main'), body.indexOf('</main>'))
    .replace(/&#39;|&apos;/g, "'").replace(/&quot;/g, '"').replace(/&amp;/g, '&');
  const assertNoFrench = (path, text, labels = kFrenchLabels) => {
    for (const label of labels) assert.ok(!text.includes(label), `${path}: French label "${label}"`);
  };
  // The directory's own data (names, descriptions, addresses) stays as written, in French: the
  // detail page is checked for labels that no demo description holds.
  const kFrenchDetailLabels = kFrenchLabels.filter((label) => label !== 'Information juridique');

  for (const [prefix, labels] of [
    ['/en', {
      // On the list, besides a category and a phone: the check date, an opening, a distance.
      list: [
        /<dt>Checked<\/dt><dd>on <time datetime="\d{4}-\d{2}-\d{2}">\d{1,2} [A-Z][a-z]+ \d{4}<\/time>/,
        /app-annuaire-open[^"]*">(Open · closes (today|tomorrow|on \d+ [A-Z][a-z]+|[A-Z][a-z]+day) at \d{1,2}:\d\d|Closed · opens (today|tomorrow|on \d+ [A-Z][a-z]+|[A-Z][a-z]+day) at \d{1,2}:\d\d|Open 24 hours a day|Closed|Opening hours not given|Temporarily closed[^<]*)<\/dd>/,
        /<dt>Distance<\/dt><dd>(\d+ m|\d+(\.\d)? km)/,
      ],
      category: /<span class="app-annuaire-tag">(Legal information|Victim support association)<\/span>/,
      phone: /<a href="tel:\d+">Phone: <span dir="ltr">[\d ]+<\/span><\/a>/,
      closure: /Temporary closure from 1 January 2025 to 31 December 2026/,
      option: '<option value="ar">Arabic</option>',
      unknown: 'We cannot find the town “Atlantide”.',
      week: /<th scope="row">Monday<\/th><td>9:30 – 12:30, 14:00 – 17:30<\/td>/,
      facts: ['Wheelchair accessible', 'French, English, Arabic', 'Free', '<th scope="row">Saturday</th><td>Closed</td>'],
    }],
    ['/ar', {
      list: [
        /<dt>[^<]+<\/dt><dd>بتاريخ <time datetime="\d{4}-\d{2}-\d{2}">\d{1,2} [^\x00-\x7F]+ \d{4}<\/time>/,
        /app-annuaire-open[^"]*">(مفتوح · يُغلق [^<]+ \d{1,2}:\d\d|مغلق · يفتح [^<]+ \d{1,2}:\d\d|مفتوح 24 ساعة في اليوم|مغلق|أوقات الاستقبال غير معروفة|مغلق مؤقتًا[^<]*)<\/dd>/,
        /<dt>[^<]+<\/dt><dd>(\d+ m|\d+(\.\d)? km)/,
      ],
      category: /<span class="app-annuaire-tag">(معلومات قانونية|جمعية لمساعدة الضحايا[^<]*)<\/span>/,
      phone: /<a href="tel:\d+">الهاتف: <span dir="ltr">[\d ]+<\/span><\/a>/,
      closure: /إغلاق مؤقت من 1 يناير 2025 إلى 31 ديسمبر 2026/,
      option: '<option value="ar">العربية</option>',
      unknown: 'لا نجد البلدية «Atlantide».',
      week: /<th scope="row">الاثنين<\/th><td>9:30 – 12:30، 14:00 – 17:30<\/td>/,
      facts: ['يمكن الوصول إليها بالكرسي المتحرك', 'الفرنسية، الإنجليزية، العربية', 'مجاني', '<th scope="row">السبت</th><td>مغلق</td>'],
    }],
  ]) {
    test(`${prefix}/annuaire: every label in the page's language, none left in French`, async () => {
      const page = await get(`${prefix}/annuaire?commune=75010`);
      assert.equal(page.status, 200);
      assert.match(page.body, new RegExp(`<div lang="${prefix.slice(1)}">`), 'content not marked as French');
      const main = mainOf(page.body);
      assert.ok(main.split('class="app-annuaire-result"').length > 5, 'results listed');
      for (const pattern of [labels.category, labels.phone, ...labels.list]) assert.match(main, pattern);
      assert.ok(main.includes(labels.option), `${prefix}: language filter option`);
      assertNoFrench(`${prefix}/annuaire?commune=75010`, main);

      const closed = await get(`${prefix}/annuaire?commune=75010&categorie=financial-aid`);
      assert.match(mainOf(closed.body), labels.closure);
      assertNoFrench(`${prefix}/annuaire?commune=75010&categorie=financial-aid`, mainOf(closed.body));

      const unknown = mainOf((await get(`${prefix}/annuaire?commune=Atlantide`)).body);
      assert.ok(unknown.includes(labels.unknown), `${prefix}: unknown commune message`);
      assertNoFrench(`${prefix}/annuaire?commune=Atlantide`, unknown);
    });

    test(`${prefix}/annuaire/{id}: the detail page in the page's language`, async () => {
      for (const id of ['p10-cidff-s1', 'p10-microcredit-s1', 'p10-hebergement-s1']) {
        const page = await get(`${prefix}/annuaire/${id}`);
        assert.equal(page.status, 200, id);
        assert.match(page.body, new RegExp(`<div lang="${prefix.slice(1)}">`), `${id}: content not marked as French`);
        const main = mainOf(page.body);
        assert.match(main, labels.phone, `${id}: phone`);
        assert.doesNotMatch(main, /<span class="app-annuaire-tag">Information juridique<\/span>/);
        assertNoFrench(`${prefix}/annuaire/${id}`, main, kFrenchDetailLabels);
      }
      const main = mainOf((await get(`${prefix}/annuaire/p10-cidff-s1`)).body);
      assert.match(main, labels.category);
      assert.match(main, labels.week);
      for (const fact of labels.facts) assert.ok(main.includes(fact), `${prefix}: ${fact}`);
      assert.match(mainOf((await get(`${prefix}/annuaire/p10-microcredit-s1`)).body), labels.closure);
    });
  }

  test('the French pages keep their French labels', async () => {
    const main = mainOf((await get('/annuaire?commune=75010')).body);
    for (const label of ['Information juridique', 'vérifié le', 'Téléphone\u202F: ', '<option value="ar">arabe</option>']) {
      assert.ok(main.includes(label), label);
    }
    assert.match(main, /app-annuaire-open[^"]*">(Ouvert · ferme|Fermé · ouvre|Ouvert 24 h sur 24|Fermé|Horaires non communiqués)/);
    assert.match(main, /<dt>Distance<\/dt><dd>(\d+ m|\d+(,\d)? km)/);
    assert.match(mainOf((await get('/annuaire?commune=75010&categorie=financial-aid')).body),
      /Fermeture temporaire du 1er janvier 2025 au 31 décembre 2026/);
    const detail = mainOf((await get('/annuaire/p10-cidff-s1')).body);
    assert.match(detail, /<th scope="row">Lundi<\/th><td>9 h 30 – 12 h 30, 14 h – 17 h 30<\/td>/);
    for (const label of ['Accessible en fauteuil roulant', 'français, anglais, arabe', 'Gratuit',
      '<th scope="row">Samedi</th><td>Fermé</td>']) {
      assert.ok(detail.includes(label), label);
    }
  });

  test('detail pages: 200 for each public service, 404 otherwise', async () => {
    const ids = await allServiceIds();
    assert.ok(ids.length >= 40, `${ids.length} services`);
    for (const id of ids) {
      const page = await get(`/annuaire/${id}`);
      assert.equal(page.status, 200, id);
      assert.match(page.body, /<h1 class="app-heading-xl">/);
    }
    assert.equal((await get('/annuaire/nexiste-pas')).status, 404);
    // A professionals-only organization is not public.
    assert.ok(!ids.some((id) => id.startsWith('mtr-mpf') || id.startsWith('p10-bpf')));
  });

  test('API: HSDS-shaped pages, at most 50, by distance, with 400 naming the parameter', async () => {
    const r = await get('/api/v1/services?lat=48.876&lon=2.359&radius_km=5&category=lawyer,legal-advice&per_page=50');
    assert.equal(r.status, 200);
    assert.match(r.headers['content-type'], /application\/json/);
    const body = json(r);
    assert.deepEqual(Object.keys(body).sort(), ['contents', 'has_more', 'page_number', 'size']);
    assert.ok(body.contents.length > 0 && body.contents.length <= 50);
    for (const item of body.contents) {
      assert.ok(item.categories.some((c) => c === 'lawyer' || c === 'legal-advice'));
      for (const key of ['id', 'name', 'organization', 'locations', 'distance_km', 'opening_hours', 'languages']) {
        assert.ok(key in item, key);
      }
    }
    const distances = body.contents.map((item) => item.distance_km);
    assert.deepEqual(distances, [...distances].sort((a, b) => a - b));

    const open = json(await get('/api/v1/services?lat=48.876&lon=2.359&open_now=true&lang=fr'));
    for (const item of open.contents) assert.equal(item.open_now, true);

    for (const [query, parameter] of [
      ['lat=abc&lon=2', 'lat'], ['lat=48', 'lon'], ['lat=91&lon=2', 'lat'], ['lat=48&lon=2&radius_km=0', 'radius_km'],
      ['lat=48&lon=2&radius_km=5000', 'radius_km'], ['lat=48&lon=2&category=nope', 'category'],
      ['lat=48&lon=2&open_now=peut-etre', 'open_now'], ['lat=48&lon=2&lang=FRA1', 'lang'],
      ['lat=48&lon=2&page=0', 'page'], ['lat=48&lon=2&per_page=51', 'per_page'], ['', 'lat'],
    ]) {
      const bad = await get(`/api/v1/services?${query}`);
      assert.equal(bad.status, 400, query);
      assert.equal(json(bad).error.parameter, parameter, query);
    }

    const one = await get(`/api/v1/services/${body.contents[0].id}`);
    assert.equal(one.status, 200);
    assert.equal(json(one).id, body.contents[0].id);
    const missing = await get('/api/v1/services/nexiste-pas');
    assert.equal(missing.status, 404);
    assert.equal(json(missing).error.status, 404);
  });

  test('API: commune autocomplete, at most 10', async () => {
    const r = json(await get('/api/v1/communes?q=saint'));
    assert.equal(r.contents.length, 10);
    const montreuil = json(await get('/api/v1/communes?q=montreuil%20sur'));
    assert.ok(montreuil.contents.some((c) => c.label === 'Montreuil-sur-Mer (62170)'), JSON.stringify(montreuil));
    assert.equal(json(await get('/api/v1/communes?q=75010')).contents[0].insee_code, '75110');
    const missing = await get('/api/v1/communes');
    assert.equal(missing.status, 400);
    assert.equal(json(missing).error.parameter, 'q');
  });

  test('leak test: no confidential street, coordinates or transport notes in any public output or log', async () => {
    const secrets = confidentialSecrets();
    assert.ok(secrets.length >= 4, 'the demo data holds confidential shelters');
    const paths = [
      '/annuaire', '/annuaire?commune=75010', '/annuaire?commune=75010&categorie=shelter',
      '/annuaire?commune=Berck', '/annuaire?commune=62600&categorie=shelter&rayon=50',
      '/annuaire?commune=%C3%89taples&categorie=shelter', '/en/annuaire?commune=75010', '/ar/annuaire?commune=Berck',
      '/api/v1/communes?q=berck', '/api/v1/communes?q=75010',
    ];
    for (const [lat, lon] of [[50.4101, 1.6012], [50.5101, 1.645], [48.8741, 2.355], [48.8779, 2.3625]]) {
      paths.push(`/api/v1/services?lat=${lat}&lon=${lon}&radius_km=10&per_page=50`);
      paths.push(`/api/v1/services?lat=${lat}&lon=${lon}&radius_km=10&category=shelter`);
    }
    for (const id of await allServiceIds()) {
      paths.push(`/annuaire/${id}`, `/api/v1/services/${id}`, `/en/annuaire/${id}`);
    }
    for (const path of paths) {
      const response = await get(path);
      assert.ok(response.status < 500, `${path}: ${response.status}`);
      assertNoLeak(path, response.body, secrets);
      assertNoLeak(`${path} (headers)`, JSON.stringify(response.headers), secrets);
    }
    // The confidential shelters are found, by their commune, and marked as such.
    const shelters = json(await get('/api/v1/services?lat=50.4101&lon=1.6012&radius_km=30&category=shelter&per_page=50'));
    const confidential = shelters.contents.filter((item) => item.distance_approximate);
    assert.ok(confidential.length >= 1, JSON.stringify(shelters));
    for (const item of confidential) {
      const place = item.locations.find((l) => l.id === item.location_id);
      assert.equal(place.confidential, true);
      assert.equal(place.latitude, undefined);
      assert.equal(place.address, undefined);
    }
    const berck = await get('/annuaire?commune=Berck&categorie=shelter');
    assert.match(berck.body, /Adresse confidentielle · 62600 Berck/);
    // No map marker for a confidential place: every data-lat belongs to a public address.
    for (const item of berck.body.split('class="app-annuaire-result"').slice(1)) {
      if (item.includes('Adresse confidentielle')) assert.doesNotMatch(item.split('</li>')[0], /data-lat/);
    }
    assertNoLeak('server log', server.logs(), secrets);
  });
});

describe('annuaire: territory instance with a map and a low API limit', () => {
  let server;
  before(async () => {
    server = await startServer({
      gazetteer: true,
      extraArgs: ['--territory', 'montreuillois', '--api-limit', '3'],
      env: { PASSERELLE_TILE_URL: '/tuiles/{z}/{x}/{y}.png' },
    });
  });
  after(async () => { await server?.stop(); });
  const get = (path) => request(server.baseUrl, 'GET', path);

  test('without a place, the territory centre and its default radius are searched', async () => {
    const page = await get('/annuaire');
    assert.equal(page.status, 200);
    assert.match(page.body, /Autour de [^,]+, dans un rayon de/);
    assert.ok(page.body.split('class="app-annuaire-result"').length > 5);
    assert.doesNotMatch(page.body, /Paris 10e/);
  });

  test('the map is configured by the operator and Leaflet is served by Passerelle', async () => {
    const page = await get('/annuaire?commune=62170');
    assert.match(page.body, /data-module="app-annuaire-map" data-tile-url="\/tuiles\/\{z\}\/\{x\}\/\{y\}\.png"/);
    const script = page.body.match(/<script src="(\/static\/vendor\/leaflet\/leaflet\.[^"]+\.js)"/);
    assert.ok(script, 'Leaflet script');
    assert.equal((await get(script[1])).status, 200);
    const css = page.body.match(/<link rel="stylesheet" href="(\/static\/vendor\/leaflet\/leaflet\.[^"]+\.css)"/);
    assert.ok(css, 'Leaflet CSS');
    assert.equal((await get(css[1])).status, 200);
  });

  test('the API is rate-limited per client: 429 with Retry-After', async () => {
    const statuses = [];
    let limited;
    for (let i = 0; i < 5; i += 1) {
      const r = await get('/api/v1/communes?q=berck');
      statuses.push(r.status);
      if (r.status === 429) limited = r;
    }
    assert.deepEqual(statuses, [200, 200, 200, 429, 429]);
    assert.match(limited.headers['retry-after'], /^\d+$/);
    assert.ok(Number(limited.headers['retry-after']) >= 1 && Number(limited.headers['retry-after']) <= 60);
    assert.equal(json(limited).error.status, 429);
    // The pages are not limited by the API's counter.
    assert.equal((await get('/annuaire')).status, 200);
  });
});

describe('annuaire: an import from the command line reaches the running server without restart', () => {
  let server;
  before(async () => {
    server = await startServer({ gazetteer: true, extraArgs: ['--directory-poll-ms', '200', '--api-limit', '1000'] });
  });
  after(async () => { await server?.stop(); });

  const idsNear = async () => {
    const r = await request(server.baseUrl, 'GET', '/api/v1/services?lat=48.8702&lon=2.3601&radius_km=1&per_page=50');
    assert.equal(r.status, 200, r.body);
    return JSON.parse(r.body).contents.map((item) => item.id);
  };

  // One organization, service and place near the centre of Paris 10e, imported by the command
  // line into the running server's database.
  const importOne = async (name, row) => {
    const file = join(server.dir, `${name}.csv`);
    await writeFile(file, 'organization_id,organization_name,phones,service_id,service_name,categories,opening_hours,'
      + `location_id,address,postal_code,city,insee_code,latitude,longitude,confidential\n${row}\n`);
    const imported = await runBinary(['import', '--db', server.db, '--format', 'csv', '--territory', 'paris-10', file]);
    assert.equal(imported.code, 0, imported.stderr);
  };

  test('a new organization imported by `passerelle import` is found by the API', async () => {
    assert.ok(!(await idsNear()).includes('cli-watch-s'), 'not there before the import');
    await importOne('new', 'cli-watch,Association Veille,01 99 00 40 09,cli-watch-s,Écoute,victim-support-association,'
      + 'Mo-Fr 09:00-17:00,cli-watch-l,2 rue du Test,75010,Paris,75110,48.8702,2.3601,false');
    await waitFor(async () => (await idsNear()).includes('cli-watch-s'), 'the imported service in the API', 15_000);
  });

  // The list's data is kept per query for the minute while the index is unchanged (ADR 0015):
  // a write to the directory shows on the page read just before, without waiting for the minute.
  test('the directory page read before an import lists the new organization once it is indexed', async () => {
    const page = async () => {
      const r = await request(server.baseUrl, 'GET', '/annuaire?commune=75010&categorie=legal-advice&rayon=2');
      assert.equal(r.status, 200);
      return r.body;
    };
    assert.ok(!(await page()).includes('Permanence Veille'), 'not there before the import');
    assert.ok(!(await page()).includes('Permanence Veille'), 'nor when read again (kept)');
    await importOne('list', 'cli-list,Permanence Veille,01 99 00 40 19,cli-list-s,Droits,legal-advice,'
      + 'Mo-Fr 09:00-17:00,cli-list-l,4 rue du Test,75010,Paris,75110,48.8760,2.3600,false');
    await waitFor(async () => (await page()).includes('Permanence Veille'), 'the imported organization on the page',
      15_000);
  });
});
