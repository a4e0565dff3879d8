// tabThrough: walk a page with the Tab key as a keyboard user would.

/**
 * focusInfo describes the focused element: identity, role, an approximate
 * accessible name and whether a focus indicator is visible. It returns null
 * when nothing in the document has focus (focus left the page).
 */
function focusInfo() {
	let el = document.activeElement;
	while (el && el.shadowRoot && el.shadowRoot.activeElement) el = el.shadowRoot.activeElement;
	if (!el || el === document.body || el === document.documentElement) return null;

	const text = (node) => (node ? (node.innerText ?? node.textContent ?? '').replace(/\s+/g, ' ').trim() : '');
	const byIds = (ids) =>
		ids
			.split(/\s+/)
			.map((id) => text(document.getElementById(id)))
			.filter(Boolean)
			.join(' ');
	const tag = el.tagName.toLowerCase();
	const type = (el.getAttribute('type') || '').toLowerCase();
	let name = '';
	if (el.getAttribute('aria-labelledby')) name = byIds(el.getAttribute('aria-labelledby'));
	if (!name && el.getAttribute('aria-label')) name = el.getAttribute('aria-label').trim();
	if (!name && el.labels && el.labels.length) name = [...el.labels].map(text).join(' ');
	if (!name && tag === 'input' && ['submit', 'button', 'reset'].includes(type)) name = el.value;
	if (!name && tag === 'input' && type === 'image') name = el.alt || '';
	if (!name) {
		const clone = el.cloneNode(true);
		for (const img of clone.querySelectorAll('img[alt]')) img.replaceWith(img.alt);
		name = (clone.textContent || '').replace(/\s+/g, ' ').trim();
	}
	if (!name && el.title) name = el.title;

	const implicit = {
		a: el.hasAttribute('href') ? 'link' : '',
		button: 'button',
		select: 'combobox',
		textarea: 'textbox',
		summary: 'button',
		input: { checkbox: 'checkbox', radio: 'radio', submit: 'button', button: 'button', reset: 'button', range: 'slider' }[type] ?? 'textbox',
	}[tag];
	const role = el.getAttribute('role') || implicit || '';

	const path = [];
	for (let n = el; n && n.nodeType === 1; n = n.parentElement) {
		let i = 1;
		for (let s = n.previousElementSibling; s; s = s.previousElementSibling) if (s.tagName === n.tagName) i++;
		path.unshift(`${n.tagName.toLowerCase()}:nth-of-type(${i})`);
	}

	const cs = getComputedStyle(el);
	const outlineWidth = parseFloat(cs.outlineWidth) || 0;
	const outline = cs.outlineStyle !== 'none' && outlineWidth >= 1;
	const shadow = cs.boxShadow && cs.boxShadow !== 'none';
	const box = el.getBoundingClientRect();
	return {
		tag,
		type,
		role,
		name,
		id: el.id || '',
		href: el.getAttribute('href') || '',
		path: path.join(' > '),
		indicator: outline ? `outline ${cs.outlineStyle} ${cs.outlineWidth} ${cs.outlineColor}` : shadow ? `box-shadow ${cs.boxShadow}` : '',
		visible: box.width > 0 && box.height > 0,
	};
}

/**
 * tabThrough starts at the top of the page and presses Tab until focus
 * leaves the document or comes back to the first element (at most max
 * presses). It throws when a focused element shows no focus indicator
 * (an outline of at least 1px, or a box-shadow), when focus does not move
 * (a keyboard trap), or when max presses do not get through the page.
 * It returns the focused elements in order: { tag, role, name, id, href, … }.
 */
export async function tabThrough(page, { max = 80 } = {}) {
	// Start from the top of the document, as after loading the page: move
	// the focus (and with it the sequential-navigation starting point) to
	// the body, then take the temporary tabindex away again.
	await page.evaluate(() => {
		window.getSelection()?.removeAllRanges();
		const body = document.body;
		const had = body.getAttribute('tabindex');
		body.setAttribute('tabindex', '-1');
		body.focus({ preventScroll: true });
		if (had === null) body.removeAttribute('tabindex');
		else body.setAttribute('tabindex', had);
		window.scrollTo(0, 0);
	});
	const seen = [];
	const problems = [];
	let ended = false;
	for (let i = 0; i < max; i++) {
		await page.keyboard.press('Tab');
		const info = await page.evaluate(focusInfo);
		if (!info) {
			ended = true;
			break;
		}
		if (seen.length && info.path === seen[0].path) {
			ended = true; // cycled back to the start
			break;
		}
		const prev = seen[seen.length - 1];
		if (prev && prev.path === info.path) {
			problems.push(`focus is stuck on <${info.tag}> "${info.name}" (${info.path}): Tab does not move it`);
			ended = true;
			break;
		}
		if (seen.some((s) => s.path === info.path)) {
			problems.push(`focus loops back to <${info.tag}> "${info.name}" without reaching the end of the page (a keyboard trap)`);
			ended = true;
			break;
		}
		if (!info.indicator) problems.push(`no visible focus indicator on <${info.tag}> "${info.name}" (${info.path})`);
		if (!info.visible) problems.push(`focused element <${info.tag}> "${info.name}" is not visible (${info.path})`);
		seen.push(info);
	}
	if (!ended) problems.push(`focus did not leave the page or come back to the start after ${max} presses of Tab (a trap, or raise max)`);
	if (problems.length) {
		const err = new Error(`keyboard pass on ${page.url()} found ${problems.length} problem(s):\n  - ${problems.join('\n  - ')}`);
		err.problems = problems;
		err.focused = seen;
		throw err;
	}
	return seen;
}

/**
 * assertReachable throws unless every expectation matches a focused
 * element; an expectation is { role?, name: string | RegExp }.
 */
export function assertReachable(focused, expectations) {
	const missing = expectations.filter(
		(want) =>
			!focused.some(
				(f) =>
					(!want.role || f.role === want.role) &&
					(want.name instanceof RegExp ? want.name.test(f.name) : f.name.trim() === want.name),
			),
	);
	if (missing.length) {
		const list = focused.map((f) => `${f.role || f.tag} "${f.name}"`).join(', ');
		throw new Error(
			`not reachable with Tab: ${missing.map((m) => `${m.role ?? 'element'} ${m.name}`).join(', ')}\n  focus order was: ${list}`,
		);
	}
}
