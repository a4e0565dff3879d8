// The demo's accounts and the steps journeys share: logging in and out,
// switching the language, submitting a form and waiting for the new page.

import assert from 'node:assert/strict';
import { freshTotp } from './totp.js';

/** PASSWORD is the password of every demo account. */
export const PASSWORD = 'Inwonercloud-demo-2026';

/** STAFF_TOTP_SECRET is the TOTP secret all demo staff accounts share. */
export const STAFF_TOTP_SECRET = 'IC5DEMO7STAFF2FACTOR3KEY4WOERDEN';

export const ACCOUNTS = Object.freeze({
	resident: { email: 'inwoner@demo.inwonercloud.nl', name: 'Anna de Vries' },
	delegate: { email: 'mantelzorger@demo.inwonercloud.nl' },
	professional: { email: 'hulpverlener@demo.inwonercloud.nl', name: 'Carla Bakker', staff: true },
	consultant: { email: 'consulent@demo.inwonercloud.nl', staff: true },
	providerAdmin: { email: 'aanbieder@demo.inwonercloud.nl', staff: true },
	editor: { email: 'redacteur@demo.inwonercloud.nl', staff: true },
	moderator: { email: 'moderator@demo.inwonercloud.nl', staff: true },
	tenantAdmin: { email: 'beheer@demo.inwonercloud.nl', staff: true },
	platformAdmin: { email: 'platform@demo.inwonercloud.nl', staff: true },
});

/** TEXT is what the pages say, per language. */
export const TEXT = Object.freeze({
	nl: {
		email: 'E-mailadres',
		password: 'Wachtwoord',
		login: 'Inloggen',
		logout: 'Uitloggen',
		otherLanguage: 'English',
		welcome: (name) => `Welkom, ${name}`,
		code: 'Code uit je app',
		check: 'Controleren',
		stay: 'Ingelogd blijven',
		register: 'Account maken',
		name: 'Naam',
		municipality: 'Gemeente',
	},
	en: {
		email: 'Email address',
		password: 'Password',
		login: 'Log in',
		logout: 'Log out',
		otherLanguage: 'Nederlands',
		welcome: (name) => `Welcome, ${name}`,
		code: 'Code from your app',
		check: 'Check',
		stay: 'Stay logged in',
		register: 'Create account',
		name: 'Name',
		municipality: 'Municipality',
	},
});

/**
 * submitAndWait clicks a control that submits a form or follows a link and
 * waits until the main frame has loaded the new document.
 */
export async function submitAndWait(page, locator) {
	const navigated = page.waitForEvent('framenavigated', { predicate: (f) => f === page.mainFrame() });
	await locator.click();
	await navigated;
	await page.waitForLoadState('load');
}

/** go opens a path of the site and waits for it to load. */
export async function go(page, baseURL, path) {
	const res = await page.goto(`${baseURL}${path}`, { waitUntil: 'load' });
	return res;
}

/** pageLang is the lang attribute of the document element. */
export async function pageLang(page) {
	return page.locator('html').getAttribute('lang');
}

/** headerButton is a button in the page header (banner), by exact name. */
export function headerButton(page, name) {
	return page.getByRole('banner').getByRole('button', { name, exact: true });
}

/**
 * fillLogin fills and submits the login form on /inloggen (which must be
 * open) in the given language.
 */
export async function fillLogin(page, email, password = PASSWORD, lang = 'nl') {
	const t = TEXT[lang];
	await page.getByLabel(t.email, { exact: true }).fill(email);
	await page.getByLabel(t.password, { exact: true }).fill(password);
	await submitAndWait(page, page.getByRole('main').getByRole('button', { name: t.login, exact: true }));
}

/** logIn opens /inloggen and logs in with e-mail and password. */
export async function logIn(page, baseURL, email, password = PASSWORD, lang = 'nl') {
	await go(page, baseURL, '/inloggen');
	await fillLogin(page, email, password, lang);
}

/** logOut presses the header's logout button and checks the start page. */
export async function logOut(page, lang = 'nl') {
	const t = TEXT[lang];
	await submitAndWait(page, headerButton(page, t.logout));
	assert.equal(new URL(page.url()).pathname, '/', 'after logging out the start page shows');
	await page.getByRole('main').getByRole('link', { name: t.login, exact: true }).waitFor();
	assert.equal(await headerButton(page, t.logout).count(), 0, 'no logout button after logging out');
}

/** switchLanguage presses the header's language button and checks the result. */
export async function switchLanguage(page, to) {
	const from = to === 'en' ? 'nl' : 'en';
	const before = new URL(page.url()).pathname;
	await submitAndWait(page, headerButton(page, TEXT[from].otherLanguage));
	assert.equal(await pageLang(page), to, `<html lang> after switching to ${to}`);
	assert.equal(new URL(page.url()).pathname, before, 'the language switch returns to the same page');
	await headerButton(page, TEXT[to].otherLanguage).waitFor();
}

/** heading1 is the text of the page's first h1. */
export async function heading1(page) {
	return (await page.getByRole('heading', { level: 1 }).first().innerText()).trim();
}

/**
 * fieldError returns the error message that belongs to an input: the input
 * must have aria-invalid="true" and an aria-describedby that names an
 * element with text. It returns that text.
 */
export async function fieldError(input) {
	assert.equal(await input.getAttribute('aria-invalid'), 'true', 'the input has aria-invalid="true"');
	const ids = ((await input.getAttribute('aria-describedby')) ?? '').split(/\s+/).filter(Boolean);
	assert.ok(ids.length > 0, 'the input has aria-describedby');
	const page = input.page();
	const texts = [];
	for (const id of ids) {
		const el = page.locator(`[id="${id}"]`);
		assert.equal(await el.count(), 1, `aria-describedby names an existing element #${id}`);
		if (await el.isVisible()) texts.push((await el.innerText()).trim());
	}
	return texts.join(' ');
}

/**
 * MARKET is the demo provider of the marketplace (the provider admin's
 * organisation, cmd/inwonercloud/demo_portal.go) and one of its published
 * offerings, with the search that finds it.
 */
export const MARKET = Object.freeze({
	provider: 'Thuiszorg Het Groene Hart',
	providerAdmin: 'Eva Smit',
	offering: 'Huishoudelijke hulp van Het Groene Hart',
	category: 'Huishoudelijke hulp',
	costType: 'Maatwerk via de gemeente',
	// A word form the title does not contain: "huishouding" must find
	// "Huishoudelijke".
	query: 'hulp in de huishouding',
});

/**
 * logInStaff logs a staff member in with password and a TOTP code the
 * server has not seen yet (lib/totp.js's freshTotp) and checks the start
 * page.
 */
export async function logInStaff(page, baseURL, email, lang = 'nl') {
	await logIn(page, baseURL, email, PASSWORD, lang);
	assert.equal(new URL(page.url()).pathname, '/inloggen/code', 'a staff member is asked for the second factor');
	await page.getByLabel(TEXT[lang].code, { exact: true }).fill(await freshTotp(STAFF_TOTP_SECRET));
	await submitAndWait(page, page.getByRole('main').getByRole('button', { name: TEXT[lang].check, exact: true }));
	assert.equal(new URL(page.url()).pathname, '/', 'after the code the start page shows');
}

/**
 * groupError returns the error message of a group of radio buttons or
 * checkboxes (a fieldset): the fieldset's aria-describedby must name a
 * visible element with text, and every control in it must have
 * aria-invalid="true".
 */
export async function groupError(group) {
	const ids = ((await group.getAttribute('aria-describedby')) ?? '').split(/\s+/).filter(Boolean);
	assert.ok(ids.length > 0, 'the group has aria-describedby');
	const page = group.page();
	const texts = [];
	for (const id of ids) {
		const el = page.locator(`[id="${id}"]`);
		assert.equal(await el.count(), 1, `aria-describedby names an existing element #${id}`);
		if (await el.isVisible()) texts.push((await el.innerText()).trim());
	}
	const controls = group.locator('input');
	for (let i = 0; i < (await controls.count()); i++) {
		assert.equal(await controls.nth(i).getAttribute('aria-invalid'), 'true', 'each control of the group has aria-invalid="true"');
	}
	return texts.join(' ');
}
