// Journey: sharing. The resident writes two sections of her story, shares
// exactly those with the professional (Carla Bakker), who logs in with her
// second factor and reads them; the resident stops sharing, the
// professional's next request gets the 404 page, and the resident sees the
// professional's read in "Wie heeft mijn gegevens bekeken". In the default
// (1280 px), narrow (320 px) and no-JavaScript contexts; checkPage on every
// page.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { openBrowser, VARIANT_NAMES } from '../lib/browser.js';
import { deferredChecks } from '../lib/checks.js';
import { ACCOUNTS, STAFF_TOTP_SECRET, go, heading1, logIn, submitAndWait } from '../lib/demo.js';
import { server } from '../lib/server.js';
import { freshTotp } from '../lib/totp.js';

const resident = ACCOUNTS.resident;
const professional = ACCOUNTS.professional;

let srv;
before(async () => {
	srv = await server();
});
after(async () => {
	await srv?.stop();
});

for (const variant of VARIANT_NAMES) {
	describe(`share journey (${variant})`, () => {
		let anna;
		let carla;
		let sharedStory; // the professional's address of the story
		const journey = `share-${variant}`;
		before(async () => {
			anna = await openBrowser(variant);
			carla = await openBrowser(variant);
		});
		after(async () => {
			await anna?.close();
			await carla?.close();
		});

		test('the resident writes two sections of her story', async (t) => {
			const check = deferredChecks(t, journey);
			const page = anna.page;
			await logIn(page, srv.baseURL, resident.email);
			await go(page, srv.baseURL, '/verhaal/bewerken');
			await check(page, 'story-edit');
			await page.locator('textarea[name="finances_text"]').fill(`Ik heb schulden (${variant}).`);
			await page.locator('textarea[name="housing_text"]').fill(`Mijn huis is te klein (${variant}).`);
			await page.locator('textarea[name="health_text"]').fill('Dit deel deel ik niet.');
			await submitAndWait(page, page.getByRole('button', { name: 'Verhaal opslaan', exact: true }));
			assert.notEqual(new URL(page.url()).pathname, '/verhaal/bewerken', 'saving leaves the form');
			await check(page, 'story-saved');
		});

		test('the resident shares the two sections with the professional', async (t) => {
			const check = deferredChecks(t, journey);
			const page = anna.page;
			await go(page, srv.baseURL, '/delen');
			assert.equal(await heading1(page), 'Delen');
			await check(page, 'consent-list');
			await submitAndWait(page, page.getByRole('main').getByRole('link', { name: 'Iets delen', exact: true }));
			// She logged in just now, so no password is asked again.
			assert.equal(new URL(page.url()).pathname, '/delen/nieuw');
			await check(page, 'consent-new');
			// First without choosing anything: messages, nothing stored.
			await submitAndWait(page, page.getByRole('main').getByRole('button', { name: 'Delen', exact: true }));
			assert.equal(await heading1(page), 'Iets delen');
			await page.getByText('Kies wat je wilt delen.').first().waitFor();
			await check(page, 'consent-new-errors');
			await page.getByLabel('E-mailadres van je hulpverlener', { exact: true }).fill(professional.email);
			await page.getByLabel('Geld en schulden', { exact: true }).check();
			await page.getByLabel('Wonen', { exact: true }).check();
			await page.getByLabel('Lezen', { exact: true }).check();
			await page.getByLabel('Waarvoor deel je?', { exact: true }).selectOption({ label: 'Een ondersteuningsplan maken of uitvoeren' });
			await submitAndWait(page, page.getByRole('main').getByRole('button', { name: 'Delen', exact: true }));
			assert.equal(await heading1(page), 'Bewijs van je toestemming');
			const main = page.getByRole('main');
			await main.getByText(professional.name).first().waitFor();
			await main.getByText('Geld en schulden, Wonen').first().waitFor();
			await check(page, 'consent-receipt');
		});

		test('the professional reads exactly those two sections', async (t) => {
			const check = deferredChecks(t, journey);
			const page = carla.page;
			await logIn(page, srv.baseURL, professional.email);
			assert.equal(new URL(page.url()).pathname, '/inloggen/code');
			await page.getByLabel('Code uit je app', { exact: true }).fill(await freshTotp(STAFF_TOTP_SECRET));
			await submitAndWait(page, page.getByRole('button', { name: 'Controleren', exact: true }));
			await go(page, srv.baseURL, '/gedeeld');
			await check(page, 'shared-list');
			await submitAndWait(page, page.getByRole('main').getByRole('link', { name: `Verhaal van ${resident.name} lezen`, exact: true }));
			sharedStory = new URL(page.url()).pathname;
			assert.match(sharedStory, /^\/gedeeld\/[^/]+\/verhaal$/);
			const text = await page.getByRole('main').innerText();
			assert.ok(text.includes(`Ik heb schulden (${variant}).`), 'the finances section shows');
			assert.ok(text.includes(`Mijn huis is te klein (${variant}).`), 'the housing section shows');
			assert.ok(!text.includes('Dit deel deel ik niet.'), 'the health section does not show');
			await check(page, 'shared-story');
		});

		test('the resident stops sharing; the professional gets the 404 page', async (t) => {
			const check = deferredChecks(t, journey);
			const page = anna.page;
			await submitAndWait(page, page.getByRole('main').getByRole('button', { name: 'Stoppen met delen', exact: true }));
			await page.getByRole('main').getByText('Ingetrokken').first().waitFor();
			await check(page, 'consent-revoked');
			const res = await go(carla.page, srv.baseURL, sharedStory);
			assert.equal(res.status(), 404);
			assert.equal(await heading1(carla.page), 'Pagina niet gevonden');
			await check(carla.page, 'shared-story-gone');
		});

		test('the resident sees the professional\'s read in the access log', async (t) => {
			const check = deferredChecks(t, journey);
			const page = anna.page;
			await go(page, srv.baseURL, '/');
			await submitAndWait(page, page.getByRole('main').getByRole('link', { name: 'Wie heeft mijn gegevens bekeken' }).first());
			assert.equal(await heading1(page), 'Wie heeft mijn gegevens bekeken');
			const table = page.getByRole('main').getByRole('table');
			const read = table.getByRole('row').filter({ hasText: professional.name }).filter({ hasText: 'Bekeken' }).filter({ hasText: 'Geld en schulden' });
			assert.ok((await read.count()) > 0, 'a row says the professional viewed the finances section');
			assert.ok((await read.first().innerText()).includes('Met jouw toestemming'), 'the row names the consent as the reason');
			const refused = table.getByRole('row').filter({ hasText: professional.name }).filter({ hasText: 'Nee, geweigerd' });
			assert.ok((await refused.count()) > 0, 'the refused read after revoking is listed too');
			await check(page, 'access-log');
		});

		test('the mandate pages and the password page pass the checks', async (t) => {
			const check = deferredChecks(t, journey);
			const page = anna.page;
			await go(page, srv.baseURL, '/machtigingen');
			assert.equal(await heading1(page), 'Machtigingen');
			await check(page, 'mandates');
			await go(page, srv.baseURL, '/machtigingen/nieuw');
			assert.equal(await heading1(page), 'Iemand machtigen');
			await check(page, 'mandate-new');
			await submitAndWait(page, page.getByRole('main').getByRole('button', { name: 'Machtigen', exact: true }));
			await page.getByText('Kies waarvoor de persoon je mag helpen.').first().waitFor();
			await check(page, 'mandate-new-errors');
			await go(page, srv.baseURL, '/bevestig-wachtwoord?terug=%2Fdelen');
			assert.equal(await heading1(page), 'Bevestig je wachtwoord');
			await check(page, 'stepup');
			await page.getByLabel('Wachtwoord', { exact: true }).fill('niet-het-goede-wachtwoord');
			await submitAndWait(page, page.getByRole('main').getByRole('button', { name: 'Bevestigen', exact: true }));
			await page.getByText('Dit wachtwoord klopt niet.').first().waitFor();
			await check(page, 'stepup-wrong');
		});
	});
}
