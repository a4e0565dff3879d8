// Journey 1, the resident: start page, log in, account pages, English and
// back, log out; a keyboard pass over the login and start pages. In the
// default (1280 px), narrow (320 px) and no-JavaScript contexts.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { openBrowser, VARIANT_NAMES } from '../lib/browser.js';
import { deferredChecks } from '../lib/checks.js';
import { ACCOUNTS, TEXT, fillLogin, go, headerButton, heading1, logOut, pageLang, switchLanguage } from '../lib/demo.js';
import { assertReachable, tabThrough } from '../lib/keyboard.js';
import { server } from '../lib/server.js';

const resident = ACCOUNTS.resident;

// The account pages, with the first heading each must show.
const ACCOUNT_PAGES = [
	{ path: '/account', label: 'account', nl: 'Mijn account', en: 'My account' },
	{ path: '/account/wachtwoord', label: 'account-password', nl: 'Wachtwoord', en: 'Password' },
	{ path: '/account/sessies', label: 'account-sessions', nl: 'Waar ben ik ingelogd', en: 'Where am I logged in' },
	{ path: '/account/tweestapsverificatie', label: 'account-2fa', nl: 'Tweestapsverificatie', en: 'Two-step verification' },
	{ path: '/account/tokens', label: 'account-tokens', nl: 'Toegang voor apps', en: null },
	{ path: '/toegankelijkheid', label: 'accessibility', nl: 'Toegankelijkheid', en: 'Accessibility' },
];

let srv;
before(async () => {
	srv = await server();
});
after(async () => {
	await srv?.stop();
});

for (const variant of VARIANT_NAMES) {
	describe(`resident journey (${variant})`, () => {
		let b;
		let page;
		const journey = `resident-${variant}`;
		before(async () => {
			b = await openBrowser(variant);
			page = b.page;
		});
		after(async () => {
			await b?.close();
		});

		test('the anonymous start page links to logging in and registering', async (t) => {
			const check = deferredChecks(t, journey);
			await go(page, srv.baseURL, '/');
			assert.equal(await pageLang(page), 'nl');
			const main = page.getByRole('main');
			assert.equal(await main.getByRole('link', { name: 'Inloggen', exact: true }).getAttribute('href'), '/inloggen');
			assert.equal(await main.getByRole('link', { name: 'Account maken', exact: true }).getAttribute('href'), '/registreren');
			await check(page, 'start-anonymous');
		});

		test('the login page lists the demo accounts and works with the keyboard', async (t) => {
			const check = deferredChecks(t, journey);
			await go(page, srv.baseURL, '/inloggen');
			assert.equal(await heading1(page), 'Inloggen');
			await page.getByRole('table').getByRole('cell', { name: resident.email, exact: true }).waitFor();
			await check(page, 'login');
			const focused = await tabThrough(page);
			assertReachable(focused, [
				{ role: 'textbox', name: 'E-mailadres' },
				{ role: 'textbox', name: 'Wachtwoord' },
				{ role: 'button', name: 'Inloggen' },
				{ role: 'button', name: 'English' },
			]);
			// The e-mail field comes before the password field, and that before the button.
			const at = (role, name) => focused.findIndex((f) => f.role === role && f.name === name);
			assert.ok(at('textbox', 'E-mailadres') < at('textbox', 'Wachtwoord'), 'e-mail before password in the tab order');
			assert.ok(at('textbox', 'Wachtwoord') < at('button', 'Inloggen'), 'password before the login button');
		});

		test('logging in leads to the personal start page', async (t) => {
			const check = deferredChecks(t, journey);
			await fillLogin(page, resident.email);
			assert.equal(new URL(page.url()).pathname, '/');
			assert.equal(await heading1(page), `Welkom, ${resident.name}`);
			assert.ok((await page.getByRole('main').getByRole('link').count()) > 0, 'the start page shows tiles for the apps');
			await headerButton(page, 'Uitloggen').waitFor();

			const body = page.locator('body');
			const deadline = Date.parse(await body.getAttribute('data-idle-deadline'));
			assert.ok(Number.isFinite(deadline), 'body has an RFC 3339 data-idle-deadline');
			assert.ok(deadline > Date.now() + 10 * 60_000, 'the idle deadline is some 15 minutes away');
			assert.equal(await body.getAttribute('data-idle-warning-seconds'), '120');
			assert.equal(await page.locator('#idle-warning').getAttribute('role'), 'alertdialog');
			assert.equal(await page.locator('#idle-warning').isHidden(), true, 'the idle warning starts hidden');

			await check(page, 'start');
			const focused = await tabThrough(page);
			assertReachable(focused, [
				{ role: 'button', name: 'Uitloggen' },
				{ role: 'button', name: 'English' },
				{ role: 'link', name: 'Mijn account' },
			]);
		});

		test('the account pages show and pass the checks', async (t) => {
			const check = deferredChecks(t, journey);
			for (const p of ACCOUNT_PAGES) {
				const res = await go(page, srv.baseURL, p.path);
				assert.equal(res.status(), 200, `${p.path} answers 200`);
				assert.equal(await heading1(page), p.nl, `${p.path} heading`);
				if (p.path.startsWith('/account')) await headerButton(page, 'Uitloggen').waitFor();
				await check(page, p.label);
			}
			await go(page, srv.baseURL, '/account');
			assert.equal(await page.getByLabel('Naam', { exact: true }).inputValue(), resident.name);
			await go(page, srv.baseURL, '/account/sessies');
			const ends = page.getByRole('table').getByRole('button', { name: /^(Beëindigen|Uitloggen)\b/ });
			assert.ok((await ends.count()) >= 1, 'each session has a button to end it');
		});

		test('switching to English and back', async (t) => {
			const check = deferredChecks(t, journey);
			await go(page, srv.baseURL, '/');
			await switchLanguage(page, 'en');
			assert.equal(await heading1(page), TEXT.en.welcome(resident.name));
			await headerButton(page, 'Log out').waitFor();
			await check(page, 'start-en');
			for (const p of ACCOUNT_PAGES) {
				await go(page, srv.baseURL, p.path);
				assert.equal(await pageLang(page), 'en', `${p.path} stays in English`);
				if (p.en) assert.equal(await heading1(page), p.en, `${p.path} heading in English`);
				await check(page, `${p.label}-en`);
			}
			await go(page, srv.baseURL, '/');
			await switchLanguage(page, 'nl');
			assert.equal(await heading1(page), TEXT.nl.welcome(resident.name));
		});

		test('logging out shows the login link again', async (t) => {
			const check = deferredChecks(t, journey);
			await logOut(page, 'nl');
			await check(page, 'start-logged-out');
			const res = await go(page, srv.baseURL, '/account');
			assert.notEqual(new URL(page.url()).pathname, '/account', `/account is not shown after logging out (status ${res.status()})`);
		});

		test('the login page in English says "Log in"', async (t) => {
			const check = deferredChecks(t, journey);
			await go(page, srv.baseURL, '/inloggen');
			await switchLanguage(page, 'en');
			await page.getByRole('main').getByRole('button', { name: 'Log in', exact: true }).waitFor();
			await page.getByLabel('Email address', { exact: true }).waitFor();
			await check(page, 'login-en');
			await go(page, srv.baseURL, '/registreren');
			assert.equal(await pageLang(page), 'en');
			await check(page, 'register-en');
			await switchLanguage(page, 'nl');
			await page.getByRole('main').getByRole('button', { name: 'Account maken', exact: true }).waitFor();
		});
	});
}
