// The first member of an organisation invited from the territory console (issue 11 §2,
// docs/territory-console.md "Invitations", docs/accounts.md "First member from the web") against
// the real binary: for an organisation with no key at all, the coordinator's invitation shows her
// no link; the link goes by e-mail to the invitee only (read at a real SMTP sink); the
// organisation's keys are created when the member sets her password, and the recovery code is
// shown to her then. A referral is refused before and accepted after; she opens it; the
// coordinator never saw the link, the code or the referral. Failure paths: an organisation whose
// public key nobody holds is refused (named, nothing written); a new invitation is e-mailed too.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { mailArgs, startServer, waitFor } from './harness.mjs';
import { mainOf, Professional, sendReferral } from './pro-harness.mjs';
import { openReport, queryNumber, queryText, Visitor } from './referral-visitor.mjs';
import { decodeBody, startSink } from '../smtp-sink/sink.mjs';

const kInvitee = 'premiere-web@example.org';

describe('first member of an organisation invited from the console', () => {
  let sink;
  let server;
  let coordinator;
  let organization;  // a paris-10 organisation the help flow proposes, its key removed
  let serviceId;
  const seen = [];  // every body the coordinator received
  const asCoordinator = async (method, ...args) => {
    const r = await coordinator[method](...args);
    seen.push(r.body);
    return r;
  };
  const invitationMail = (to) => sink.messages.filter((m) => m.to.includes(to));
  const linkIn = (message) => decodeBody(message.data).match(/http:\/\/passerelle\.test(\/pro\/invitation\/[A-Za-z0-9_-]+)/)?.[1];

  before(async () => {
    sink = await startSink();
    server = await startServer({
      gazetteer: true,
      extraArgs: ['--post-limit', '100000', '--jobs-interval', '0', ...mailArgs(sink)],
    });
    // A proposed service that accepts referrals today, and its organisation without any key (as a
    // newly recensed organisation is).
    const visitor = new Visitor(server.baseUrl);
    const end = await visitor.finish(await visitor.walkToContact('Papiers retenus'), 'parapluie');
    ({ serviceId } = await openReport(visitor, end));
    organization = await queryText(server, `SELECT organization_id FROM service WHERE id = '${serviceId}'`);
    assert.equal(await queryText(server, `SELECT territory_slug FROM organization WHERE id = '${organization}'`), 'paris-10');
    assert.equal(await queryNumber(server, `SELECT COUNT(*) FROM membership WHERE organization_id = '${organization}'`), 0);
    await queryText(server, `DELETE FROM organization_key WHERE organization_id = '${organization}'`);
    await queryText(server, `DELETE FROM organization_recovery WHERE organization_id = '${organization}'`);
    coordinator = new Professional(server.baseUrl, 'coordination-premiere@example.org');
    await coordinator.enrolAndSignIn(server, ['--role', 'coordinator', '--territory', 'paris-10']);
  });
  after(async () => {
    await server?.stop();
    await sink?.close();
  });

  test('without a key, no referral reaches the organisation', async () => {
    await assert.rejects(sendReferral(server, { serviceId }), /never proposed|accepts referrals/);
    assert.equal(await queryNumber(server, `SELECT COUNT(*) FROM referral WHERE organization_id = '${organization}'`), 0);
  });

  test('an organisation whose public key nobody holds is refused, nothing written', async () => {
    const other = await queryText(server,
      `SELECT o.id FROM organization o JOIN organization_key k ON k.organization_id = o.id WHERE o.territory_slug = 'paris-10'
       AND NOT EXISTS (SELECT 1 FROM membership m WHERE m.organization_id = o.id) ORDER BY o.id LIMIT 1`);
    assert.ok(other);
    const invite = `/pro/territoires/paris-10/organisations/${other}/inviter`;
    await asCoordinator('get', invite);
    const accounts = await queryNumber(server, 'SELECT COUNT(*) FROM account');
    const r = await asCoordinator('post', invite, [['email', 'orpheline@example.org']]);
    assert.equal(r.status, 400);
    assert.match(mainOf(r.body), /href="#email">Cette organisation a déjà une clé, mais aucun membre ne la détient/);
    assert.equal(await queryNumber(server, 'SELECT COUNT(*) FROM account'), accounts);
    assert.equal(await queryNumber(server, "SELECT COUNT(*) FROM outbox WHERE kind = 'invitation'"), 0);
  });

  test('the coordinator invites her: the link goes by e-mail only, no key exists yet', async () => {
    const invite = `/pro/territoires/paris-10/organisations/${organization}/inviter`;
    await asCoordinator('get', invite);
    const r = await asCoordinator('post', invite, [['email', kInvitee]]);
    assert.equal(r.status, 200, mainOf(r.body).slice(0, 2000));
    assert.match(r.body, /data-invitation-emailed/);
    assert.doesNotMatch(r.body, /\/pro\/invitation\//, 'no link on her page');
    assert.equal(await queryNumber(server, `SELECT COUNT(*) FROM organization_key WHERE organization_id = '${organization}'`), 0);
    assert.equal(await queryNumber(server,
      `SELECT COUNT(*) FROM outbox WHERE kind = 'invitation' AND recipient = '${kInvitee}' AND link_path LIKE '/pro/invitation/%'`), 1);
    // A new invitation: the first link dies, the new one goes by e-mail too.
    await waitFor(() => invitationMail(kInvitee).length === 1, 'the first invitation e-mail');
    const firstLink = linkIn(invitationMail(kInvitee)[0]);
    assert.ok(firstLink);
    const members = await asCoordinator('get', '/pro/territoires/paris-10/membres');
    const account = await queryText(server, `SELECT id FROM account WHERE email = '${kInvitee}'`);
    assert.match(members.body, new RegExp(`/pro/territoires/paris-10/comptes/${account}/renvoyer`));
    const resent = await asCoordinator('post', `/pro/territoires/paris-10/comptes/${account}/renvoyer`, []);
    assert.equal(resent.status, 200);
    assert.match(resent.body, /data-invitation-emailed/);
    assert.doesNotMatch(resent.body, /\/pro\/invitation\//);
    await waitFor(() => invitationMail(kInvitee).length === 2, 'the second invitation e-mail');
    const secondLink = linkIn(invitationMail(kInvitee)[1]);
    assert.notEqual(secondLink, firstLink);
    const dead = await new Professional(server.baseUrl, kInvitee).get(firstLink);
    assert.equal(dead.status, 404);
    const mail = decodeBody(invitationMail(kInvitee)[1].data);
    assert.doesNotMatch(mail, /paris|coordination|organisation [A-Z]/i, 'a fixed sentence and her link');
  });

  test('she enrols: the keys are created, the recovery code is hers; a referral reaches her', async () => {
    const link = linkIn(invitationMail(kInvitee).at(-1));
    const member = new Professional(server.baseUrl, kInvitee);
    await member.enrolFromLink(link);
    assert.match(member.recoveryCode, /^[A-Z0-9]{5}(-[A-Z0-9]{5}){4}$/);
    assert.equal(await queryNumber(server, `SELECT COUNT(*) FROM organization_key WHERE organization_id = '${organization}'`), 1);
    assert.equal(await queryNumber(server, `SELECT COUNT(*) FROM organization_recovery WHERE organization_id = '${organization}'`), 1);
    assert.equal(await queryNumber(server,
      `SELECT COUNT(*) FROM membership m JOIN account a ON a.id = m.account_id WHERE a.email = '${kInvitee}' AND m.wrapped_key IS NOT NULL`), 1);
    const audit = await queryText(server,
      `SELECT action || ' ' || detail FROM audit_log WHERE object = 'organization:${organization}' ORDER BY seq`);
    assert.match(audit, /organization\.keys_created enrolment\nkey\.received enrolment/);

    const referral = await sendReferral(server, { serviceId, needText: 'Papiers retenus chez lui' });
    assert.equal(referral.organizationId, organization);
    const opened = await member.get(`/pro/demandes/${referral.id}`);
    assert.equal(opened.status, 200);
    assert.match(opened.body, /Papiers retenus chez lui/);

    // The coordinator: no link, no code, no referral.
    const tried = await asCoordinator('get', `/pro/demandes/${referral.id}`);
    assert.equal(tried.status, 404);
    for (const body of seen) {
      assert.doesNotMatch(body, new RegExp(member.recoveryCode));
      assert.doesNotMatch(body, new RegExp(link.split('/').at(-1)));
      assert.doesNotMatch(body, /Papiers retenus chez lui/);
    }
  });
});
