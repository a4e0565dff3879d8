// Journey: Eigen verhaal. The resident writes a story (the narrative and
// two life domains with a rating), saves it, reads it, opens the earlier
// versions and one version, and the printable summary; a wrong form is
// shown again with the input kept. In the default (1280 px), narrow
// (320 px) and no-JavaScript contexts, every page through checkPage.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { openBrowser, VARIANT_NAMES } from '../lib/browser.js';
import { deferredChecks } from '../lib/checks.js';
import { ACCOUNTS, fieldError, go, heading1, logIn, submitAndWait } from '../lib/demo.js';
import { server } from '../lib/server.js';

const resident = ACCOUNTS.resident;

let srv;
before(async () => {
	srv = await server();
});
after(async () => {
	await srv?.stop();
});

for (const variant of VARIANT_NAMES) {
	describe(`story journey (${variant})`, () => {
		let b;
		let page;
		const journey = `story-${variant}`;
		const narrative = `Ik ben mijn werk kwijt (${variant}). Nu is het stil thuis.`;
		before(async () => {
			b = await openBrowser(variant);
			page = b.page;
			await logIn(page, srv.baseURL, resident.email);
		});
		after(async () => {
			await b?.close();
		});

		test('the start page leads to the story', async (t) => {
			const check = deferredChecks(t, journey);
			await go(page, srv.baseURL, '/');
			await submitAndWait(page, page.getByRole('main').getByRole('link', { name: /^Mijn verhaal/ }));
			assert.equal(new URL(page.url()).pathname, '/verhaal');
			assert.equal(await heading1(page), 'Mijn verhaal');
			await check(page, 'story');
		});

		test('writing and saving the story', async (t) => {
			const check = deferredChecks(t, journey);
			await go(page, srv.baseURL, '/verhaal/bewerken');
			assert.equal(await heading1(page), 'Mijn verhaal bewerken');
			await check(page, 'story-edit');

			const main = page.getByRole('main');
			await main.getByLabel('Mijn verhaal in mijn eigen woorden', { exact: true }).fill(narrative);
			await main.getByLabel('Wat wil je vertellen over geld?', { exact: true }).fill('Ik heb schulden.');
			const money = main.getByRole('group', { name: 'Geld', exact: true });
			await money.getByRole('radio', { name: 'Slecht', exact: true }).check();
			await money.getByRole('checkbox', { name: 'Ik wil hierover praten', exact: true }).check();
			await main.getByLabel('Wat wil je vertellen over wonen?', { exact: true }).fill('Mijn huis is te klein.');
			await main.getByRole('group', { name: 'Wonen', exact: true }).getByRole('radio', { name: 'Goed', exact: true }).check();
			await submitAndWait(page, main.getByRole('button', { name: 'Verhaal opslaan', exact: true }));

			assert.equal(new URL(page.url()).pathname, '/verhaal');
			await page.getByRole('status').filter({ hasText: 'Je verhaal is opgeslagen.' }).waitFor();
			const text = await page.getByRole('main').innerText();
			for (const want of [narrative.split('. ')[0], 'Ik heb schulden.', 'Slecht', 'Ja, ik wil hierover praten', 'Mijn huis is te klein.', 'Goed']) {
				assert.ok(text.includes(want), `the story shows "${want}"`);
			}
			await check(page, 'story-saved');
		});

		test('a text that is too long is kept with a message', async (t) => {
			const check = deferredChecks(t, journey);
			await go(page, srv.baseURL, '/verhaal/bewerken');
			const main = page.getByRole('main');
			const field = main.getByLabel('Wat ik belangrijk vind', { exact: true });
			const long = 'a'.repeat(5001);
			await field.fill(long);
			await submitAndWait(page, main.getByRole('button', { name: 'Verhaal opslaan', exact: true }));
			assert.equal(await fieldError(field), 'Bijvoorbeeld: mijn kinderen, mijn hond, zelf boodschappen doen. Deze tekst is te lang. Maak hem korter.');
			assert.equal((await field.inputValue()).length, long.length, 'the text is kept');
			await check(page, 'story-edit-error');
		});

		test('the versions and one version', async (t) => {
			const check = deferredChecks(t, journey);
			await go(page, srv.baseURL, '/verhaal');
			await submitAndWait(page, page.getByRole('main').getByRole('link', { name: 'Eerdere versies bekijken', exact: true }));
			assert.equal(await heading1(page), 'Eerdere versies');
			const rows = page.getByRole('table').getByRole('row');
			assert.ok((await rows.count()) >= 2, 'at least one version is listed');
			assert.ok((await rows.nth(1).innerText()).includes(resident.name), 'the newest version names who saved it');
			await check(page, 'story-versions');
			await submitAndWait(page, rows.nth(1).getByRole('link'));
			assert.equal(await heading1(page), 'Eerdere versie van mijn verhaal');
			assert.ok((await page.getByRole('main').innerText()).includes('Ik heb schulden.'));
			await check(page, 'story-version');
		});

		test('the printable summary', async (t) => {
			const check = deferredChecks(t, journey);
			await go(page, srv.baseURL, '/verhaal');
			await submitAndWait(page, page.getByRole('main').getByRole('link', { name: 'Afdrukken of downloaden', exact: true }));
			assert.equal(await heading1(page), 'Samenvatting van mijn verhaal');
			const print = page.getByRole('button', { name: 'Afdrukken', exact: true });
			assert.equal(await print.isVisible(), variant !== 'nojs', 'the print button shows only with JavaScript');
			assert.equal(await page.getByRole('link', { name: 'Downloaden als bestand', exact: true }).getAttribute('href'), '/verhaal/download');
			await check(page, 'story-print');
		});
	});
}
