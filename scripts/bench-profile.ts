/**
 * DATABASE_URL=… npm run bench:profile -- [--n 200] [--warmup 20] [--budget-s 60] [--seed S] [--explain]
 *
 * Response times of a subject's credit profile (/subjects/:uscc), its section pages (/subjects/:uscc/:section) and
 * the code lookup (/search?q=<USCC>) at scale (issue #16: heavy profile p95 ≤ 50 ms, ordinary ≤ 10 ms, code lookup
 * ≤ 5 ms). Load the database first:
 *
 *   DATABASE_URL=… npm run seed:scale -- --legal 100000 --penalties 500000 --permits 100000
 *
 * The scale data gives its first five subjects 5,000 / 4,000 / 3,000 / 2,000 / 1,000 records; this script finds
 * them by their record counts rather than by position, so it also works on data loaded another way.
 *
 * Starts the app in this process (createApp + buildDeps, env production, on an ephemeral port) and sends sequential
 * requests through fetch (keep-alive), each case warmed up first. Ordinary subjects are drawn at random from the
 * legal persons (seeded by --seed, printed when not given, so a run can be repeated exactly); the heavy cases ask
 * for the heaviest subjects' profiles, and their largest section's first and last page. Each case prints
 * p50 / p95 / p99 / max and its p50 against two baselines measured in the same run: a template-only page
 * (/accessibility) and /healthz (one database round trip). On a busy machine the ratio is steadier than milliseconds.
 * With --explain the profile statement of the heaviest subject is run under EXPLAIN (ANALYZE, BUFFERS) afterwards.
 *
 * Not read-only: every profile view is counted for the subject's report (条例 Art. 40, access_log), as in production.
 */
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import pg from 'pg';
import { createApp } from '../src/app.js';
import { buildDeps } from '../src/deps.js';
import { tuneV8 } from '../src/platform/v8-tuning.js';
import { SESSION_OPTIONS } from '../src/platform/database/client.js';
import { beijingToday } from '../src/domain/dates.js';
import { SECTION_PAGE_ROWS } from '../src/features/subjects/profile.js';
import { Rng } from '../src/seed/demo-subjects.js';
import { cliArgs, fail, intFlag, ms, percentile } from './bench-kit.js';

const USAGE = '用法：DATABASE_URL=… npm run bench:profile -- [--n 200] [--warmup 20] [--budget-s 60] [--seed 随机种子] [--explain]';
/** Issue #16's targets, p95 in ms, by the kind of case. */
const TARGET = { heavy: 50, ordinary: 10, code: 5 } as const;
/** How many of the heaviest subjects the heavy cases rotate over (the scale data has five). */
const HEAVY_SUBJECTS = 5;
/** Ordinary subjects drawn from (a repeatable sample of the legal persons). */
const ORDINARY_POOL = 2000;

const args = cliArgs(
  {
    options: {
      n: { type: 'string' },
      warmup: { type: 'string' },
      seed: { type: 'string' },
      explain: { type: 'boolean', default: false },
      'budget-s': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  },
  USAGE,
);
const count = (v: unknown, fallback: number, flag: string, min = 1): number => intFlag(v, fallback, flag, USAGE, min);
const N = count(args.n, 200, 'n');
const WARMUP = count(args.warmup, 20, 'warmup', 0);
const SEED = count(args.seed, Math.floor(Math.random() * 2 ** 31), 'seed', 0);
const BUDGET_MS = count(args['budget-s'], 60, 'budget-s') * 1000;
const MIN_SAMPLES = 3;
const url = process.env.DATABASE_URL?.trim();
if (!url) fail('错误：未设置环境变量 DATABASE_URL（应指向已用 seed:scale 填充的数据库）');

/** mulberry32 (the demo generator's): the same seed draws the same run. */
const rng = new Rng(SEED);
const random = (): number => rng.next();
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;

interface Heavy {
  uscc: string;
  penalties: number;
  permits: number;
}

/** The subjects with the most public records, and their counts as the profile shows them. */
async function heaviest(client: pg.Client, today: string): Promise<Heavy[]> {
  // A pass over the penalty table's legal_person_id index, outside the timed requests.
  const { rows } = await client.query<Heavy>(
    `SELECT lp.uscc,
            (SELECT count(*)::int FROM penalty p WHERE p.legal_person_id = lp.id AND p.is_public AND p.public_until >= $1::date) AS penalties,
            (SELECT count(*)::int FROM permit p WHERE p.legal_person_id = lp.id AND p.is_public) AS permits
       FROM (SELECT legal_person_id FROM penalty WHERE legal_person_id IS NOT NULL GROUP BY 1 ORDER BY count(*) DESC LIMIT $2) top
       JOIN legal_person lp ON lp.id = top.legal_person_id
      WHERE lp.uscc IS NOT NULL`,
    [today, HEAVY_SUBJECTS],
  );
  return rows.sort((a, b) => b.penalties + b.permits - (a.penalties + a.permits));
}

async function ordinary(client: pg.Client, exclude: readonly string[]): Promise<string[]> {
  const total = Number((await client.query<{ n: string }>('SELECT count(*) AS n FROM legal_person')).rows[0]!.n);
  if (total === 0) fail('错误：legal_person 表是空的。请先运行 npm run seed:scale');
  const percent = Math.min(100, (100 * ORDINARY_POOL * 2) / total);
  const { rows } = await client.query<{ uscc: string }>(
    `SELECT uscc FROM legal_person TABLESAMPLE BERNOULLI ($1) REPEATABLE ($2) WHERE uscc IS NOT NULL AND uscc <> ALL ($3::text[]) LIMIT $4`,
    [percent, SEED, exclude, ORDINARY_POOL],
  );
  if (rows.length === 0) fail('错误：没有带统一社会信用代码的法人');
  return rows.map((r) => r.uscc);
}

/** Requests that did not answer 200, printed at the end. */
const failures: string[] = [];

async function get(origin: string, path: string): Promise<number> {
  const started = performance.now();
  const res = await fetch(origin + path);
  // Reading the body to the end is part of the response time and lets the connection be reused.
  await res.arrayBuffer();
  const elapsed = performance.now() - started;
  if (res.status !== 200) failures.push(`${res.status} ${path}（${elapsed.toFixed(0)} ms）`);
  return elapsed;
}

interface Case {
  label: string;
  target?: number;
  draw: () => string;
}

async function measure(origin: string, c: Case): Promise<number[]> {
  for (let i = 0; i < WARMUP; i++) await get(origin, c.draw());
  const times: number[] = [];
  const started = performance.now();
  while (times.length < N && (times.length < MIN_SAMPLES || performance.now() - started < BUDGET_MS)) times.push(await get(origin, c.draw()));
  return times.sort((a, b) => a - b);
}

const today = beijingToday();
tuneV8();
const deps = buildDeps(url, { logLevel: 'warn' });
// The plans are printed as the app's connections would run them (SESSION_OPTIONS: no JIT).
const client = new pg.Client({ connectionString: url, options: SESSION_OPTIONS });
let server: Server | null = null;

try {
  await client.connect();
  const heavy = await heaviest(client, today);
  if (heavy.length === 0) fail('错误：没有带行政处罚的法人。请先运行 npm run seed:scale -- --penalties …');
  const usccs = await ordinary(
    client,
    heavy.map((h) => h.uscc),
  );
  const top = heavy[0]!;
  const lastPage = (n: number) => Math.max(1, Math.ceil(n / SECTION_PAGE_ROWS));
  console.log(`随机种子：${SEED}（用 --seed ${SEED} 重复本次运行）`);
  console.log(`最重的主体（公示中的处罚 + 许可）：${heavy.map((h) => `${h.uscc} ${h.penalties}+${h.permits}`).join('，')}`);
  console.log(`普通主体：从 ${usccs.length} 个随机抽取的法人中抽取；每种情形 ${N} 次顺序请求（预热 ${WARMUP} 次）`);

  const app = createApp(deps, { env: 'production', sessionSecret: 'bench-profile-secret-0123456789abcdef01' });
  server = await new Promise<Server>((resolve) => {
    const srv = app.listen(0, '127.0.0.1', () => resolve(srv));
  });
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const cases: Case[] = [
    { label: '基线：/accessibility（只渲染模板）', draw: () => '/accessibility' },
    { label: '基线：/healthz（一次数据库往返）', draw: () => '/healthz' },
    { label: '代码查询 /search?q=统一社会信用代码（随机普通主体）', target: TARGET.code, draw: () => `/search?q=${pick(usccs)}` },
    { label: '信用主体页，随机普通主体', target: TARGET.ordinary, draw: () => `/subjects/${pick(usccs)}` },
    { label: `信用主体页，最重的主体（${top.penalties} 条处罚 + ${top.permits} 条许可）`, target: TARGET.heavy, draw: () => `/subjects/${top.uscc}` },
    { label: `信用主体页，最重的 ${heavy.length} 个主体轮流`, target: TARGET.heavy, draw: () => `/subjects/${pick(heavy).uscc}` },
    { label: '处罚分页第 1 页（最重的主体）', target: TARGET.heavy, draw: () => `/subjects/${top.uscc}/penalties` },
    {
      label: `处罚分页最后一页（第 ${lastPage(top.penalties)} 页，最重的主体）`,
      target: TARGET.heavy,
      draw: () => `/subjects/${top.uscc}/penalties?page=${lastPage(top.penalties)}`,
    },
    { label: '许可分页第 1 页（最重的主体）', target: TARGET.heavy, draw: () => `/subjects/${top.uscc}/permits` },
    {
      label: `许可分页最后一页（第 ${lastPage(top.permits)} 页，最重的主体）`,
      target: TARGET.heavy,
      draw: () => `/subjects/${top.uscc}/permits?page=${lastPage(top.permits)}`,
    },
  ];
  const stats: { c: Case; n: number; p50: number; p95: number; p99: number; max: number }[] = [];
  for (const c of cases) {
    const t = await measure(origin, c);
    stats.push({ c, n: t.length, p50: percentile(t, 0.5), p95: percentile(t, 0.95), p99: percentile(t, 0.99), max: t.at(-1)! });
    console.log(`  ${c.label}：p50 ${percentile(t, 0.5).toFixed(1)} ms，p95 ${percentile(t, 0.95).toFixed(1)} ms（${t.length} 次）`);
  }
  const [template, health] = [stats[0]!.p50, stats[1]!.p50];
  console.log(
    `\n${'p50 ms'.padStart(7)} ${'p95 ms'.padStart(7)} ${'p99 ms'.padStart(7)} ${'max ms'.padStart(7)}  ${'×模板页'.padStart(6)} ${'×healthz'.padStart(8)} ${'次数'.padStart(4)}  情形`,
  );
  for (const r of stats) {
    const flag = r.c.target !== undefined ? (r.p95 > r.c.target ? `  ✗ p95 > ${r.c.target} ms` : `  ✓ p95 ≤ ${r.c.target} ms`) : '';
    console.log(
      `${ms(r.p50)} ${ms(r.p95)} ${ms(r.p99)} ${ms(r.max)}  ${(r.p50 / template).toFixed(1).padStart(7)} ${(r.p50 / health).toFixed(1).padStart(8)} ${String(r.n).padStart(6)}  ${r.c.label}${flag}`,
    );
  }
  if (failures.length) console.log(`\n✗ ${failures.length} 个请求未返回 200：\n  ${[...new Set(failures)].slice(0, 20).join('\n  ')}`);

  if (args.explain) {
    // The page's statement as ProfileRepository prepares it (web columns, 20 a section), for the heaviest subject.
    const { rows } = await client.query<{ id: number }>('SELECT id FROM legal_person WHERE uscc = $1', [top.uscc]);
    console.log(`\n== EXPLAIN (ANALYZE, BUFFERS)：最重的主体（legal_person.id ${rows[0]?.id}）的信用主体页查询 ==`);
    const captured: { text: string; values: unknown[] }[] = [];
    const spy = { query: (q: { text: string; values: unknown[] }) => (captured.push(q), client.query(q.text, q.values)) };
    const { ProfileRepository } = await import('../src/features/subjects/profile-repository.js');
    await new ProfileRepository(spy as unknown as pg.Pool).byUscc(top.uscc, today, { full: false, limit: 20 });
    await new ProfileRepository(spy as unknown as pg.Pool).byUscc(top.uscc, today, {
      full: false,
      limit: SECTION_PAGE_ROWS,
      section: 'penalties',
      offset: (lastPage(top.penalties) - 1) * SECTION_PAGE_ROWS,
    });
    for (const q of captured) {
      const plan = await client.query<{ 'QUERY PLAN': string }>(`EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) ${q.text}`, q.values);
      console.log(plan.rows.map((r) => r['QUERY PLAN']).join('\n'), '\n');
    }
  }
} catch (err) {
  console.error(`基准测试失败：${(err as Error).stack ?? (err as Error).message}`);
  process.exitCode = 1;
} finally {
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  await Promise.allSettled([client.end(), deps.close()]);
}
