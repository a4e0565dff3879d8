// The checker must fail when a violation is planted: these tests serve small
// fixture pages (no Go server needed) and assert what checkPage and
// tabThrough report.

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { openBrowser } from '../lib/browser.js';
import { checkPage } from '../lib/checks.js';
import { tabThrough, assertReachable } from '../lib/keyboard.js';
import { serveFixtures } from './fixture-server.js';

let fixtures;
before(async () => {
	fixtures = await serveFixtures();
});
after(async () => {
	await fixtures?.close();
});

async function rejection(promise) {
	try {
		await promise;
	} catch (err) {
		return err;
	}
	assert.fail('expected the check to fail, but it passed');
}

for (const variant of ['default', 'narrow', 'nojs']) {
	describe(`checkPage (${variant})`, () => {
		let b;
		before(async () => {
			b = await openBrowser(variant);
		});
		after(async () => {
			await b?.close();
		});
		const check = (label) => checkPage(b.page, label, { journey: `selftest-${variant}` });

		test('a clean page passes', async () => {
			await b.page.goto(`${fixtures.baseURL}/clean.html`);
			await check('clean');
		});

		test('an <img> without alt fails', async () => {
			await b.page.goto(`${fixtures.baseURL}/img-no-alt.html`);
			const err = await rejection(check('img-no-alt'));
			assert.match(err.message, /axe image-alt/);
			assert.match(err.message, /html-validate wcag\/h37/);
			assert.match(err.message, /img/);
		});

		test('an <input> without a label fails', async () => {
			await b.page.goto(`${fixtures.baseURL}/input-no-label.html`);
			const err = await rejection(check('input-no-label'));
			assert.match(err.message, /axe label \(critical\)/);
			assert.match(err.message, /html-validate input-missing-label/);
			assert.match(err.message, /input/);
		});

		test('an inline script and a style attribute fail', async () => {
			await b.page.goto(`${fixtures.baseURL}/inline.html`);
			const err = await rejection(check('inline'));
			assert.match(err.message, /inline <script> contents/);
			assert.match(err.message, /style= attribute/);
		});
	});
}

describe('checkPage at 320 px', () => {
	let b;
	before(async () => {
		b = await openBrowser('narrow');
	});
	after(async () => {
		await b?.close();
	});

	test('a page wider than the viewport fails', async () => {
		await b.page.goto(`${fixtures.baseURL}/wide.html`);
		const err = await rejection(checkPage(b.page, 'wide', { journey: 'selftest-narrow' }));
		assert.match(err.message, /horizontal scrolling: document is \d+ px wide in a 320 px viewport/);
		assert.match(err.message, /p\.wide/);
	});
});

for (const variant of ['default', 'nojs']) {
	describe(`tabThrough (${variant})`, () => {
		let b;
		before(async () => {
			b = await openBrowser(variant);
		});
		after(async () => {
			await b?.close();
		});

		test('walks the controls of a clean page in order', async () => {
			await b.page.goto(`${fixtures.baseURL}/clean.html`);
			const focused = await tabThrough(b.page);
			assert.deepEqual(
				focused.map((f) => `${f.role} ${f.name}`),
				['link Naar de inhoud', 'link Opnieuw', 'textbox E-mailadres', 'button Verder'],
			);
			assertReachable(focused, [{ role: 'textbox', name: 'E-mailadres' }, { role: 'button', name: /^Verder$/ }]);
			assert.throws(() => assertReachable(focused, [{ role: 'button', name: 'Inloggen' }]), /not reachable with Tab: button Inloggen/);
		});

		test('an element without a focus indicator fails', async () => {
			await b.page.goto(`${fixtures.baseURL}/no-focus-ring.html`);
			const err = await rejection(tabThrough(b.page));
			assert.match(err.message, /no visible focus indicator on <button> "Knop zonder focusrand"/);
		});
	});
}

describe('tabThrough (keyboard trap)', () => {
	let b;
	before(async () => {
		b = await openBrowser('default');
	});
	after(async () => {
		await b?.close();
	});

	test('focus that Tab cannot move fails', async () => {
		await b.page.goto(`${fixtures.baseURL}/trap.html`);
		const err = await rejection(tabThrough(b.page));
		assert.match(err.message, /focus is stuck on <input> "Val"/);
	});
});
