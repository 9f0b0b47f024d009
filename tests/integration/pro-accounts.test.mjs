// Professional accounts (issue 4 §1-2, §8) against the real binary: `passerelle user add` →
// invitation → password (weak ones refused) → TOTP computed here (RFC 6238 with node:crypto) →
// sign-in → replayed and wrong codes refused → the same answer for an unknown account → logout
// kills the session → an expired invitation is refused → a coordinator disables an account.
// Cookies: only on /pro, with the expected attributes; public pages set none.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { request, startServer } from './harness.mjs';
import {
  acceptInvitation as acceptWith, Browser, formToken, mainOf, signIn as signInWith, totp, userAdd,
} from './pro-harness.mjs';

const PASSWORD = 'trois chats sur un toit';

test('the TOTP of this test follows RFC 6238 (appendix B, SHA-1, last 6 digits)', () => {
  const secret = Buffer.from('12345678901234567890');
  assert.equal(totp(secret, Math.floor(59 / 30)), '287082');
  assert.equal(totp(secret, Math.floor(1111111109 / 30)), '081804');
  assert.equal(totp(secret, Math.floor(1234567890 / 30)), '005924');
});

// ---- the journey of one account (pro-harness.mjs), with this file's password ----
const acceptInvitation = (browser, path, password = PASSWORD) => acceptWith(browser, path, password);
const signIn = (browser, email, account, { password = PASSWORD, code } = {}) =>
  signInWith(browser, email, account, { password, code });

// The sign-in error page, without what legitimately differs (tokens, the typed address).
const comparable = (html, email) => mainOf(html).replace(/value="[^"]*"/g, 'value=""').replaceAll(email, 'EMAIL');

describe('professional accounts', () => {
  let server;
  before(async () => {
    server = await startServer({ extraArgs: ['--post-limit', '100000'] });
  });
  after(async () => {
    await server?.stop();
  });

  test('invitation, password rules, TOTP, sign-in, replay, enumeration, logout', async () => {
    const added = await userAdd(server, ['--email', 'Pro@Example.org', '--role', 'member', '--org', 'mtr-cidff']);
    assert.equal(added.code, 0, added.stderr);
    assert.ok(added.path, added.stdout);
    // The demo organization's key is adopted; its recovery code is printed once.
    assert.match(added.stdout, /demo key adopted/);
    assert.match(added.stdout, /[A-Z2-7]{5}(-[A-Z2-7]{5}){4}/);
    const again = await userAdd(server, ['--email', 'pro@example.org', '--role', 'member', '--org', 'mtr-cidff']);
    assert.equal(again.code, 1);
    assert.match(again.stderr, /existe déjà/);

    const browser = new Browser(server.baseUrl);
    let page = await browser.get(added.path);
    assert.equal(page.status, 200);
    let main = mainOf(page.body);
    assert.match(main, /autocomplete="new-password"/);
    assert.match(main, /autocomplete="username"/);
    assert.doesNotMatch(main, /onpaste|pattern=/, 'paste allowed, no composition rule');

    const tryPassword = async (password, confirmation = password) => {
      const current = await browser.get(added.path);
      return browser.post(added.path, [['_csrf', formToken(current.body, added.path)], ['password', password],
        ['confirmation', confirmation]]);
    };
    let r = await tryPassword('Court-123');
    assert.equal(r.status, 400);
    assert.match(r.body, /au moins 12 caractères/);
    assert.match(r.body, /role="alert"/);
    r = await tryPassword('Password1234');
    assert.equal(r.status, 400);
    assert.match(r.body, /trop courant/);
    r = await tryPassword('WinnieThePooh');  // in john-data's list
    assert.equal(r.status, 400);
    r = await tryPassword(PASSWORD, 'autre chose encore');
    assert.equal(r.status, 400);
    assert.match(r.body, /pas identiques/);

    // Sign-in is impossible before the invitation is finished.
    r = await signIn(browser, 'pro@example.org', null, { code: '123456' });
    assert.equal(r.status, 400);

    const account = await acceptInvitation(browser, added.path);
    // The link served once.
    page = await browser.get(added.path);
    assert.equal(page.status, 404);
    assert.match(page.body, /plus valable/);

    // Sign in: the cookie is set on /pro only, with its attributes.
    r = await signIn(browser, 'pro@example.org', account);
    assert.equal(r.status, 303, r.body);
    assert.equal(r.headers.location, '/pro/accueil');
    const setCookie = r.headers['set-cookie'];
    assert.equal(setCookie.length, 1);
    assert.match(setCookie[0], /^passerelle_pro=[A-Za-z0-9_-]{43}; Path=\/pro; HttpOnly; SameSite=Strict$/);
    assert.doesNotMatch(setCookie[0], /Domain|Secure/i);
    const sessionCookie = browser.cookie;

    page = await browser.get('/pro/accueil');
    assert.equal(page.status, 200);
    main = mainOf(page.body);
    assert.match(main, /pro@example\.org/);
    assert.match(main, /href="\/pro\/demandes"/);
    assert.match(main, /vous pouvez lire ses demandes/);
    // A member's links: the inbox, the organizations and each one's public profile; no
    // coordinator page (they would answer 404).
    assert.match(main, /<nav[^>]*>[\s\S]*href="\/pro\/demandes"[\s\S]*<\/nav>/, 'the inbox is in the navigation');
    assert.match(main, /href="\/pro\/organisations"/);
    assert.match(main, /href="\/pro\/organisations\/[a-z0-9-]+\/profil"/);
    assert.doesNotMatch(main, /href="\/pro\/approbations"/);
    assert.doesNotMatch(main, /href="\/pro\/comptes/);
    const logoutToken = formToken(page.body, '/pro/deconnexion');

    // The same code again, even for a new sign-in at once: refused.
    const replayed = await signIn(new Browser(server.baseUrl), 'pro@example.org', null,
      { code: totp(account.secret, account.lastStep) });
    assert.equal(replayed.status, 400);
    assert.match(replayed.body, /Adresse e-mail, mot de passe ou code incorrect/);
    const wrongCode = await signIn(new Browser(server.baseUrl), 'pro@example.org', null,
      { code: totp(account.secret, account.lastStep + 7) });
    assert.equal(wrongCode.status, 400);

    // Unknown account and wrong password: the same answer.
    const wrongPassword = await signIn(new Browser(server.baseUrl), 'pro@example.org', account,
      { password: 'pas le bon mot de passe' });
    const unknown = await signIn(new Browser(server.baseUrl), 'personne@example.org', account);
    assert.equal(wrongPassword.status, 400);
    assert.equal(unknown.status, wrongPassword.status);
    assert.equal(comparable(unknown.body, 'personne@example.org'), comparable(wrongPassword.body, 'pro@example.org'));
    assert.equal(unknown.headers['set-cookie'], undefined);

    // A POST of the session with the public token is refused (CSRF bound to the session).
    const publicToken = formToken((await request(server.baseUrl, 'GET', '/pro')).body, '/pro');
    r = await browser.post('/pro/deconnexion', [['_csrf', publicToken]]);
    assert.equal(r.status, 403);

    // Logout kills the session on the server: the old cookie no longer opens anything.
    r = await browser.post('/pro/deconnexion', [['_csrf', logoutToken]]);
    assert.equal(r.status, 303);
    assert.equal(r.headers.location, '/pro?etat=deconnecte');
    assert.match(r.headers['set-cookie'][0], /^passerelle_pro=; Path=\/pro; Max-Age=0/);
    const replay = await request(server.baseUrl, 'GET', '/pro/accueil', { headers: { cookie: sessionCookie } });
    assert.equal(replay.status, 303);
    assert.equal(replay.headers.location, '/pro');

    // Every cookie came from a /pro page.
    for (const { path } of browser.setCookies) assert.match(path, /^\/pro(\/|$|\?)/);
  });

  test('an expired invitation is refused', async () => {
    const added = await userAdd(server, ['--email', 'late@example.org', '--role', 'member', '--org', 'mtr-cidff',
      '--expires-in', '1s']);
    assert.equal(added.code, 0, added.stderr);
    // Not the first member any more: access comes from a grant or the recovery code.
    assert.match(added.stdout, /grants it/);
    await new Promise((resolve) => setTimeout(resolve, 2100));
    const page = await request(server.baseUrl, 'GET', added.path);
    assert.equal(page.status, 404);
    assert.match(page.body, /plus valable/);
    const bad = await userAdd(server, ['--email', 'x@example.org', '--role', 'member', '--org', 'mtr-cidff',
      '--expires-in', 'bientôt']);
    assert.equal(bad.code, 2);
  });

  test('a coordinator sees the accounts of the territory and disables one', async () => {
    const member = await userAdd(server, ['--email', 'membre@example.org', '--role', 'member', '--org', 'mtr-pad']);
    const elsewhere = await userAdd(server, ['--email', 'paris@example.org', '--role', 'member', '--org', 'p10-cidff']);
    const coordinator = await userAdd(server, ['--email', 'coord@example.org', '--role', 'coordinator',
      '--territory', 'montreuillois']);
    for (const added of [member, elsewhere, coordinator]) assert.equal(added.code, 0, added.stderr);
    assert.doesNotMatch(coordinator.stdout, /recovery/i, 'a coordinator never gets a key');

    const memberBrowser = new Browser(server.baseUrl);
    const memberAccount = await acceptInvitation(memberBrowser, member.path);
    assert.equal((await signIn(memberBrowser, 'membre@example.org', memberAccount)).status, 303);
    assert.equal((await memberBrowser.get('/pro/accueil')).status, 200);
    // A member is not allowed on the accounts pages: the same 404 as an unknown page.
    const forbidden = await memberBrowser.get('/pro/comptes');
    assert.equal(forbidden.status, 404);

    const coordBrowser = new Browser(server.baseUrl);
    const coordAccount = await acceptInvitation(coordBrowser, coordinator.path);
    assert.equal((await signIn(coordBrowser, 'coord@example.org', coordAccount)).status, 303);
    const home = mainOf((await coordBrowser.get('/pro/accueil')).body);
    assert.doesNotMatch(home, /\/pro\/demandes/);
    // A coordinator's links: approvals, organizations, accounts; never the inbox.
    assert.match(home, /<nav[^>]*>[\s\S]*href="\/pro\/approbations"[\s\S]*<\/nav>/, 'approvals in the navigation');
    assert.match(home, /href="\/pro\/organisations"/);
    assert.match(home, /href="\/pro\/comptes"/);
    const list = await coordBrowser.get('/pro/comptes');
    assert.equal(list.status, 200);
    const main = mainOf(list.body);
    // The same navigation on every signed-in page.
    assert.match(main, /href="\/pro\/approbations"/);
    assert.doesNotMatch(main, /href="\/pro\/demandes/);
    assert.match(main, /membre@example\.org/);
    assert.match(main, /pro@example\.org/);
    assert.doesNotMatch(main, /paris@example\.org/, 'another territory');

    const memberHref = main.match(/href="(\/pro\/comptes\/acc-[0-9a-f]+)">membre@example\.org/)[1];
    const accountPage = await coordBrowser.get(memberHref);
    assert.equal(accountPage.status, 200);
    // Another territory's account: the same 404 as an id that does not exist.
    const parisId = elsewhere.stdout.match(/account (acc-[0-9a-f]+) invited/)[1];
    const other = await coordBrowser.get(`/pro/comptes/${parisId}`);
    const missing = await coordBrowser.get('/pro/comptes/acc-0000000000000000');
    assert.equal(other.status, 404);
    assert.equal(missing.status, 404);
    assert.equal(mainOf(other.body), mainOf(missing.body));
    assert.equal((await coordBrowser.post(`/pro/comptes/${parisId}/desactiver`,
      [['_csrf', formToken(accountPage.body, `${memberHref}/desactiver`)]])).status, 404);

    const r = await coordBrowser.post(`${memberHref}/desactiver`,
      [['_csrf', formToken(accountPage.body, `${memberHref}/desactiver`)]]);
    assert.equal(r.status, 200);
    assert.match(mainOf(r.body), /désactivé/);
    // The member's session is gone, and signing in is refused.
    const after = await memberBrowser.get('/pro/accueil');
    assert.equal(after.status, 303);
    assert.equal((await signIn(memberBrowser, 'membre@example.org', memberAccount)).status, 400);
  });

  test('public pages set no cookie, even for a signed-in browser', async () => {
    for (const path of ['/', '/fiches', '/annuaire', '/suivi', '/securite-en-ligne', '/pro/nope']) {
      const response = await request(server.baseUrl, 'GET', path);
      assert.equal(response.headers['set-cookie'], undefined, path);
    }
  });

  test('the professional space is French only: no language links there, as on public pages', async () => {
    // "/professionnels" (a 404) starts with "/pro" but is not under "/pro/".
    for (const path of ['/', '/fiches', '/suivi', '/professionnels']) {
      assert.match((await request(server.baseUrl, 'GET', path)).body, /class="app-languages"/, path);
    }
    for (const path of ['/pro', '/pro/nope']) {
      assert.doesNotMatch((await request(server.baseUrl, 'GET', path)).body, /class="app-languages"/, path);
    }
  });
});

describe('professional accounts behind HTTPS', () => {
  let server;
  before(async () => {
    server = await startServer({ extraArgs: ['--post-limit', '100000', '--public-url', 'https://passerelle.example.org'] });
  });
  after(async () => {
    await server?.stop();
  });

  test('the session cookie is __Host-, Secure, host-only', async () => {
    const added = await userAdd(server, ['--email', 'secure@example.org', '--role', 'operator',
      '--public-url', 'https://passerelle.example.org/']);
    assert.equal(added.code, 0, added.stderr);
    assert.match(added.stdout, /https:\/\/passerelle\.example\.org\/pro\/invitation\//);
    const browser = new Browser(server.baseUrl);
    const account = await acceptInvitation(browser, added.path);
    const r = await signIn(browser, 'secure@example.org', account);
    assert.equal(r.status, 303);
    assert.match(r.headers['set-cookie'][0],
      /^__Host-passerelle_pro=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; SameSite=Strict; Secure$/);
    const home = await browser.get('/pro/accueil');
    assert.equal(home.status, 200);
    assert.match(mainOf(home.body), /Exploitation de la plateforme/);
  });
});
