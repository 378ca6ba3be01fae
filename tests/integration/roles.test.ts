import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import type { Express } from 'express';
import { freePort } from '../helpers/processes.js';
import { afterAll, describe, expect, it } from 'vitest';
import { buildDeps } from '../../src/deps.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';
import { csrfFrom, seedUsers, signIn } from '../helpers/app.js';
import { csvOf } from '../helpers/imports.js';
import { rawRecord } from '../helpers/records.js';

/** ROLES=web and a separate `npm run worker` process share one queue: the web process stores and enqueues, the worker runs. */
const root = path.resolve(import.meta.dirname, '../..');
const dir = mkdtempSync(path.join(os.tmpdir(), 'xx-roles-'));
const children: ChildProcess[] = [];
let db: TestDatabase | null = null;

afterAll(async () => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGTERM');
  await Promise.all(children.map((c) => (c.exitCode === null ? new Promise((r) => c.once('exit', r)) : null)));
  await db?.drop();
  rmSync(dir, { recursive: true, force: true });
}, 60_000);

function spawnApp(entry: string, env: Record<string, string>): { child: ChildProcess; log: () => string } {
  const child = spawn(process.execPath, ['--import', 'tsx', entry], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', LOG_LEVEL: 'info', UPLOAD_DIR: path.join(dir, 'uploads'), ...env },
  });
  children.push(child);
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  return { child, log: () => out };
}

async function waitFor(what: string, probe: () => Promise<boolean>, log: () => string, ms = 60_000): Promise<void> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (await probe().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`timed out waiting for ${what}: ${log()}`);
}

describe('ROLES', () => {
  // Under scripts/test-at.sh (FAKE_CLOCK) the worker process would judge the upload by its file time, which comes from
  // the kernel's real clock, find it months old and sweep it. Nothing here depends on the calendar.
  it.skipIf(process.env.FAKE_CLOCK)(
    'a web-only process enqueues an import that a separate worker process runs',
    async () => {
      db = await createTestDatabase();
      const deps = buildDeps(db.url, { logLevel: 'silent', poolMax: 2 });
      await seedUsers(deps);
      const port = await freePort();
      const web = spawnApp('src/server.ts', { DATABASE_URL: db.url, ROLES: 'web', PORT: String(port), HOST: '127.0.0.1' });
      await waitFor('web /healthz', async () => (await fetch(`http://127.0.0.1:${port}/healthz`)).ok, web.log);

      // No worker yet: the import waits in the queue.
      const base = `http://127.0.0.1:${port}` as unknown as Express;
      const clerk = await signIn(base, 't-clerk');
      const token = csrfFrom((await clerk.get('/admin/imports/new')).text);
      const res = await clerk
        .post('/admin/imports')
        .field('_csrf', token)
        .field('kind', 'penalty')
        .attach('file', Buffer.from(csvOf('penalty', [rawRecord('penalty', { documentNo: '分进程罚〔2026〕1号' })])), 'p.csv');
      expect(res.status).toBe(303);
      const id = Number(/(\d+)$/.exec(res.headers.location ?? '')?.[1]);
      await new Promise((r) => setTimeout(r, 1500));
      expect((await deps.db.import.findUniqueOrThrow({ where: { id } })).status).toBe('queued');
      expect((await clerk.get(`/admin/imports/${id}`)).text).toContain('排队等待导入');

      const worker = spawnApp('src/worker.ts', { DATABASE_URL: db.url });
      await waitFor(
        'import done by the worker process',
        async () => (await deps.db.import.findUniqueOrThrow({ where: { id } })).status === 'succeeded',
        worker.log,
      );
      expect(await deps.db.penalty.count({ where: { documentNo: '分进程罚〔2026〕1号' } })).toBe(1);
      expect(worker.log()).toContain('后台任务处理已启动（ROLES=worker）');
      expect(web.log()).not.toContain('后台任务处理已启动');
      await request(base).get('/healthz').expect(200);
      await deps.close();

      for (const c of [web.child, worker.child]) c.kill('SIGTERM');
      const codes = await Promise.all([web.child, worker.child].map((c) => new Promise((r) => c.once('exit', (code) => r(code)))));
      expect(codes, worker.log()).toEqual([0, 0]);
    },
    180_000,
  );
});
