import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../helpers/processes.js';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';

const root = path.resolve(import.meta.dirname, '../..');
const tsx = path.join(root, 'node_modules/.bin/tsx');
const baseEnv = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', LOG_LEVEL: 'warn' };

function runServer(env: Record<string, string>) {
  return spawnSync(tsx, ['src/server.ts'], { cwd: root, env: { ...baseEnv, ...env }, encoding: 'utf8', timeout: 60_000 });
}

const cleanup: (() => Promise<void> | void)[] = [];
afterAll(async () => {
  for (const f of cleanup) await f();
});

describe('start-up with a bad configuration stops with one line naming the variable', () => {
  it.each([
    ['PORT', { PORT: 'eighty' }],
    ['DATABASE_URL', { DATABASE_URL: 'mysql://x@y/z' }],
    ['SESSION_SECRET', { NODE_ENV: 'production', DATABASE_URL: 'postgresql://postgres@127.0.0.1:5432/postgres' }],
    [
      'REPORT_KEY_SECRET',
      {
        NODE_ENV: 'production',
        DATABASE_URL: 'postgresql://postgres@127.0.0.1:5432/postgres',
        SESSION_SECRET: 'x'.repeat(40),
        PUBLIC_URL: 'https://credit.example.gov.cn',
      },
    ],
  ])('%s', (variable, env) => {
    const r = runServer(env);
    expect(r.status).not.toBe(0);
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(new RegExp(`^配置错误：环境变量 ${variable} `));
  });

  it('an unreachable DATABASE_URL', () => {
    const r = runServer({ DATABASE_URL: 'postgresql://postgres@127.0.0.1:1/nothing', PORT: '3999' });
    expect(r.status).not.toBe(0);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/DATABASE_URL/);
    expect(r.stderr).not.toMatch(/^\s+at /m);
  });
});

async function waitForHealth(port: number, child: ReturnType<typeof spawn>, log: () => string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`server exited early: ${log()}`);
    try {
      const res = await fetch(`http://127.0.0.1:${port}/healthz`);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`server did not become healthy: ${log()}`);
}

async function startAndStop(
  env: Record<string, string>,
  port: number,
  whileUp: () => Promise<void>,
  command: [string, string[]] = [tsx, ['src/server.ts']],
): Promise<{ code: number | null; log: string }> {
  const child = spawn(command[0], command[1], { cwd: root, env: { ...baseEnv, ...env, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'info' } });
  let log = '';
  child.stderr.on('data', (d) => (log += d));
  child.stdout.on('data', (d) => (log += d));
  try {
    await waitForHealth(port, child, () => log);
    await whileUp();
  } finally {
    child.kill('SIGTERM');
  }
  const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
  return { code, log };
}

describe('running server', () => {
  it('with DATABASE_URL: migrates, serves, seeds no demo users, and stops cleanly on SIGTERM', async () => {
    const db: TestDatabase = await createTestDatabase();
    cleanup.push(() => db.drop());
    const port = await freePort();
    const { code, log } = await startAndStop({ DATABASE_URL: db.url }, port, async () => {
      const home = await fetch(`http://127.0.0.1:${port}/`);
      expect(home.status).toBe(200);
      expect(await home.text()).toContain('信用新乡');
    });
    expect(code, log).toBe(0);
    expect(log).toContain('已关闭');
    const pg = await import('pg');
    const client = new pg.default.Client({ connectionString: db.url });
    await client.connect();
    const { rows } = await client.query('SELECT count(*)::int AS n FROM app_user');
    await client.end();
    expect(rows[0].n).toBe(0);
  }, 90_000);

  it('in production: the build from `npm run build` runs on node alone, without a TypeScript loader', async () => {
    expect(existsSync(path.join(root, 'dist/server.js')), 'dist/server.js is missing: run `npm run build` (npm test does)').toBe(true);
    const db: TestDatabase = await createTestDatabase();
    cleanup.push(() => db.drop());
    const port = await freePort();
    const env = {
      NODE_ENV: 'production',
      DATABASE_URL: db.url,
      SESSION_SECRET: 'x'.repeat(40),
      REPORT_KEY_SECRET: 'k'.repeat(40),
      PUBLIC_URL: `http://127.0.0.1:${port}`,
    };
    const { code, log } = await startAndStop(
      env,
      port,
      async () => {
        const home = await fetch(`http://127.0.0.1:${port}/`);
        expect(home.status).toBe(200);
        expect(await home.text()).toContain('信用新乡');
      },
      [process.execPath, ['dist/server.js']],
    );
    expect(code, log).toBe(0);
  }, 90_000);

  it('without DATABASE_URL: embedded PostgreSQL, demo data seeded once, kept across restarts', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'xx-start-'));
    chmodSync(dir, 0o755);
    cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
    const env = { EMBEDDED_PG_DIR: path.join(dir, 'postgres'), EMBEDDED_PG_PORT: String(await freePort()) };
    const port = await freePort();
    const counts: string[] = [];
    const grab = async () => {
      const html = await (await fetch(`http://127.0.0.1:${port}/`)).text();
      counts.push(/data-qa="count-legalPersons"[^>]*>([^<]*)</.exec(html)?.[1]?.trim() ?? '');
    };
    const first = await startAndStop(env, port, grab);
    expect(first.code, first.log).toBe(0);
    expect(first.log).toContain('写入演示数据');
    const second = await startAndStop(env, port, grab);
    expect(second.code, second.log).toBe(0);
    expect(second.log).not.toContain('写入演示数据');
    expect(counts[0]).toMatch(/\d/);
    expect(counts[1]).toBe(counts[0]);
  }, 120_000);
});

describe('npm run user:create and seed:reference', () => {
  it('creates an admin who can sign in, refuses a weak password or a taken name, and a clerk once the reference data is in', async () => {
    const db = await createTestDatabase();
    cleanup.push(() => db.drop());
    const run = (args: string[], password: string) =>
      spawnSync(tsx, ['src/cli/user-create.ts', ...args], {
        cwd: root,
        env: { ...baseEnv, DATABASE_URL: db.url, USER_PASSWORD: password },
        encoding: 'utf8',
        timeout: 60_000,
      });
    const weak = run(['--username', 'boss', '--name', '主任'], 'short');
    expect(weak.status).not.toBe(0);
    expect(weak.stderr).toContain('密码不符合要求');
    const ok = run(['--username', 'boss', '--name', '主任'], 'StrongPass123');
    expect(ok.status, ok.stderr).toBe(0);
    expect(ok.stdout).toContain('已创建用户 boss');
    const again = run(['--username', 'boss'], 'StrongPass123');
    expect(again.status).not.toBe(0);
    expect(again.stderr).toContain('已存在');
    const pg = await import('pg');
    const client = new pg.default.Client({ connectionString: db.url });
    await client.connect();
    const { rows } = await client.query(`SELECT role, password_hash FROM app_user WHERE username = 'boss'`);
    await client.end();
    expect(rows[0].role).toBe('admin');
    expect(rows[0].password_hash).toMatch(/^\$argon2id\$/);

    // A fresh production database has no departments until the reference data is written; then a clerk can be made.
    const noDepartment = run(['--username', 'clerk1', '--role', 'clerk', '--department', '市市场监管局'], 'StrongPass123');
    expect(noDepartment.stderr).toContain('找不到部门');
    const reference = () =>
      spawnSync(tsx, ['src/cli/seed-reference.ts'], { cwd: root, env: { ...baseEnv, DATABASE_URL: db.url }, encoding: 'utf8', timeout: 60_000 });
    const first = reference();
    expect(first.status, first.stderr).toBe(0);
    expect(first.stdout).toMatch(/新增县（市、区）\d+ 个、部门 [1-9]\d* 个/);
    expect(reference().stdout).toContain('新增县（市、区）0 个、部门 0 个、可报送机关 0 个');
    const clerk = run(['--username', 'clerk1', '--role', 'clerk', '--department', '市市场监管局'], 'StrongPass123');
    expect(clerk.status, clerk.stderr).toBe(0);
    const check = new pg.default.Client({ connectionString: db.url });
    await check.connect();
    const demo = await check.query(`SELECT (SELECT count(*) FROM legal_person)::int AS subjects, (SELECT count(*) FROM app_user)::int AS users`);
    await check.end();
    expect(demo.rows[0]).toEqual({ subjects: 0, users: 2 });
  }, 120_000);
});
