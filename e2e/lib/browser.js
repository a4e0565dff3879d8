// Launches Debian's /usr/bin/chromium through playwright-core, each time with
// a new, empty profile directory, in one of three contexts: default
// (1280x800), narrow (320x640) and no-JS (JavaScript disabled).

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';

export const CHROMIUM = process.env.E2E_CHROMIUM || '/usr/bin/chromium';

// Without the background-networking flags Chromium keeps trying to reach
// Google's hosts, which this machine's closed network refuses.
export const CHROMIUM_ARGS = [
	'--headless',
	'--no-sandbox',
	'--disable-gpu',
	'--disable-quic',
	'--no-first-run',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync',
];

const common = {
	locale: 'nl-NL',
	timezoneId: 'Europe/Amsterdam',
	colorScheme: 'light',
	reducedMotion: 'reduce',
};

/** VARIANTS are the contexts every journey runs in. */
export const VARIANTS = Object.freeze({
	default: { ...common, viewport: { width: 1280, height: 800 } },
	narrow: { ...common, viewport: { width: 320, height: 640 } },
	nojs: { ...common, viewport: { width: 1280, height: 800 }, javaScriptEnabled: false },
});

/**
 * VARIANT_NAMES are the variants journeys run in: all of them, or those
 * named in E2E_VARIANTS (comma-separated), e.g. E2E_VARIANTS=nojs.
 */
export const VARIANT_NAMES = Object.freeze(
	process.env.E2E_VARIANTS ? process.env.E2E_VARIANTS.split(',').map((v) => v.trim()).filter((v) => v in VARIANTS) : Object.keys(VARIANTS),
);

// The last main-frame navigation response of each page, so that checks can
// read the raw HTML the server sent (also for pages answered to a POST).
const navigations = new WeakMap();
const tracked = new WeakSet();
// Contexts opened with JavaScript disabled.
const noScript = new WeakSet();

/** lastNavigation returns the page's last main-frame navigation response, if any. */
export function lastNavigation(page) {
	return navigations.get(page);
}

/**
 * javaScriptDisabled tells whether the page belongs to a context opened
 * by openBrowser with JavaScript disabled.
 */
export function javaScriptDisabled(page) {
	return noScript.has(page.context());
}

function track(page) {
	if (tracked.has(page)) return;
	tracked.add(page);
	page.setDefaultTimeout(15_000);
	page.setDefaultNavigationTimeout(30_000);
	page.on('response', (res) => {
		const req = res.request();
		if (req.isNavigationRequest() && req.frame() === page.mainFrame() && !(res.status() >= 300 && res.status() < 400)) {
			navigations.set(page, res);
		}
	});
}

/**
 * openBrowser starts Chromium with a fresh, empty user-data directory and
 * the options of the named variant. It resolves to
 * { variant, context, page, close() }; close() ends Chromium and removes
 * the profile.
 */
export async function openBrowser(variant = 'default', extra = {}) {
	const options = VARIANTS[variant];
	if (!options) throw new Error(`unknown browser variant ${variant}`);
	if (!fs.existsSync(CHROMIUM)) {
		throw new Error(`${CHROMIUM} is missing: install Debian's chromium (apt-get install -y chromium)`);
	}
	const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'inwonercloud-e2e-profile-'));
	if (fs.readdirSync(profile).length !== 0) throw new Error(`profile ${profile} is not empty`);
	let context;
	try {
		context = await chromium.launchPersistentContext(profile, {
			executablePath: CHROMIUM,
			headless: true,
			args: CHROMIUM_ARGS,
			...options,
			...extra,
		});
	} catch (err) {
		fs.rmSync(profile, { recursive: true, force: true });
		throw err;
	}
	if ({ ...options, ...extra }.javaScriptEnabled === false) noScript.add(context);
	context.on('page', track);
	context.pages().forEach(track);
	const page = context.pages()[0] ?? (await context.newPage());
	track(page);
	let closed = false;
	const close = async () => {
		if (closed) return;
		closed = true;
		await context.close().catch(() => {});
		fs.rmSync(profile, { recursive: true, force: true });
	};
	return { variant, javaScript: options.javaScriptEnabled !== false, context, page, close };
}
