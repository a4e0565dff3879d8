// Builds the inwonercloud binary once and runs `inwonercloud demo` on a free
// loopback port with a fresh data directory, for the browser journeys.
//
// `npm test` (run.js) starts one server for the whole suite and hands its
// address to the test files through E2E_BASE_URL. A journey file run on its
// own (`node --test journeys/resident.test.js`) starts a server of its own.

import { spawn, execFile } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const execFileP = promisify(execFile);

/** The e2e directory and the repository root. */
export const e2eDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const repoRoot = path.resolve(e2eDir, '..');

const READY_TIMEOUT_MS = 120_000;

/** freePort asks the kernel for an unused TCP port on 127.0.0.1. */
export async function freePort() {
	return new Promise((resolve, reject) => {
		const srv = net.createServer();
		srv.unref();
		srv.on('error', reject);
		srv.listen(0, '127.0.0.1', () => {
			const { port } = srv.address();
			srv.close(() => resolve(port));
		});
	});
}

/**
 * buildBinary runs `go build -o <tmp>/inwonercloud ../cmd/inwonercloud` from
 * the e2e directory and returns the binary's path.
 */
export async function buildBinary() {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'inwonercloud-e2e-bin-'));
	const bin = path.join(dir, 'inwonercloud');
	try {
		await execFileP('go', ['build', '-o', bin, '../cmd/inwonercloud'], {
			cwd: e2eDir,
			maxBuffer: 16 * 1024 * 1024,
		});
	} catch (err) {
		fs.rmSync(dir, { recursive: true, force: true });
		const out = `${err.stdout ?? ''}${err.stderr ?? ''}`.trim();
		throw new Error(`go build ./cmd/inwonercloud failed:\n${out || err.message}`);
	}
	return bin;
}

async function waitReady(baseURL, child, output) {
	const deadline = Date.now() + READY_TIMEOUT_MS;
	let last = 'no answer yet';
	while (Date.now() < deadline) {
		if (child.exitCode !== null || child.signalCode !== null) {
			throw new Error(
				`inwonercloud demo exited (${child.exitCode ?? child.signalCode}) before /readyz answered; its output:\n${output()}`,
			);
		}
		try {
			const res = await fetch(`${baseURL}/readyz`, { signal: AbortSignal.timeout(2_000) });
			if (res.status === 200) return;
			last = `status ${res.status}`;
		} catch (err) {
			last = err.cause?.code ?? err.message;
		}
		await new Promise((r) => setTimeout(r, 200));
	}
	throw new Error(`GET ${baseURL}/readyz did not answer 200 within ${READY_TIMEOUT_MS / 1000} s (last: ${last}); output:\n${output()}`);
}

/**
 * startServer builds (unless bin is given) and starts `inwonercloud demo`.
 * It resolves to { baseURL, dataDir, output(), stop() } once GET /readyz
 * answers 200. stop() ends the process and removes its temporary files.
 */
export async function startServer({ bin } = {}) {
	const ownBin = !bin;
	if (ownBin) bin = await buildBinary();
	const port = await freePort();
	const baseURL = `http://127.0.0.1:${port}`;
	const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'inwonercloud-e2e-data-'));
	const env = {
		...process.env,
		INWONERCLOUD_ADDR: `127.0.0.1:${port}`,
		INWONERCLOUD_DATA_DIR: dataDir,
		INWONERCLOUD_BASE_URL: baseURL,
	};
	// The demo runs on its own embedded SQLite database.
	delete env.INWONERCLOUD_DATABASE_URL;
	const child = spawn(bin, ['demo'], { env, cwd: dataDir, stdio: ['ignore', 'pipe', 'pipe'] });
	const chunks = [];
	let size = 0;
	const keep = (buf) => {
		chunks.push(buf);
		size += buf.length;
		while (size > 256 * 1024 && chunks.length > 1) size -= chunks.shift().length;
	};
	child.stdout.on('data', keep);
	child.stderr.on('data', keep);
	const output = () => Buffer.concat(chunks).toString('utf8').split('\n').slice(-80).join('\n');
	const killNow = () => {
		if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
	};
	process.once('exit', killNow);

	let stopped = false;
	const stop = async () => {
		if (stopped) return;
		stopped = true;
		process.removeListener('exit', killNow);
		if (child.exitCode === null && child.signalCode === null) {
			const exited = new Promise((r) => child.once('exit', r));
			child.kill('SIGTERM');
			const timer = setTimeout(killNow, 10_000);
			await exited;
			clearTimeout(timer);
		}
		fs.rmSync(dataDir, { recursive: true, force: true });
		if (ownBin) fs.rmSync(path.dirname(bin), { recursive: true, force: true });
	};

	try {
		await waitReady(baseURL, child, output);
	} catch (err) {
		await stop();
		throw err;
	}
	return { baseURL, dataDir, output, stop };
}

let shared;

/**
 * server returns the suite's server: the one named by E2E_BASE_URL (started
 * by run.js), or else one started for this process and stopped when the
 * test file's `after` hook calls the returned stop().
 */
export async function server() {
	if (process.env.E2E_SERVER_ERROR) {
		throw new Error(`the demo server could not be started:\n${process.env.E2E_SERVER_ERROR}`);
	}
	if (process.env.E2E_BASE_URL) {
		return { baseURL: process.env.E2E_BASE_URL.replace(/\/$/, ''), stop: async () => {} };
	}
	shared ??= startServer();
	return shared;
}
