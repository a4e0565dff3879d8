// Journey: Marktplaats and Waarderen. A visitor searches the marketplace
// with a Dutch word form and filters, opens an offering of the demo
// provider, is asked to log in to request it, logs in as the resident (Anna
// de Vries) and requests it with a message (first without one: the message
// shows next to the field); the provider admin (password and second
// factor) accepts the request and marks it delivered; the resident sees it
// delivered and rates it with a pseudonym (first without one); the
// moderator tries to refuse the review without a house rule, sees why next
// to the field, and approves it; an anonymous visitor sees the rating on
// the offering page. In the default (1280 px), narrow (320 px) and
// no-JavaScript contexts, every page through checkPage.
//
// The journeys share one server: each variant makes its own request and
// review, recognised by a token of its own, and compares the offering's
// counts with what it read before, so the variants (and a second run
// against the same server) do not depend on each other.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { openBrowser, VARIANT_NAMES } from '../lib/browser.js';
import { deferredChecks } from '../lib/checks.js';
import { ACCOUNTS, MARKET, fieldError, fillLogin, go, groupError, heading1, logInStaff, logOut, pageLang, submitAndWait, switchLanguage } from '../lib/demo.js';
import { server } from '../lib/server.js';

const resident = ACCOUNTS.resident;

let srv;
before(async () => {
	srv = await server();
});
after(async () => {
	await srv?.stop();
});

// token is a few letters (no digits: a pseudonym may not hold five in a
// row, nor the author's name) that tell this variant's texts apart.
function token() {
	const letters = 'bcfghjkmpqtwxz';
	let s = '';
	for (let i = 0; i < 6; i++) s += letters[Math.floor(Math.random() * letters.length)];
	return s;
}

// dutch switches to Dutch when the person's saved language is English
// (another journey may have left it so); the journey reads Dutch texts.
async function dutch(page) {
	if ((await pageLang(page)) !== 'nl') await switchLanguage(page, 'nl');
}

// rating reads the reviews section of an offering page: how many reviews
// count, and how many gave four stars.
async function rating(page) {
	const section = page.getByRole('region', { name: 'Beoordelingen', exact: true });
	await section.waitFor();
	const text = await section.innerText();
	if (text.includes('Deze hulp heeft nog geen beoordelingen.')) return { count: 0, four: 0, section };
	const m = text.match(/uit (\d+) beoordeling(en)?\./);
	assert.ok(m, `the reviews section states how many reviews count: ${text.slice(0, 200)}`);
	const row = section.getByRole('table', { name: 'Hoeveel beoordelingen gaven elk aantal sterren' })
		.getByRole('row').filter({ has: page.getByRole('rowheader', { name: '4 sterren: goed', exact: true }) });
	const four = Number((await row.getByRole('cell').first().innerText()).trim());
	return { count: Number(m[1]), four, section };
}

for (const variant of VARIANT_NAMES) {
	describe(`market journey (${variant})`, () => {
		let anna;
		let staff;
		let visitor;
		const journey = `market-${variant}`;
		const tok = token();
		const message = `Ik kan sinds kort niet meer goed stofzuigen (${variant} ${tok}).`;
		const reviewText = `Vriendelijke hulp die altijd op tijd kwam (${variant} ${tok}).`;
		const pseudonym = `Fietser ${tok}`;
		let offeringPath; // /aanbod/{id}
		let requestPath; // /aanvragen/{id}
		let requestID;
		let before0; // the offering's reviews before this variant

		before(async () => {
			anna = await openBrowser(variant);
			staff = await openBrowser(variant);
		});
		after(async () => {
			await anna?.close();
			await staff?.close();
			await visitor?.close();
		});

		test('a visitor searches with a word form and filters, and opens the offering', async (t) => {
			const check = deferredChecks(t, journey);
			const page = anna.page;
			await go(page, srv.baseURL, '/');
			await check(page, 'home-visitor');
			await submitAndWait(page, page.getByRole('main').getByRole('link', { name: /^Hulp zoeken/ }).first());
			assert.equal(new URL(page.url()).pathname, '/aanbod');
			assert.equal(await heading1(page), 'Hulp zoeken');
			await check(page, 'search');

			const form = page.getByRole('search', { name: 'Aanbod zoeken' });
			await form.getByLabel('Waar zoek je hulp bij?', { exact: true }).fill(MARKET.query);
			await submitAndWait(page, form.getByRole('button', { name: 'Zoeken', exact: true }));
			const results = page.getByRole('region', { name: 'Resultaten', exact: true });
			const hit = results.getByRole('link', { name: MARKET.offering, exact: true });
			assert.equal(await hit.count(), 1, `"${MARKET.query}" finds "${MARKET.offering}"`);
			const all = await results.getByRole('listitem').count();
			await check(page, 'search-results');

			// The filters: the category, the cost type and wheelchair access.
			const category = form.getByLabel('Onderwerp', { exact: true });
			const value = await category.locator('option').evaluateAll(
				(opts, name) => opts.find((o) => o.textContent.replace(/^[\s–-]+/, '').trim() === name)?.value, MARKET.category);
			assert.ok(value, `the category ${MARKET.category} can be chosen`);
			await category.selectOption(value);
			await form.getByRole('group', { name: 'Kosten', exact: true }).getByLabel(MARKET.costType, { exact: true }).check();
			await form.getByLabel('Rolstoeltoegankelijk', { exact: true }).check();
			await submitAndWait(page, form.getByRole('button', { name: 'Zoeken', exact: true }));
			const url = new URL(page.url());
			assert.equal(url.searchParams.get('category'), value, 'the category is in the address');
			assert.equal(url.searchParams.get('wheelchair'), '1', 'wheelchair access is in the address');
			assert.ok(url.searchParams.getAll('cost_type[]').includes('tailored_via_municipality'), 'the cost type is in the address');
			// The form keeps the choices, and the offering is still found.
			assert.equal(await form.getByLabel('Waar zoek je hulp bij?', { exact: true }).inputValue(), MARKET.query);
			assert.equal(await category.inputValue(), value);
			assert.ok(await form.getByLabel(MARKET.costType, { exact: true }).isChecked());
			assert.ok(await form.getByLabel('Rolstoeltoegankelijk', { exact: true }).isChecked());
			const filtered = await results.getByRole('listitem').count();
			assert.ok(filtered >= 1 && filtered <= all, `the filters narrow the results (${all} → ${filtered})`);
			for (let i = 0; i < filtered; i++) {
				const text = await results.getByRole('listitem').nth(i).innerText();
				assert.ok(text.includes(MARKET.costType), `every result is "${MARKET.costType}"`);
			}
			await check(page, 'search-filtered');

			await submitAndWait(page, results.getByRole('link', { name: MARKET.offering, exact: true }));
			offeringPath = new URL(page.url()).pathname;
			assert.match(offeringPath, /^\/aanbod\/[^/]+$/);
			assert.equal(await heading1(page), MARKET.offering);
			assert.ok((await page.getByRole('main').innerText()).includes(MARKET.provider), 'the offering names its provider');
			before0 = await rating(page);
			await check(page, 'offering');
		});

		test('requesting asks to log in; the resident requests the offering with a message', async (t) => {
			const check = deferredChecks(t, journey);
			const page = anna.page;
			await submitAndWait(page, page.getByRole('main').getByRole('link', { name: 'Log in om aan te vragen', exact: true }));
			assert.equal(new URL(page.url()).pathname, '/inloggen');
			await check(page, 'login');
			await fillLogin(page, resident.email);
			await dutch(page);
			assert.equal(new URL(page.url()).pathname, `${offeringPath}/aanvragen`, 'after logging in the request form opens');
			assert.equal(await heading1(page), `${MARKET.offering} aanvragen`);
			await check(page, 'request-new');

			// Without a message: the message shows next to the field.
			const main = page.getByRole('main');
			const field = main.getByLabel('Je bericht', { exact: true });
			await submitAndWait(page, main.getByRole('button', { name: 'Aanvraag versturen', exact: true }));
			assert.equal(new URL(page.url()).pathname, `${offeringPath}/aanvragen`);
			assert.ok((await fieldError(field)).includes('Schrijf kort waarvoor je hulp wilt.'), 'the message is asked for next to the field');
			await check(page, 'request-new-error');

			await field.fill(message);
			await submitAndWait(page, main.getByRole('button', { name: 'Aanvraag versturen', exact: true }));
			requestPath = new URL(page.url()).pathname;
			assert.match(requestPath, /^\/aanvragen\/[^/]+$/);
			requestID = requestPath.split('/').pop();
			await page.getByRole('status').filter({ hasText: 'Je aanvraag is verstuurd.' }).waitFor();
			assert.equal(await heading1(page), `Aanvraag: ${MARKET.offering}`);
			const text = await page.getByRole('main').innerText();
			assert.ok(text.includes('Stand: Verstuurd'), 'the request is sent');
			assert.ok(text.includes(message), 'the message shows');
			await check(page, 'request-sent');

			await go(page, srv.baseURL, '/');
			await check(page, 'home-resident');
			await submitAndWait(page, page.getByRole('main').getByRole('link', { name: /^Mijn aanvragen/ }));
			assert.equal(await heading1(page), 'Mijn aanvragen');
			const row = page.getByRole('table', { name: 'Je aanvragen, de nieuwste eerst' }).getByRole('row')
				.filter({ has: page.locator(`a[href="${requestPath}"]`) });
			assert.equal(await row.count(), 1, 'the new request is listed');
			const rowText = await row.innerText();
			assert.ok(rowText.includes(MARKET.offering) && rowText.includes(MARKET.provider) && rowText.includes('Verstuurd'), `the row: ${rowText}`);
			await check(page, 'requests');
		});

		test('the provider admin accepts the request and marks it delivered', async (t) => {
			const check = deferredChecks(t, journey);
			const page = staff.page;
			await logInStaff(page, srv.baseURL, ACCOUNTS.providerAdmin.email);
			await dutch(page);
			await check(page, 'home-provider');
			await submitAndWait(page, page.getByRole('main').getByRole('link', { name: /^Aanvragen voor ons aanbod/ }));
			assert.equal(new URL(page.url()).pathname, '/aanbieder/aanvragen');
			assert.equal(await heading1(page), 'Aanvragen');
			await check(page, 'provider-requests');

			// Only the requests that wait for an answer.
			await page.getByRole('main').getByLabel('Stand', { exact: true }).selectOption({ label: 'Verstuurd' });
			await submitAndWait(page, page.getByRole('main').getByRole('button', { name: 'Toon', exact: true }));
			assert.equal(new URL(page.url()).searchParams.get('status'), 'sent');
			const table = page.getByRole('table', { name: `Aanvragen voor ${MARKET.provider}` });
			const row = table.getByRole('row').filter({ has: page.locator(`a[href="/aanbieder/aanvragen/${requestID}"]`) });
			assert.equal(await row.count(), 1, 'the resident\'s request is listed');
			const rowText = await row.innerText();
			assert.ok(rowText.includes(resident.name) && rowText.includes('Verstuurd'), `the row: ${rowText}`);
			await check(page, 'provider-requests-sent');

			await submitAndWait(page, row.getByRole('link', { name: MARKET.offering, exact: true }));
			assert.equal(new URL(page.url()).pathname, `/aanbieder/aanvragen/${requestID}`);
			let text = await page.getByRole('main').innerText();
			assert.ok(text.includes(message), 'the provider reads the message');
			assert.ok(text.includes(resident.name), 'the provider sees who asked');
			await check(page, 'provider-request');

			await submitAndWait(page, page.getByRole('main').getByRole('button', { name: 'Aanvraag aannemen', exact: true }));
			await page.getByRole('status').filter({ hasText: 'Je hebt de aanvraag aangenomen.' }).waitFor();
			text = await page.getByRole('main').innerText();
			assert.ok(text.includes('Stand: Aangenomen'), 'the request is accepted');
			await check(page, 'provider-request-accepted');

			await submitAndWait(page, page.getByRole('main').getByRole('button', { name: 'Op geleverd zetten', exact: true }));
			await page.getByRole('status').filter({ hasText: 'De aanvraag staat op geleverd.' }).waitFor();
			text = await page.getByRole('main').innerText();
			assert.ok(text.includes('Stand: Geleverd'), 'the request is delivered');
			assert.equal(await page.getByRole('main').getByRole('button', { name: 'Op geleverd zetten' }).count(), 0, 'nothing more to deliver');
			await check(page, 'provider-request-delivered');
			await logOut(page);
		});

		test('the resident sees it delivered and rates it', async (t) => {
			const check = deferredChecks(t, journey);
			const page = anna.page;
			await go(page, srv.baseURL, '/aanvragen');
			const row = page.getByRole('table', { name: 'Je aanvragen, de nieuwste eerst' }).getByRole('row')
				.filter({ has: page.locator(`a[href="${requestPath}"]`) });
			assert.ok((await row.innerText()).includes('Geleverd'), 'the list says delivered');
			await check(page, 'requests-delivered');
			await submitAndWait(page, row.getByRole('link', { name: MARKET.offering, exact: true }));
			const text = await page.getByRole('main').innerText();
			assert.ok(text.includes('Stand: Geleverd'), 'the request says delivered');
			assert.ok(text.includes(`${MARKET.provider} heeft de aanvraag op geleverd gezet.`), 'the timeline names the provider');
			await check(page, 'request-delivered');

			await submitAndWait(page, page.getByRole('main').getByRole('link', { name: 'Beoordeel deze hulp', exact: true }));
			assert.equal(new URL(page.url()).pathname, `${requestPath}/beoordelen`);
			assert.equal(await heading1(page), 'Hulp beoordelen');
			await check(page, 'review-new');

			const main = page.getByRole('main');
			const score = (group, stars) => main.getByRole('group', { name: group, exact: true }).getByRole('radio', { name: stars, exact: true }).check();
			await score('Je cijfer voor deze hulp', '4 sterren: goed');
			await score('Informatie', '5 sterren: heel goed');
			await score('Bejegening', '4 sterren: goed');
			await score('Resultaat', '4 sterren: goed');
			await main.getByRole('radio', { name: 'Ja, ik zou deze hulp aanraden', exact: true }).check();
			await main.getByLabel('Je ervaring', { exact: true }).fill(reviewText);
			await main.getByRole('radio', { name: 'Met een schuilnaam', exact: true }).check();
			// A pseudonym chosen but not filled in: the message shows next to
			// the field, the rest is kept.
			const pseudo = main.getByLabel('Schuilnaam (alleen als je daarvoor kiest)', { exact: true });
			await submitAndWait(page, main.getByRole('button', { name: 'Beoordeling versturen', exact: true }));
			assert.equal(new URL(page.url()).pathname, `${requestPath}/beoordelen`);
			assert.ok((await fieldError(pseudo)).includes('Vul een schuilnaam in, of kies voor anoniem.'), 'the pseudonym is asked for next to the field');
			assert.equal(await main.getByLabel('Je ervaring', { exact: true }).inputValue(), reviewText, 'the text is kept');
			assert.ok(await main.getByRole('group', { name: 'Informatie', exact: true }).getByRole('radio', { name: '5 sterren: heel goed', exact: true }).isChecked(), 'the scores are kept');
			assert.ok(await main.getByRole('radio', { name: 'Met een schuilnaam', exact: true }).isChecked(), 'the choice is kept');
			await check(page, 'review-new-error');

			await pseudo.fill(pseudonym);
			await submitAndWait(page, main.getByRole('button', { name: 'Beoordeling versturen', exact: true }));
			assert.equal(new URL(page.url()).pathname, '/beoordelingen');
			await page.getByRole('status').filter({ hasText: 'Je beoordeling wordt eerst gecontroleerd.' }).waitFor();
			assert.equal(await heading1(page), 'Mijn beoordelingen');
			const mine = page.getByRole('main').getByRole('article').filter({ hasText: reviewText });
			assert.equal(await mine.count(), 1, 'the review is listed');
			const mineText = await mine.innerText();
			assert.ok(mineText.includes('Wacht op controle'), 'it waits for moderation');
			assert.ok(mineText.includes(pseudonym), 'it shows under the pseudonym');
			// Not yet on the offering page.
			assert.ok(!(await (await openOffering(page)).innerText()).includes(reviewText), 'an unmoderated review is not published');
			await check(page, 'offering-before-moderation');
			await go(page, srv.baseURL, '/beoordelingen');
			await check(page, 'reviews-mine');
		});

		// openOffering opens the offering page and returns its main region.
		async function openOffering(page) {
			await go(page, srv.baseURL, offeringPath);
			return page.getByRole('main');
		}

		test('the moderator refuses without a reason, sees why, and approves', async (t) => {
			const check = deferredChecks(t, journey);
			const page = staff.page;
			await logInStaff(page, srv.baseURL, ACCOUNTS.moderator.email);
			await dutch(page);
			await check(page, 'home-moderator');
			await submitAndWait(page, page.getByRole('main').getByRole('link', { name: /^Beoordelingen controleren/ }));
			assert.equal(new URL(page.url()).pathname, '/beheer/beoordelingen');
			assert.equal(await heading1(page), 'Beoordelingen controleren');
			const item = () => page.getByRole('main').getByRole('article').filter({ hasText: reviewText });
			assert.equal(await item().count(), 1, 'the review waits in the queue');
			const itemText = await item().innerText();
			assert.ok(itemText.includes(pseudonym), 'the moderator sees the pseudonym');
			assert.ok(!itemText.includes(resident.name), 'the moderator does not see who wrote it');
			await check(page, 'moderation');

			// Refusing without choosing a house rule: the message shows at that
			// review, nothing is decided.
			await submitAndWait(page, item().getByRole('button', { name: /^Afwijzen/ }));
			assert.equal(await item().count(), 1, 'the review still waits');
			const reasons = item().getByRole('group', { name: 'Afwijzen omdat de tekst deze huisregel breekt', exact: true });
			assert.equal(await groupError(reasons), 'Kies welke huisregel de tekst breekt.');
			await check(page, 'moderation-error');

			await submitAndWait(page, item().getByRole('button', { name: /^Goedkeuren en plaatsen/ }));
			assert.equal(new URL(page.url()).pathname, '/beheer/beoordelingen');
			await page.getByRole('status').filter({ hasText: 'De tekst is goedgekeurd' }).waitFor();
			assert.equal(await item().count(), 0, 'the review left the queue');
			await check(page, 'moderation-approved');
			await logOut(page);
		});

		test('the rating appears on the offering page, for anyone', async (t) => {
			const check = deferredChecks(t, journey);
			visitor = await openBrowser(variant);
			const page = visitor.page;
			await go(page, srv.baseURL, offeringPath);
			assert.equal(await heading1(page), MARKET.offering);
			const now = await rating(page);
			assert.equal(now.count, before0.count + 1, 'one review more counts');
			assert.equal(now.four, before0.four + 1, 'one review more gave four stars');
			const text = await now.section.innerText();
			for (const aspect of ['Informatie', 'Bejegening', 'Resultaat', 'Aanraden']) {
				assert.ok(text.includes(aspect), `the average of ${aspect} shows`);
			}
			assert.match(text, /Gemiddeld \d,\d van 5 sterren/, 'the overall average shows');
			assert.match(text, /\d+% zou deze hulp aanraden/, 'the share that would recommend it shows');
			if (before0.count === 0) {
				// The first review: the averages are its own scores.
				assert.ok(text.includes('Gemiddeld 4,0 van 5 sterren, uit 1 beoordeling.'), 'the average is the one review\'s');
				assert.ok(text.includes('5,0 van 5'), 'information: 5');
				assert.ok(text.includes('100% zou deze hulp aanraden'));
			}
			const review = now.section.getByRole('article').filter({ hasText: reviewText });
			assert.equal(await review.count(), 1, 'the review text shows');
			const h = (await review.getByRole('heading').first().innerText()).trim();
			assert.ok(h.startsWith(`${pseudonym}, `), `the review shows under the pseudonym: ${h}`);
			assert.ok(!(await page.getByRole('main').innerText()).includes(resident.name), 'the author\'s name does not show');
			await check(page, 'offering-reviewed');

			// The resident sees it published too.
			await go(anna.page, srv.baseURL, '/beoordelingen');
			const mine = anna.page.getByRole('main').getByRole('article').filter({ hasText: reviewText });
			assert.ok((await mine.innerText()).includes('Staat bij het aanbod'), 'the resident sees it published');
			await check(anna.page, 'reviews-mine-published');
		});
	});
}
