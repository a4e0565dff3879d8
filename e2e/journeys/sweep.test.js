// Journey 5, the sweep: every page of the site in Dutch and in English, for
// a visitor, a resident, a provider admin, a moderator, a municipality
// admin and a platform admin, with the forms shown again after wrong input
// — each page through all the checks (axe, HTML validity, no overflow, no
// inline script or style).
// The other journeys cover 320 px and no-JavaScript; this one covers the
// languages and the pages they do not reach.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { openBrowser } from '../lib/browser.js';
import { deferredChecks } from '../lib/checks.js';
import { ACCOUNTS, STAFF_TOTP_SECRET, TEXT, fillLogin, go, heading1, logOut, pageLang, submitAndWait, switchLanguage } from '../lib/demo.js';
import { server } from '../lib/server.js';
import { freshTotp } from '../lib/totp.js';

const PUBLIC_PAGES = ['/', '/inloggen', '/registreren', '/wachtwoord-vergeten', '/toegankelijkheid', '/beveiliging', '/demo/outbox', '/sessie/verlopen', '/bestaat-niet', '/aanbod', '/aanbod?q=hulp',
	'/aanbod?q=huishoudelijke+hulp&cost_type%5B%5D=tailored_via_municipality&wheelchair=1&sort=rating', '/aanbod?q=zzzqqq', '/aanbod?postcode=3441&distance=5'];
const RESIDENT_PAGES = ['/', '/account', '/account/wachtwoord', '/account/sessies', '/account/tweestapsverificatie', '/account/tokens', '/sessie/verloopt', '/beheer/gemeenten',
	'/verhaal', '/verhaal/bewerken', '/verhaal/versies', '/verhaal/afdrukken', '/delen', '/delen/nieuw', '/machtigingen', '/machtigingen/nieuw', '/wie-keek-mee', '/account/gegevens', '/account/verwijderen',
	'/aanvragen', '/beoordelingen'];
// The marketplace pages of each staff role (issue 7); pages with an id in
// their address are found on these.
const PROVIDER_PAGES = ['/', '/aanbieder', '/aanbieder/aanvragen', '/aanbieder/aanvragen?status=sent', '/aanbieder/aanvragen?status=geen', '/aanbieder/beoordelingen'];
const TENANT_MARKET_PAGES = ['/beheer/aanbod', '/beheer/categorieen', '/beheer/aanbod/uitwisselen'];
const MODERATOR_PAGES = ['/', '/beheer/beoordelingen'];

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

// hrefs lists the distinct links in main whose address starts with
// prefix, on the page at path, in the order of the page.
async function hrefs(page, path, prefix) {
	await go(page, srv.baseURL, path);
	const all = await page.getByRole('main').locator(`a[href^="${prefix}"]`).evaluateAll((as) => as.map((a) => a.getAttribute('href')));
	return [...new Set(all)];
}

// submitWith posts a form of the page with the given submit button, as
// it is, and checks the page that shows the messages.
async function submitWith(page, check, button, label) {
	await submitAndWait(page, button);
	assert.ok((await page.locator('[aria-invalid="true"]').count()) > 0, `${label}: fields are marked invalid`);
	await check(page, label);
}

// logInStaff logs a staff member in with a code the server has not seen
// yet (the journeys before this one used codes of the same people).
async function logInStaff(page, email) {
	await go(page, srv.baseURL, '/inloggen');
	await fillLogin(page, email, undefined, await pageLang(page));
	await page.getByLabel(TEXT[await pageLang(page)].code).fill(await freshTotp(STAFF_TOTP_SECRET));
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
		// The marketplace pages with an id: a request of hers, the request
		// form of an offering, and the review form of a delivered request
		// she has not reviewed yet (the demo seeds one).
		const requests = await hrefs(page, '/aanvragen', '/aanvragen/');
		assert.ok(requests.length > 0, 'the resident has requests (the demo seeds two)');
		const offering = (await hrefs(page, '/aanbod?q=hulp', '/aanbod/'))[0];
		assert.ok(offering, 'a search result links to an offering');
		let reviewForm;
		for (const r of requests) {
			const res = await page.request.get(`${srv.baseURL}${r}/beoordelen`);
			if (res.status() === 200) {
				reviewForm = `${r}/beoordelen`;
				break;
			}
		}
		assert.ok(reviewForm, 'a delivered request waits for a review (the demo seeds one)');
		const marketPages = [requests[0], `${offering}/aanvragen`, reviewForm];
		for (const lang of ['nl', 'en']) {
			if ((await pageLang(page)) !== lang) await switchLanguage(page, lang);
			await visitAll(page, check, lang, [...RESIDENT_PAGES, ...marketPages], 'resident');
			await go(page, srv.baseURL, `${offering}/aanvragen`);
			await submitEmpty(page, check, `resident-${lang}-request-errors`);
			await go(page, srv.baseURL, reviewForm);
			await submitEmpty(page, check, `resident-${lang}-review-errors`);
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

	test('provider admin: portal, requests and reviews', async (t) => {
		const check = deferredChecks(t, 'sweep');
		await logInStaff(page, ACCOUNTS.providerAdmin.email);
		const portal = await hrefs(page, '/aanbieder', '/aanbieder/');
		const details = portal.filter((h) => h.startsWith('/aanbieder/gegevens/'));
		const offerings = portal.filter((h) => h.startsWith('/aanbieder/aanbod/') && !h.startsWith('/aanbieder/aanbod/nieuw'));
		assert.ok(details.length > 0 && offerings.length > 0, 'the portal links to the provider details and the offerings');
		const newOffering = await page.getByRole('main').locator('a[href^="/aanbieder/aanbod/nieuw"]').first().getAttribute('href');
		const waiting = await hrefs(page, '/aanbieder/aanvragen?status=sent', '/aanbieder/aanvragen/');
		const all = await hrefs(page, '/aanbieder/aanvragen', '/aanbieder/aanvragen/');
		assert.ok(all.length > 0, 'the provider has requests (the demo seeds two)');
		assert.ok(waiting.length > 0, 'a request waits for an answer (the demo seeds one)');
		const pages = [...PROVIDER_PAGES, details[0], offerings[0], newOffering, all[all.length - 1], waiting[0]];
		for (const lang of ['nl', 'en']) {
			if ((await pageLang(page)) !== lang) await switchLanguage(page, lang);
			await visitAll(page, check, lang, pages, 'provider-admin');
			await go(page, srv.baseURL, newOffering);
			await submitWith(page, check, page.getByRole('main').locator('form.ic-form button[value=submit]'), `provider-admin-${lang}-offering-errors`);
			// Declining without a reason: a message, nothing changes.
			await go(page, srv.baseURL, waiting[0]);
			await submitWith(page, check, page.getByRole('main').locator('form[action$="/afwijzen"] button[type=submit]'), `provider-admin-${lang}-decline-errors`);
		}
		await switchLanguage(page, 'nl');
		await logOut(page);
	});

	test('moderator: the review queue', async (t) => {
		const check = deferredChecks(t, 'sweep');
		await logInStaff(page, ACCOUNTS.moderator.email);
		for (const lang of ['nl', 'en']) {
			if ((await pageLang(page)) !== lang) await switchLanguage(page, lang);
			await visitAll(page, check, lang, MODERATOR_PAGES, 'moderator');
			// Refusing a text without a house rule, when one waits: a
			// message at that text, nothing decided.
			const refuse = page.getByRole('main').locator('form[action^="/beheer/beoordelingen/"] input[name=decision][value=refuse]');
			if ((await refuse.count()) > 0) {
				await submitWith(page, check, refuse.first().locator('xpath=..').locator('button[type=submit]'), `moderator-${lang}-refuse-errors`);
			}
		}
		await switchLanguage(page, 'nl');
		await logOut(page);
	});

	test('municipality admin: staff page and its form', async (t) => {
		const check = deferredChecks(t, 'sweep');
		await logInStaff(page, ACCOUNTS.tenantAdmin.email);
		// The marketplace pages with an id: an offering awaiting approval
		// (the demo seeds some) and a category.
		const queue = await hrefs(page, '/beheer/aanbod', '/beheer/aanbod/');
		const pending = queue.filter((h) => /^\/beheer\/aanbod\/[^/?.]+$/.test(h) && h !== '/beheer/aanbod/uitwisselen');
		const categories = await hrefs(page, '/beheer/categorieen', '/beheer/categorieen/');
		assert.ok(categories.length > 0, 'the category tree links to its categories');
		assert.ok(pending.length > 0, 'offerings await approval (the demo seeds two)');
		const market = [...TENANT_MARKET_PAGES, categories[0], pending[0]];
		for (const lang of ['nl', 'en']) {
			if ((await pageLang(page)) !== lang) await switchLanguage(page, lang);
			await visitAll(page, check, lang, ['/', '/beheer/medewerkers'], 'tenant-admin');
			await submitEmpty(page, check, `tenant-admin-${lang}-staff-errors`);
			await visitAll(page, check, lang, market, 'tenant-admin');
			await go(page, srv.baseURL, '/beheer/categorieen');
			await submitEmpty(page, check, `tenant-admin-${lang}-category-errors`);
			await go(page, srv.baseURL, '/beheer/aanbod/uitwisselen');
			await submitEmpty(page, check, `tenant-admin-${lang}-import-errors`);
			// Refusing a change without a reason: a message, nothing changes.
			await go(page, srv.baseURL, pending[0]);
			await submitWith(page, check, page.getByRole('main').locator('form[action$="/afwijzen"] button[type=submit]'), `tenant-admin-${lang}-refuse-errors`);
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
