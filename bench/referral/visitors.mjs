// Referral throughput (issue 14): visitors without JavaScript run the help flow to its end and
// send a referral, as many at once as asked, for a fixed time; then every follow-up code the
// server acknowledged is typed at /suivi and must open its referral (0 lost).
//   node bench/referral/visitors.mjs BASE_URL SECONDS VISITORS
// Prints one JSON line: sent, failed, lost, rate per second, send latency p50/p99 (ms).
// The visitor is the integration tests' own (tests/integration/referral-visitor.mjs).
import { csrfTokenIn, request } from '../../tests/integration/harness.mjs';
import { Visitor, openReport, sendFields } from '../../tests/integration/referral-visitor.mjs';

const [base, secondsArg, visitorsArg] = process.argv.slice(2);
const seconds = Number(secondsArg ?? 60);
const visitors = Number(visitorsArg ?? 8);
if (!base || !(seconds > 0) || !(visitors > 0)) {
  console.error('usage: node bench/referral/visitors.mjs BASE_URL SECONDS VISITORS');
  process.exit(2);
}

const codes = [];
const latencies = [];
const failures = new Map();  // first line of the error → count
function fail(error) {
  const key = String(error?.message ?? error).split('\n')[0].slice(0, 120);
  failures.set(key, (failures.get(key) ?? 0) + 1);
}

async function oneReferral() {
  const v = new Visitor(base);
  const end = await v.finish(await v.walkToContact('Je voudrais parler à quelqu’un.'), 'bench');
  const report = await openReport(v, end);
  const started = process.hrtime.bigint();
  const sent = await v.post('/aide/envoi',
    sendFields(report, [['contact_detail', '06 12 12 12 12'], ['consent', 'yes'], ['action', 'send']]));
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  const code = sent.body.match(/data-followup-code><strong>([a-z]+-[a-z]+-[a-z]+-\d{4})</)?.[1];
  if (sent.status !== 200 || !code) throw new Error(`send answered ${sent.status} without a code`);
  latencies.push(ms);
  codes.push(code);
}

const deadline = Date.now() + seconds * 1000;
const started = Date.now();
await Promise.all(Array.from({ length: visitors }, async () => {
  while (Date.now() < deadline) {
    try {
      await oneReferral();
    } catch (error) {
      fail(error);
    }
  }
}));
const elapsed = (Date.now() - started) / 1000;

// Every acknowledged code opens its referral afterwards (two at a time: each check is an Argon2id).
let lost = 0;
const queue = [...codes];
await Promise.all([0, 1].map(async () => {
  for (let code = queue.pop(); code !== undefined; code = queue.pop()) {
    const v = new Visitor(base);
    v.csrf = csrfTokenIn((await request(base, 'GET', '/suivi')).body);
    const r = await v.post('/suivi', [['code', code]]);
    if (r.status !== 200 || !/data-status="/.test(r.body)) lost++;
  }
}));

latencies.sort((a, b) => a - b);
const pct = (p) => (latencies.length ? latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] : NaN);
console.log(JSON.stringify({
  sent: codes.length, failed: [...failures.values()].reduce((a, b) => a + b, 0), failures: Object.fromEntries(failures),
  lost, seconds: elapsed, rate: codes.length / elapsed, p50: pct(0.5), p99: pct(0.99),
}));
