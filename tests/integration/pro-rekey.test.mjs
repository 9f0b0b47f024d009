// Applying an approved organization key rotation (issue 4 §9, docs/adr/0010) against the real
// binary: a victim sends a referral; a member (demo key adopted) and a colleague with a pending
// grant; the member asks for a new key → refused while not approved → the territory's
// coordinator approves (and cannot apply it) → wrong password refused, nothing changed → the
// member applies it with the password → the new recovery code is shown once → the referral sent
// before is still readable at /pro/demandes/{id}, and re-sealed in the database → the
// colleague's session is ended → the old recovery code no longer works, the new one does → a
// referral sent afterwards is readable → the audit chain verifies.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { runBinary, startServer } from './harness.mjs';
import { formToken, mainOf, sendReferral as sendReferralWith, signedIn as signedInWith } from './pro-harness.mjs';
import { queryNumber, queryText } from './referral-visitor.mjs';

const PASSWORD = 'cinq renards dans la neige';
const RECOVERY_CODE = /[A-Z2-7]{5}(?:-[A-Z2-7]{5}){4}/;

// `passerelle user add`, invitation (password, TOTP), sign-in (pro-harness.mjs). Returns { browser, printed }.
const signedIn = (server, email, args) =>
  signedInWith(server, email, ['--public-url', server.baseUrl, ...args], { password: PASSWORD });

// A referral sent through the help flow; returns its id and organization.
const sendReferral = (server, codeWord, serviceId = null) => sendReferralWith(server, { codeWord, serviceId });

describe('organization key rotation', () => {
  let server;
  let earlier;       // the referral sent before the rotation
  let org;
  let member;        // holds the key (demo key adopted by the invitation)
  let colleague;     // granted, effective at the next sign-in
  let coordinator;
  let oldRecoveryCode;
  let base;

  before(async () => {
    server = await startServer({ gazetteer: true, extraArgs: ['--post-limit', '100000', '--jobs-interval', '0'] });
    earlier = await sendReferral(server, 'parapluie');
    org = earlier.organizationId;
    base = `/pro/organisations/${org}`;
    const territory = await queryText(server, `SELECT territory_slug FROM organization WHERE id = '${org}'`);
    let printed;
    ({ browser: member, printed } = await signedIn(server, 'membre@example.org', ['--role', 'member', '--org', org]));
    oldRecoveryCode = printed.match(RECOVERY_CODE)?.[0];
    assert.ok(oldRecoveryCode, 'user add printed the recovery code');
    ({ browser: colleague } = await signedIn(server, 'collegue@example.org', ['--role', 'member', '--org', org]));
    ({ browser: coordinator } = await signedIn(server, 'coord@example.org', ['--role', 'coordinator', '--territory', territory]));
    const colleagueId = await queryText(server, "SELECT id FROM account WHERE email = 'collegue@example.org'");
    const granted = await member.submit(base, `${base}/membres/${colleagueId}/acces`, []);
    assert.equal(granted.status, 200, granted.body);
  });
  after(async () => {
    await server?.stop();
  });

  test('without an approval the page explains and the form is refused', async () => {
    let r = await member.get(`${base}/cle/changer`);
    assert.equal(r.status, 200);
    assert.match(mainOf(r.body), /Aucun changement de clé approuvé/);
    assert.doesNotMatch(r.body, /data-apply-rotation/);
    r = await member.post(`${base}/cle/changer`, [['_csrf', formToken(r.body, '/pro/deconnexion')], ['password', PASSWORD]]);
    assert.equal(r.status, 409);
    assert.match(r.body, /app-error-summary/);
    assert.equal(await queryNumber(server, "SELECT COUNT(*) FROM audit_log WHERE action = 'organization.key_rotated'"), 0);
  });

  test('asked by a member, approved by the coordinator, who cannot apply it', async () => {
    let r = await member.submit(`${base}/profil`, `${base}/cle`, []);
    assert.equal(r.status, 303);
    const change = await queryText(server, `SELECT id FROM organization_change_request WHERE kind = 'key_rotation' AND status = 'pending' AND organization_id = '${org}'`);
    assert.ok(change);
    r = await coordinator.submit('/pro/approbations', `/pro/approbations/${change}`, [['decision', 'approuver']]);
    assert.equal(r.status, 303);
    assert.equal(await queryNumber(server, `SELECT COUNT(*) FROM organization_change_request WHERE id = '${change}' AND status = 'approved' AND applied_at IS NULL`), 1);
    // The coordinator gets the site's 404 on the page and the form.
    r = await coordinator.get(`${base}/cle/changer`);
    assert.equal(r.status, 404);
    const token = formToken((await coordinator.get('/pro/accueil')).body, '/pro/deconnexion');
    r = await coordinator.post(`${base}/cle/changer`, [['_csrf', token], ['password', PASSWORD]]);
    assert.equal(r.status, 404);
    // The member sees the button, on the profile too.
    r = await member.get(`${base}/profil`);
    assert.match(r.body, new RegExp(`href="${base}/cle/changer" data-apply-key-rotation`));
    // And on the organization's members page.
    r = await member.get(base);
    assert.match(r.body, new RegExp(`data-key-rotation-approved>[^]*href="${base}/cle/changer"`));
    r = await member.get(`${base}/cle/changer`);
    assert.match(r.body, /Changer la clé maintenant/);
  });

  test('a wrong password changes nothing', async () => {
    const key = await queryText(server, `SELECT public_key FROM organization_key WHERE organization_id = '${org}'`);
    const r = await member.submit(`${base}/cle/changer`, `${base}/cle/changer`, [['password', 'pas le bon mot de passe']]);
    assert.equal(r.status, 400);
    assert.match(r.body, /href="#password"/);
    assert.match(r.body, /Le mot de passe est incorrect/);
    assert.equal(await queryText(server, `SELECT public_key FROM organization_key WHERE organization_id = '${org}'`), key);
  });

  test('the member applies it: new recovery code shown once, earlier referral still readable', async () => {
    const sealedBefore = await queryText(server, `SELECT sealed_report FROM referral WHERE id = '${earlier.id}'`);
    const keyBefore = await queryText(server, `SELECT public_key FROM organization_key WHERE organization_id = '${org}'`);
    let r = await member.submit(`${base}/cle/changer`, `${base}/cle/changer`, [['password', PASSWORD]]);
    assert.equal(r.status, 200, r.body);
    const code = mainOf(r.body).match(/data-recovery-code>([^<]+)</)?.[1];
    assert.match(code, RECOVERY_CODE);
    assert.notEqual(code, oldRecoveryCode);
    assert.equal(r.headers['cache-control'], 'no-store');
    // Shown once: not on the page any more, not in the database in clear.
    r = await member.get(`${base}/cle/changer`);
    assert.doesNotMatch(r.body, new RegExp(code));
    assert.match(mainOf(r.body), /Aucun changement de clé approuvé/);
    const dump = await queryText(server, 'SELECT wrapped_key || key_salt FROM organization_recovery');
    assert.ok(!dump.includes(code) && !dump.includes(code.replaceAll('-', '')));

    assert.notEqual(await queryText(server, `SELECT public_key FROM organization_key WHERE organization_id = '${org}'`), keyBefore);
    assert.notEqual(await queryText(server, `SELECT sealed_report FROM referral WHERE id = '${earlier.id}'`), sealedBefore);
    r = await member.get(`/pro/demandes/${earlier.id}`);
    assert.equal(r.status, 200);
    assert.match(mainOf(r.body), /parapluie/, 'the code word, decrypted with the new key');
    assert.match(mainOf(r.body), /06 11 22 33 44/);
    assert.equal(await queryNumber(server, `SELECT COUNT(*) FROM organization_change_request WHERE organization_id = '${org}' AND kind = 'key_rotation' AND applied_at IS NOT NULL`), 1);
    assert.equal(await queryNumber(server, "SELECT COUNT(*) FROM audit_log WHERE action = 'organization.key_rotated'"), 1);
    assert.equal(await queryNumber(server, `SELECT COUNT(*) FROM audit_log WHERE detail LIKE '%${keyBefore.slice(0, 16)}%'`), 0);

    // The colleague's session ended; her grant is now of the new key.
    r = await colleague.get('/pro/demandes');
    assert.equal(r.status, 303);
    assert.equal(r.headers.location, '/pro');
    assert.equal(await queryNumber(server, "SELECT COUNT(*) FROM membership m JOIN account a ON a.id = m.account_id WHERE a.email = 'collegue@example.org' AND m.granted_key IS NOT NULL"), 1);

    // The old recovery code no longer opens anything; the new one does.
    r = await member.submit(`${base}/recuperation`, `${base}/recuperation`, [['recovery_code', oldRecoveryCode], ['password', PASSWORD]]);
    assert.equal(r.status, 400);
    r = await member.submit(`${base}/recuperation`, `${base}/recuperation`, [['recovery_code', code], ['password', PASSWORD]]);
    assert.equal(r.status, 303);
  });

  test('a referral sent afterwards is readable, and the audit chain verifies', async () => {
    const later = await sendReferral(server, 'tournesol', earlier.serviceId);
    assert.equal(later.organizationId, org);
    const r = await member.get(`/pro/demandes/${later.id}`);
    assert.equal(r.status, 200);
    assert.match(mainOf(r.body), /tournesol/);
    const verified = await runBinary(['audit', 'verify', '--db', server.db]);
    assert.equal(verified.code, 0, verified.stderr);
    assert.doesNotMatch(server.logs(), /parapluie|tournesol|06 11 22 33 44/);
  });
});
