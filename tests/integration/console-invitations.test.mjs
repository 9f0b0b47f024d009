// Invitations from the territory console (issue 11 §2, docs/territory-console.md
// "Invitations") over HTTP against the real binary: a coordinator invites more members of an
// organization of her territory, sends a new link for an invitation (the old link dies), enables
// a disabled account again; each audited with her as the actor. An organization whose key no
// member holds yet is refused (its first invitation carries the key: the command line's), as is a
// bad address (named, nothing written); another territory's coordinator gets 404.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { startServer } from './harness.mjs';
import { mainOf, Professional } from './pro-harness.mjs';
import { queryNumber, queryText } from './referral-visitor.mjs';

const kMembers = '/pro/territoires/paris-10/membres';
const linkPath = (html) => html.match(/data-invitation-link>https?:\/\/[^<\s]+(\/pro\/invitation\/[A-Za-z0-9_-]+)</)?.[1];

describe('invitations in the console', () => {
  let server;
  let coordinator;
  let coordinatorId;
  let first;
  let keyed;
  let unkeyed;

  before(async () => {
    server = await startServer({ extraArgs: ['--jobs-interval', '0'] });
    const ids = (await queryText(server, "SELECT id FROM organization WHERE territory_slug = 'paris-10' ORDER BY id")).split('\n');
    [keyed, unkeyed] = ids;
    coordinator = new Professional(server.baseUrl, 'coordination-10@example.org');
    await coordinator.enrolAndSignIn(server, ['--role', 'coordinator', '--territory', 'paris-10']);
    coordinatorId = await queryText(server, "SELECT id FROM account WHERE email = 'coordination-10@example.org'");
    // The organization's first member, invited from the command line: her link carries the key.
    first = new Professional(server.baseUrl, 'premiere@example.org');
    await first.enrolAndSignIn(server, ['--role', 'member', '--org', keyed]);
  });
  after(async () => {
    await server?.stop();
  });

  test('the coordinator sees the members and invites another one', async () => {
    const page = await coordinator.get(kMembers);
    assert.equal(page.status, 200);
    const main = mainOf(page.body);
    assert.match(main, new RegExp(`data-organization="${keyed}"`));
    assert.match(main, /premiere@example\.org<\/td>\s*<td>Actif/);
    const invite = `/pro/territoires/paris-10/organisations/${keyed}/inviter`;
    assert.match(main, new RegExp(`href="${invite}"`));
    assert.equal((await coordinator.get(invite)).status, 200);

    const accounts = await queryNumber(server, 'SELECT COUNT(*) FROM account');
    const bad = await coordinator.post(invite, [['email', 'pas une adresse']]);
    assert.equal(bad.status, 400);
    assert.match(mainOf(bad.body), /href="#email">Adresse e-mail invalide/);
    assert.match(mainOf(bad.body), /name="email"[^>]*value="pas une adresse"/);
    assert.equal(await queryNumber(server, 'SELECT COUNT(*) FROM account'), accounts);

    const r = await coordinator.post(invite, [['email', 'second@example.org']]);
    assert.equal(r.status, 200);
    const path = linkPath(r.body);
    assert.ok(path, mainOf(r.body));
    assert.equal(await queryText(server, "SELECT status FROM account WHERE email = 'second@example.org'"), 'invited');
    assert.equal(await queryText(server,
      "SELECT actor FROM audit_log WHERE action = 'account.invited' ORDER BY seq DESC LIMIT 1"), `account:${coordinatorId}`);
    // The link opens the invitation; it carries no key (access by grant or recovery code).
    assert.equal((await new Professional(server.baseUrl, 'x').get(path)).status, 200);
    assert.equal(await queryNumber(server,
      "SELECT COUNT(*) FROM account_invitation i JOIN account a ON a.id = i.account_id WHERE a.email = 'second@example.org' AND i.carried_key IS NOT NULL"), 0);
  });

  test('an organization whose key no member holds is refused, and writes nothing', async () => {
    const invite = `/pro/territoires/paris-10/organisations/${unkeyed}/inviter`;
    await coordinator.get(invite);
    const accounts = await queryNumber(server, 'SELECT COUNT(*) FROM account');
    const r = await coordinator.post(invite, [['email', 'autre@example.org']]);
    assert.equal(r.status, 400);
    assert.match(mainOf(r.body), /href="#email">Cette organisation a déjà une clé, mais aucun membre ne la détient/);
    assert.equal(await queryNumber(server, 'SELECT COUNT(*) FROM account'), accounts);
    assert.equal(await queryNumber(server, 'SELECT COUNT(*) FROM membership WHERE organization_id = ' + `'${unkeyed}'`), 0);
  });

  test('a new invitation link: the old one is dead, the new one works', async () => {
    const id = await queryText(server, "SELECT id FROM account WHERE email = 'second@example.org'");
    // Expired meanwhile.
    await queryText(server, `UPDATE account_invitation SET expires_at = 1 WHERE account_id = '${id}'`);
    const page = await coordinator.get(kMembers);
    assert.match(mainOf(page.body), /second@example\.org<\/td>\s*<td>Invitation expirée/);
    const old = (await queryText(server, `SELECT COUNT(*) FROM account_invitation WHERE account_id = '${id}'`));
    assert.equal(old, '1');
    const r = await coordinator.post(`/pro/territoires/paris-10/comptes/${id}/renvoyer`, []);
    assert.equal(r.status, 200);
    const path = linkPath(r.body);
    assert.ok(path);
    assert.equal(await queryNumber(server,
      `SELECT COUNT(*) FROM account_invitation WHERE account_id = '${id}' AND used_at IS NULL`), 1);
    assert.equal(await queryNumber(server, "SELECT COUNT(*) FROM audit_log WHERE action = 'account.invitation_resent'"), 1);
    const second = new Professional(server.baseUrl, 'second@example.org');
    assert.equal((await second.get(path)).status, 200);
    assert.match(mainOf((await coordinator.get(kMembers)).body), /second@example\.org<\/td>\s*<td>Invitation envoyée/);
    // An active account gets no new invitation.
    const firstId = await queryText(server, "SELECT id FROM account WHERE email = 'premiere@example.org'");
    await coordinator.get(kMembers);
    assert.equal((await coordinator.post(`/pro/territoires/paris-10/comptes/${firstId}/renvoyer`, [])).status, 409);
  });

  test('a disabled account is enabled again', async () => {
    const firstId = await queryText(server, "SELECT id FROM account WHERE email = 'premiere@example.org'");
    await coordinator.get(`/pro/comptes/${firstId}`);
    assert.equal((await coordinator.post(`/pro/comptes/${firstId}/desactiver`, [])).status, 200);
    assert.equal(await queryText(server, `SELECT status FROM account WHERE id = '${firstId}'`), 'disabled');
    const page = await coordinator.get(kMembers);
    assert.match(mainOf(page.body), /premiere@example\.org<\/td>\s*<td>Désactivé/);
    const r = await coordinator.post(`/pro/territoires/paris-10/comptes/${firstId}/reactiver`, []);
    assert.equal(r.status, 303);
    assert.equal(r.headers.location, `${kMembers}?etat=reactive`);
    assert.equal(await queryText(server, `SELECT status FROM account WHERE id = '${firstId}'`), 'active');
    assert.equal(await queryText(server,
      "SELECT actor || ' ' || detail FROM audit_log WHERE action = 'account.enabled'"), `account:${coordinatorId} active`);
    // Enabled once: a second time is a conflict.
    await coordinator.get(kMembers);
    assert.equal((await coordinator.post(`/pro/territoires/paris-10/comptes/${firstId}/reactiver`, [])).status, 409);
  });

  test('another territory\'s coordinator reaches none of it', async () => {
    const other = new Professional(server.baseUrl, 'coordination-mont@example.org');
    await other.enrolAndSignIn(server, ['--role', 'coordinator', '--territory', 'montreuillois']);
    const firstId = await queryText(server, "SELECT id FROM account WHERE email = 'premiere@example.org'");
    for (const path of [kMembers, `/pro/territoires/paris-10/organisations/${keyed}/inviter`,
      `/pro/territoires/montreuillois/organisations/${keyed}/inviter`]) {
      assert.equal((await other.get(path)).status, 404, path);
    }
    await other.get('/pro/territoires/montreuillois/membres');
    assert.equal((await other.post(`/pro/territoires/montreuillois/comptes/${firstId}/reactiver`, [])).status, 404);
  });

  test('an operator invites the coordinator of a territory from the web; a coordinator cannot', async () => {
    const operator = new Professional(server.baseUrl, 'exploitation@example.org');
    await operator.enrolAndSignIn(server, ['--role', 'operator']);
    const invite = '/pro/territoires/montreuillois/coordination/inviter';
    // The hub shows the way to operators only.
    assert.match(mainOf((await operator.get('/pro/territoires/montreuillois')).body), new RegExp(`href="${invite}"`));
    assert.doesNotMatch(mainOf((await coordinator.get('/pro/territoires/paris-10')).body), /coordination\/inviter/);
    assert.equal((await coordinator.get('/pro/territoires/paris-10/coordination/inviter')).status, 404);
    assert.equal((await operator.get('/pro/territoires/nulle-part/coordination/inviter')).status, 404);

    assert.equal((await operator.get(invite)).status, 200);
    const accounts = await queryNumber(server, 'SELECT COUNT(*) FROM account');
    const bad = await operator.post(invite, [['email', 'sans arobase']]);
    assert.equal(bad.status, 400);
    assert.match(mainOf(bad.body), /href="#email">Adresse e-mail invalide/);
    assert.equal(await queryNumber(server, 'SELECT COUNT(*) FROM account'), accounts);

    const r = await operator.post(invite, [['email', 'coordination-berck@example.org']]);
    assert.equal(r.status, 200);
    const path = linkPath(r.body);
    assert.ok(path, mainOf(r.body));
    const operatorId = await queryText(server, "SELECT id FROM account WHERE email = 'exploitation@example.org'");
    assert.equal(await queryText(server,
      "SELECT role || ' ' || territory_slug FROM account WHERE email = 'coordination-berck@example.org'"),
    'coordinator montreuillois');
    assert.match(await queryText(server,
      "SELECT actor FROM audit_log WHERE action = 'account.invited' ORDER BY seq DESC LIMIT 1"), new RegExp(`account:${operatorId}`));
    // She enrols with the link and runs her territory's console, and no other.
    const appointed = new Professional(server.baseUrl, 'coordination-berck@example.org');
    await appointed.enrolFromLink(path);
    assert.equal((await appointed.get('/pro/territoires/montreuillois')).status, 200);
    assert.equal((await appointed.get('/pro/territoires/paris-10')).status, 404);
  });
});
