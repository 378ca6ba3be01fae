import { chmodSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import type { Express } from 'express';
import { freePort } from '../helpers/processes.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../src/app.js';
import { buildDeps, type AppDeps } from '../../src/deps.js';
import { startWorker, type RunningWorker } from '../../src/jobs.js';
import { startEmbedded, type EmbeddedDatabase } from '../../src/platform/database/embedded.js';
import { applyMigrations } from '../../src/platform/database/migrate.js';
import { incomingDir } from '../../src/platform/uploads.js';
import { IMPORT_INTERRUPTED } from '../../src/features/imports/service.js';
import { csrfFrom, seedUsers, signIn } from '../helpers/app.js';
import { csvOf } from '../helpers/imports.js';
import { rawRecord } from '../helpers/records.js';

/**
 * The app outlives its database: an import is running when PostgreSQL stops. The process stays up, answers 503
 * (a Chinese maintenance page, /healthz 503), and when PostgreSQL is back it serves again without a restart; the
 * import is failed with the interruption reason and none of its rows exist. Runs its own embedded PostgreSQL
 * (whatever DATABASE_URL says) so it can stop and start it.
 */
const ROWS = 60_000;
const dir = mkdtempSync(path.join(os.tmpdir(), 'xx-outage-'));
chmodSync(dir, 0o755);
const pgOpts = { dir: path.join(dir, 'pg'), port: await freePort(), database: 'credit' };
const uploadDir = path.join(dir, 'uploads');

let pg: EmbeddedDatabase;
let deps: AppDeps;
let worker: RunningWorker;
let server: Server;
let app: Express;
let base: string;
const processErrors: unknown[] = [];
const onUncaught = (err: unknown) => processErrors.push(err);

beforeAll(async () => {
  process.on('uncaughtException', onUncaught);
  pg = await startEmbedded(pgOpts);
  await applyMigrations(pg.url);
  deps = buildDeps(pg.url, { logLevel: 'silent', poolMax: 4, uploadDir });
  await deps.jobs.start({ worker: true, schedules: false });
  worker = await startWorker(deps, { pollingIntervalSeconds: 0.5 });
  app = createApp(deps, { env: 'test', sessionSecret: 'test-secret-test-secret-test-secret-0123' });
  server = app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}, 120_000);

afterAll(async () => {
  process.off('uncaughtException', onUncaught);
  await new Promise((r) => server?.close(r));
  await worker?.stop();
  await deps?.close();
  await pg?.stop();
  rmSync(dir, { recursive: true, force: true });
}, 60_000);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until<T>(what: string, probe: () => Promise<T | null | undefined | false>, ms = 60_000, every = 100): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await probe().catch(() => null);
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(every);
  }
}

describe('database outage during an import', () => {
  it('503 while away, back without a restart, the import failed with nothing written', async () => {
    const { departmentId } = await seedUsers(deps);
    const clerk = await signIn(app, 't-clerk');
    const token = csrfFrom((await clerk.get('/admin/imports/new')).text);
    const rows = Array.from({ length: ROWS }, (_, i) => rawRecord('penalty', { documentNo: `断库测试罚〔2026〕${i + 1}号` }));
    const csv = Buffer.from(csvOf('penalty', rows));
    const posted = await clerk.post('/admin/imports').field('_csrf', token).field('kind', 'penalty').attach('file', csv, 'big.csv');
    expect(posted.status).toBe(303);
    const id = Number(/\/admin\/imports\/(\d+)/.exec(posted.headers.location ?? '')?.[1]);
    expect(id).toBeGreaterThan(0);

    // Mid-import: a first progress mark is stored, the transaction is open.
    await until('import running', async () => {
      const imp = await deps.db.import.findUnique({ where: { id } });
      return imp?.status === 'running' && imp.processedRows >= 5000;
    });
    const progressPage = await clerk.get(`/admin/imports/${id}`);
    expect(progressPage.text).toMatch(/已读取 [\d,]+ 行，预计共约 [\d,]+ 行/);

    await pg.stop();
    const stoppedAt = Date.now();

    // The crash this guards against came 3–6 s after PostgreSQL died: stay away for 8 s, asking all the while.
    let sawHealth503 = false;
    while (Date.now() - stoppedAt < 8000) {
      const h = await fetch(`${base}/healthz`);
      if (h.status === 503) sawHealth503 = true;
      await sleep(500);
    }
    expect(sawHealth503).toBe(true);
    expect(processErrors).toEqual([]);
    const health = await fetch(`${base}/healthz`);
    expect(health.status).toBe(503);
    const home = await request(app).get('/');
    expect(home.status).toBe(503);
    expect(home.text).toContain('系统维护中，请稍后再试');
    const admin = await clerk.get(`/admin/imports/${id}`);
    expect(admin.status).toBe(503);
    expect(admin.text).toContain('系统维护中');

    pg = await startEmbedded(pgOpts);
    const backAt = Date.now();
    await until('healthz 200', async () => (await fetch(`${base}/healthz`)).status === 200, 60_000, 50);
    const seconds = (Date.now() - backAt) / 1000;
    process.stderr.write(`database back → first /healthz 200 in ${seconds.toFixed(2)} s\n`);
    expect(seconds).toBeLessThan(10);

    const failed = await until(
      'import marked failed',
      async () => {
        const imp = await deps.db.import.findUnique({ where: { id } });
        return imp && imp.status !== 'running' && imp.status !== 'queued' ? imp : null;
      },
      30_000,
      200,
    );
    process.stderr.write(`database back → import marked failed in ${((Date.now() - backAt) / 1000).toFixed(2)} s\n`);
    expect(failed.status).toBe('failed');
    expect(failed.message).toBe(IMPORT_INTERRUPTED);
    expect(await deps.db.penalty.count({ where: { importId: id } })).toBe(0);
    expect(await deps.db.penalty.count({ where: { documentNo: { startsWith: '断库测试罚' } } })).toBe(0);

    // Pages work again, the upload is gone, and a new import runs to the end.
    expect((await clerk.get(`/admin/imports/${id}`)).text).toContain(IMPORT_INTERRUPTED);
    const incoming = incomingDir(uploadDir);
    expect(existsSync(incoming) ? readdirSync(incoming) : []).toEqual([]);
    const small = await clerk
      .post('/admin/imports')
      .field('_csrf', csrfFrom((await clerk.get('/admin/imports/new')).text))
      .field('kind', 'penalty')
      .attach('file', Buffer.from(csvOf('penalty', [rawRecord('penalty', { documentNo: '断库后罚〔2026〕1号' })])), 'small.csv');
    const again = await deps.imports.waitFinished(Number(/(\d+)$/.exec(small.headers.location ?? '')?.[1]), 60_000);
    expect(again.status).toBe('succeeded');
    expect(again.departmentId).toBe(departmentId);
    expect(processErrors).toEqual([]);
  }, 240_000);
});
