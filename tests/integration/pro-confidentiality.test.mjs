// "A database dump reveals no report" (issue 4, Done when) for the professional space: referrals
// carrying canary strings in the report, her messages, the professionals' messages, a refusal
// note and a hand-over re-sealed to another organization; then the SQLite file with its WAL, or
// a pg_dump of the PostgreSQL database (tests/pg/with-postgres.sh), and the server's log hold
// none of them in clear, although the professionals read every one of them in their pages.
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { after, before, describe, test } from 'node:test';

import { startServer } from './harness.mjs';
import { Professional, sendReferral as sendReferralWith } from './pro-harness.mjs';
import { execFileAsync, mainOf, queryNumber, queryText } from './referral-visitor.mjs';

// A referral by an adult in the 10e carrying canaries in every free field; returns { id, code, visitor }.
const sendReferral = (server, n, { handover = false, serviceId = null } = {}) => sendReferralWith(server, {
  needText: `CANARYNEED${n} papiers retenus`, codeWord: `CANARYWORD${n}`, handover, serviceId,
  fields: [['contact_detail', `06 00 00 ${10 + n} 77`], ['pseudonym', `CANARYPSEUDO${n}`],
    ['message', `CANARYSTORY${n} il me surveille`]],
});

async function reply(referral, text) {
  const r = await referral.visitor.post('/suivi', [['code', referral.code], ['action', 'reply'], ['message', text]]);
  assert.equal(r.status, 200);
  assert.match(r.body, /Votre message a été envoyé/);
}

// The newest PostgreSQL client binaries, the same as tests/pg/with-postgres.sh uses for its server.
async function pgDumpPath() {
  const versions = (await readdir('/usr/lib/postgresql')).sort((a, b) => Number(a) - Number(b));
  return `/usr/lib/postgresql/${versions.at(-1)}/bin/pg_dump`;
}

describe('a database dump reveals no report', () => {
  let server;
  const canaries = [];

  before(async () => {
    server = await startServer({ gazetteer: true, extraArgs: ['--post-limit', '100000', '--jobs-interval', '0'] });
  });
  after(async () => {
    await server?.stop();
  });

  test('reports, messages, a refusal note and a hand-over leave no canary in clear', async () => {
    const handedOver = await sendReferral(server, 1, { handover: true });
    // The three to the same professional, whom the member below represents.
    const refused = await sendReferral(server, 2, { serviceId: handedOver.serviceId });
    const closed = await sendReferral(server, 3, { serviceId: handedOver.serviceId });
    canaries.push(handedOver.code, refused.code, closed.code);
    const a = new Professional(server.baseUrl, 'juriste@example.org');
    await a.enrolAndSignIn(server, ['--role', 'member', '--org', handedOver.organizationId]);

    // Closed after an exchange of messages.
    await a.act(closed.id, 'etat', [['to', 'acknowledged']]);
    await a.act(closed.id, 'messages', [['message', 'CANARYPRO3 je vous appelle mardi']]);
    await reply(closed, 'CANARYHER3 plutôt mercredi');
    await a.act(closed.id, 'etat', [['to', 'contacted']]);
    await a.act(closed.id, 'etat', [['to', 'closed'], ['outcome', 'accompanied']]);

    // Refused with a note for her.
    await a.act(refused.id, 'etat', [['to', 'refused'], ['reason', 'no_capacity'], ['note', 'CANARYREFUSAL appelez le 3919']]);
    const refusal = await refused.visitor.post('/suivi', [['code', refused.code]]);
    assert.match(refusal.body, /CANARYREFUSAL appelez le 3919/, 'she reads the note');

    // Messages both ways, then handed over: re-sealed for another organization, which writes too.
    await a.act(handedOver.id, 'etat', [['to', 'acknowledged']]);
    await a.act(handedOver.id, 'messages', [['message', 'CANARYPRO1 avant la transmission']]);
    await reply(handedOver, 'CANARYHER1 merci');
    const page = await a.get(`/pro/demandes/${handedOver.id}`);
    const target = page.body.match(/<option value="([^"]+)">/)[1];
    await a.act(handedOver.id, 'transmission', [['service_id', target]]);
    const next = await queryText(server, `SELECT id FROM referral WHERE handed_over_from = '${handedOver.id}'`);
    assert.ok(next, 'the new referral');
    const b = new Professional(server.baseUrl, 'accueil@example.org');
    await b.enrolAndSignIn(server, ['--role', 'member', '--org', await queryText(server,
      `SELECT organization_id FROM referral WHERE id = '${next}'`)]);
    await b.act(next, 'messages', [['message', 'CANARYPRO2 après la transmission']]);
    await reply(handedOver, 'CANARYHER2 bien reçu');

    // The professionals do read all of it: the canaries are in the data, sealed.
    const read = mainOf((await b.get(`/pro/demandes/${next}`)).body);
    for (const word of ['CANARYWORD1', 'CANARYNEED1', 'CANARYSTORY1', 'CANARYPSEUDO1', '06 00 00 11 77',
      'CANARYPRO1', 'CANARYHER1', 'CANARYPRO2', 'CANARYHER2']) {
      assert.ok(read.includes(word), `${word} readable by the new organization`);
    }
    const readClosed = mainOf((await a.get(`/pro/demandes/${closed.id}`)).body);
    for (const word of ['CANARYWORD3', 'CANARYPRO3', 'CANARYHER3']) assert.ok(readClosed.includes(word), word);
    assert.ok(await queryNumber(server, 'SELECT COUNT(*) FROM referral_message') >= 6);
    assert.ok(await queryNumber(server, "SELECT COUNT(*) FROM audit_log WHERE action = 'referral.opened'") >= 3);
  });

  test('the database file (with its WAL) or its dump, and the log, hold none in clear', async () => {
    let scanned = '';
    if (server.db.startsWith('sqlite:')) {
      const file = server.db.slice('sqlite:'.length);
      for (const f of [file, `${file}-wal`]) scanned += (await readFile(f).catch(() => Buffer.alloc(0))).toString('latin1');
    } else {
      const { stdout } = await execFileAsync(await pgDumpPath(), [server.db], { maxBuffer: 1 << 28 });
      scanned = stdout;
      assert.match(scanned, /CREATE TABLE public\.referral_message/);
    }
    // The scan does read the rows: ids and the professionals' e-mail addresses are in clear.
    assert.match(scanned, /ref-[0-9a-f]{16}/);
    assert.ok(scanned.includes('juriste@example.org'), 'account rows scanned');
    const words = ['CANARY', '06 00 00', ...canaries];
    const found = words.filter((word) => scanned.includes(word));
    assert.deepEqual(found, [], 'canaries in clear in the database');
    const logged = words.filter((word) => server.logs().includes(word));
    assert.deepEqual(logged, [], 'canaries in the server log');
  });
});
