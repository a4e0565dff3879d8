// Journey 2, staff: the professional logs in with a password and then a
// TOTP code; a wrong code first is refused with a message at the field.
// The server takes each code only once per person, so the second and third
// contexts wait for the next 30-second code (freshTotp), as a person would.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { openBrowser, VARIANT_NAMES } from '../lib/browser.js';
import { deferredChecks } from '../lib/checks.js';
import { ACCOUNTS, STAFF_TOTP_SECRET, fieldError, go, fillLogin, heading1, logOut, submitAndWait } from '../lib/demo.js';
import { assertReachable, tabThrough } from '../lib/keyboard.js';
import { server } from '../lib/server.js';
import { freshTotp, wrongCode } from '../lib/totp.js';

const professional = ACCOUNTS.professional;

let srv;
before(async () => {
	srv = await server();
});
after(async () => {
	await srv?.stop();
});

for (const variant of VARIANT_NAMES) {
	describe(`staff journey (${variant})`, () => {
		let b;
		let page;
		const journey = `staff-${variant}`;
		before(async () => {
			b = await openBrowser(variant);
			page = b.page;
		});
		after(async () => {
			await b?.close();
		});

		test('the password leads to the code page', async (t) => {
			const check = deferredChecks(t, journey);
			await go(page, srv.baseURL, '/inloggen');
			await fillLogin(page, professional.email);
			assert.equal(new URL(page.url()).pathname, '/inloggen/code');
			assert.equal(await heading1(page), 'Vul je code in');
			await page.getByLabel('Code uit je app', { exact: true }).waitFor();
			await check(page, 'code');
			const focused = await tabThrough(page);
			assertReachable(focused, [
				{ role: 'textbox', name: /^Code uit je app/ },
				{ role: 'button', name: 'Controleren' },
			]);
		});

		test('a wrong code is refused with a message at the field', async (t) => {
			const check = deferredChecks(t, journey);
			const code = page.getByLabel('Code uit je app', { exact: true });
			await code.fill(wrongCode(STAFF_TOTP_SECRET));
			await submitAndWait(page, page.getByRole('button', { name: 'Controleren', exact: true }));
			assert.equal(new URL(page.url()).pathname, '/inloggen/code', 'still on the code page');
			const message = await fieldError(page.getByLabel('Code uit je app', { exact: true }));
			assert.match(message, /Deze code klopt niet/);
			await check(page, 'code-wrong');
		});

		test('the right code logs in', async (t) => {
			const check = deferredChecks(t, journey);
			await page.getByLabel('Code uit je app', { exact: true }).fill(await freshTotp(STAFF_TOTP_SECRET));
			await submitAndWait(page, page.getByRole('button', { name: 'Controleren', exact: true }));
			assert.equal(new URL(page.url()).pathname, '/');
			assert.equal(await heading1(page), `Welkom, ${professional.name}`);
			await check(page, 'start');
			await go(page, srv.baseURL, '/account');
			assert.match(await page.getByRole('main').innerText(), /Hulpverlener/);
			await check(page, 'account');
			await logOut(page);
		});
	});
}
