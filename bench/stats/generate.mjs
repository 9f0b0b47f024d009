// Writes to stdout the SQL of 3 years of daily statistics counters for one territory and 100
// communes (bench/stats/run.sh): every event kind every day, and "no match" counters by need for
// each of the 100 communes every day. A fixed seed: every run writes the same rows. Not committed
// data: generated at each run.
//   node bench/stats/generate.mjs TERRITORY LAST_DAY INSEE_FILE > counters.sql
import { readFileSync } from 'node:fs';

const [territory, lastDay, inseeFile] = process.argv.slice(2);
const communes = readFileSync(inseeFile, 'utf8').split('\n').filter(Boolean).slice(0, 100);
if (communes.length < 100) throw new Error(`100 communes needed, ${communes.length} in ${inseeFile}`);

// mulberry32, seed 11 (the number).
let state = 11;
function random() {
  state = (state + 0x6d2b79f5) | 0;
  let t = Math.imul(state ^ (state >>> 15), 1 | state);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const count = (mean) => Math.floor(random() * 2 * mean);

const kinds = { visit_home: 60, visit_help: 25, visit_sheets: 30, visit_directory: 20, help_button_click: 12,
  flow_started: 8, flow_completed: 5, minor_redirected: 1, emergency_exit: 1, referral_sent: 3 };
const needs = ['housing', 'rights', 'lawyer', 'medical', 'psychological', 'children', 'financial'];
const days = 3 * 365 + 1;
const last = new Date(`${lastDay}T12:00:00Z`);
const out = ['BEGIN;'];
let values = [];
const flush = () => {
  if (values.length) out.push(`INSERT INTO stat_counter (day, territory_slug, kind, detail, count) VALUES ${values.join(',')};`);
  values = [];
};
for (let d = days - 1; d >= 0; d--) {
  const day = new Date(last.getTime() - d * 86400000).toISOString().slice(0, 10);
  for (const [kind, mean] of Object.entries(kinds)) {
    const n = count(mean);
    if (n > 0) values.push(`('${day}','${territory}','${kind}','',${n})`);
  }
  for (const insee of communes) {
    const n = 1 + count(1);
    values.push(`('${day}','${territory}','no_match','need:${needs[Math.floor(random() * needs.length)]}|${insee}',${n})`);
  }
  if (values.length > 500) flush();
}
flush();
out.push('COMMIT;');
process.stdout.write(out.join('\n') + '\n');
