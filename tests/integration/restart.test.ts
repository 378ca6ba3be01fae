import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../helpers/processes.js';
import { afterAll, describe, expect, it } from 'vitest';

/**
 * `kill -9` of the app leaves its embedded postgres running and holding the data dir; the next start used to die
 * with "Cannot read properties of undefined (reading 'message')". It must stop the orphan and start fresh.
 */
const root = path.resolve(import.meta.dirname, '../..');
const dir = mkdtempSync(path.join(os.tmpdir(), 'xx-restart-'));
chmodSync(dir, 0o755);
const pgDir = path.join(dir, 'postgres');
const env = {
  PATH: process.env.PATH ?? '',
  HOME: process.env.HOME ?? '/tmp',
  LOG_LEVEL: 'info',
  HOST: '127.0.0.1',
  EMBEDDED_PG_DIR: pgDir,
  EMBEDDED_PG_PORT: String(await freePort()),
  UPLOAD_DIR: path.join(dir, 'uploads'),
};
const children: ChildProcess[] = [];

afterAll(async () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGTERM');
  await new Promise((r) => setTimeout(r, 1500));
  // Whatever postgres is still there after the test (the last one is stopped by SIGTERM to its app).
  const pid = postmasterPid();
  if (pid) {
    try {
      process.kill(pid, 'SIGINT');
    } catch {
      // already gone
    }
  }
  rmSync(dir, { recursive: true, force: true });
});

function postmasterPid(): number | null {
  const file = path.join(pgDir, 'postmaster.pid');
  return existsSync(file) ? Number(readFileSync(file, 'utf8').split('\n', 1)[0]) : null;
}

function start(port: number): { child: ChildProcess; log: () => string } {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], { cwd: root, env: { ...env, PORT: String(port) } });
  children.push(child);
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  return { child, log: () => out };
}

async function healthy(port: number, child: ChildProcess, log: () => string): Promise<void> {
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`server exited (${child.exitCode}): ${log()}`);
    const res = await fetch(`http://127.0.0.1:${port}/healthz`).catch(() => null);
    if (res?.status === 200) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`server not healthy: ${log()}`);
}

function pgProcessesOf(dataDir: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSafe('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const args = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
      if (/postgres$/.test(args[0] ?? '') && args.includes(dataDir)) pids.push(Number(entry));
    } catch {
      // exited meanwhile
    }
  }
  return pids;
}

function readdirSafe(p: string): string[] {
  try {
    return readdirSync(p);
  } catch {
    return [];
  }
}

describe('restart after kill -9', () => {
  it('the orphaned embedded postgres is stopped and a fresh one serves the app', async () => {
    const port1 = await freePort();
    const first = start(port1);
    await healthy(port1, first.child, first.log);
    const orphan = postmasterPid();
    expect(orphan).toBeGreaterThan(0);

    first.child.kill('SIGKILL');
    await new Promise((r) => first.child.once('exit', r));
    // The app is gone, its postgres is not.
    expect(() => process.kill(orphan!, 0)).not.toThrow();

    const port2 = port1 + 1;
    const restartedAt = Date.now();
    const second = start(port2);
    await healthy(port2, second.child, second.log);
    process.stderr.write(
      `restart after kill -9 → /healthz 200 in ${((Date.now() - restartedAt) / 1000).toFixed(2)} s (orphan stopped, fresh postgres started)\n`,
    );
    expect(second.log()).toContain(`发现上次未正常关闭的数据库进程 ${orphan}`);
    expect(second.log()).not.toMatch(/TypeError|Cannot read properties/);
    const now = postmasterPid();
    expect(now).not.toBe(orphan);
    // Never two postmasters on one data dir.
    const postmasters = pgProcessesOf(pgDir);
    expect(postmasters).toEqual([now]);

    second.child.kill('SIGTERM');
    const code = await new Promise((r) => second.child.once('exit', (c) => r(c)));
    expect(code, second.log()).toBe(0);
  }, 240_000);
});
