// RFC 6238 time-based one-time passwords (HMAC-SHA-1, 6 digits, 30 s steps),
// with Node's crypto only, for logging in as the demo staff accounts.

import crypto from 'node:crypto';
import fs from 'node:fs';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** base32Decode decodes RFC 4648 base32, ignoring case, spaces and padding. */
export function base32Decode(secret) {
	const clean = secret.replace(/[\s=-]/g, '').toUpperCase();
	let bits = 0;
	let value = 0;
	const out = [];
	for (const ch of clean) {
		const v = ALPHABET.indexOf(ch);
		if (v < 0) throw new Error(`invalid base32 character ${JSON.stringify(ch)}`);
		value = (value << 5) | v;
		bits += 5;
		if (bits >= 8) {
			bits -= 8;
			out.push((value >>> bits) & 0xff);
		}
	}
	return Buffer.from(out);
}

/** hotp is RFC 4226's HOTP of key at counter. */
export function hotp(key, counter, digits = 6, algorithm = 'sha1') {
	const msg = Buffer.alloc(8);
	msg.writeBigUInt64BE(BigInt(counter));
	const mac = crypto.createHmac(algorithm, key).update(msg).digest();
	const offset = mac[mac.length - 1] & 0x0f;
	const bin = (mac.readUInt32BE(offset) & 0x7fffffff) % 10 ** digits;
	return String(bin).padStart(digits, '0');
}

/**
 * totp returns the code for a base32 secret at time ms (milliseconds since
 * the epoch, default now).
 */
export function totp(secret, { time = Date.now(), step = 30, digits = 6, algorithm = 'sha1' } = {}) {
	return hotp(base32Decode(secret), Math.floor(time / 1000 / step), digits, algorithm);
}

/**
 * wrongCode returns a six-digit code that is not valid for secret around
 * time: not the code of the current step nor of the steps around it.
 */
export function wrongCode(secret, { time = Date.now(), window = 2 } = {}) {
	const valid = new Set();
	for (let d = -window; d <= window; d++) valid.add(totp(secret, { time: time + d * 30_000 }));
	for (let n = 0; ; n++) {
		const code = String((123456 + n * 111111) % 1_000_000).padStart(6, '0');
		if (!valid.has(code)) return code;
	}
}

// The server accepts each code only once per person, so a second login
// waits for the next code, as a person with an authenticator app would.
// The journeys run as separate processes against one server: the last step
// used is kept in a file that run.js names (E2E_TOTP_STATE), so that no
// journey reuses a code another journey just spent.
let lastStep = -Infinity;

function readShared() {
	const file = process.env.E2E_TOTP_STATE;
	if (!file) return -Infinity;
	try {
		const n = Number(fs.readFileSync(file, 'utf8'));
		return Number.isFinite(n) ? n : -Infinity;
	} catch {
		return -Infinity;
	}
}

function writeShared(step) {
	const file = process.env.E2E_TOTP_STATE;
	if (file) fs.writeFileSync(file, String(step));
}

/**
 * freshTotp returns the current code for secret, waiting for the next
 * 30-second step when this run already used the current one.
 */
export async function freshTotp(secret, { step = 30 } = {}) {
	for (;;) {
		const now = Date.now();
		const current = Math.floor(now / 1000 / step);
		const used = Math.max(lastStep, readShared());
		if (current > used) {
			lastStep = current;
			writeShared(current);
			return totp(secret, { time: now, step });
		}
		await new Promise((r) => setTimeout(r, (current + 1) * step * 1000 - now + 100));
	}
}
