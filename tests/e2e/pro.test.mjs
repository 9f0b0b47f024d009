// The professional space in Chromium (issue 4 §10), on the real binary with a real SMTP sink:
//  - the journey: a victim sends a referral → a professional invited with `passerelle user add`
//    sets a password, enrols TOTP (manual key read on the page, code computed here), signs in
//    with the keyboard only → inbox → the referral, safe-contact instructions before the report →
//    acknowledged, contacted, a message → the victim reads it at /suivi and replies → the
//    professional reads the reply and closes. A second member signs in and reads the inbox with
//    JavaScript disabled. Cookies: HttpOnly, SameSite=Strict, on /pro only; the notification
//    e-mails reached the sink and say nothing about her.
//  - every /pro page type: axe-core (0 violations, phone and desktop sizes) and the Nu Html
//    Checker (0 errors), with error states.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { decodeBody, startSink } from '../smtp-sink/sink.mjs';
import { VIEWPORTS, launchBrowser, onlyHerDraftCookie } from './browser.mjs';
import { ProAccount, axeViolations, pageAudit, sendReferral, submit, totp, userAdd } from './pro-helpers.mjs';
import { startServer } from './server.mjs';

const kTimeout = { timeout: 180_000 };
const kPublicUrl = 'http://passerelle.test';
// p10-cidff is the only demo organization of the 10e with a notification address.
const kOrganization = 'p10-cidff';
const kService = 'p10-cidff-s1';
const kAddress = 'accueil@cidff-demo.example.org';

let server;
let sink;
let browser;
const journey = { context: null, page: null };  // the journey's member stays signed in for the next test

before(async () => {
  sink = await startSink();
  server = await startServer({
    extraArgs: ['--post-limit', '100000', '--smtp-url', `smtp://127.0.0.1:${sink.port}`,
      '--smtp-from', 'passerelle@test.example', '--public-url', kPublicUrl, '--outbox-poll-ms', '100',
      '--jobs-interval', '0'],
  });
  browser = await launchBrowser();
});

after(async () => {
  await journey.context?.close();
  await browser?.close();
  await server?.stop();
  await sink?.close();
});

async function waitFor(predicate, what, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const pathOf = (page) => { const url = new URL(page.url()); return url.pathname + url.search; };
// The focused element, as `tag#id` or `tag "text"`.
const focused = (page) => page.evaluate(() => {
  const e = document.activeElement;
  return e.id ? `${e.tagName.toLowerCase()}#${e.id}` : `${e.tagName.toLowerCase()} "${e.textContent.trim()}"`;
});

// Watches a context: every Set-Cookie and every Cookie header, with the URL.
function watchCookies(context) {
  const seen = { set: [], sent: [], pending: [] };
  context.on('response', (response) => {
    seen.pending.push(response.headerValue('set-cookie').then((value) => {
      if (value) seen.set.push({ path: new URL(response.url()).pathname, value });
    }));
  });
  context.on('request', (request) => {
    seen.pending.push(request.headerValue('cookie').then((value) => {
      if (value) seen.sent.push({ path: new URL(request.url()).pathname, value });
    }).catch(() => seen.sent.push({ path: new URL(request.url()).pathname, value: '(headers unreadable)' })));
  });
  return seen;
}

describe('the professional journey', () => {
  test('invitation → TOTP → keyboard sign-in → referral → messages with her at /suivi → closed', kTimeout, async () => {
    // Her referral, with words that must never reach an e-mail.
    const secrets = {
      need: 'Papiers retenus par lui CANARYNEED',
      codeWord: 'parapluie',
      contact: '06 11 22 33 44',
      message: 'Je ne peux parler que le soir CANARYSTORY',
    };
    const her = await sendReferral(server.baseUrl, {
      serviceId: kService, needText: secrets.need, codeWord: secrets.codeWord, contactDetail: secrets.contact,
      message: secrets.message,
    });
    await waitFor(() => sink.messages.length >= 1, 'the new-referral e-mail');

    const proContext = await browser.newContext({ viewport: VIEWPORTS[1] });
    journey.context = proContext;
    const cookies = watchCookies(proContext);
    const herContext = await browser.newContext({ viewport: VIEWPORTS[0] });
    try {
      const page = await proContext.newPage();
      const main = page.locator('main');
      journey.page = page;
      const pro = new ProAccount('juriste@cidff.example.org');
      const invited = await userAdd(server, pro.email, ['--role', 'member', '--org', kOrganization]);
      await pro.enrol(page, server.baseUrl, invited.path);
      assert.match(await main.textContent(), /Votre compte est prêt/);

      // Keyboard only: the Tab order of the sign-in form, then Enter in the code field submits.
      const stops = [];
      for (let i = 0; i < 40 && !stops.includes('input#email'); i += 1) {
        await page.keyboard.press('Tab');
        stops.push(await focused(page));
      }
      assert.ok(stops.includes('input#email'), `the e-mail field is reached with Tab: ${stops.join(', ')}`);
      assert.equal(stops[0], 'a "Cacher le site et quitter maintenant"', 'the quick exit comes first');
      for (const next of ['input#password', 'input#code', 'button "Se connecter"']) {
        await page.keyboard.press('Tab');
        assert.equal(await focused(page), next);
      }
      await page.reload();
      for (let i = 0; i < stops.length; i += 1) await page.keyboard.press('Tab');
      assert.equal(await focused(page), 'input#email');
      await page.keyboard.type(pro.email);
      await page.keyboard.press('Tab');
      await page.keyboard.type(pro.password);
      await page.keyboard.press('Tab');
      await page.keyboard.type(await pro.nextCode());
      await Promise.all([page.waitForURL(`${server.baseUrl}/pro/accueil`), page.keyboard.press('Enter')]);
      assert.match(await main.textContent(), /vous pouvez lire ses demandes/);

      // The session cookie: one, HttpOnly, SameSite=Strict, host-only on /pro, not readable by scripts.
      const [session, ...others] = await proContext.cookies();
      assert.deepEqual(others, []);
      assert.equal(session.name, 'passerelle_pro');
      assert.equal(session.httpOnly, true);
      assert.equal(session.sameSite, 'Strict');
      assert.equal(session.path, '/pro');
      assert.equal(session.domain, '127.0.0.1', 'host-only');
      assert.equal(session.expires, -1, 'a session cookie, never written to disk');
      assert.equal(await page.evaluate(() => document.cookie), '');

      // The inbox: minimal data, nothing of her words.
      await submit(page, main.getByRole('link', { name: 'Voir les demandes reçues' }));
      assert.equal(pathOf(page), '/pro/demandes');
      const rows = page.locator('[data-inbox] tbody tr');
      assert.equal(await rows.count(), 1);
      assert.match(await rows.first().textContent(), /Nouvelle/);
      assert.match(await rows.first().textContent(), /75010/);
      assert.doesNotMatch(await main.textContent(), /parapluie|CANARY/);

      // The referral: the safe-contact instructions come before the report, the messages and the actions.
      await submit(page, rows.first().getByRole('link'));
      const order = await page.evaluate(() => {
        const at = (selector) => document.querySelector(selector);
        const before = (a, b) => Boolean(at(a) && at(b) && (at(a).compareDocumentPosition(at(b)) & Node.DOCUMENT_POSITION_FOLLOWING));
        const safe = '[data-report-section="safe_contact"]';
        return {
          answers: before(safe, '[data-report-section="answers"]'),
          messages: before(safe, '#messages-heading'),
          actions: before(safe, '#actions-heading'),
        };
      });
      assert.deepEqual(order, { answers: true, messages: true, actions: true });
      const safeContact = await page.locator('[data-report-section="safe_contact"]').textContent();
      assert.match(safeContact, /parapluie/);
      assert.match(safeContact, /06 11 22 33 44/);
      assert.match(await main.textContent(), /CANARYNEED/);
      const referralPath = pathOf(page);

      // Acknowledged, contacted, a message.
      await submit(page, main.getByRole('button', { name: 'Prendre en charge' }));
      assert.equal(await page.locator('[data-status]').first().getAttribute('data-status'), 'acknowledged');
      assert.match(await main.textContent(), /L’état de la demande a été mis à jour/);
      await submit(page, main.getByRole('button', { name: 'J’ai contacté la personne' }));
      assert.equal(await page.locator('[data-status]').first().getAttribute('data-status'), 'contacted');
      await main.getByLabel('Écrire à la personne').fill('Bonjour, je vous rappelle jeudi soir comme convenu.');
      await submit(page, main.getByRole('button', { name: 'Envoyer le message' }));
      assert.match(await page.locator('[data-messages]').textContent(), /je vous rappelle jeudi soir/);

      // She reads it at /suivi in her own browser, and replies.
      const herPage = await herContext.newPage();
      await herPage.goto(`${server.baseUrl}/suivi`);
      await herPage.getByLabel('Suivre ma demande').fill(her.code);
      await submit(herPage, herPage.getByRole('button', { name: 'Voir ma demande' }));
      assert.equal(await herPage.locator('[data-status]').getAttribute('data-status'), 'contacted');
      assert.match(await herPage.locator('[data-messages]').textContent(), /je vous rappelle jeudi soir/);
      assert.deepEqual(await axeViolations(herPage), [], 'her follow-up page');
      await herPage.getByLabel('Écrire au professionnel').fill('Plutôt vendredi CANARYREPLY');
      await submit(herPage, herPage.getByRole('button', { name: 'Envoyer le message' }));
      assert.match(await herPage.locator('main').textContent(), /Votre message a été envoyé/);
      // Her only cookie: the random id of her sealed draft (ADR 0011), a session cookie.
      const herCookies = await herContext.cookies();
      assert.ok(onlyHerDraftCookie(herCookies), JSON.stringify(herCookies));

      // The professional reads the reply, and closes with an outcome.
      await page.goto(`${server.baseUrl}${referralPath}`);
      assert.match(await page.locator('[data-messages]').textContent(), /La personne :\s*Plutôt vendredi CANARYREPLY/);
      await main.getByRole('group', { name: 'Clore la demande : résultat' }).getByRole('radio').first().check();
      await submit(page, main.getByRole('button', { name: 'Clore la demande' }));
      assert.equal(await page.locator('[data-status]').first().getAttribute('data-status'), 'closed');
      assert.match(await main.textContent(), /Cette demande est terminée/);
      await herPage.goto(`${server.baseUrl}/suivi`);
      await herPage.getByLabel('Suivre ma demande').fill(her.code);
      await submit(herPage, herPage.getByRole('button', { name: 'Voir ma demande' }));
      assert.equal(await herPage.locator('[data-status]').getAttribute('data-status'), 'closed');

      // Public pages in the same browser: the cookie is not sent, no cookie is set.
      for (const path of ['/', '/aide', '/annuaire', '/suivi', '/fiches']) {
        const response = await page.goto(`${server.baseUrl}${path}`);
        assert.equal(response.status(), 200, path);
      }
      await Promise.all(cookies.pending);
      const outsidePro = (entry) => !(entry.path === '/pro' || entry.path.startsWith('/pro/'));
      assert.deepEqual(cookies.set.filter(outsidePro), [], 'no cookie set outside /pro');
      assert.deepEqual(cookies.sent.filter(outsidePro), [], 'the session cookie is not sent outside /pro');
      assert.ok(cookies.set.some((c) => /^passerelle_pro=[^;]+; Path=\/pro; HttpOnly; SameSite=Strict$/.test(c.value)),
        JSON.stringify(cookies.set));
      assert.deepEqual((await proContext.cookies()).map((c) => c.name), ['passerelle_pro']);

      // The e-mails: the new referral and her message, to the organization, without anything about her.
      await waitFor(() => sink.messages.length >= 2, 'the new-message e-mail');
      for (const mail of sink.messages) {
        assert.deepEqual(mail.to, [kAddress]);
        const body = decodeBody(mail.data);
        assert.match(body, /http:\/\/passerelle\.test\/pro\n/);
        for (const word of [secrets.need, 'CANARY', secrets.codeWord, secrets.contact, '06 11', her.code,
          '75010', 'Paris', 'vendredi', 'jeudi', her.organization]) {
          assert.ok(!mail.data.includes(word) && !body.includes(word), `"${word}" in an e-mail`);
        }
      }
      assert.match(decodeBody(sink.messages[0].data), /Une nouvelle demande vous attend sur Passerelle/);
      assert.ok(sink.messages.some((m) => /Un nouveau message vous attend/.test(decodeBody(m.data))));
    } finally {
      await herContext.close();
    }
  });

  test('a second member, granted access, signs in and reads her referral with JavaScript disabled', kTimeout, async () => {
    assert.ok(journey.page, 'the journey left its member signed in');
    const noScript = await browser.newContext({ viewport: VIEWPORTS[0], javaScriptEnabled: false });
    try {
      // Invitation, password and TOTP without JavaScript.
      const second = new ProAccount('accueil@cidff.example.org');
      const invited = await userAdd(server, second.email, ['--role', 'member', '--org', kOrganization]);
      assert.match(invited.stdout, /grants it/, 'not the first member: no access of her own');
      const page = await noScript.newPage();
      await second.enrol(page, server.baseUrl, invited.path);

      // The journey's member gives her access from the organization's page.
      const granter = journey.page;
      await granter.goto(`${server.baseUrl}/pro/organisations/${kOrganization}`);
      await submit(granter, granter.locator('main').getByRole('button', { name: `Donner l’accès aux demandes à ${second.email}` }));
      assert.match(await granter.locator('main').textContent(), /accès donné, effectif à sa prochaine connexion/);

      // Sign-in with the keyboard, then the inbox and the referral, all without JavaScript.
      await page.goto(`${server.baseUrl}/pro`);
      await page.locator('#email').focus();
      await page.keyboard.type(second.email);
      await page.keyboard.press('Tab');
      await page.keyboard.type(second.password);
      await page.keyboard.press('Tab');
      await page.keyboard.type(await second.nextCode());
      await Promise.all([page.waitForURL(`${server.baseUrl}/pro/accueil`), page.keyboard.press('Enter')]);
      const main = page.locator('main');
      assert.match(await main.textContent(), /vous pouvez lire ses demandes/);
      await submit(page, main.getByRole('link', { name: 'Voir les demandes reçues' }));
      const rows = page.locator('[data-inbox] tbody tr');
      assert.equal(await rows.count(), 1);
      assert.match(await rows.first().textContent(), /Close/i);
      assert.match(await rows.first().textContent(), /75010/);
      await submit(page, rows.first().getByRole('link'));
      assert.match(await page.locator('[data-report-section="safe_contact"]').textContent(), /parapluie/);
      assert.match(await page.locator('[data-messages]').textContent(), /Plutôt vendredi/);
    } finally {
      await noScript.close();
    }
  });
});

describe('every /pro page type', () => {
  test('has no axe violation (phone and desktop) and is valid for the Nu Html Checker', kTimeout, async () => {
    const { documents, check, assertClean } = pageAudit();
    const visit = async (name, page, path, status = 200) => check(name, page, await page.goto(`${server.baseUrl}${path}`), status);

    // A referral for p10-avip; its first member reads it.
    await sendReferral(server.baseUrl, {
      serviceId: 'p10-avip-s1', needText: 'Un conseil', codeWord: 'tulipe', contactDetail: '06 98 76 54 32',
    });
    const contexts = [];
    const newPage = async (options = {}) => {
      const context = await browser.newContext({ viewport: VIEWPORTS[0], ...options });
      contexts.push(context);
      return context.newPage();
    };
    try {
      // --- a member: invitation (with refusals), sign-in (with a refusal), her pages ---
      const member = new ProAccount('accueil@avip.example.org');
      const page = await newPage();
      const main = page.locator('main');
      const invited = await userAdd(server, member.email, ['--role', 'member', '--org', 'p10-avip']);
      const ready = await member.enrol(page, server.baseUrl, invited.path,
        { seen: (name, response) => check(name, page, response, response.status()), refuseFirst: true });
      await check('sign-in: account ready', page, ready);
      await main.getByLabel('Adresse e-mail').fill(member.email);
      await main.getByLabel('Mot de passe').fill('pas le bon mot de passe');
      await main.getByLabel('Code de sécurité').fill('123456');
      await check('sign-in: refused', page, await submit(page, main.getByRole('button', { name: 'Se connecter' })), 400);
      await check('home (member)', page, await member.signIn(page, server.baseUrl));
      await visit('inbox with a referral', page, '/pro/demandes');
      await check('referral', page, await submit(page, page.locator('[data-inbox] tbody tr a').first()));
      await check('referral: empty message refused', page,
        await submit(page, main.getByRole('button', { name: 'Envoyer le message' })), 400);
      await visit('organizations (member)', page, '/pro/organisations');
      await visit('organization: members and access', page, '/pro/organisations/p10-avip');
      await visit('organization: recovery code', page, '/pro/organisations/p10-avip/recuperation');
      await visit('organization profile', page, '/pro/organisations/p10-avip/profil');
      await main.getByLabel('Site web (facultatif)').fill('ftp://nulle-part');
      await check('organization profile: refused', page,
        await submit(page, main.getByRole('button', { name: 'Enregistrer les coordonnées' })), 400);
      await visit('service', page, '/pro/organisations/p10-avip/services/p10-avip-s1');
      await main.getByLabel('Horaires d’ouverture').fill('Mo-Fr 09:00-25:00');
      await check('service: refused', page, await submit(page, main.getByRole('button', { name: 'Enregistrer le service' })), 400);
      await visit('notification address', page, '/pro/organisations/p10-avip/adresse-notification');
      await main.getByLabel('Nouvelle adresse de notification').fill('alertes@avip.example.org');
      const asked = await submit(page, main.getByRole('button', { name: 'Demander ce changement' }));
      assert.match(new URL(asked.url()).search, /etat=adresse-demandee/);
      await visit('password change', page, '/pro/mot-de-passe');
      await main.getByLabel('Mot de passe actuel').fill(member.password);
      await main.getByLabel('Nouveau mot de passe', { exact: true }).fill('une autre phrase de passe');
      await main.getByLabel('Le nouveau mot de passe, une seconde fois').fill('pas la même phrase');
      await check('password change: refused', page,
        await submit(page, main.getByRole('button', { name: 'Changer le mot de passe' })), 400);

      // --- a member of an organization without referrals ---
      const empty = new ProAccount('accueil@pad.example.org');
      const emptyPage = await newPage();
      const emptyInvited = await userAdd(server, empty.email, ['--role', 'member', '--org', 'p10-pad']);
      await empty.enrol(emptyPage, server.baseUrl, emptyInvited.path);
      await empty.signIn(emptyPage, server.baseUrl);
      await visit('inbox (empty)', emptyPage, '/pro/demandes');

      // --- the territory's coordinator ---
      const coordinator = new ProAccount('coordination@paris10.example.org');
      const coordPage = await newPage();
      const coordInvited = await userAdd(server, coordinator.email, ['--role', 'coordinator', '--territory', 'paris-10']);
      await coordinator.enrol(coordPage, server.baseUrl, coordInvited.path);
      await check('home (coordinator)', coordPage, await coordinator.signIn(coordPage, server.baseUrl));
      await visit('accounts', coordPage, '/pro/comptes');
      await visit('account', coordPage, `/pro/comptes/${emptyInvited.id}`);
      await check('account: new TOTP link', coordPage, await submit(coordPage,
        coordPage.locator('main').getByRole('button', { name: 'Réinitialiser l’application d’authentification' })));
      // That closed the member's session: the form still open in her browser answers "session ended".
      await check('session ended', emptyPage, await submit(emptyPage,
        emptyPage.getByRole('button', { name: 'Se déconnecter' })), 401);
      await visit('organizations (coordinator)', coordPage, '/pro/organisations');
      await visit('approvals', coordPage, '/pro/approbations');
      assert.match(await coordPage.locator('main').textContent(), /alertes@avip\.example\.org/);
      await visit('territories', coordPage, '/pro/territoires');
      await visit('territory delays', coordPage, '/pro/territoires/paris-10/delais');
      await coordPage.locator('main').getByLabel('Rappel à l’organisation, en jours').fill('deux');
      await check('territory delays: refused', coordPage, await submit(coordPage,
        coordPage.locator('main').getByRole('button', { name: 'Enregistrer les délais' })), 400);
    } finally {
      for (const context of contexts) await context.close();
    }

    assert.ok(Object.keys(documents).length >= 25, `${Object.keys(documents).length} pages checked`);
    await assertClean();
  });
});
