// npm test: build the binary once, start one `inwonercloud demo` server for
// the whole suite, run every test file with Node's test runner, one file at
// a time, and stop the server. The checker's own tests (test/) need no
// server; when the server cannot be started, the journeys fail with the
// reason and the checker's tests still run.
//
//   node run.js                          everything
//   node run.js journeys/staff.test.js   only the files named

import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { e2eDir, startServer } from './lib/server.js';

const testFiles = (dir) =>
	fs
		.readdirSync(path.join(e2eDir, dir))
		.filter((f) => f.endsWith('.test.js'))
		.sort()
		.map((f) => path.join(dir, f));

const files = process.argv.length > 2 ? process.argv.slice(2) : [...testFiles('test'), ...testFiles('journeys')];
const needsServer = files.some((f) => !path.normalize(f).startsWith(`test${path.sep}`));

const env = { ...process.env };
// One file for the whole run: the last TOTP step any journey used (lib/totp.js).
env.E2E_TOTP_STATE ??= path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'ic-e2e-')), 'totp-step');
let srv;
if (needsServer && !env.E2E_BASE_URL) {
	const started = Date.now();
	console.log('# building and starting `inwonercloud demo` …');
	try {
		srv = await startServer();
		env.E2E_BASE_URL = srv.baseURL;
		console.log(`# demo server ready at ${srv.baseURL} after ${((Date.now() - started) / 1000).toFixed(1)} s`);
	} catch (err) {
		console.error(`# ${err.message.split('\n').join('\n# ')}`);
		env.E2E_SERVER_ERROR = err.message;
	}
}

const stop = async () => {
	await srv?.stop();
};
for (const sig of ['SIGINT', 'SIGTERM']) {
	process.on(sig, async () => {
		await stop();
		process.exit(130);
	});
}

const child = spawn(
	process.execPath,
	['--test', '--test-concurrency=1', '--test-reporter=spec', ...files],
	{ cwd: e2eDir, env, stdio: 'inherit' },
);
const code = await new Promise((resolve) => child.on('exit', (c, s) => resolve(c ?? (s ? 1 : 0))));
if (code !== 0 && srv) {
	console.error('# last lines of the demo server output:');
	console.error(`# ${srv.output().split('\n').slice(-30).join('\n# ')}`);
}
await stop();
process.exit(code);
