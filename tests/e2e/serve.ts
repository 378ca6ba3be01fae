// Starts the real server for the browser tests on a brand-new embedded PostgreSQL, so every run begins
// from the same demo data whatever DATABASE_URL the shell has.
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../helpers/processes.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'xx-e2e-'));
// As root, initdb runs as a separate system user that must be able to enter this folder.
chmodSync(dir, 0o755);
delete process.env.DATABASE_URL;
process.env.EMBEDDED_PG_DIR = path.join(dir, 'postgres');
process.env.EMBEDDED_PG_PORT = String(await freePort());
process.env.UPLOAD_DIR = path.join(dir, 'uploads');
process.env.PORT = process.env.E2E_PORT ?? '3100';
process.env.HOST = '127.0.0.1';
process.env.NODE_ENV = 'test';
// The journeys sign in dozens of times from one address.
process.env.LOGIN_RATE_LIMIT = '1000';
// Request lines (4xx are warnings) would bury Playwright's own output; errors still show.
process.env.LOG_LEVEL = process.env.LOG_LEVEL ?? 'error';
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));

await import('../../src/server.js');
