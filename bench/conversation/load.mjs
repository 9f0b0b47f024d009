// Live conversations under load (issue 12, docs/conversation.md): CONVERSATIONS women each go
// through the help flow (the integration tests' visitor) and open "Écrire maintenant" with the
// one on-duty professional's organization, write a first line while waiting and keep their event
// stream open; the professional takes half of them (the others keep waiting) and keeps one event
// stream open per taken conversation, as the desk's writing page does. Then, for SECONDS, each
// taken conversation exchanges a message every ~5 s, alternating sides, while the desk list is
// reloaded every 10 s (presence). Delivery time: from just before a POST on one side to the
// arrival, on the other side's event stream, of the first `changed` event past the version that
// stream held when the POST started (one message in flight per conversation).
//   node bench/conversation/load.mjs BASE_URL WORK_DIR CONVERSATIONS SECONDS READY_FILE
// WORK_DIR is the server's (its database is sqlite:WORK_DIR/p.db, its data directory
// WORK_DIR/data: `passerelle user add` needs them); READY_FILE is written once every stream is
// open, before the measured phase. Prints one JSON line.
import { writeFile } from 'node:fs/promises';
import http from 'node:http';
import { join } from 'node:path';

import { request } from '../../tests/integration/harness.mjs';
import { Professional } from '../../tests/integration/pro-harness.mjs';
import { Visitor, encode } from '../../tests/integration/referral-visitor.mjs';

const [base, workDir, countArg, secondsArg, readyFile] = process.argv.slice(2);
const count = Number(countArg ?? 500);
const seconds = Number(secondsArg ?? 30);
if (!base || !workDir || !(count > 0) || !(seconds > 0) || !readyFile) {
  console.error('usage: node bench/conversation/load.mjs BASE_URL WORK_DIR CONVERSATIONS SECONDS READY_FILE');
  process.exit(2);
}
const kOrganization = 'p10-accueil-jour';  // demo data: proposed for housing in the 10e
const kService = 'p10-accueil-jour-s1';
const kDeliveryTimeoutMs = 10_000;
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const failures = new Map();
function fail(what) {
  const key = String(what?.message ?? what).split('\n')[0].slice(0, 120);
  failures.set(key, (failures.get(key) ?? 0) + 1);
}

// An event stream: the last version seen, and who waits for the next one past a version.
function openStream(path, headers = {}) {
  return new Promise((resolve, reject) => {
    const stream = { version: 0, waiters: [], ended: false };
    const req = http.get(`${base}${path}`, { agent: false, headers }, (res) => {
      if (res.statusCode !== 200) {
        reject(new Error(`${path}: ${res.statusCode}`));
        res.resume();
        return;
      }
      res.setEncoding('utf8');
      let buffer = '';
      res.on('data', (chunk) => {
        const now = performance.now();
        buffer += chunk;
        for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
          const event = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const data = event.match(/^data: (\d+)$/m);
          if (!data || !/^event: changed$/m.test(event)) continue;
          const version = Number(data[1]);
          if (version <= stream.version) continue;  // a keep-alive
          stream.version = version;
          stream.waiters = stream.waiters.filter((w) => (version > w.past ? (w.resolve(now), false) : true));
        }
      });
      res.on('end', () => { stream.ended = true; });
      stream.close = () => req.destroy();
      resolve(stream);
    });
    req.on('error', (error) => { stream.ended = true; if (!stream.close) reject(error); });
  });
}
function nextChange(stream, past) {
  return new Promise((resolve, reject) => {
    const waiter = { past, resolve };
    stream.waiters.push(waiter);
    setTimeout(() => {
      stream.waiters = stream.waiters.filter((w) => w !== waiter);
      reject(new Error('not delivered within 10 s'));
    }, kDeliveryTimeoutMs);
  });
}

// ---- the professional: enrolled, on duty now, present at the desk ----
const pro = new Professional(base, 'permanence-bench@example.org');
await pro.enrolAndSignIn({ baseUrl: base, db: `sqlite:${join(workDir, 'p.db')}`, dir: workDir },
  ['--role', 'member', '--org', kOrganization]);
await pro.get(`/pro/organisations/${kOrganization}/permanences`);
const duty = await pro.post(`/pro/organisations/${kOrganization}/disponible`, [['action', 'debut'], ['service', kService]]);
if (duty.status !== 303) throw new Error(`on duty: ${duty.status}`);
await pro.get('/pro/conversations');
let presence = setInterval(() => pro.get('/pro/conversations').catch(fail), 10_000);

// ---- her side: the help flow, "Écrire maintenant", a first line, her event stream ----
const setupStarted = performance.now();
const hers = [];  // { visitor, path, stream, marker }
let walks = 0;
async function openOne(index) {
  for (let attempt = 0; attempt < 20; attempt++) {
    walks += 1;
    const visitor = new Visitor(base);
    const end = await visitor.finish(await visitor.walkToContact('Je cherche un endroit où dormir.'), 'bench');
    if (!end.body.includes(`formaction="/aide/conversation" name="service_id" value="${kService}"`)) continue;
    const token = end.body.match(/name="token" value="([^"]+)"/)[1];
    const page = await visitor.post('/aide/conversation', [['token', token], ['service_id', kService]]);
    const path = page.body.match(/data-read="(\/aide\/conversation\/[A-Za-z0-9_-]{43})"/)?.[1];
    if (page.status !== 200 || !path) throw new Error(`open: ${page.status}`);
    const marker = `bench-${index}-line`;
    const said = await request(base, 'POST', path, { body: encode([['_csrf', visitor.csrf], ['action', 'say'], ['message', marker]]),
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'sec-fetch-site': 'same-origin' } });
    if (said.status !== 303) throw new Error(`first line: ${said.status}`);
    hers[index] = { visitor, path, marker, stream: await openStream(`${path}/flux`) };
    return;
  }
  throw new Error('the service was never proposed');
}
let next = 0;
await Promise.all(Array.from({ length: 8 }, async () => {
  for (let i = next++; i < count; i = next++) await openOne(i);
}));
const opened = performance.now();

// ---- the desk: every waiting line; half of them taken, each mapped to hers by her first line ----
const list = await pro.get('/pro/conversations');
const deskIds = [...list.body.matchAll(/action="\/pro\/conversations\/([0-9a-f]+)\/prendre"/g)].map((m) => m[1]);
if (deskIds.length !== count) throw new Error(`${deskIds.length} waiting at the desk, ${count} opened`);
const byMarker = new Map(hers.map((h) => [h.marker, h]));
const talking = [];  // { her, deskId, deskStream }
for (const deskId of deskIds.slice(0, Math.floor(count / 2))) {
  const taken = await pro.post(`/pro/conversations/${deskId}/prendre`, []);
  if (taken.status !== 303) throw new Error(`take: ${taken.status}`);
  const page = await pro.get(`/pro/conversations/${deskId}/ecrire`);
  const marker = page.body.match(/bench-\d+-line/)?.[0];
  if (!byMarker.has(marker)) throw new Error('a taken conversation without her first line');
  talking.push({ her: byMarker.get(marker), deskId,
    deskStream: await openStream(`/pro/conversations/${deskId}/flux`, { cookie: pro.cookie }) });
}
const setupSeconds = (performance.now() - setupStarted) / 1000;
await writeFile(readyFile, 'ready\n');

// ---- the measured phase ----
const toHer = [];
const toDesk = [];
let sent = 0;
const deadline = Date.now() + seconds * 1000;
await Promise.all(talking.map(async (c, index) => {
  await sleep(Math.random() * 5000);
  for (let turn = index % 2; Date.now() < deadline; turn++) {
    const fromHer = turn % 2 === 0;
    const stream = fromHer ? c.deskStream : c.her.stream;
    const started = performance.now();
    const arrival = nextChange(stream, stream.version);
    arrival.catch(() => {});
    const text = `message ${turn} de ${fromHer ? 'elle' : 'la professionnelle'}`;
    try {
      const r = fromHer
        ? await request(base, 'POST', c.her.path, { body: encode([['_csrf', c.her.visitor.csrf], ['action', 'say'], ['message', text]]),
          headers: { 'content-type': 'application/x-www-form-urlencoded', 'sec-fetch-site': 'same-origin' } })
        : await pro.post(`/pro/conversations/${c.deskId}/messages`, [['message', text]]);
      if (r.status !== 303) throw new Error(`post: ${r.status}`);
      sent += 1;
      (fromHer ? toDesk : toHer).push((await arrival) - started);
    } catch (error) {
      fail(error);
    }
    await sleep(4000 + Math.random() * 2000);
  }
}));
clearInterval(presence);
presence = null;

const all = [...toHer, ...toDesk].sort((a, b) => a - b);
const pct = (sorted, p) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)] : NaN);
const streamsOpen = hers.filter((h) => !h.stream.ended).length + talking.filter((c) => !c.deskStream.ended).length;
console.log(JSON.stringify({
  conversations: count,
  talking: talking.length,
  waiting: count - talking.length,
  walks,
  setup_seconds: setupSeconds,
  open_seconds: (opened - setupStarted) / 1000,
  streams_open: streamsOpen,
  sent,
  delivered: all.length,
  failed: Object.fromEntries(failures),
  p50: pct(all, 0.5),
  p99: pct(all, 0.99),
  max: all.at(-1),
  to_her_p99: pct([...toHer].sort((a, b) => a - b), 0.99),
  to_desk_p99: pct([...toDesk].sort((a, b) => a - b), 0.99),
}));
for (const h of hers) h.stream.close?.();
for (const c of talking) c.deskStream.close?.();
process.exit(0);
