import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDeps, type AppDeps } from '../../src/deps.js';
import { TEST_PASSWORD, csrfFrom, seedUsers } from '../helpers/app.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';
import { csvOf } from '../helpers/imports.js';
import { Browser, startAppProcess, type AppProcess } from '../helpers/processes.js';
import { rawRecord } from '../helpers/records.js';

/**
 * Two app processes behind an imagined load balancer, on one database and one upload folder (issue #16): a sign-in on
 * one is valid on the other, the rate limit counts the requests of both, and an import uploaded to the web-only
 * instance is run by the other's worker.
 */
const LOGIN_LIMIT = 5;
let database: TestDatabase;
let deps: AppDeps;
let uploadDir: string;
let a: AppProcess;
let b: AppProcess;

beforeAll(async () => {
  database = await createTestDatabase();
  uploadDir = mkdtempSync(path.join(os.tmpdir(), 'xx-multi-uploads-'));
  deps = buildDeps(database.url, { logLevel: 'silent', poolMax: 2, uploadDir });
  await seedUsers(deps);
  const env = {
    DATABASE_URL: database.url,
    SESSION_SECRET: 'multi-instance-test-secret-0123456789abcdef',
    UPLOAD_DIR: uploadDir,
    LOGIN_RATE_LIMIT: String(LOGIN_LIMIT),
    NODE_ENV: 'test',
    LOG_LEVEL: 'warn',
  };
  // A only serves pages; B serves pages and runs the background jobs.
  [a, b] = await Promise.all([startAppProcess({ ...env, ROLES: 'web' }), startAppProcess({ ...env, ROLES: 'web,worker' })]);
}, 240_000);

afterAll(async () => {
  await Promise.allSettled([a?.stop(), b?.stop()]);
  await deps?.close();
  await database?.drop();
  if (uploadDir) rmSync(uploadDir, { recursive: true, force: true });
});

describe('two app instances on one database', () => {
  it('a sign-in on one instance is valid on the other; an import sent to the web-only one is run by the worker', async () => {
    const clerk = new Browser();
    const form = await clerk.page(`${a.base}/admin/login`);
    const login = await clerk.post(`${a.base}/admin/login`, { username: 't-clerk', password: TEST_PASSWORD, _csrf: csrfFrom(form.text) });
    expect(login.status).toBe(303);

    // The same cookie on B: the session lives in PostgreSQL, not in A's memory.
    const onB = await clerk.page(`${b.base}/admin/imports/new`);
    expect(onB.status).toBe(200);
    expect(onB.text).toContain('测试clerk');

    // The upload goes to A, which runs no jobs; the file is in the shared UPLOAD_DIR and B's worker takes the job.
    const body = new FormData();
    body.set('_csrf', csrfFrom(onB.text));
    body.set('kind', 'penalty');
    const name = '新乡市多实例测试有限公司';
    body.set('file', new Blob([csvOf('penalty', [rawRecord('penalty', { documentNo: '多实例罚〔2026〕1号', subjectName: name })])]), '处罚.csv');
    const sent = await clerk.post(`${a.base}/admin/imports`, body);
    expect(sent.status, await sent.clone().text()).toBe(303);
    const id = Number(/\/admin\/imports\/(\d+)$/.exec(sent.headers.get('location') ?? '')?.[1]);
    const done = await deps.imports.waitFinished(id, 20_000);
    expect(done.status).toBe('succeeded');
    expect(done.insertedRows).toBe(1);
    const list = await new Browser().page(`${a.base}/publicity/penalties?q=${encodeURIComponent('多实例测试')}`);
    expect(list.text).toContain(name);
    expect(a.log()).not.toMatch(/后台任务处理已启动/);
  });

  it('the sign-in limit counts the attempts made on both instances together', async () => {
    // The first test's successful sign-in was attempt 1 (from the same address, 127.0.0.1).
    const visitor = new Browser();
    const token = csrfFrom((await visitor.page(`${a.base}/admin/login`)).text);
    const statuses: number[] = [];
    for (let i = 0; i < LOGIN_LIMIT; i++) {
      const target = i % 2 === 0 ? b : a;
      const res = await visitor.post(`${target.base}/admin/login`, { username: 't-clerk', password: 'wrong-password', _csrf: token });
      statuses.push(res.status);
      if (res.status === 429) expect(await res.text()).toContain('登录尝试过于频繁');
    }
    // Attempts 2–5 are refused for the password; the 6th, whichever instance gets it, for the rate. Neither instance
    // alone saw more than three.
    expect(statuses).toEqual([401, 401, 401, 401, 429]);
  });
});
