import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';

export const ROOT = path.resolve(import.meta.dirname, '../..');

/** A port nothing listens on right now (the kernel's choice). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

export interface AppProcess {
  child: ChildProcess;
  port: number;
  base: string;
  log(): string;
  stop(): Promise<number | null>;
}

/** Starts `src/server.ts` as its own process (as `npm start` does) with the given environment; resolves when /healthz answers. */
export async function startAppProcess(env: Record<string, string>, opts: { port?: number; timeoutMs?: number } = {}): Promise<AppProcess> {
  const port = opts.port ?? (await freePort());
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', HOST: '127.0.0.1', LOG_LEVEL: 'info', ...env, PORT: String(port) },
  });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const p: AppProcess = {
    child,
    port,
    base: `http://127.0.0.1:${port}`,
    log: () => out,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
      const exited = new Promise<number | null>((r) => child.once('exit', (c) => r(c)));
      child.kill('SIGTERM');
      return exited;
    },
  };
  if (env.ROLES === 'worker') return p;
  const deadline = Date.now() + (opts.timeoutMs ?? 150_000);
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`server exited (${child.exitCode}): ${out}`);
    const res = await fetch(`${p.base}/healthz`).catch(() => null);
    if (res?.status === 200) return p;
    await new Promise((r) => setTimeout(r, 200));
  }
  await p.stop();
  throw new Error(`server not healthy in time: ${out}`);
}

/** A cookie jar of one: keeps the session cookie a response sets, sends it with the next request, to any instance. */
export class Browser {
  cookie = '';

  async fetch(url: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.cookie) headers.set('cookie', this.cookie);
    const res = await fetch(url, { ...init, headers, redirect: 'manual' });
    const set = res.headers.getSetCookie().find((c) => c.startsWith('xxcredit.sid='));
    if (set) this.cookie = set.split(';', 1)[0]!;
    return res;
  }

  async page(url: string): Promise<{ status: number; text: string }> {
    const res = await this.fetch(url);
    return { status: res.status, text: await res.text() };
  }

  /** Posts a form (urlencoded, or multipart when a FormData is given). */
  post(url: string, body: Record<string, string> | FormData): Promise<Response> {
    return this.fetch(url, { method: 'POST', body: body instanceof FormData ? body : new URLSearchParams(body) });
  }
}
