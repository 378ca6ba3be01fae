import { existsSync, readdirSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, csrfFrom, seedUsers, signIn, binary, type TestApp, sessionUser } from '../helpers/app.js';
import { rawRecord } from '../helpers/records.js';
import { csvOf, importFinished } from '../helpers/imports.js';
import { IMPORT_INTERRUPTED, IMPORT_LOCK_CLASS } from '../../src/features/imports/service.js';
import { EXPORT_INTERRUPTED } from '../../src/features/exports/service.js';
import { sweepFiles } from '../../src/jobs.js';
import { LEFTOVER_MAX_AGE_MS, ensurePrivateDir, exportDir, incomingDir } from '../../src/platform/uploads.js';

let t: TestApp;
let seeded: Awaited<ReturnType<typeof seedUsers>>;
beforeAll(async () => {
  t = await createTestApp();
  seeded = await seedUsers(t.deps);
});
afterAll(async () => t.close());

const mode = (p: string) => statSync(p).mode & 0o777;

async function upload(rows: Record<string, string>[]) {
  const clerk = await signIn(t.app, 't-clerk');
  const token = csrfFrom((await clerk.get('/admin/imports/new')).text);
  const res = await clerk
    .post('/admin/imports')
    .field('_csrf', token)
    .field('kind', 'penalty')
    .attach('file', Buffer.from(csvOf('penalty', rows)), 'p.csv');
  expect(res.status).toBe(303);
  return Number(/(\d+)$/.exec(res.headers.location ?? '')?.[1]);
}

describe('imports run as jobs', () => {
  it('the upload waits in UPLOAD_DIR/incoming (0700), is run by the worker, and is removed when the job ends', async () => {
    const id = await upload([rawRecord('penalty', { documentNo: '作业罚〔2026〕1号' })]);
    const imp = await importFinished(t.deps, id);
    expect(imp.status).toBe('succeeded');
    expect(imp.jobId).toMatch(/^[0-9a-f-]{36}$/);
    const dir = incomingDir(t.deps.uploadDir);
    expect(mode(dir)).toBe(0o700);
    // The file goes in the job's last step, just after the import's status has committed.
    for (let i = 0; i < 50 && readdirSync(dir).length; i++) await new Promise((r) => setTimeout(r, 100));
    expect(readdirSync(dir)).toEqual([]);
    for (let i = 0; i < 50 && (await t.deps.pool.query(`SELECT 1 FROM pgboss.job WHERE id = $1 AND state = 'completed'`, [imp.jobId])).rowCount === 0; i++)
      await new Promise((r) => setTimeout(r, 100));
    const job = await t.deps.pool.query(`SELECT state FROM pgboss.job WHERE id = $1`, [imp.jobId]);
    expect(job.rows[0]?.state).toBe('completed');
  });

  it('the sweep fails imports whose worker is gone, and leaves alone one that is still running or waiting', async () => {
    const base = { kind: 'penalty', fileName: 'x.csv', fileBytes: 1, departmentId: seeded.departmentId, userId: seeded.users.clerk.id };
    const orphanRunning = await t.deps.db.import.create({ data: { ...base, status: 'running' } });
    const orphanQueued = await t.deps.db.import.create({ data: { ...base, status: 'queued', jobId: randomUUID() } });
    const live = await t.deps.db.import.create({ data: { ...base, status: 'running' } });
    // A queued import whose job waits for a worker (due tomorrow, so this test's worker leaves it be).
    const waitingJob = await t.deps.jobs.send('import-run', { importId: -1 }, { startAfter: 86_400 });
    const waiting = await t.deps.db.import.create({ data: { ...base, status: 'queued', jobId: waitingJob } });
    const holder = new pg.Client({ connectionString: t.database.url });
    await holder.connect();
    try {
      await holder.query('SELECT pg_advisory_lock($1, $2)', [IMPORT_LOCK_CLASS, live.id]);
      await t.worker.sweep();
      const after = async (id: number) => t.deps.db.import.findUniqueOrThrow({ where: { id } });
      for (const gone of [orphanRunning, orphanQueued]) {
        const imp = await after(gone.id);
        expect(imp.status).toBe('failed');
        expect(imp.message).toBe(IMPORT_INTERRUPTED);
        expect(imp.finishedAt).not.toBeNull();
      }
      expect((await after(live.id)).status).toBe('running');
      expect((await after(waiting.id)).status).toBe('queued');
      // Its worker dies (the connection, and with it the lock, goes): the next sweep fails it.
      await holder.end();
      await t.worker.sweep();
      expect((await after(live.id)).message).toBe(IMPORT_INTERRUPTED);
    } finally {
      await holder.end().catch(() => {});
    }
  });

  it('an import whose upload was swept while it waited fails with a clear message', async () => {
    const clerk = sessionUser(seeded);
    const { id } = await t.deps.imports.start(
      'penalty',
      { path: path.join(incomingDir(t.deps.uploadDir), 'swept-meanwhile'), originalName: 'p.csv', size: 10 },
      clerk,
      null,
    );
    const imp = await importFinished(t.deps, id);
    expect(imp.status).toBe('failed');
    expect(imp.message).toContain('上传的文件已不存在');
  });

  it('uploads left behind for more than 2 hours are swept, newer ones are kept', async () => {
    const dir = ensurePrivateDir(incomingDir(t.deps.uploadDir));
    const old = path.join(dir, 'left-behind');
    const fresh = path.join(dir, 'in-use');
    writeFileSync(old, 'x');
    writeFileSync(fresh, 'y');
    const past = (Date.now() - LEFTOVER_MAX_AGE_MS - 60_000) / 1000;
    utimesSync(old, past, past);
    // Both times from this process's clock, not the kernel's: they differ under scripts/test-at.sh.
    utimesSync(fresh, Date.now() / 1000, Date.now() / 1000);
    await sweepFiles(t.deps);
    expect(existsSync(old)).toBe(false);
    expect(existsSync(fresh)).toBe(true);
  });
});

describe('large exports become a file job', () => {
  it('above the threshold: queued, written to a 0600 file, downloadable by its owner only, audited, gone after 24 hours', async () => {
    const id = await upload([1, 2, 3].map((n) => rawRecord('penalty', { documentNo: `导出作业罚〔2026〕${n}号` })));
    expect((await importFinished(t.deps, id)).status).toBe('succeeded');
    t.deps.exports.streamMaxRows = 2;
    try {
      const reviewer = await signIn(t.app, 't-reviewer');
      const small = await reviewer.get('/admin/exports').query({ kind: 'permit', since: '2020-01-01', format: 'csv' });
      expect(small.status).toBe(200); // no permits: streamed as before
      const res = await reviewer.get('/admin/exports').query({ kind: 'penalty', since: '2020-01-01', format: 'csv' });
      expect(res.status).toBe(303);
      const page = res.headers.location!;
      expect(page).toMatch(/^\/admin\/exports\/files\/\d+$/);
      const fileId = Number(/(\d+)$/.exec(page)![1]);
      for (let i = 0; i < 200; i++) {
        const f = await t.deps.db.exportFile.findUniqueOrThrow({ where: { id: fileId } });
        if (f.status === 'done' || f.status === 'failed') break;
        await new Promise((r) => setTimeout(r, 100));
      }
      const file = await t.deps.db.exportFile.findUniqueOrThrow({ where: { id: fileId } });
      expect(file.status).toBe('done');
      const total = await t.deps.db.penalty.count();
      expect(total).toBeGreaterThan(2);
      expect(file.rows).toBe(total);
      const stored = path.join(exportDir(t.deps.uploadDir), file.path!);
      expect(mode(stored)).toBe(0o600);
      const shown = await reviewer.get(page);
      expect(shown.text).toContain(`已生成，共 ${total} 条记录`);
      const download = await binary(reviewer.get(`${page}/download`));
      expect(download.status).toBe(200);
      const text = (download.body as Buffer).toString('utf8');
      expect(text).toContain('导出作业罚〔2026〕2号');
      expect(text.trim().split('\r\n')).toHaveLength(total + 1);
      const audited = await t.deps.db.auditLog.findMany({ where: { action: 'export.download', targetId: String(fileId) } });
      expect(audited).toHaveLength(1);

      const admin = await signIn(t.app, 't-admin');
      expect((await admin.get(`${page}/download`)).status).toBe(403);

      await t.deps.db.exportFile.update({ where: { id: fileId }, data: { expiresAt: new Date(Date.now() - 1000) } });
      expect((await reviewer.get(`${page}/download`)).status).toBe(404);
      expect(await t.deps.exports.sweepExpired()).toBe(1);
      expect(existsSync(stored)).toBe(false);
    } finally {
      t.deps.exports.streamMaxRows = 20_000;
    }
  });

  it('an export whose worker is gone is marked failed by the sweep', async () => {
    const f = await t.deps.db.exportFile.create({
      data: {
        kind: 'penalty',
        format: 'csv',
        since: '2020-01-01',
        status: 'running',
        fileName: 'x.csv',
        userId: seeded.users.reviewer.id,
        expiresAt: new Date(Date.now() + 86_400_000),
      },
    });
    await t.worker.sweep();
    const after = await t.deps.db.exportFile.findUniqueOrThrow({ where: { id: f.id } });
    expect(after.status).toBe('failed');
    expect(after.message).toBe(EXPORT_INTERRUPTED);
  });
});
