import assert from 'node:assert/strict';
import { test } from 'node:test';
import { base32Decode, totp, wrongCode } from '../lib/totp.js';

// RFC 6238 appendix B, SHA-1 key "12345678901234567890".
const RFC_SECRET = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';

test('base32 decodes the RFC 6238 key', () => {
	assert.equal(base32Decode(RFC_SECRET).toString('ascii'), '12345678901234567890');
	assert.equal(base32Decode('gezd gnbv gy3t qojq gezd gnbv gy3t qojq').toString('ascii'), '12345678901234567890');
	assert.throws(() => base32Decode('ABC1'), /invalid base32 character "1"/);
});

test('totp matches the RFC 6238 test vectors', () => {
	const vectors = [
		[59, '94287082'],
		[1111111109, '07081804'],
		[1111111111, '14050471'],
		[1234567890, '89005924'],
		[2000000000, '69279037'],
		[20000000000, '65353130'],
	];
	for (const [seconds, code] of vectors) {
		assert.equal(totp(RFC_SECRET, { time: seconds * 1000, digits: 8 }), code, `T=${seconds}`);
		assert.equal(totp(RFC_SECRET, { time: seconds * 1000 }), code.slice(2), `T=${seconds}, 6 digits`);
	}
});

test('the demo staff secret gives six digits that change every 30 s', () => {
	const secret = 'IC5DEMO7STAFF2FACTOR3KEY4WOERDEN';
	const t = 1_800_000_000_000;
	assert.match(totp(secret, { time: t }), /^\d{6}$/);
	assert.equal(totp(secret, { time: t }), totp(secret, { time: t + 29_999 - (t % 30_000) }));
	const wrong = wrongCode(secret, { time: t });
	for (let d = -2; d <= 2; d++) assert.notEqual(wrong, totp(secret, { time: t + d * 30_000 }));
});
