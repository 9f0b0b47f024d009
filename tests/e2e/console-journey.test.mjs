// The coordinator's whole journey in Chromium (issue 11, docs/territory-console.md "Where it
// stands"), on the real binary, driven at 360×640 with every new page state checked by axe-core
// at phone and desktop sizes and by the Nu Html Checker:
//  - an operator creates "Paris 18e" (paris-18) from three communes found in the gazetteer, and
//    invites its coordinator from the web; the national site serves the new territory at once,
//    without a restart (docs/territory-console.md "Live territories");
//  - its coordinator adds two actors by the form (a place with the point proposed from the
//    commune, a service), uploads a file of 20 organisations (the dry run shows the diff, then
//    "Appliquer"), corrects one of them by a second file (the diff names the changed field), and
//    publishes;
//  - she invites a member of an organisation whose first member (invited by an operator with
//    `passerelle user add`) holds its key;
//  - two visitors go through the help pages (no JavaScript) and send a referral to that
//    organisation, whichever place it has among their proposals; a third finds nobody for a
//    need no actor answers;
//  - the coordinator sees the referrals, the completed flows, the annuaire's visits of the 18e
//    (after their flush) and the "no match" by need and by commune in the statistics.
// The site is the national one (no --territory) without the demonstration data, so that only the
// 18e's actors are near: the "no match" is then hers.
// With PASSERELLE_SCREENSHOTS=<dir>, the key console pages are saved there at 360×640.

import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';

import { VIEWPORTS, launchBrowser } from './browser.mjs';
import { ProAccount, pageAudit, submit, userAdd } from './pro-helpers.mjs';
import { startServer } from './server.mjs';

const kTimeout = { timeout: 600_000 };
const kPhone = VIEWPORTS[0];
const kSlug = 'paris-18';
const kConsole = `/pro/territoires/${kSlug}`;
const kScreenshots = process.env.PASSERELLE_SCREENSHOTS;

let server;
let browser;

before(async () => {
  // Threshold 2 (the lowest): the two referrals show as a figure. Visits are written every 200 ms.
  server = await startServer({
    demo: false, extraArgs: ['--jobs-interval', '0', '--small-count-threshold', '2', '--stats-flush-ms', '200'],
  });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

// 20 organisations of the 18e and its neighbours, one service each; none is a shelter or a social
// worker, so that nobody answers a need of housing (the "no match" of the journey).
const kImportHeader = 'organization_id,organization_name,phones,accepts_referrals,service_id,service_name,categories,'
  + 'opening_hours,location_id,address,postal_code,city,insee_code,latitude,longitude\n';
const kCategories = ['legal-advice', 'lawyer', 'psychologist', 'doctor', 'interpreter'];
function importCsv({ hoursOf = () => 'Mo-Fr 09:00-17:00' } = {}) {
  let text = kImportHeader;
  for (let i = 1; i <= 20; ++i) {
    const n = String(i).padStart(2, '0');
    const [postal, city, insee, lat, lon] = i % 4 === 0
      ? ['93400', 'Saint-Ouen-sur-Seine', '93070', '48.9065', '2.3334']
      : ['75018', 'Paris', '75118', (48.885 + i * 0.001).toFixed(4), (2.34 + i * 0.0005).toFixed(4)];
    text += `p18-${n},Permanence du 18e n° ${n},01 98 18 00 ${n} (accueil),false,p18-${n}-s1,Consultation ${n},`
      + `${kCategories[i % kCategories.length]},${hoursOf(i)},p18-${n}-lieu,${i} rue Ordener,${postal},${city},${insee},`
      + `${lat},${lon}\n`;
  }
  return text;
}

describe('the coordinator’s journey', () => {
  test('Paris 18e: created, its actors entered and imported, a member invited, referrals and gaps in the statistics',
    kTimeout, async () => {
      const { check: audit, assertClean } = pageAudit();
      const context = await browser.newContext({ viewport: kPhone });
      try {
        const page = await context.newPage();
        const main = page.locator('main');
        // axe at both sizes, then back to the phone, where she works.
        const check = async (name, response, status = 200) => {
          await audit(name, page, response, status);
          await page.setViewportSize(kPhone);
        };
        const visit = async (name, path, status = 200) => check(name, await page.goto(`${server.baseUrl}${path}`), status);
        const screenshot = async (name) => {
          if (!kScreenshots) return;
          await mkdir(kScreenshots, { recursive: true });
          await page.screenshot({ path: join(kScreenshots, `${name}.png`), fullPage: true });
        };

        // ---- the operator creates the territory (her account comes from `passerelle user add`) ----
        const operator = new ProAccount('exploitation-18@passerelle.test');
        await operator.enrol(page, server.baseUrl, (await userAdd(server, operator.email, ['--role', 'operator'])).path);
        await operator.signIn(page, server.baseUrl);
        await page.goto(`${server.baseUrl}/pro/territoires`);
        await submit(page, main.getByRole('link', { name: 'Créer un territoire' }));
        await main.getByLabel('Identifiant').fill(kSlug);
        await main.getByLabel('Nom', { exact: true }).fill('Paris 18e');
        await main.getByLabel('Site neutre de la sortie rapide').fill('https://meteofrance.com/');
        // Paris 18e by its INSEE code, then two neighbours: each search adds to the communes kept.
        const communes = main.locator('input[name="commune"]');
        for (const [insee, count] of [['75118', 1], ['93070', 2], ['93001', 3]]) {
          await main.getByLabel('Chercher des communes').fill(insee);
          const searched = await submit(page, main.getByRole('button', { name: 'Chercher' }));
          if (insee === '75118') await check('territory: search', searched);
          assert.equal(await main.locator('input[name="result"]').count(), 1, `one commune for ${insee}`);
          await submit(page, main.getByRole('button', { name: 'Ajouter les communes cochées' }));
          assert.equal(await communes.count(), count);
        }
        await check('territory: three communes',
          await submit(page, main.getByRole('button', { name: /Proposer le centre et le rayon/ })));
        const created = await submit(page, main.getByRole('button', { name: 'Créer le territoire' }));
        assert.equal(created.status(), 200);
        assert.equal(new URL(page.url()).pathname, `${kConsole}/modifier`);
        assert.deepEqual(await communes.evaluateAll((boxes) => boxes.map((b) => b.value).sort()), ['75118', '93001', '93070']);

        // ---- its coordinator, invited from the web; the site serves the territory without a restart ----
        const coordinator = new ProAccount('coordination-18@passerelle.test');
        await page.goto(`${server.baseUrl}${kConsole}`);
        await submit(page, main.getByRole('link', { name: 'Inviter une coordinatrice ou un coordinateur' }));
        await main.getByLabel('Adresse e-mail professionnelle').fill(coordinator.email);
        await submit(page, main.getByRole('button', { name: 'Inviter' }));
        const coordinatorLink = new URL((await main.locator('[data-invitation-link]').textContent()).trim());
        const coordinatorInvitation = { path: coordinatorLink.pathname };

        // ---- the coordinator: her console ----
        await context.clearCookies();
        await coordinator.enrol(page, server.baseUrl, coordinatorInvitation.path);
        await coordinator.signIn(page, server.baseUrl);
        await visit('hub', kConsole);
        await visit('actors: none yet', `${kConsole}/acteurs`);
        assert.equal(await main.locator('[data-empty]').count(), 1);

        // Two actors by the form: organisation (a draft), place, service, then published.
        const actors = [
          { name: 'Maison des droits du 18e', phone: '01 98 18 10 01', category: 'legal-advice', street: '12 rue Marcadet' },
          { name: 'Écoute Goutte d’Or', phone: '01 98 18 10 02', category: 'victim-support-association', street: '3 rue Polonceau' },
        ];
        for (const [index, actor] of actors.entries()) {
          const first = index === 0;
          const named = async (name, response, status = 200) => (first ? check(name, response, status) : response);
          await page.goto(`${server.baseUrl}${kConsole}/acteurs`);
          await named('new actor', await submit(page, main.getByRole('link', { name: 'Ajouter un acteur' })));
          if (first) {
            await check('new actor: refused',
              await submit(page, main.getByRole('button', { name: 'Enregistrer le brouillon' })), 400);
            assert.match(await main.locator('.app-error-summary').textContent(), /Nom : le nom est obligatoire/);
          }
          await main.locator('#name').fill(actor.name);
          await main.locator('#description').fill('Permanence d’accueil des victimes de violences conjugales.');
          await main.locator('#phone-0-number').fill(actor.phone);
          await main.locator('#accepts_referrals').check();
          await named('actor: draft', await submit(page, main.getByRole('button', { name: 'Enregistrer le brouillon' })));
          assert.match(await main.locator('[data-publication]').textContent(), /Brouillon/);
          actor.path = new URL(page.url()).pathname;
          actor.id = actor.path.split('/').pop();

          await named('new place', await submit(page, main.getByRole('link', { name: 'Ajouter un lieu' })));
          await main.locator('#name').fill('Permanence');
          await main.locator('#address').fill(actor.street);
          await main.locator('#postal_code').fill('75018');
          await named('new place: point proposed',
            await submit(page, main.getByRole('button', { name: 'Proposer le point depuis la commune' })));
          assert.equal(await main.locator('#insee_code').inputValue(), '75118', 'Paris 18e, not Paris');
          assert.notEqual(await main.locator('#latitude').inputValue(), '');
          await submit(page, main.getByRole('button', { name: 'Enregistrer le lieu' }));
          assert.equal(new URL(page.url()).pathname, actor.path);

          await named('new service', await submit(page, main.getByRole('link', { name: 'Ajouter un service' })));
          await main.locator('#name').fill('Accueil et orientation');
          await main.locator(`input[name="categories"][value="${actor.category}"]`).check();
          await main.locator('input[name="locations"]').first().check();
          await main.locator('#opening_hours').fill('Mo-Sa 09:00-19:00');
          await main.locator('#languages').fill('fr');
          await submit(page, main.getByRole('button', { name: 'Enregistrer le service' }));
          assert.equal(new URL(page.url()).pathname, actor.path);
          await named('actor: ready to publish', await page.reload());
          await submit(page, main.getByRole('button', { name: 'Publier l’organisation' }));
          assert.equal((await main.locator('[data-publication]').textContent()).trim(), 'Publié');
        }
        await visit('actors: two published', `${kConsole}/acteurs`);
        assert.equal(await main.locator('tr[data-actor]').count(), 2);
        assert.equal(await main.locator('tr[data-draft]').count(), 0);

        // ---- 20 organisations by file: the dry run shows the diff, then "Appliquer" ----
        const upload = async (name, csv) => {
          await page.goto(`${server.baseUrl}${kConsole}/import`);
          await main.locator('#fichier').setInputFiles({ name, mimeType: 'text/csv', buffer: Buffer.from(csv) });
          return submit(page, main.getByRole('button', { name: 'Voir ce que le fichier change' }));
        };
        await visit('import', `${kConsole}/import`);
        await check('import: refused file', await upload('acteurs.csv', importCsv().replace('legal-advice', 'voyance')), 400);
        assert.match(await main.textContent(), /voyance/);
        await check('import: dry run', await upload('acteurs-18.csv', importCsv()));
        assert.equal(await main.locator('[data-created-count]').textContent(), '20');
        assert.equal(await main.locator('[data-created] li').count(), 20);
        await screenshot('import-dry-run');
        await check('import: applied', await submit(page, main.getByRole('button', { name: 'Appliquer' })));
        assert.match(await main.textContent(), /L’import est appliqué : 20 organisation/);
        // A corrected file: the diff names the one field that changes, before and after.
        await check('import: diff of a change',
          await upload('acteurs-18-v2.csv', importCsv({ hoursOf: (i) => (i === 7 ? 'Mo-Fr 14:00-18:00' : 'Mo-Fr 09:00-17:00') })));
        assert.equal(await main.locator('[data-created-count]').textContent(), '0');
        const changed = main.locator('table[data-updated="p18-07"]');
        assert.match(await changed.textContent(), /opening_hours[\s\S]*Mo-Fr 09:00-17:00[\s\S]*Mo-Fr 14:00-18:00/);
        await screenshot('import-diff');
        await submit(page, main.getByRole('button', { name: 'Appliquer' }));
        assert.match(await main.textContent(), /L’import est appliqué : 0 organisation\(s\) créée\(s\), 1/);
        await visit('actors: imported drafts', `${kConsole}/acteurs`);
        assert.equal(await main.locator('tr[data-actor]').count(), 22);
        assert.equal(await main.locator('tr[data-draft]').count(), 20, 'an imported organisation waits to be published');
        await screenshot('actors');

        // ---- a member invited from the web, in an organisation whose first member has its key ----
        // Its first member, invited by an operator with `passerelle user add`, receives its key.
        const [maison] = actors;
        const firstMember = new ProAccount('juriste-18@maison-droits.example');
        const firstInvitation = await userAdd(server, firstMember.email, ['--role', 'member', '--org', maison.id]);
        const memberContext = await browser.newContext({ viewport: kPhone });
        try {
          await firstMember.enrol(await memberContext.newPage(), server.baseUrl, firstInvitation.path);
        } finally {
          await memberContext.close();
        }
        await visit('members', `${kConsole}/membres`);
        await check('invite', await submit(page,
          main.getByRole('link', { name: `Inviter un membre de ${maison.name}` })));
        await main.getByLabel('Adresse e-mail professionnelle').fill('accueil-18@maison-droits.example');
        await check('invite: link shown once', await submit(page, main.getByRole('button', { name: 'Inviter' })));
        assert.match(await main.locator('[data-invitation-link]').textContent(), /\/pro\/invitation\/[A-Za-z0-9_-]+$/);
        await page.goto(`${server.baseUrl}${kConsole}/membres`);
        assert.match(await main.textContent(), /accueil-18@maison-droits\.example/);

        // ---- visitors, without JavaScript: two referrals to the Maison, one search that finds nobody ----
        const helpFlow = async ({ need, postalCode }) => {
          const visitor = await browser.newContext({ javaScriptEnabled: false, viewport: kPhone });
          const her = await visitor.newPage();
          const continueTo = async (node) => {
            await submit(her, her.locator('form.app-question button[value="continue"]'));
            assert.equal(await her.locator('form.app-question').getAttribute('data-node'), node);
          };
          await her.goto(`${server.baseUrl}/aide`);
          await submit(her, her.getByRole('button', { name: 'Commencer' }));
          await her.getByLabel('18 ans ou plus').check();
          await continueTo('who');
          await her.getByLabel('Pour moi').check();
          await continueTo('danger_now');
          await her.getByLabel('Non', { exact: true }).check();
          await continueTo('needs');
          await her.getByLabel(need).check();
          await continueTo('children');
          await her.getByLabel('Je préfère ne pas répondre').check();
          await continueTo('location');
          await her.getByLabel('Où cherchez-vous de l’aide ?').fill(postalCode);
          await continueTo('language');
          await her.getByLabel('Français').check();
          await continueTo('contact');
          await her.getByLabel('Par SMS').check();
          await her.getByLabel('Le soir').check();
          await continueTo('end');
          return { visitor, her };
        };
        for (const phone of ['06 18 18 18 01', '06 18 18 18 02']) {
          const { visitor, her } = await helpFlow({ need: 'Connaître mes droits', postalCode: '75018' });
          try {
            // The Maison among her proposals, wherever the rotation put it.
            const proposal = her.locator(`main [data-organization="${maison.id}"]`);
            assert.equal(await proposal.count(), 1, 'the Maison is proposed');
            await submit(her, proposal.getByRole('button', { name: 'Préparer ma demande à ce professionnel' }));
            await her.locator('#contact_detail').fill(phone);
            await her.locator('#consent').check();
            await submit(her, her.getByRole('button', { name: 'Envoyer ma demande' }));
            assert.match(await her.locator('[data-organization]').textContent(), /Maison des droits du 18e/);
          } finally {
            await visitor.close();
          }
        }
        {
          const { visitor, her } = await helpFlow({ need: 'Un hébergement ou un logement', postalCode: '93300' });
          try {
            assert.match(await her.locator('main').textContent(), /Nous n’avons trouvé aucun professionnel/);
            assert.equal(await her.locator('main [data-organization]').count(), 0);
          } finally {
            await visitor.close();
          }
        }

        // ---- the statistics: the referrals, the flows, the visits (once flushed) and the gaps ----
        const cells = async (table, label) => main.locator(`[data-stat-table="${table}"] tr`, { hasText: label }).first()
          .locator('td').allTextContents();
        const statistics = `${kConsole}/statistiques?period=month`;
        // On the national site, /aide is nobody's territory until she says where she is; the
        // annuaire's page of a commune of the 18e counts for the 18e (two visits: above the threshold).
        for (const commune of ['75018', '93400']) {
          const visitor = await browser.newContext({ viewport: kPhone, javaScriptEnabled: false });
          try {
            const response = await (await visitor.newPage()).goto(`${server.baseUrl}/annuaire?commune=${commune}`);
            assert.equal(response.status(), 200);
          } finally {
            await visitor.close();
          }
        }
        await page.goto(`${server.baseUrl}${statistics}`);
        for (let tries = 0; (await cells('activite', 'Visites de l’annuaire'))[0] !== '2'; ++tries) {
          assert.ok(tries < 50, `the annuaire's visits reach the statistics: ${await cells('activite', 'Visites de')}`);
          await new Promise((resolve) => setTimeout(resolve, 200));
          await page.reload();
        }
        await check('statistics', await page.reload());
        assert.deepEqual(await cells('activite', 'Demandes envoyées aux professionnels'), ['2']);
        assert.deepEqual(await cells('activite', 'Parcours d’aide terminés'), ['3']);
        assert.deepEqual(await cells('besoins', 'Un hébergement ou un logement'), ['< 2']);
        assert.deepEqual(await cells('communes', 'Aubervilliers'), ['< 2']);
        assert.equal(await main.locator('[data-stat-table="besoins"] tr', { hasText: 'Connaître mes droits' }).count(), 0);
        await screenshot('statistics');
        await visit('statistics summary', `${kConsole}/statistiques/synthese`);
        await visit('audit log', `${kConsole}/journal`);
        assert.match(await main.locator('[data-audit]').textContent(), /Organisation publiée/);
        await screenshot('audit-log');
      } finally {
        await context.close();
      }
      await assertClean();
    });
});
