// Journey: Eigen budget. The consultant (Daan Visser, password and second
// factor) grants the resident (Anna de Vries) a budget — first with an
// amount written the English way, which is refused next to the field with
// the input kept; the resident requests the demo provider's meals, paid
// from her budget; the provider admin (Eva Smit) accepts the request and
// proposes a care agreement; the resident accepts it, which reserves its
// total; the provider submits a claim for this month; the resident's
// trusted person (Bram de Vries, whose demo mandate covers her budget)
// acts for her, first disputes without a reason (the message shows at the
// field), then approves the claim; the resident's overview shows it spent,
// in the balance and in the table of claims. In the default (1280 px),
// narrow (320 px) and no-JavaScript contexts, every page through
// checkPage (zero axe violations).
//
// The variants share one server: each grants a budget of its own and
// recognises its request, agreement and claim by their addresses. The
// demo resident already has a budget of her own (a meals agreement with a
// claim waiting; cmd/inwonercloud/demo_budget.go), so "Mijn budget" lists
// her budgets and the agreement asks which budget pays: the journey picks
// its own by address. The demo municipality sets no threshold, so no
// step-up is asked.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { openBrowser, VARIANT_NAMES } from '../lib/browser.js';
import { deferredChecks } from '../lib/checks.js';
import { ACCOUNTS, STAFF_TOTP_SECRET, fieldError, go, heading1, logIn, pageLang, submitAndWait, switchLanguage } from '../lib/demo.js';
import { server } from '../lib/server.js';
import { freshTotp } from '../lib/totp.js';

const resident = ACCOUNTS.resident;
const OFFERING = 'Warme maaltijd van Het Groene Hart'; // the demo provider's, € 7,50 a meal (cmd/inwonercloud/demo_portal.go)

let srv;
before(async () => {
	srv = await server();
});
after(async () => {
	await srv?.stop();
});

// logInStaff logs a staff member in with the password and a fresh code.
async function logInStaff(page, email) {
	await logIn(page, srv.baseURL, email);
	assert.equal(new URL(page.url()).pathname, '/inloggen/code', 'a staff member is asked for the second factor');
	await page.getByLabel('Code uit je app', { exact: true }).fill(await freshTotp(STAFF_TOTP_SECRET));
	await submitAndWait(page, page.getByRole('main').getByRole('button', { name: 'Controleren', exact: true }));
	assert.equal(new URL(page.url()).pathname, '/', 'after the code the start page shows');
	if ((await pageLang(page)) !== 'nl') await switchLanguage(page, 'nl');
}

// flash is the one-time status message of the page.
async function flash(page) {
	return (await page.getByRole('status').first().innerText()).trim();
}

for (const variant of VARIANT_NAMES) {
	describe(`budget journey (${variant})`, () => {
		let daan;
		let anna;
		let eva;
		let bram;
		let budgetID;
		let requestPath; // the resident's address of the request
		let agreementID;
		const journey = `budget-${variant}`;
		const tag = `${variant}-${Date.now() % 100000}`;
		before(async () => {
			daan = await openBrowser(variant);
			anna = await openBrowser(variant);
			eva = await openBrowser(variant);
			bram = await openBrowser(variant);
		});
		after(async () => {
			for (const b of [daan, anna, eva, bram]) await b?.close();
		});

		test('the consultant grants the resident a budget', async (t) => {
			const check = deferredChecks(t, journey);
			const page = daan.page;
			await logInStaff(page, ACCOUNTS.consultant.email);
			await submitAndWait(page, page.getByRole('main').getByRole('link', { name: 'Budgetten' }).first());
			assert.equal(await heading1(page), 'Budgetten');
			await check(page, 'admin-list');
			await submitAndWait(page, page.getByRole('main').getByRole('link', { name: 'Budget toekennen', exact: true }));
			assert.equal(await heading1(page), 'Budget toekennen');
			await check(page, 'grant');
			const main = page.getByRole('main');
			await main.getByLabel('E-mailadres van de inwoner', { exact: true }).fill(resident.email);
			await main.getByLabel('Bedrag', { exact: true }).fill('1250.00');
			await main.getByLabel('Grond van het besluit', { exact: true }).fill(`Wmo 2015 art. 2.3.6. Een budget voor hulp thuis (${tag}).`);
			await submitAndWait(page, main.getByRole('button', { name: 'Budget toekennen', exact: true }));
			const amount = page.getByRole('main').getByLabel('Bedrag', { exact: true });
			assert.equal(await fieldError(amount), 'In euro. Bijvoorbeeld 1.250,00 of 1250. Dit bedrag kunnen we niet lezen. Schrijf het zo: 1.250,00 of 1250.');
			assert.equal(await amount.inputValue(), '1250.00', 'the amount typed is kept');
			await check(page, 'grant-errors');
			await amount.fill('1.250,00');
			await submitAndWait(page, page.getByRole('main').getByRole('button', { name: 'Budget toekennen', exact: true }));
			const path = new URL(page.url()).pathname;
			assert.match(path, /^\/beheer\/budgetten\/[^/]+$/);
			budgetID = path.split('/').pop();
			assert.equal(await heading1(page), 'Budget');
			assert.equal(await flash(page), 'Het budget is toegekend. De inwoner krijgt een bericht.');
			const text = await page.getByRole('main').innerText();
			assert.ok(text.includes(resident.name), 'the budget names the resident');
			assert.ok(text.includes('€ 1.250,00'), 'the granted amount shows');
			await check(page, 'admin-budget');
		});

		test('the resident requests the meals, paid from her budget', async (t) => {
			const check = deferredChecks(t, journey);
			const page = anna.page;
			await logIn(page, srv.baseURL, resident.email);
			if ((await pageLang(page)) !== 'nl') await switchLanguage(page, 'nl');
			await go(page, srv.baseURL, `/aanbod?q=${encodeURIComponent(OFFERING)}`);
			await submitAndWait(page, page.getByRole('main').getByRole('link', { name: OFFERING, exact: true }).first());
			await submitAndWait(page, page.getByRole('main').getByRole('link', { name: 'Aanvragen', exact: true }).first());
			await check(page, 'request-new');
			const main = page.getByRole('main');
			await main.getByLabel('Je bericht', { exact: true }).fill(`Elke dag een warme maaltijd graag (${tag}).`);
			await main.getByLabel('Uit mijn eigen budget (pgb)', { exact: true }).check();
			await submitAndWait(page, main.getByRole('button', { name: 'Aanvraag versturen', exact: true }));
			requestPath = new URL(page.url()).pathname;
			assert.match(requestPath, /^\/aanvragen\/[^/]+$/);
			await check(page, 'request-sent');
		});

		test('the provider accepts the request and proposes a care agreement', async (t) => {
			const check = deferredChecks(t, journey);
			const page = eva.page;
			await logInStaff(page, ACCOUNTS.providerAdmin.email);
			const requestID = requestPath.split('/').pop();
			await go(page, srv.baseURL, `/aanbieder/aanvragen/${requestID}`);
			await submitAndWait(page, page.getByRole('main').getByRole('button', { name: 'Aanvraag aannemen', exact: true }));
			await go(page, srv.baseURL, '/');
			await submitAndWait(page, page.getByRole('main').getByRole('link', { name: 'Zorgafspraken en declaraties' }).first());
			assert.equal(await heading1(page), 'Zorgafspraken en declaraties');
			await check(page, 'provider');
			await submitAndWait(page, page.locator(`main a[href="/aanbieder/afspraken/nieuw?aanvraag=${requestID}"]`));
			assert.equal(await heading1(page), 'Zorgafspraak voorstellen');
			await check(page, 'agreement-new');
			const main = page.getByRole('main');
			assert.equal(await main.getByLabel('Prijs per keer', { exact: true }).inputValue(), '7,50', 'the offering\'s price is filled in');
			await main.getByLabel('Hoe vaak?', { exact: true }).fill('elke dag een maaltijd');
			await main.getByLabel('Aantal keer per maand', { exact: true }).fill('20');
			await submitAndWait(page, main.getByRole('button', { name: 'Voorstel versturen', exact: true }));
			const path = new URL(page.url()).pathname;
			assert.match(path, /^\/aanbieder\/afspraken\/[^/]+$/);
			agreementID = path.split('/').pop();
			assert.equal(await flash(page), 'Je voorstel is verstuurd. De inwoner beslist erover.');
			await check(page, 'agreement-proposed');
		});

		test('the resident accepts the agreement; its total is reserved', async (t) => {
			const check = deferredChecks(t, journey);
			const page = anna.page;
			await go(page, srv.baseURL, '/');
			await submitAndWait(page, page.getByRole('main').getByRole('link', { name: 'Mijn budget' }).first());
			assert.equal(await heading1(page), 'Mijn budget');
			await check(page, 'budget-start');
			await submitAndWait(page, page.locator(`main a[href="/budget/afspraken/${agreementID}"]`).first());
			assert.equal(await heading1(page), 'Zorgafspraak');
			await check(page, 'agreement');
			const main = page.getByRole('main');
			const choice = main.getByRole('group', { name: 'Uit welk budget betaal je?' });
			if ((await choice.count()) > 0) {
				// Another variant's budget may be there too: take this variant's.
				await main.locator(`input[name="budget"][value="${budgetID}"]`).check();
			}
			await submitAndWait(page, main.getByRole('button', { name: 'Afspraak aannemen', exact: true }));
			assert.equal(await flash(page), 'Je hebt de zorgafspraak aangenomen. Het geld ervoor ligt nu vast in je budget.');
			const text = await page.getByRole('main').innerText();
			assert.ok(text.includes('Loopt'), 'the agreement runs');
			assert.ok(text.includes('€ 900,00'), 'the total (7,50 × 20 × 6 months) shows');
			await check(page, 'agreement-accepted');
		});

		test('the provider submits a claim for this month', async (t) => {
			const check = deferredChecks(t, journey);
			const page = eva.page;
			await go(page, srv.baseURL, `/aanbieder/afspraken/${agreementID}`);
			await check(page, 'provider-agreement');
			const main = page.getByRole('main');
			await main.getByLabel('Bedrag', { exact: true }).fill('150,00');
			await main.getByLabel('Wat heb je gedaan?', { exact: true }).fill(`20 maaltijden bezorgd (${tag}).`);
			await submitAndWait(page, main.getByRole('button', { name: 'Declaratie indienen', exact: true }));
			assert.equal(await flash(page), 'Je declaratie is ingediend. De inwoner beoordeelt hem.');
			await check(page, 'claim-submitted');
		});

		test('the trusted person, acting for the resident, approves the claim', async (t) => {
			const check = deferredChecks(t, journey);
			const page = bram.page;
			await logIn(page, srv.baseURL, ACCOUNTS.delegate.email);
			if ((await pageLang(page)) !== 'nl') await switchLanguage(page, 'nl');
			await go(page, srv.baseURL, '/machtigingen');
			await submitAndWait(page, page.getByRole('main').getByRole('button', { name: `Handel namens ${resident.name}`, exact: true }).first());
			await go(page, srv.baseURL, `/budget/${budgetID}`);
			assert.equal(await heading1(page), 'Mijn budget');
			await check(page, 'delegate-budget');
			const main = page.getByRole('main');
			const card = main.locator('.ic-card').filter({ hasText: `20 maaltijden bezorgd (${tag}).` });
			assert.equal(await card.count(), 1, 'the claim waits for a decision');
			// Disagreeing needs a reason: the message shows at the field.
			await submitAndWait(page, card.getByRole('button', { name: 'Niet mee eens', exact: true }));
			const reason = page.getByRole('main').locator('.ic-card').filter({ hasText: `20 maaltijden bezorgd (${tag}).` })
				.getByLabel('Waarom klopt deze declaratie niet?', { exact: true });
			assert.ok((await fieldError(reason)).includes('Schrijf kort op waarom.'), 'the reason is asked for at the field');
			await check(page, 'delegate-dispute-error');
			await submitAndWait(page, page.getByRole('main').locator('.ic-card').filter({ hasText: `20 maaltijden bezorgd (${tag}).` })
				.getByRole('button', { name: 'Goedkeuren en € 150,00 betalen', exact: true }));
			assert.equal(await flash(page), 'Je hebt de declaratie goedgekeurd. De aanbieder wordt betaald uit je budget.');
			await check(page, 'delegate-approved');
		});

		test('the resident\'s overview shows the claim spent', async (t) => {
			const check = deferredChecks(t, journey);
			const page = anna.page;
			await go(page, srv.baseURL, `/budget/${budgetID}`);
			const main = page.getByRole('main');
			const facts = await main.locator('dl.ic-facts').first().innerText();
			assert.match(facts, /Uitgegeven\s*€ 150,00/, 'the balance shows what was spent');
			assert.match(facts, /Vastgelegd\s*€ 750,00/, 'the reservation went down by the claim');
			assert.match(facts, /Over\s*€ 350,00/, 'what is left');
			const claims = main.getByRole('table', { name: 'Declaraties die je al beoordeelde' });
			assert.ok((await claims.getByRole('row').filter({ hasText: 'Goedgekeurd en betaald' }).filter({ hasText: '€ 150,00' }).count()) > 0,
				'the approved claim is in the table');
			const months = main.getByRole('table', { name: 'Je budget per maand' });
			assert.ok((await months.getByRole('row').count()) > 1, 'the month table has rows');
			assert.equal(await main.locator('svg[aria-hidden="true"]').count(), 1, 'the chart is hidden from screen readers');
			await check(page, 'budget-overview');
		});
	});
}
