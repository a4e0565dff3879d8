// Journey 3, bad input: the registration form keeps what was typed and
// shows a message at each wrong field, and creates nothing; the login form
// with a wrong password shows an alert and keeps the e-mail address.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { openBrowser, VARIANT_NAMES } from '../lib/browser.js';
import { deferredChecks } from '../lib/checks.js';
import { ACCOUNTS, fieldError, fillLogin, go, heading1, submitAndWait } from '../lib/demo.js';
import { server } from '../lib/server.js';

let srv;
before(async () => {
	srv = await server();
});
after(async () => {
	await srv?.stop();
});

for (const variant of VARIANT_NAMES) {
	describe(`bad input journey (${variant})`, () => {
		let b;
		let page;
		const journey = `bad-input-${variant}`;
		before(async () => {
			b = await openBrowser(variant);
			page = b.page;
		});
		after(async () => {
			await b?.close();
		});

		const form = () => {
			const main = page.getByRole('main');
			return {
				name: main.getByLabel('Naam', { exact: true }),
				email: main.getByLabel('E-mailadres', { exact: true }),
				// The registration form labels it "Nieuw wachtwoord".
				password: main.getByLabel(/wachtwoord/i),
				municipality: main.getByLabel('Gemeente', { exact: true }),
				submit: main.getByRole('button', { name: 'Account maken', exact: true }),
			};
		};

		test('registering with a bad e-mail address and a short password', async (t) => {
			const check = deferredChecks(t, journey);
			await go(page, srv.baseURL, '/registreren');
			assert.equal(await heading1(page), 'Account maken');
			await check(page, 'register');
			const f = form();
			assert.equal(await f.municipality.evaluate((el) => el.tagName), 'SELECT');
			assert.ok((await f.municipality.locator('option').count()) >= 1, 'the municipality list has options');
			await f.name.fill('Test Persoon');
			await f.email.fill('geen-e-mailadres');
			await f.password.fill('kort');
			await submitAndWait(page, f.submit);

			const g = form();
			assert.equal(await g.name.inputValue(), 'Test Persoon', 'the name is kept');
			assert.equal(await g.email.inputValue(), 'geen-e-mailadres', 'the e-mail address is kept');
			assert.equal(await g.password.inputValue(), '', 'the password is not sent back');
			assert.match(await fieldError(g.email), /Dit is geen goed e-mailadres/);
			assert.match(await fieldError(g.password), /Je wachtwoord is te kort/);
			assert.equal(await g.name.getAttribute('aria-invalid'), null, 'the name is not marked wrong');
			const summary = page.getByRole('alert');
			assert.ok((await summary.count()) >= 1, 'an error summary with role alert');
			await check(page, 'register-errors');
		});

		test('a good address with a short password creates no account', async (t) => {
			const check = deferredChecks(t, journey);
			const email = `nieuw-${variant}@voorbeeld.nl`;
			await go(page, srv.baseURL, '/registreren');
			const f = form();
			await f.name.fill('Nieuwe Persoon');
			await f.email.fill(email);
			await f.password.fill('kort');
			await submitAndWait(page, f.submit);
			assert.match(await fieldError(form().password), /Je wachtwoord is te kort/);
			assert.equal(await form().email.getAttribute('aria-invalid'), null, 'the good e-mail address is not marked wrong');
			await check(page, 'register-short-password');
			// No account means no confirmation mail in the demo outbox.
			await go(page, srv.baseURL, '/demo/outbox');
			assert.doesNotMatch(await page.locator('body').innerText(), new RegExp(email.replace(/[.]/g, '\\.')));
			await check(page, 'outbox');
		});

		test('logging in with a wrong password shows an alert and keeps the e-mail address', async (t) => {
			const check = deferredChecks(t, journey);
			// The moderator's account: three wrong passwords stay below the lock-out.
			const email = ACCOUNTS.moderator.email;
			await go(page, srv.baseURL, '/inloggen');
			await fillLogin(page, email, 'niet-het-goede-wachtwoord');
			assert.equal(new URL(page.url()).pathname, '/inloggen');
			const alert = page.getByRole('main').getByRole('alert');
			await alert.waitFor();
			assert.match(await alert.getAttribute('class'), /\butrecht-alert\b/);
			assert.match(await alert.innerText(), /Inloggen lukt niet/);
			assert.equal(await page.getByLabel('E-mailadres', { exact: true }).inputValue(), email);
			assert.equal(await page.getByLabel('Wachtwoord', { exact: true }).inputValue(), '', 'the password is not sent back');
			await check(page, 'login-wrong');
		});
	});
}
