// Middleware cost (issue #16): the real app's template-only page and profile page against a bare Express 5 +
// Nunjucks app in the same run, so a busy machine weighs on both alike.
//
//   DATABASE_URL=… npm run bench:middleware [-- --seconds 5] [--rounds 3] [--uscc 91410700…] [--heavy 91410700…]
//
// The real app runs as `src/server.ts` under tsx's loader (`node --import tsx`, as `npm start` runs it, not built) with NODE_ENV=production, ROLES=web and
// LOG_LEVEL=info, its log lines going through a pipe as they would to a log collector. The bare app is this file
// with `--bare`: the same views directory and layout, rendered by a plain nunjucks environment, and a lookup page
// that reads one legal person by USCC through node-pg. Both run as their own processes; autocannon drives them from
// this one, at 1 and 8 connections, alternating app and bare within each round. Prints req/s, p50/p97.5 and app/bare,
// and each server's CPU time per request (from /proc, so Linux only): on a machine shared with other work the
// req/s ratio swings with whatever else runs, the CPU per request much less; "CPU 比值" is bare's over the app's.
// Any database with the migrations applied will do (`npm run seed:demo` is enough): the middleware cost does not
// depend on the data size. `--cpu-prof DIR` starts both servers under `node --cpu-prof` (profiles written on exit: the
// app's in DIR, the bare one's in DIR/bare).
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { createServer } from 'node:net';
import { loadavg } from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';

const { values } = parseArgs({
  options: {
    bare: { type: 'boolean', default: false },
    port: { type: 'string' },
    seconds: { type: 'string', default: '5' },
    rounds: { type: 'string', default: '3' },
    uscc: { type: 'string' },
    heavy: { type: 'string' },
    'cpu-prof': { type: 'string' },
    only: { type: 'string' },
  },
});
const url = process.env.DATABASE_URL ?? '';
if (!url) {
  console.error('错误：未设置环境变量 DATABASE_URL（任何已执行迁移的数据库均可，如 npm run seed:demo 准备的演示库）');
  process.exit(1);
}
const ROOT = path.resolve(import.meta.dirname, '..');

if (values.bare) {
  await bareApp(Number(values.port), url);
} else {
  await main();
}

/** Express 5 + Nunjucks and nothing else: the floor the app's middleware stack is compared with. */
async function bareApp(port: number, databaseUrl: string): Promise<void> {
  const { default: express } = await import('express');
  const { default: pg } = await import('pg');
  const { configureViews } = await import('../src/platform/views.js');
  const app = express();
  app.disable('x-powered-by');
  // The app's own filters and views, so both sides render the same templates.
  configureViews(app, { noCache: false });
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 6 });
  app.get('/accessibility', (_req, res) => res.render('home/accessibility.njk', { title: '无障碍说明', site: {}, flash: null, user: null }));
  app.get('/lookup/:uscc', async (req, res) => {
    const { rows } = await pool.query<{ id: number; uscc: string; name: string; address: string | null }>({
      name: 'bare-lookup',
      text: 'SELECT id, uscc, name, address FROM legal_person WHERE uscc = $1',
      values: [req.params.uscc],
    });
    if (!rows[0]) return res.status(404).send('not found');
    res.render('home/accessibility.njk', { title: rows[0].name, site: {}, flash: null, user: null });
  });
  app.listen(port, '127.0.0.1', () => process.stdout.write('ready\n'));
  // Exit rather than die on the signal, so that `--cpu-prof` writes its profile.
  process.on('SIGTERM', () => process.exit(0));
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

async function waitFor(base: string, pathname: string, child: ChildProcess, ms = 60_000): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (child.exitCode !== null) throw new Error(`进程已退出（${child.exitCode}）`);
    try {
      const r = await fetch(base + pathname);
      await r.arrayBuffer();
      if (r.status < 500) return;
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${base}${pathname} 未就绪`);
}

interface Result {
  rps: number;
  p50: number;
  p95: number;
  non2xx: number;
  /** CPU time of the serving process per request (user + system), µs: what a request costs whatever else runs */
  cpuUs: number;
}

/** User + system CPU time of a process so far, in µs (Linux: /proc/<pid>/stat, in clock ticks of 10 ms). */
function cpuOf(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8')
    .replace(/^.*\) /, '')
    .split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10_000;
}

async function drive(base: string, paths: string[], connections: number, seconds: number, pid: number): Promise<Result> {
  let i = 0;
  const cpu0 = cpuOf(pid);
  const r = await autocannon({
    url: base,
    connections,
    duration: seconds,
    // One request in flight per connection: the comparison is latency-bound, not pipelining.
    pipelining: 1,
    requests: [{ setupRequest: (req) => ({ ...req, path: paths[i++ % paths.length]! }) }],
  });
  const cpu = cpuOf(pid) - cpu0;
  return { rps: r.requests.average, p50: r.latency.p50, p95: r.latency.p97_5, non2xx: r.non2xx, cpuUs: cpu / Math.max(1, r.requests.total) };
}

async function main(): Promise<void> {
  const seconds = Number(values.seconds);
  const rounds = Math.max(1, Number(values.rounds));
  const [appPort, barePort] = [await freePort(), await freePort()];
  const appArgs = values['cpu-prof'] ? ['--cpu-prof', `--cpu-prof-dir=${values['cpu-prof']}`] : [];
  // node with tsx's loader, as `npm start` runs the app (tsx src/server.ts), minus tsx's own wrapper process.
  const app = spawn(process.execPath, ['--import', 'tsx', ...appArgs, 'src/server.ts'], {
    cwd: ROOT,
    env: {
      ...process.env,
      NODE_ENV: 'production',
      ROLES: 'web',
      LOG_LEVEL: 'info',
      PORT: String(appPort),
      HOST: '127.0.0.1',
      SESSION_SECRET: 's'.repeat(40),
      // Production refuses to start a web role without it (it encrypts the report-signing keys).
      REPORT_KEY_SECRET: 'r'.repeat(40),
      PUBLIC_URL: 'https://credit.example.cn',
      UPLOAD_DIR: path.join(ROOT, 'data/bench-uploads'),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // The log lines go through a pipe, read and dropped, like a collector reading the service's output.
  let logBytes = 0;
  // The last lines are kept so that an app that fails to start says why.
  let logTail = '';
  const read = (b: Buffer) => {
    logBytes += b.length;
    logTail = (logTail + b.toString('utf8')).slice(-2000);
  };
  app.stdout!.on('data', read);
  app.stderr!.on('data', read);
  const bareArgs = values['cpu-prof'] ? ['--cpu-prof', `--cpu-prof-dir=${path.join(values['cpu-prof'], 'bare')}`] : [];
  const bare = spawn(process.execPath, ['--import', 'tsx', ...bareArgs, path.join(ROOT, 'scripts/bench-middleware.ts'), '--bare', '--port', String(barePort)], {
    cwd: ROOT,
    env: { ...process.env, NODE_ENV: 'production' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  bare.stdout!.resume();
  const stop = () => {
    app.kill('SIGTERM');
    bare.kill('SIGTERM');
  };
  process.on('exit', stop);
  const appBase = `http://127.0.0.1:${appPort}`;
  const bareBase = `http://127.0.0.1:${barePort}`;
  try {
    await waitFor(appBase, '/healthz', app).catch((err: unknown) => {
      throw new Error(`${(err as Error).message}\n${logTail}`);
    });
    await waitFor(bareBase, '/accessibility', bare);
    const pg = (await import('pg')).default;
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    const uscc =
      values.uscc ??
      (
        await client.query<{ uscc: string }>(
          `SELECT lp.uscc FROM legal_person lp WHERE lp.uscc IS NOT NULL AND EXISTS (SELECT 1 FROM penalty p WHERE p.legal_person_id = lp.id) ORDER BY lp.id LIMIT 1`,
        )
      ).rows[0]?.uscc;
    await client.end();
    if (!uscc) throw new Error('数据库中没有带行政处罚的主体（先运行 npm run seed:demo）');

    const cases: { name: string; app: string[]; bare: string[] }[] = [
      { name: '模板页 /accessibility', app: ['/accessibility'], bare: ['/accessibility'] },
      { name: `信用主体页 ${uscc}`, app: [`/subjects/${uscc}`], bare: [`/lookup/${uscc}`] },
      ...(values.heavy ? [{ name: `重主体页 ${values.heavy}`, app: [`/subjects/${values.heavy}`], bare: [`/lookup/${values.heavy}`] }] : []),
    ].filter((c) => !values.only || c.name.includes(values.only));
    // Warm-up: JIT, template cache, prepared statements, pools.
    for (const c of cases) {
      await drive(appBase, c.app, 8, 2, app.pid!);
      await drive(bareBase, c.bare, 8, 2, bare.pid!);
    }
    const load = () =>
      loadavg()
        .map((l) => l.toFixed(1))
        .join(' ');
    console.log(`数据库 ${url.replace(/\/\/[^@]*@/, '//')}；每项 ${seconds} 秒 × ${rounds} 轮；开始时负载 ${load()}`);
    const all = new Map<string, { app: Result; bare: Result }[]>();
    for (let r = 0; r < rounds; r++) {
      for (const c of cases) {
        for (const conns of [1, 8]) {
          const key = `${c.name} @${conns}`;
          // Alternate which side goes first, so a burst of other work does not always land on the same one.
          const first = r % 2 === 0;
          const a1 = first ? await drive(appBase, c.app, conns, seconds, app.pid!) : null;
          const b = await drive(bareBase, c.bare, conns, seconds, bare.pid!);
          const a = a1 ?? (await drive(appBase, c.app, conns, seconds, app.pid!));
          if (a.non2xx || b.non2xx) console.warn(`  警告：${key} 有非 2xx 响应（app ${a.non2xx}，bare ${b.non2xx}）`);
          (all.get(key) ?? all.set(key, []).get(key)!).push({ app: a, bare: b });
          console.log(
            `第 ${r + 1} 轮 ${key.padEnd(36)} app ${a.rps.toFixed(0).padStart(5)} 次/秒 p50 ${a.p50} p97.5 ${a.p95} ms CPU ${a.cpuUs.toFixed(0)} µs/次 | ` +
              `bare ${b.rps.toFixed(0).padStart(5)} 次/秒 p50 ${b.p50} p97.5 ${b.p95} ms CPU ${b.cpuUs.toFixed(0)} µs/次 | ` +
              `比值 ${(a.rps / b.rps).toFixed(2)}，CPU 比值 ${(b.cpuUs / a.cpuUs).toFixed(2)}  (负载 ${load()})`,
          );
        }
      }
    }
    const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)]!;
    console.log(`\n== 汇总（各轮中位数；结束时负载 ${load()}；app 日志 ${(logBytes / 1024).toFixed(0)} KB）`);
    for (const [key, rs] of all) {
      const ratios = rs.map((x) => x.app.rps / x.bare.rps);
      const cpuRatios = rs.map((x) => x.bare.cpuUs / x.app.cpuUs);
      const m = (f: (x: { app: Result; bare: Result }) => number, digits = 0) => median(rs.map(f)).toFixed(digits);
      console.log(
        `${key.padEnd(36)} app ${m((x) => x.app.rps)} 次/秒 p50 ${m((x) => x.app.p50)} p97.5 ${m((x) => x.app.p95)} ms CPU ${m((x) => x.app.cpuUs)} µs/次 | ` +
          `bare ${m((x) => x.bare.rps)} 次/秒 p50 ${m((x) => x.bare.p50)} p97.5 ${m((x) => x.bare.p95)} ms CPU ${m((x) => x.bare.cpuUs)} µs/次 | ` +
          `比值 ${median(ratios).toFixed(2)}（各轮 ${ratios.map((x) => x.toFixed(2)).join(' / ')}），CPU 比值 ${median(cpuRatios).toFixed(2)}（各轮 ${cpuRatios.map((x) => x.toFixed(2)).join(' / ')}）`,
      );
    }
  } finally {
    stop();
    await new Promise((r) => setTimeout(r, 500));
  }
}
