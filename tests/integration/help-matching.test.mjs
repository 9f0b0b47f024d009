// Matching (issue 3 §5) over HTTP against the real binary, on the two demo territories: the
// flow's end page proposes real demo professionals, explained in one French line, and never
// reveals where a confidential shelter is.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';

import { csrfTokenIn, repoRoot, request, startServer } from './harness.mjs';
import { QuestionPages } from './question-pages.mjs';

const kSameOrigin = { 'sec-fetch-site': 'same-origin' };

const demo = ['montreuillois', 'paris-10'].flatMap(
  (t) => JSON.parse(readFileSync(join(repoRoot, 'content', 'demo', `${t}.hsds.json`), 'utf8')).organizations);
const byId = new Map(demo.map((o) => [o.id, o]));
const confidentialStreets = demo.flatMap((o) => o.locations.filter((l) => l.confidential)
  .flatMap((l) => l.addresses.map((a) => a.address_1)).filter(Boolean));

// "à 2,3 km · juriste · ouvert aujourd'hui jusqu'à 17 h · parle arabe"; a shelter: its commune.
const kExplanation = /^(à \d+(,\d)? km|à \d+ m|à [^·]+ \(adresse confidentielle\)) · [^·]+( · [^·]+)*$/;

function decode(html) {
  return html.replace(/&#39;/g, "'").replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

async function api(server, csrf, body, prefix = '') {
  const response = await request(server.baseUrl, 'POST', `${prefix}/api/v1/help`, {
    body: JSON.stringify(body),
    headers: { 'content-type': 'application/json', 'x-csrf-token': csrf, ...kSameOrigin },
  });
  return { status: response.status, json: JSON.parse(response.body) };
}

// Walks the JSON API to the end and returns the end node.
async function walkApi(server, { needs, children, place, language = 'fr', prefix = '' }) {
  const csrf = csrfTokenIn((await request(server.baseUrl, 'GET', `${prefix}/aide`)).body);
  let token = (await api(server, csrf, { token: null }, prefix)).json.token;
  let last;
  let previous;
  const contact = { channel: 'phone', times: ['morning'] };
  for (const answer of ['adult', 'self', 'no', needs, children, { place }, language, contact]) {
    previous = token;
    last = await api(server, csrf, { token, answer }, prefix);
    assert.equal(last.status, 200, JSON.stringify(last.json));
    token = last.json.token;
  }
  assert.equal(last.json.node.id, 'end');
  // A resubmission of the last step (same token): the same proposals in the same order.
  const again = await api(server, csrf, { token: previous, answer: contact }, prefix);
  assert.deepEqual(again.json.node.proposals, last.json.node.proposals);
  return last.json.node;
}

// Walks the server-rendered pages (no JavaScript) to the end and returns the end page's <main>.
async function walkPages(server, { needs, children, place, language = 'fr', prefix = '' }) {
  const pages = new QuestionPages(server.baseUrl, prefix);
  await pages.start();
  for (const fields of [[['answer', 'adult']], [['answer', 'self']], [['answer', 'no']], needs.map((n) => ['answer', n]),
    [['answer', children]], [['place', place]], [['answer', language]],
    [['channel', 'phone'], ['times', 'morning'], ['voicemail', 'no'], ['identify', 'no'], ['if_other', 'hang_up']]]) {
    await pages.answer(...fields);
  }
  assert.match(pages.page.body, /data-node="end"/);
  return pages.main;
}

function checkProposals(proposals, territory) {
  assert.ok(proposals.length >= 1 && proposals.length <= 4, `1 to 4 proposals, got ${proposals.length}`);
  assert.equal(new Set(proposals.map((p) => p.organization_id)).size, proposals.length, 'an organization once');
  for (const p of proposals) {
    const organization = byId.get(p.organization_id);
    assert.ok(organization, `${p.organization_id} is in the demo data`);
    assert.equal(p.name, organization.name, 'the demo name');
    assert.equal(organization.territory, territory);
    assert.match(p.explanation, kExplanation, p.explanation);
    assert.doesNotMatch(p.explanation, /\d\.\d/, 'decimal comma');
    if (p.call_now) assert.match(p.phone_href, /^tel:\+?\d+$/);
  }
}

function servicesOf(organizationId, serviceId) {
  return byId.get(organizationId).services.find((s) => s.id === serviceId);
}

describe('matching on the Montreuillois demo territory', () => {
  let server;
  before(async () => { server = await startServer({ gazetteer: true, extraArgs: ['--territory', 'montreuillois'] }); });
  after(async () => { await server?.stop(); });

  test('an adult in Montreuil-sur-Mer (62170) who needs legal advice', async () => {
    const node = await walkApi(server, { needs: ['legal'], children: 'none', place: '62170' });
    checkProposals(node.proposals, 'montreuillois');
    const first = node.proposals[0];
    const categories = servicesOf(first.organization_id, first.service_id).categories;
    assert.ok(categories.includes('legal-advice') || categories.includes('victim-support-association'),
      `recommended for legal advice: ${categories}`);
    assert.match(first.explanation, /^à \d+(,\d)? k?m · (juriste|association d'aide aux victimes)( · |$)/);

    const main = await walkPages(server, { needs: ['legal'], children: 'none', place: '62170' });
    assert.match(main, /Nous vous recommandons/);
    // Another token, so another rotation among equivalent places: the same rules, maybe another order.
    const ids = [...main.matchAll(/data-organization="([^"]+)"/g)].map((m) => m[1]);
    assert.ok(ids.length >= 1 && ids.length <= 4);
    for (const id of ids) assert.equal(byId.get(id)?.territory, 'montreuillois', id);
    for (const [, line] of main.matchAll(/<p class="app-proposal__why">([^<]+)<\/p>/g)) {
      assert.match(decode(line), kExplanation);
    }
    assert.match(main, /href="tel:3919"|En cas de danger/);
  });

  test('in English and Arabic, the explanations and the summary of her answers are in her language', async () => {
    const english = await walkApi(server, { needs: ['legal'], children: 'none', place: '62170', language: 'en', prefix: '/en' });
    assert.ok(english.proposals.length >= 1);
    for (const p of english.proposals) {
      // "2.3 km away · legal adviser · open today until 17:00": a decimal point, no French word.
      assert.match(p.explanation, /^(\d+(\.\d)? km away|\d+ m away|in [^·]+ \(confidential address\)) · [^·]+/, p.explanation);
      assert.doesNotMatch(p.explanation, /\b(à|juriste|ouvert|ouvre|parle)\b/, p.explanation);
    }
    const main = await walkPages(server, { needs: ['legal'], children: 'none', place: '62170', language: 'en', prefix: '/en' });
    assert.match(main, /Postcode 62170/);
    assert.match(main, /no voicemail · do not say who is calling · if someone else answers: /);
    assert.doesNotMatch(main, /message vocal|qui appelle|Code postal/);

    const arabic = await walkPages(server, { needs: ['legal'], children: 'none', place: '62170', language: 'ar', prefix: '/ar' });
    assert.match(arabic, /الرمز البريدي 62170/);
    assert.match(arabic, /بدون رسالة صوتية/);
    const lines = [...arabic.matchAll(/<p class="app-proposal__why">([^<]+)<\/p>/g)].map((m) => decode(m[1]));
    assert.ok(lines.length >= 1);
    for (const line of lines) assert.match(line, /^(على بعد|في) /, line);
  });

  test('another visitor gets valid proposals; nothing matching in the territory says so plainly', async () => {
    // Same answers, another visitor (another token): still a legal professional of the territory.
    const a = await walkApi(server, { needs: ['legal'], children: 'none', place: 'Montreuil-sur-Mer' });
    checkProposals(a.proposals, 'montreuillois');
    const none = await walkApi(server, { needs: ['housing'], children: 'none', place: '75010' });
    assert.deepEqual(none.proposals, [], 'Paris is not in this territory');
    assert.equal(none.match_none, true);
    const main = await walkPages(server, { needs: ['housing'], children: 'none', place: '75010' });
    assert.match(main, /Nous n’avons trouvé aucun professionnel/);
    assert.match(main, /href="tel:3919"/);
    assert.match(main, /href="tel:116006"/);
  });
});

describe('matching on the Paris 10e demo territory', () => {
  let server;
  before(async () => { server = await startServer({ gazetteer: true, extraArgs: ['--territory', 'paris-10'] }); });
  after(async () => { await server?.stop(); });

  test('an adult in the 10e (75010) who needs housing, with children at risk', async () => {
    const node = await walkApi(server, { needs: ['housing'], children: 'yes_at_risk', place: '75010' });
    checkProposals(node.proposals, 'paris-10');
    const first = node.proposals[0];
    assert.ok(servicesOf(first.organization_id, first.service_id).categories.includes('shelter'), 'a shelter first');
    assert.match(first.explanation, /^à Paris[^·]* \(adresse confidentielle\) · hébergement · /,
      'a confidential shelter: its commune, never a distance');
    assert.match(first.explanation, /accueille aussi les enfants/);

    const main = await walkPages(server, { needs: ['housing'], children: 'yes_at_risk', place: '75010' });
    for (const street of confidentialStreets) assert.ok(!decode(main).includes(street), `no confidential street (${street})`);
    assert.doesNotMatch(main, /data-lat|data-lon/);
    // A 24/7 shelter with a phone is open now: "Appeler maintenant".
    const shelter = byId.get(first.organization_id);
    if (servicesOf(first.organization_id, first.service_id).opening_hours === '24/7') {
      assert.equal(first.call_now, true);
      assert.match(main, /Appeler maintenant/);
      const digits = shelter.phones[0].number.replace(/[^\d+]/g, '');
      assert.ok(main.includes(`href="tel:${digits}"`));
    }
  });
});
