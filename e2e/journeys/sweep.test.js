// Journey 5, the sweep: every page of the site in Dutch and in English, for
// a visitor, a resident, a municipality admin and a platform admin, with
// the forms shown again after wrong input — each page through all the
// checks (axe, HTML validity, no overflow, no inline script or style).
// The other journeys cover 320 px and no-JavaScript; this one covers the
// languages and the pages they do not reach.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { openBrowser } from '../lib/browser.js';
import { deferredChecks } from '../lib/checks.js';
import { ACCOUNTS, STAFF_TOTP_SECRET, TEXT, fillLogin, go, heading1, logOut, pageLang, submitAndWait, switchLanguage } from '../lib/demo.js';
import { server } from '../lib/server.js';
import { totp } from '../lib/totp.js';

const PUBLIC_PAGES = ['/', '/inloggen', '/registreren', '/wachtwoord-vergeten', '/toegankelijkheid', '/beveiliging', '/demo/outbox', '/sessie/verlopen', '/bestaat-niet', '/aanbod', '/aanbod?q=hulp'];
const RESIDENT_PAGES = ['/', '/account', '/account/wachtwoord', '/account/sessies', '/account/tweestapsverificatie', '/account/tokens', '/sessie/verloopt', '/beheer/gemeenten',
	'/verhaal', '/verhaal/bewerken', '/verhaal/versies', '/verhaal/afdrukken', '/delen', '/delen/nieuw', '/machtigingen', '/machtigingen/nieuw', '/wie-keek-mee', '/account/gegevens', '/account/verwijderen'];

let srv;
before(async () => {
	srv = await server();
});
after(async () => {
	await srv?.stop();
});

// visitAll opens each path and checks it, in the page's current language.
async function visitAll(page, check, lang, paths, who) {
	for (const path of paths) {
		await go(page, srv.baseURL, path);
		assert.equal(await pageLang(page), lang, `${path} is in ${lang}`);
		await check(page, `${who}-${lang}${path.replaceAll(/[/?=&]/g, '_') || '_'}`);
	}
}

// submitEmpty posts the first form in main with nothing filled in and
// checks the page that shows the messages.
async function submitEmpty(page, check, label) {
	const main = page.getByRole('main');
	const button = main.locator('form.ic-form button[type=submit]').last();
	await submitAndWait(page, button);
	assert.ok((await page.locator('[aria-invalid="true"]').count()) > 0, `${label}: fields are marked invalid`);
	await check(page, label);
}

// logInStaff logs a staff member in with the current code; each person may
// use a code once, and every person here logs in once.
async function logInStaff(page, email) {
	await go(page, srv.baseURL, '/inloggen');
	await fillLogin(page, email, undefined, await pageLang(page));
	await page.getByLabel(TEXT[await pageLang(page)].code).fill(totp(STAFF_TOTP_SECRET));
	await submitAndWait(page, page.getByRole('main').getByRole('button', { name: TEXT[await pageLang(page)].check, exact: true }));
	assert.equal(new URL(page.url()).pathname, '/');
}

describe('sweep of every page in Dutch and English', () => {
	let b;
	let page;
	before(async () => {
		b = await openBrowser('default');
		page = b.page;
	});
	after(async () => {
		await b?.close();
	});

	test('public pages and forms', async (t) => {
		const check = deferredChecks(t, 'sweep');
		for (const lang of ['nl', 'en']) {
			await go(page, srv.baseURL, '/');
			if ((await pageLang(page)) !== lang) await switchLanguage(page, lang);
			await visitAll(page, check, lang, PUBLIC_PAGES, 'visitor');
			// One offering page: the first result of a search (ids differ per run).
			await go(page, srv.baseURL, '/aanbod?q=hulp');
			const offering = await page.locator('ol.ic-results a').first().getAttribute('href');
			assert.match(offering ?? '', /^\/aanbod\/[^/]+$/, 'a search result links to an offering');
			await visitAll(page, check, lang, [offering], 'visitor');
			for (const path of ['/registreren', '/wachtwoord-vergeten', '/inloggen']) {
				await go(page, srv.baseURL, path);
				await submitEmpty(page, check, `visitor-${lang}${path.replaceAll('/', '_')}-errors`);
			}
		}
		await switchLanguage(page, 'nl');
	});

	test('resident pages', async (t) => {
		const check = deferredChecks(t, 'sweep');
		await go(page, srv.baseURL, '/inloggen');
		await fillLogin(page, ACCOUNTS.resident.email);
		assert.equal(await heading1(page), `Welkom, ${ACCOUNTS.resident.name}`);
		for (const lang of ['nl', 'en']) {
			if ((await pageLang(page)) !== lang) await switchLanguage(page, lang);
			await visitAll(page, check, lang, RESIDENT_PAGES, 'resident');
			await go(page, srv.baseURL, '/account/wachtwoord');
			await submitEmpty(page, check, `resident-${lang}-password-errors`);
			await go(page, srv.baseURL, '/delen/nieuw');
			await submitEmpty(page, check, `resident-${lang}-share-errors`);
			await go(page, srv.baseURL, '/account/verwijderen');
			await submitEmpty(page, check, `resident-${lang}-erase-errors`);
		}
		await switchLanguage(page, 'nl');
		await logOut(page);
	});

	test('municipality admin: staff page and its form', async (t) => {
		const check = deferredChecks(t, 'sweep');
		await logInStaff(page, ACCOUNTS.tenantAdmin.email);
		for (const lang of ['nl', 'en']) {
			if ((await pageLang(page)) !== lang) await switchLanguage(page, lang);
			await visitAll(page, check, lang, ['/', '/beheer/medewerkers'], 'tenant-admin');
			await submitEmpty(page, check, `tenant-admin-${lang}-staff-errors`);
		}
		await switchLanguage(page, 'nl');
		await logOut(page);
	});

	test('platform admin: municipalities page and its form', async (t) => {
		const check = deferredChecks(t, 'sweep');
		await logInStaff(page, ACCOUNTS.platformAdmin.email);
		for (const lang of ['nl', 'en']) {
			if ((await pageLang(page)) !== lang) await switchLanguage(page, lang);
			await visitAll(page, check, lang, ['/', '/beheer/gemeenten', '/beheer/medewerkers'], 'platform-admin');
			await go(page, srv.baseURL, '/beheer/gemeenten');
			await submitEmpty(page, check, `platform-admin-${lang}-municipality-errors`);
		}
		await switchLanguage(page, 'nl');
		await logOut(page);
	});
});
