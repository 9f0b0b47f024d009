// What the conversation tests share (tests/integration/conversation*.test.mjs): her side without
// JavaScript, the buttons and desk ids in a page, an event stream, and the canary scan.
import assert from 'node:assert/strict';
import http from 'node:http';
import { readFile } from 'node:fs/promises';

import { execFileAsync, proposalsIn, tokenIn, Visitor } from './referral-visitor.mjs';

export const talkButtons = (html) =>
  [...html.matchAll(/formaction="\/aide\/conversation" name="service_id" value="([^"]+)"/g)].map((m) => m[1]);
export const deskIdsIn = (html) =>
  [...html.matchAll(/action="\/pro\/conversations\/([0-9a-f]+)\/prendre"/g)].map((m) => m[1]);

// A visitor on `baseUrl` who finished the help flow (code word `codeWord`) and whose result page
// proposes `serviceId`; without one, her first proposal is chosen. Equivalent services rotate per
// visitor: tries up to 30 visitors. Returns { visitor, token, end, serviceId }.
export async function visitorProposing(baseUrl, serviceId, codeWord) {
  for (let attempt = 0; attempt < 30; attempt++) {
    const visitor = new Visitor(baseUrl);
    const end = await visitor.finish(await visitor.walkToContact('Papiers retenus'), codeWord);
    const chosen = serviceId ?? proposalsIn(end.body)[0];
    if (proposalsIn(end.body).includes(chosen)) return { visitor, token: tokenIn(end.body), end, serviceId: chosen };
  }
  throw new Error('never proposed');
}

// Her side, without JavaScript: the conversation's address is her only capability.
export class Her {
  constructor(visitor, path) {
    this.visitor = visitor;
    this.path = path;
  }

  async page() { return this.visitor.get(this.path); }

  async say(text) {
    const writing = await this.visitor.get(`${this.path}/ecrire`);
    assert.equal(writing.status, 200);
    assert.doesNotMatch(writing.body, /http-equiv="refresh"/, 'the writing page never refreshes');
    const r = await this.visitor.post(this.path, [['action', 'say'], ['message', text]]);
    assert.equal(r.status, 200, `say: ${r.status}`);
    return r;
  }
}

// An open Server-Sent Events stream: `events` grows as chunks come; `waitFor(pattern)`.
export async function openStream(url, headers = {}) {
  const events = [];
  const { req, res } = await new Promise((resolve, reject) => {
    const r = http.get(url, { agent: false, headers }, (response) => {
      response.setEncoding('utf8');
      response.on('data', (chunk) => events.push(chunk));
      resolve({ req: r, res: response });
    });
    r.on('error', reject);
  });
  return {
    req, res, events,
    text: () => events.join(''),
    changes: () => (events.join('').match(/data: (\d+)/g) ?? []).length,
    async waitFor(pattern) {
      for (let i = 0; i < 100 && !pattern.test(events.join('')); i++) await new Promise((r) => setTimeout(r, 50));
      assert.match(events.join(''), pattern);
    },
    close: () => req.destroy(),
  };
}

// Everything of the database as the disk or a dump holds it: the SQLite file, its WAL and dump,
// or PostgreSQL's dump.
export async function scanDatabase(server) {
  let scanned = '';
  if (server.db.startsWith('sqlite:')) {
    const file = server.db.slice('sqlite:'.length);
    for (const f of [file, `${file}-wal`]) scanned += (await readFile(f).catch(() => Buffer.alloc(0))).toString('latin1');
    scanned += (await execFileAsync('sqlite3', [file, '.dump'], { maxBuffer: 1 << 28 })).stdout;
  } else {  // PostgreSQL: every row, as a dump gives them
    scanned += (await execFileAsync('pg_dump', ['--data-only', server.db], { maxBuffer: 1 << 28 })).stdout;
  }
  return scanned;
}
