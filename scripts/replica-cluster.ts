import { spawn } from 'node:child_process';
import { appendFileSync, chmodSync, chownSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { freePortNear } from './free-port.js';

/**
 * A throw-away PostgreSQL primary and a streaming standby made with the server binaries (initdb, pg_basebackup -R,
 * pg_ctl): the replica test and `npm run demo:replica` use it. PG_BIN overrides where the binaries are.
 */
export const PG_BIN = process.env.PG_BIN ?? '/usr/lib/postgresql/15/bin';

export function pgBinariesPresent(): boolean {
  return ['initdb', 'pg_ctl', 'pg_basebackup', 'postgres'].every((b) => existsSync(path.join(PG_BIN, b)));
}

export interface ReplicaPair {
  dir: string;
  primaryUrl: string;
  standbyUrl: string;
  /** Stops the primary (fast) and the standby (immediate) if running, and removes the data directories. */
  cleanup(): Promise<void>;
  /** Kills the standby as a crash would (pg_ctl stop -m immediate). */
  stopStandby(): Promise<void>;
}

/** initdb refuses to run as root: as root, the clusters belong to (and run as) the postgres user. */
function runAs(): { uid: number; gid: number } | null {
  if (process.getuid?.() !== 0) return null;
  const line = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((l) => l.startsWith('postgres:'));
  if (!line) throw new Error('以 root 运行时需要系统用户 postgres（initdb 不能以 root 运行）');
  const [, , uid, gid] = line.split(':');
  return { uid: Number(uid), gid: Number(gid) };
}

function run(bin: string, args: string[], user: { uid: number; gid: number } | null): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(path.join(PG_BIN, bin), args, {
      ...(user ? { uid: user.uid, gid: user.gid } : {}),
      env: { PATH: process.env.PATH ?? '', LANG: 'C.UTF-8', LC_ALL: 'C.UTF-8' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`${bin} ${args.join(' ')} 失败（${code}）：${out}`))));
  });
}

/**
 * Makes the primary (wal_level=replica, replication allowed from 127.0.0.1 without a password) with an empty UTF-8
 * database, lets `prepare` fill it (migrations, a seed), then takes a base backup with -R (standby.signal and
 * primary_conninfo written by pg_basebackup) and starts it as a hot standby.
 */
export async function createReplicaPair(
  opts: {
    database?: string;
    prepare?: (primaryUrl: string) => Promise<void>;
    log?: (line: string) => void;
    /** Receives the pair before anything starts, so a caller that gives up half-way (a hook timeout) can still clean up. */
    track?: (pair: ReplicaPair) => void;
  } = {},
): Promise<ReplicaPair> {
  const log = opts.log ?? (() => {});
  const user = runAs();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'xx-replica-'));
  chmodSync(dir, 0o755);
  if (user) chownSync(dir, user.uid, user.gid);
  const primaryDir = path.join(dir, 'primary');
  const standbyDir = path.join(dir, 'standby');
  const database = opts.database ?? 'credit_xinxiang';
  const primaryPort = await freePortNear(56000 + Math.floor(Math.random() * 3000));
  const standbyPort = await freePortNear(primaryPort + 1);
  let primaryUp = false;
  let standbyUp = false;

  const ctl = (dataDir: string, args: string[]) => run('pg_ctl', ['-D', dataDir, ...args], user);
  const pair: ReplicaPair = {
    dir,
    primaryUrl: `postgresql://postgres@127.0.0.1:${primaryPort}/${database}`,
    standbyUrl: `postgresql://postgres@127.0.0.1:${standbyPort}/${database}`,
    async stopStandby() {
      if (!standbyUp) return;
      await ctl(standbyDir, ['-m', 'immediate', '-w', 'stop']);
      standbyUp = false;
    },
    async cleanup() {
      await pair.stopStandby().catch((err: unknown) => log(`standby stop: ${(err as Error).message}`));
      if (primaryUp) await ctl(primaryDir, ['-m', 'fast', '-w', 'stop']).catch((err: unknown) => log(`primary stop: ${(err as Error).message}`));
      primaryUp = false;
      rmSync(dir, { recursive: true, force: true });
    },
  };

  opts.track?.(pair);
  try {
    log(`initdb ${primaryDir}`);
    await run('initdb', ['-D', primaryDir, '-U', 'postgres', '--auth=trust', '--encoding=UTF8', '--locale=C.UTF-8', '--no-sync'], user);
    appendFileSync(
      path.join(primaryDir, 'postgresql.conf'),
      [
        '',
        `port = ${primaryPort}`,
        "listen_addresses = '127.0.0.1'",
        `unix_socket_directories = '${dir}'`,
        'wal_level = replica',
        'max_wal_senders = 4',
        'hot_standby = on',
        // A throw-away cluster: durability buys nothing and costs the shared disk.
        'fsync = off',
        'synchronous_commit = off',
        'full_page_writes = off',
        'shared_buffers = 32MB',
        '',
      ].join('\n'),
    );
    appendFileSync(path.join(primaryDir, 'pg_hba.conf'), '\nhost replication all 127.0.0.1/32 trust\n');
    await ctl(primaryDir, ['-l', path.join(dir, 'primary.log'), '-w', 'start']);
    primaryUp = true;
    const admin = new pg.Client({ connectionString: `postgresql://postgres@127.0.0.1:${primaryPort}/postgres` });
    await admin.connect();
    try {
      await admin.query(`CREATE DATABASE ${database} TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8'`);
    } finally {
      await admin.end();
    }
    await opts.prepare?.(pair.primaryUrl);

    log(`pg_basebackup -R → ${standbyDir}`);
    await run(
      'pg_basebackup',
      ['-h', '127.0.0.1', '-p', String(primaryPort), '-U', 'postgres', '-D', standbyDir, '-R', '-X', 'stream', '--checkpoint=fast', '--no-sync'],
      user,
    );
    // The standby's own port; everything else (primary_conninfo, standby.signal) came with -R.
    appendFileSync(path.join(standbyDir, 'postgresql.auto.conf'), `port = ${standbyPort}\n`);
    await ctl(standbyDir, ['-l', path.join(dir, 'standby.log'), '-w', 'start']);
    standbyUp = true;
    log(`primary 127.0.0.1:${primaryPort}, standby 127.0.0.1:${standbyPort}`);
    return pair;
  } catch (err) {
    await pair.cleanup();
    throw err;
  }
}
