// checkPage: the checks every page a journey visits must pass.
//
//   (a) axe-core: zero violations of WCAG 2.0/2.1 A and AA and WCAG 2.2 AA;
//   (b) html-validate (html-validate:recommended, see .htmlvalidate.json) on
//       the raw HTML the server sent: zero errors;
//   (c) no horizontal scrolling at the current viewport;
//   (d) nothing the strict Content-Security-Policy would block in the raw
//       HTML: no inline <script> contents, no style= attributes, no <style>
//       elements, no on…= event-handler attributes;
//   (e) a full-page screenshot in screenshots/<journey>-<label>.png.
//
// All failures of one page are reported together, after the screenshot.

import fs from 'node:fs';
import path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { HtmlValidate } from 'html-validate';
import { e2eDir } from './server.js';
import { javaScriptDisabled, lastNavigation } from './browser.js';

export const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

export const screenshotDir = path.join(e2eDir, 'screenshots');

// No axe rule is disabled. A rule may only be disabled here with a written
// reason in a comment next to it.
const DISABLED_AXE_RULES = [];

const htmlValidateConfig = JSON.parse(fs.readFileSync(path.join(e2eDir, '.htmlvalidate.json'), 'utf8'));
delete htmlValidateConfig.$schema;
const htmlvalidate = new HtmlValidate(htmlValidateConfig);

function clip(s, n = 160) {
	s = String(s).replace(/\s+/g, ' ').trim();
	return s.length > n ? `${s.slice(0, n - 1)}…` : s;
}

function stripHash(u) {
	const url = new URL(u);
	url.hash = '';
	return url.href;
}

/**
 * rawHTML returns the HTML the server sent for the page's current URL: the
 * body of the last main-frame navigation when it is for this URL (so a page
 * answered to a form POST is checked as sent), else a fresh GET of the URL
 * with the page's cookies.
 */
export async function rawHTML(page) {
	const nav = lastNavigation(page);
	if (nav && stripHash(nav.url()) === stripHash(page.url())) {
		try {
			return (await nav.body()).toString('utf8');
		} catch {
			// The body is gone (evicted by the browser); fetch it again.
		}
	}
	const res = await page.request.get(page.url(), { headers: { accept: 'text/html' } });
	return res.text();
}

// With JavaScript disabled, the page's timers never fire, and axe-core
// schedules its work with setTimeout. No page script runs in such a page, so
// replacing the timers with microtasks changes nothing but axe's scheduling;
// the DOM axe scans is the one a person without JavaScript gets.
async function enableTimersForAxe(page) {
	await page.evaluate(() => {
		let next = 1;
		const live = new Set();
		window.setTimeout = (fn, _ms, ...args) => {
			const id = next++;
			live.add(id);
			Promise.resolve().then(() => {
				if (live.delete(id) && typeof fn === 'function') fn(...args);
			});
			return id;
		};
		window.clearTimeout = (id) => void live.delete(id);
		window.requestAnimationFrame = (fn) => window.setTimeout(() => fn(performance.now()));
		window.cancelAnimationFrame = window.clearTimeout;
	});
}

/** axeProblems runs axe-core and returns one readable line group per violation. */
export async function axeProblems(page) {
	if (javaScriptDisabled(page)) await enableTimersForAxe(page);
	let builder = new AxeBuilder({ page }).withTags(WCAG_TAGS);
	if (DISABLED_AXE_RULES.length) builder = builder.disableRules(DISABLED_AXE_RULES.map((r) => r.id));
	const result = await builder.analyze();
	return result.violations.map((v) => {
		const nodes = v.nodes
			.slice(0, 8)
			.map((n) => `      - ${n.target.map((t) => (Array.isArray(t) ? t.join(' >>> ') : t)).join(' ')}  ${clip(n.html, 140)}`)
			.join('\n');
		const more = v.nodes.length > 8 ? `\n      … and ${v.nodes.length - 8} more` : '';
		return `axe ${v.id} (${v.impact}): ${v.help}\n      ${v.helpUrl}\n${nodes}${more}`;
	});
}

/** htmlProblems validates raw HTML and returns one line per error. */
export async function htmlProblems(html, name = 'page.html') {
	const report = await htmlvalidate.validateString(html, name);
	const lines = html.split('\n');
	const problems = [];
	for (const result of report.results) {
		for (const m of result.messages) {
			if (m.severity < 2) continue;
			const src = clip(lines[m.line - 1] ?? '', 120);
			problems.push(`html-validate ${m.ruleId} at ${m.line}:${m.column}: ${m.message}${m.selector ? ` [${m.selector}]` : ''}\n      ${src}`);
		}
	}
	return problems;
}

/** cspProblems finds inline scripts, style attributes and the like in raw HTML. */
export function cspProblems(html) {
	const problems = [];
	const lineOf = (idx) => html.slice(0, idx).split('\n').length;
	for (const m of html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script\s*>/gi)) {
		if (m[2].trim() !== '') problems.push(`inline <script> contents at line ${lineOf(m.index)}: ${clip(m[0], 120)}`);
	}
	for (const m of html.matchAll(/<style\b[^>]*>/gi)) {
		problems.push(`<style> element at line ${lineOf(m.index)}: ${clip(m[0], 120)}`);
	}
	// Start tags only; <script> contents were handled above.
	const withoutScripts = html.replace(/<script\b[^>]*>[\s\S]*?<\/script\s*>/gi, (s) => s.replace(/[^\n]/g, ' '));
	for (const m of withoutScripts.matchAll(/<[a-zA-Z][\w:-]*(?:\s[^<>]*)?>/g)) {
		const tag = m[0];
		if (/\sstyle\s*=/i.test(tag)) problems.push(`style= attribute at line ${lineOf(m.index)}: ${clip(tag, 120)}`);
		const handler = tag.match(/\s(on[a-z]+)\s*=/i);
		if (handler) problems.push(`${handler[1]}= event-handler attribute at line ${lineOf(m.index)}: ${clip(tag, 120)}`);
	}
	return problems;
}

/** overflowProblems reports horizontal scrolling at the current viewport. */
export async function overflowProblems(page) {
	const r = await page.evaluate(() => {
		const doc = document.documentElement;
		const width = window.innerWidth;
		if (doc.scrollWidth <= width) return null;
		const wide = [];
		for (const el of document.body ? document.body.querySelectorAll('*') : []) {
			const box = el.getBoundingClientRect();
			if (box.right > width + 0.5 && box.width > 0) {
				let name = el.tagName.toLowerCase();
				if (el.id) name += `#${el.id}`;
				else if (el.classList.length) name += `.${[...el.classList].join('.')}`;
				wide.push(`${name} (right edge ${Math.round(box.right)} px)`);
			}
		}
		return { scrollWidth: doc.scrollWidth, width, wide: wide.slice(0, 6) };
	});
	if (!r) return [];
	return [`horizontal scrolling: document is ${r.scrollWidth} px wide in a ${r.width} px viewport; sticking out: ${r.wide.join(', ') || '(nothing found)'}`];
}

function fileName(s) {
	return String(s).replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '');
}

/**
 * checkPage runs all checks on the page as it is now and saves a
 * screenshot; it throws one error listing every problem it found.
 * options.journey names the screenshot: screenshots/<journey>-<label>.png.
 */
export async function checkPage(page, label, { journey = 'page' } = {}) {
	await page.waitForLoadState('load');
	const shot = path.join(screenshotDir, `${fileName(journey)}-${fileName(label)}.png`);
	fs.mkdirSync(screenshotDir, { recursive: true });
	await page.screenshot({ path: shot, fullPage: true });

	const html = await rawHTML(page);
	const problems = [
		...(await axeProblems(page)),
		...(await htmlProblems(html, `${fileName(label)}.html`)),
		...(await overflowProblems(page)),
		...cspProblems(html),
	];
	if (problems.length) {
		const err = new Error(
			`checkPage "${journey}-${label}" (${page.url()}) found ${problems.length} problem(s):\n  - ${problems.join('\n  - ')}\n  screenshot: ${path.relative(e2eDir, shot)}`,
		);
		err.problems = problems;
		throw err;
	}
	return { screenshot: shot };
}

/** checker binds checkPage to a journey name; the returned function throws. */
export function checker(journey) {
	return (page, label) => checkPage(page, label, { journey });
}

/**
 * deferredChecks returns check(page, label), which runs checkPage but
 * keeps going when a page has problems, so that one template fault does
 * not hide what the rest of the journey would show. Every problem found
 * fails the test t when it ends (through t.after), listed page by page.
 */
export function deferredChecks(t, journey) {
	const failures = [];
	t.after(() => {
		if (failures.length) {
			const err = new Error(`${failures.length} page(s) failed the checks:\n\n${failures.map((e) => e.message).join('\n\n')}`);
			err.stack = err.message; // where the hook threw tells nothing
			throw err;
		}
	});
	return async (page, label) => {
		try {
			return await checkPage(page, label, { journey });
		} catch (err) {
			if (!err.problems) throw err; // not a finding but a broken check
			failures.push(err);
			return null;
		}
	};
}
