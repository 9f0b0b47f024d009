// The national-scale data set of issue 14, generated at each run from a fixed seed (never
// committed): every commune of the gazetteer, 100 territories (the 100 most populous
// départements, each with all its communes), 40,000 organisations spread like the population,
// each with one or two places and one or two services (about 100,000 services and places).
//   node bench/national/generate.mjs GAZETTEER_CSV OUT_DIR [SEED] [ORGANISATIONS]
// Writes OUT_DIR/territories.tsv (slug, name, centre, radius in km, INSEE codes separated by spaces) and one import
// file per territory, OUT_DIR/<slug>.csv (docs/data-formats.md "CSV"). Prints a summary.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { seededRandom } from '../../tests/seeded-random.mjs';

const [gazetteerCsv, outDir, seedArg, organisationsArg] = process.argv.slice(2);
if (!gazetteerCsv || !outDir) {
  console.error('usage: node bench/national/generate.mjs GAZETTEER_CSV OUT_DIR [SEED] [ORGANISATIONS]');
  process.exit(2);
}
const kTerritories = 100;
const organisations = Number(organisationsArg ?? 40000);

// Seeded, so that the same seed gives the same data set.
const random = seededRandom(seedArg ?? 20261207);
const pick = (list) => list[Math.floor(random() * list.length)];

// The gazetteer CSV has no quoted field with a comma in the columns read here except `name`
// (quoted by RFC 4180 when it has one): a small reader is enough.
function parseLine(line) {
  const out = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') { field += '"'; i++; } else if (c === '"') quoted = false; else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') { out.push(field); field = ''; } else field += c;
  }
  out.push(field);
  return out;
}
const lines = readFileSync(gazetteerCsv, 'utf8').split('\n').filter(Boolean);
const header = parseLine(lines[0]);
const col = (name) => header.indexOf(name);
const communes = lines.slice(1).map(parseLine).map((f) => ({
  insee: f[col('insee_code')], name: f[col('name')], postal: f[col('postal_codes')].split(/[;, ]/)[0],
  population: Number(f[col('population')]) || 0, lat: Number(f[col('lat')]), lon: Number(f[col('lon')]),
  departement: f[col('departement')], parent: f[col('parent_insee_code')],
})).filter((c) => c.insee && Number.isFinite(c.lat) && Number.isFinite(c.lon) && c.postal
  // The places Passerelle accepts (docs/data-formats.md: metropolitan France and the overseas
  // départements); the Pacific collectivities fall outside and are left out.
  && c.lat >= -22 && c.lat <= 52 && c.lon >= -62 && c.lon <= 56);

const byDepartement = new Map();
for (const c of communes) {
  if (!byDepartement.has(c.departement)) byDepartement.set(c.departement, []);
  byDepartement.get(c.departement).push(c);
}
const population = (list) => list.reduce((s, c) => s + c.population, 0);
const departements = [...byDepartement.entries()]
  .map(([code, list]) => ({ code, list, population: population(list) }))
  .sort((a, b) => b.population - a.population)
  .slice(0, kTerritories);
const total = departements.reduce((s, d) => s + d.population, 0);

const kCategories = ['legal-advice', 'lawyer', 'victim-support-association', 'psychologist', 'doctor',
  'forensic-unit', 'social-worker', 'police', 'gendarmerie', 'shelter', 'child-protection', 'youth-service',
  'interpreter', 'financial-aid'];
const kHours = ['Mo-Fr 09:00-12:30,13:30-17:30; PH off', 'Mo,We,Fr 14:00-18:00', '24/7', 'Tu 09:00-12:00', ''];
const csvField = (v) => (/[",\n]/.test(String(v)) ? `"${String(v).replaceAll('"', '""')}"` : String(v));
const columns = ['organization_id', 'organization_name', 'phones', 'accepts_referrals', 'assured_date', 'verified_by',
  'service_id', 'service_name', 'categories', 'languages', 'fees', 'opening_hours', 'location_id', 'address',
  'postal_code', 'city', 'insee_code', 'latitude', 'longitude', 'confidential'];

mkdirSync(outDir, { recursive: true });
const tsv = [];
let made = 0;
let places = 0;
let services = 0;
let rows = 0;
departements.forEach((d, index) => {
  const slug = `dep-${d.code.toLowerCase()}`;
  // Communes that are arrondissements' parents (Paris, Lyon, Marseille) are in the gazetteer
  // with their arrondissements: a territory lists the arrondissements, not the parent too.
  const listed = d.list.filter((c) => !d.list.some((o) => o.parent === c.insee));
  // Centre: the mean of the communes; radius: the farthest commune, at most 200 km (the console's
  // limit; a few communes of the largest départements are then beyond it).
  const centre = [listed.reduce((s, c) => s + c.lat, 0) / listed.length,
    listed.reduce((s, c) => s + c.lon, 0) / listed.length];
  const km = (c) => {
    const rad = Math.PI / 180;
    const a = Math.sin(((c.lat - centre[0]) * rad) / 2) ** 2
      + Math.cos(c.lat * rad) * Math.cos(centre[0] * rad) * Math.sin(((c.lon - centre[1]) * rad) / 2) ** 2;
    return 2 * 6371 * Math.asin(Math.sqrt(a));
  };
  const radius = Math.min(200, Math.ceil(Math.max(...listed.map(km)) + 1));
  tsv.push(`${slug}\tDépartement ${d.code}\t${centre[0].toFixed(4)},${centre[1].toFixed(4)}\t${radius}\t` +
    listed.map((c) => c.insee).join(' '));
  const share = index === departements.length - 1 ? organisations - made
    : Math.round((organisations * d.population) / total);
  const weights = [];
  let acc = 0;
  for (const c of listed) { acc += Math.max(c.population, 1); weights.push(acc); }
  const communeAt = () => {
    const x = random() * acc;
    let lo = 0;
    let hi = weights.length - 1;
    while (lo < hi) { const mid = (lo + hi) >> 1; if (weights[mid] < x) lo = mid + 1; else hi = mid; }
    return listed[lo];
  };
  const out = [columns.join(',')];
  for (let n = 0; n < share; n++) {
    const id = `nat-${slug}-${n}`;
    const orgPlaces = [];
    for (let p = 0, count = random() < 0.25 ? 2 : 1; p < count; p++) {
      const c = communeAt();
      orgPlaces.push({ id: `${id}-l${p}`, c, lat: c.lat + (random() - 0.5) * 0.02, lon: c.lon + (random() - 0.5) * 0.02,
        confidential: random() < 0.03 });
    }
    const serviceCount = random() < 0.25 ? 2 : 1;
    for (let s = 0; s < serviceCount; s++) {
      const place = orgPlaces[s % orgPlaces.length];
      const category = pick(kCategories);
      const first = s === 0;
      out.push([
        id, first ? `Structure ${d.code}-${n}` : '', first ? `0${1 + (n % 5)} 99 ${String(n % 100).padStart(2, '0')} 10 01` : '',
        first ? (random() < 0.5 ? 'true' : 'false') : '', first ? '2026-06-01' : '', first ? 'bench' : '',
        `${id}-s${s}`, `Service ${s + 1}`, category, random() < 0.2 ? 'fr;ar' : 'fr', 'free', pick(kHours),
        place.id, place.confidential ? '' : `${1 + (n % 90)} rue de la Gare`, place.c.postal, place.c.name, place.c.insee,
        place.confidential ? '' : place.lat.toFixed(5), place.confidential ? '' : place.lon.toFixed(5),
        place.confidential ? 'true' : 'false',
      ].map(csvField).join(','));
      rows++;
    }
    // A second place without its own service still is a place of the organisation.
    for (let p = serviceCount; p < orgPlaces.length; p++) {
      const place = orgPlaces[p];
      out.push([id, '', '', '', '', '', '', '', '', '', '', '', place.id,
        place.confidential ? '' : '2 place de la Mairie', place.c.postal, place.c.name, place.c.insee,
        place.confidential ? '' : place.lat.toFixed(5), place.confidential ? '' : place.lon.toFixed(5),
        place.confidential ? 'true' : 'false'].map(csvField).join(','));
      rows++;
    }
    made++;
    places += orgPlaces.length;
    services += serviceCount;
  }
  writeFileSync(join(outDir, `${slug}.csv`), out.join('\n') + '\n');
});
writeFileSync(join(outDir, 'territories.tsv'), tsv.join('\n') + '\n');
console.log(`${communes.length} communes, ${departements.length} territories, ${made} organisations, ` +
  `${places} places, ${services} services (${places + services} in all), ${rows} CSV rows`);
