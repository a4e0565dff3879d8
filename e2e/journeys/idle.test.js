// Journey 4, the idle warning. With JavaScript: a fake clock jumps 13.5
// minutes ahead, the warning appears and takes the focus, and "Ingelogd
// blijven" hides it and keeps the person logged in. Without JavaScript (and
// in every context): GET /sessie/verloopt shows the warning page, whose
// button is a plain form post back to the start page, still logged in.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { openBrowser, VARIANT_NAMES } from '../lib/browser.js';
import { deferredChecks } from '../lib/checks.js';
import { ACCOUNTS, go, headerButton, heading1, logIn, logOut, submitAndWait } from '../lib/demo.js';
import { assertReachable, tabThrough } from '../lib/keyboard.js';
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
	describe(`idle warning journey (${variant})`, () => {
		let b;
		let page;
		const journey = `idle-${variant}`;
		before(async () => {
			b = await openBrowser(variant);
			page = b.page;
			if (b.javaScript) {
				// Fake timers and Date from the first page on; time stands
				// still until the test moves it.
				await page.clock.install();
			}
			await logIn(page, srv.baseURL, resident.email);
			assert.equal(await heading1(page), `Welkom, ${resident.name}`);
		});
		after(async () => {
			await b?.close();
		});

		if (variant !== 'nojs') {
			test('with JavaScript the warning appears, takes focus, and "Ingelogd blijven" keeps the session', async (t) => {
				const check = deferredChecks(t, journey);
				await go(page, srv.baseURL, '/account');
				const warning = page.locator('#idle-warning');
				assert.equal(await warning.isHidden(), true, 'no warning right after loading');
				const body = page.locator('body');
				const before = Date.parse(await body.getAttribute('data-idle-deadline'));

				// 13.5 minutes without activity: 1.5 minutes before the deadline.
				await page.clock.fastForward('13:30');
				await warning.waitFor({ state: 'visible' });
				assert.equal(await warning.getAttribute('role'), 'alertdialog');
				const focusInside = await warning.evaluate((el) => el.contains(document.activeElement) && document.activeElement !== document.body);
				assert.ok(focusInside, 'the warning has the focus');
				assert.equal(await page.getByRole('alertdialog').getByRole('heading').innerText(), 'Je wordt bijna uitgelogd');
				await check(page, 'warning-js');

				// The server never moved its clock: bring the page's clock back to
				// real time, so that the new deadline it gets is read as the
				// server meant it.
				await page.clock.setSystemTime(Date.now());
				const stay = page.getByRole('alertdialog').getByRole('button', { name: 'Ingelogd blijven', exact: true });
				await stay.click();
				await warning.waitFor({ state: 'hidden' });
				assert.equal(new URL(page.url()).pathname, '/account', 'the person stays on the page');
				const extended = Date.parse(await body.getAttribute('data-idle-deadline'));
				assert.ok(extended >= before, `the deadline moved on (${new Date(before).toISOString()} → ${new Date(extended).toISOString()})`);

				await go(page, srv.baseURL, '/');
				assert.equal(await heading1(page), `Welkom, ${resident.name}`, 'still logged in');
				await check(page, 'after-stay-js');
			});
		} else {
			test('without JavaScript every page tells when the session ends and offers the stay button', async (t) => {
				const check = deferredChecks(t, journey);
				await go(page, srv.baseURL, '/account');
				assert.equal(await page.locator('#idle-warning').isHidden(), true, 'the script-driven warning stays hidden');
				const note = page.getByRole('main').locator('.ic-session-note');
				assert.match(await note.innerText(), /ingelogd tot \d{2}:\d{2}/, 'the note names the time the session ends');
				await submitAndWait(page, note.getByRole('button', { name: 'Ingelogd blijven', exact: true }));
				assert.equal(new URL(page.url()).pathname, '/account', 'back on the same page');
				assert.equal(await heading1(page), 'Mijn account', 'still logged in');
				await check(page, 'session-note');
			});
		}

		test('the warning page works as a plain form', async (t) => {
			const check = deferredChecks(t, journey);
			await go(page, srv.baseURL, '/sessie/verloopt');
			assert.equal(await heading1(page), 'Je wordt bijna uitgelogd');
			await check(page, 'warning-page');
			const focused = await tabThrough(page);
			assertReachable(focused, [{ role: 'button', name: 'Ingelogd blijven' }]);
			await submitAndWait(page, page.getByRole('main').getByRole('button', { name: 'Ingelogd blijven', exact: true }));
			assert.equal(new URL(page.url()).pathname, '/', 'back on the start page');
			assert.equal(await heading1(page), `Welkom, ${resident.name}`, 'still logged in');
			await headerButton(page, 'Uitloggen').waitFor();
			await check(page, 'after-stay');
			await logOut(page);
		});
	});
}
