// A static file server on 127.0.0.1 (random port) for the checker's own tests.

import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');
const types = { '.html': 'text/html; charset=utf-8', '.css': 'text/css', '.js': 'text/javascript', '.svg': 'image/svg+xml' };

/** serveFixtures resolves to { baseURL, close() }. */
export async function serveFixtures() {
	const srv = http.createServer((req, res) => {
		const name = path.basename(new URL(req.url, 'http://x').pathname);
		const file = path.join(dir, name);
		if (!name || !fs.existsSync(file)) {
			res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
			return;
		}
		res.writeHead(200, { 'content-type': types[path.extname(name)] ?? 'application/octet-stream' });
		res.end(fs.readFileSync(file));
	});
	await new Promise((resolve) => srv.listen(0, '127.0.0.1', resolve));
	const { port } = srv.address();
	return {
		baseURL: `http://127.0.0.1:${port}`,
		close: () => new Promise((resolve) => srv.close(resolve)),
	};
}
