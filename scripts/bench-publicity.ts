/**
 * DATABASE_URL=… npm run bench:publicity -- [--kind penalty|permit] [--n 200] [--warmup 20] [--budget-s 120] [--seed S] [--explain 3]
 *
 * Response times of the public 行政处罚 (or, with --kind permit, 行政许可) list at production size. Load the database first:
 *
 *   DATABASE_URL=… npm run seed:scale -- --legal 1000000 --penalties 4000000 --permits 1000000
 *
 * Starts the app in this process (createApp + buildDeps, on an ephemeral port) and sends sequential requests through
 * fetch (keep-alive, cookies kept as a browser would). Every request of a case is drawn at random, so the benchmark
 * cannot keep asking the one easy URL: name fragments of 2–4 characters cut at random from real record names,
 * departments and counties that hold records, categories, date ranges of a day to a year, 文书号 and USCCs of real
 * records, and pages from 1 to the deepest the list serves (PUBLIC_MAX_PAGES), the deepest page on its own too.
 * The random generator is seeded from --seed (printed when not given), so a run can be repeated exactly.
 *
 * Each case prints p50 / p95 / p99 / max and its p50 against a template-only page (/accessibility) measured in the
 * same run, the baseline: the ratio is what the case's queries add, and is steadier than milliseconds on a busy
 * machine. Then the slowest requests of each case are run again through the repository under EXPLAIN (ANALYZE,
 * BUFFERS) (the SQL captured from Prisma's query log) and a summary of each plan is printed.
 * Read-only: it writes nothing to the database.
 */
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import pg from 'pg';
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from '../src/generated/prisma/client.js';
import { createApp } from '../src/app.js';
import { buildDeps } from '../src/deps.js';
import { tuneV8 } from '../src/platform/v8-tuning.js';
import { SESSION_OPTIONS } from '../src/platform/database/client.js';
import { addDays, beijingToday } from '../src/domain/dates.js';
import { PUBLIC_MAX_PAGES } from '../src/platform/params.js';
import { CATEGORY_KEYS } from '../src/domain/publicity/fields.js';
import { NAME_FIRST_MAX_NAMES, PublicityRepository, type PublicFilter } from '../src/features/publicity/repository.js';
import { Rng } from '../src/seed/demo-subjects.js';
import { cliArgs, fail, intFlag, ms, percentile } from './bench-kit.js';

const USAGE =
  '用法：DATABASE_URL=… npm run bench:publicity -- [--kind penalty|permit] [--n 200] [--warmup 20] [--budget-s 120] [--seed 随机种子] [--explain 3]';
/** The public list's page size (public-routes.ts). */
const PAGE_SIZE = 20;
const SLOW_P95_MS = 50;
/** How far back the scale data's decisions go (seed-scale.ts). */
const SPAN_DAYS = 3 * 365;

const args = cliArgs(
  {
    options: {
      kind: { type: 'string' },
      n: { type: 'string' },
      warmup: { type: 'string' },
      seed: { type: 'string' },
      explain: { type: 'string' },
      'budget-s': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  },
  USAGE,
);
const count = (v: unknown, fallback: number, flag: string, min = 1): number => intFlag(v, fallback, flag, USAGE, min);
const N = count(args.n, 200, 'n');
const WARMUP = count(args.warmup, 20, 'warmup', 0);
const EXPLAIN_SLOWEST = count(args.explain, 3, 'explain', 0);
const SEED = count(args.seed, Math.floor(Math.random() * 2 ** 31), 'seed', 0);
if (args.kind !== undefined && args.kind !== 'penalty' && args.kind !== 'permit') fail(`错误：--kind 应为 penalty 或 permit。${USAGE}`);
/** The column measured: 行政处罚 (default) or 行政许可. */
const KIND: 'penalty' | 'permit' = args.kind === 'permit' ? 'permit' : 'penalty';
const SEGMENT = KIND === 'permit' ? 'permits' : 'penalties';
const LABEL = KIND === 'permit' ? '行政许可' : '行政处罚';
/** What the public sees, as PublicityRepository says it. */
const PUBLIC_SQL = KIND === 'permit' ? 'is_public AND $1::date IS NOT NULL' : 'is_public AND public_until >= $1';
const BUDGET_MS = count(args['budget-s'], 120, 'budget-s') * 1000;
const MIN_SAMPLES = 3;
const url = process.env.DATABASE_URL?.trim();
if (!url) fail('错误：未设置环境变量 DATABASE_URL（应指向已用 seed:scale 填充的数据库）');

/** mulberry32 (the demo generator's): the same seed draws the same run. */
const rng = new Rng(SEED);
const random = (): number => rng.next();
const int = (lo: number, hi: number): number => lo + Math.floor(random() * (hi - lo + 1));
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;

// ---------------------------------------------------------------------------------------------------------
// The values requests are drawn from: real values of the loaded database.

interface Pool {
  total: number;
  names: string[];
  documentNos: string[];
  usccs: string[];
  departments: number[];
  counties: number[];
  ids: number[];
}

async function pool(client: pg.Client, today: string): Promise<Pool> {
  const total = Number((await client.query<{ n: string }>(`SELECT count(*) AS n FROM ${KIND}`)).rows[0]!.n);
  if (total === 0) fail(`错误：${KIND} 表是空的。请先运行 npm run seed:scale -- --legal 1000000 --penalties 4000000 --permits 1000000`);
  // setseed makes the sample itself repeatable for the same seed and data.
  await client.query('SELECT setseed($1)', [(SEED % 1_000_000) / 1_000_000]);
  const recs = (
    await client.query<{ id: number; subject_name: string; document_no: string; uscc: string | null }>(
      `SELECT id, subject_name, document_no, uscc FROM ${KIND} TABLESAMPLE BERNOULLI (1) REPEATABLE ($2) WHERE ${PUBLIC_SQL} LIMIT 5000`,
      [today, SEED],
    )
  ).rows;
  if (recs.length === 0) fail(`错误：没有可公开的${LABEL}记录`);
  const departments = (await client.query<{ id: number }>(`SELECT DISTINCT department_id AS id FROM ${KIND} TABLESAMPLE SYSTEM (1) ORDER BY 1`)).rows.map(
    (r) => r.id,
  );
  const counties = (await client.query<{ id: number }>('SELECT id FROM county ORDER BY id')).rows.map((r) => r.id);
  return {
    total,
    names: recs.map((r) => r.subject_name),
    documentNos: recs.map((r) => r.document_no),
    usccs: recs.flatMap((r) => (r.uscc ? [r.uscc] : [])),
    departments,
    counties,
    ids: recs.map((r) => r.id),
  };
}

/** A fragment of 2–4 characters cut at a random place of a real name, as a visitor might type part of a name. */
function fragment(p: Pool): string {
  const chars = Array.from(pick(p.names));
  const len = Math.min(chars.length, int(2, 4));
  const at = int(0, chars.length - len);
  return chars.slice(at, at + len).join('');
}

/** Half the requests ask for the first page, the rest for any page up to the deepest the list serves. */
function page(deepest = false): number {
  if (deepest) return PUBLIC_MAX_PAGES;
  return random() < 0.5 ? 1 : int(2, PUBLIC_MAX_PAGES);
}

/** Each filter present with probability ½ (the keyword as given), at least one of them. */
function mixedFilter(p: Pool, today: string, q?: string): PublicFilter {
  for (;;) {
    const f: PublicFilter = q ? { q } : {};
    if (random() < 0.5) f.dept = pick(p.departments);
    if (random() < 0.5) f.county = pick(p.counties);
    if (random() < 0.3) f.category = pick(Object.values(CATEGORY_KEYS));
    if (random() < 0.5) {
      const span = pick([1, 7, 30, 90, 365]);
      const end = addDays(today, -int(0, SPAN_DAYS));
      if (random() < 0.8) f.from = addDays(end, -span);
      if (random() < 0.8) f.to = end;
    }
    if (Object.keys(f).length > (q ? 1 : 0)) return f;
  }
}

interface Request {
  path: string;
  filter?: PublicFilter;
  page?: number;
}

interface Case {
  label: string;
  draw: () => Request;
}

const CATEGORY_LABEL = Object.fromEntries(Object.entries(CATEGORY_KEYS).map(([label, key]) => [key, label]));

function listRequest(filter: PublicFilter, pageNo: number): Request {
  const query = new URLSearchParams();
  for (const [k, v] of Object.entries(filter)) query.set(k, k === 'category' ? CATEGORY_LABEL[v as string]! : String(v));
  if (pageNo > 1) query.set('page', String(pageNo));
  const qs = query.toString();
  return { path: `/publicity/${SEGMENT}${qs ? `?${qs}` : ''}`, filter, page: pageNo };
}

function cases(p: Pool, today: string): Case[] {
  return [
    { label: '基线：/accessibility（只渲染模板）', draw: () => ({ path: '/accessibility' }) },
    { label: '无条件，随机页', draw: () => listRequest({}, page()) },
    { label: '名称片段（2–4 字），随机页', draw: () => listRequest({ q: fragment(p) }, page()) },
    { label: '名称片段 + 随机条件，随机页', draw: () => listRequest(mixedFilter(p, today, fragment(p)), page()) },
    { label: '随机条件组合（无关键词），随机页', draw: () => listRequest(mixedFilter(p, today), page()) },
    {
      label: `最深页（第 ${PUBLIC_MAX_PAGES} 页），随机条件`,
      draw: () => listRequest(random() < 0.3 ? {} : random() < 0.5 ? { q: fragment(p) } : mixedFilter(p, today), page(true)),
    },
    { label: '文书号或统一社会信用代码', draw: () => listRequest({ q: random() < 0.5 || !p.usccs.length ? pick(p.documentNos) : pick(p.usccs) }, 1) },
    { label: '详情页', draw: () => ({ path: `/publicity/${SEGMENT}/${pick(p.ids)}` }) },
  ];
}

// ---------------------------------------------------------------------------------------------------------
// HTTP

/** Requests that did not answer 200, printed at the end. */
const failures: string[] = [];

/** Sequential GETs with the cookies the server set, like one browser tab. */
class Browser {
  private cookies = new Map<string, string>();
  constructor(private readonly origin: string) {}

  async get(path: string): Promise<number> {
    const started = performance.now();
    const cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const res = await fetch(this.origin + path, { headers: cookie ? { cookie } : {} });
    // Reading the body to the end is part of the response time and lets the connection be reused.
    await res.arrayBuffer();
    const elapsed = performance.now() - started;
    // A timeout (503) is a result to report, not a reason to stop: the slow case is what the run is for.
    if (res.status !== 200) failures.push(`${res.status} ${decodeURIComponent(path)}（${elapsed.toFixed(0)} ms）`);
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const eq = pair!.indexOf('=');
      if (eq > 0) this.cookies.set(pair!.slice(0, eq), pair!.slice(eq + 1));
    }
    return elapsed;
  }
}

interface Timed {
  req: Request;
  ms: number;
}

/**
 * WARMUP drawn requests, then N timed ones, or fewer when a case is so slow that they would not fit in the budget;
 * at least MIN_SAMPLES.
 */
async function measure(browser: Browser, c: Case): Promise<Timed[]> {
  for (let i = 0; i < WARMUP; i++) await browser.get(c.draw().path);
  const times: Timed[] = [];
  const started = performance.now();
  while (times.length < N && (times.length < MIN_SAMPLES || performance.now() - started < BUDGET_MS)) {
    const req = c.draw();
    times.push({ req, ms: await browser.get(req.path) });
  }
  return times;
}

// ---------------------------------------------------------------------------------------------------------
// EXPLAIN of the SQL the repository sends

interface PlanNode {
  'Node Type': string;
  'Index Name'?: string;
  'Relation Name'?: string;
  'Actual Rows'?: number;
  'Actual Loops'?: number;
  'Actual Total Time'?: number;
  'Rows Removed by Filter'?: number;
  'Heap Fetches'?: number;
  'Shared Hit Blocks'?: number;
  'Shared Read Blocks'?: number;
  'Sort Method'?: string;
  Plans?: PlanNode[];
}

function nodeText(n: PlanNode): string {
  const on = n['Index Name'] ? ` using ${n['Index Name']}` : n['Relation Name'] ? ` on ${n['Relation Name']}` : '';
  const removed = n['Rows Removed by Filter'] ? `, filter removed ${n['Rows Removed by Filter'].toLocaleString('en-US')}` : '';
  const heap = n['Heap Fetches'] ? `, heap fetches ${n['Heap Fetches'].toLocaleString('en-US')}` : '';
  const sort = n['Sort Method'] ? `, ${n['Sort Method']}` : '';
  const loops = (n['Actual Loops'] ?? 1) > 1 ? ` × ${n['Actual Loops']} loops` : '';
  return `${n['Node Type']}${on} (rows ${(n['Actual Rows'] ?? 0).toLocaleString('en-US')}${loops}${removed}${heap}${sort}, ${(n['Actual Total Time'] ?? 0).toFixed(1)} ms)`;
}

/** Every node of the plan, indented. */
function summarise(plan: PlanNode): string[] {
  const lines: string[] = [];
  const walk = (n: PlanNode, depth: number) => {
    lines.push(`      ${'  '.repeat(depth)}${depth ? '→ ' : ''}${nodeText(n)}`);
    n.Plans?.forEach((c) => walk(c, depth + 1));
  };
  walk(plan, 0);
  lines.push(
    `      buffers: shared hit ${(plan['Shared Hit Blocks'] ?? 0).toLocaleString('en-US')}, read ${(plan['Shared Read Blocks'] ?? 0).toLocaleString('en-US')}`,
  );
  return lines;
}

async function explain(client: pg.Client, sql: string, params: unknown[]): Promise<string[]> {
  const { rows } = await client.query<{ 'QUERY PLAN': [{ Plan: PlanNode; 'Execution Time': number; 'Planning Time': number }] }>(
    `EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) ${sql}`,
    params,
  );
  const result = rows[0]!['QUERY PLAN'][0];
  return [`    执行 ${result['Execution Time'].toFixed(1)} ms（规划 ${result['Planning Time'].toFixed(1)} ms）`, ...summarise(result.Plan)];
}

// ---------------------------------------------------------------------------------------------------------

const today = beijingToday();
// The app runs under the server's V8 settings.
tuneV8();
const deps = buildDeps(url, { logLevel: 'warn' });
// A second client only to learn the SQL the repository sends; its queries are captured, not timed.
const logged = new PrismaClient({ adapter: new PrismaPg({ connectionString: url, max: 2 }), log: [{ emit: 'event', level: 'query' }] });
let captured: { query: string; params: unknown[] }[] = [];
logged.$on('query', (e) => captured.push({ query: e.query, params: JSON.parse(e.params) as unknown[] }));
// The plans are printed as the app's connections would run them (SESSION_OPTIONS: no JIT).
const client = new pg.Client({ connectionString: url, options: SESSION_OPTIONS });
let server: Server | null = null;

try {
  await client.connect();
  const p = await pool(client, today);
  console.log(`随机种子：${SEED}（用 --seed ${SEED} 重复本次运行）`);
  console.log(`数据库：${LABEL} ${p.total.toLocaleString('en-US')} 行；每种情形 ${N} 次随机抽取的顺序请求（预热 ${WARMUP} 次）`);
  if (p.total < 1_000_000) console.warn('注意：数据量不足 100 万行，结果不代表生产规模');

  const app = createApp(deps, { env: 'production', sessionSecret: 'bench-publicity-secret-0123456789abcdef' });
  server = await new Promise<Server>((resolve) => {
    const srv = app.listen(0, '127.0.0.1', () => resolve(srv));
  });
  const browser = new Browser(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);

  const all = cases(p, today);
  const results: { c: Case; times: Timed[] }[] = [];
  for (const c of all) {
    const times = await measure(browser, c);
    results.push({ c, times });
    const sorted = times.map((t) => t.ms).sort((a, b) => a - b);
    console.log(`  ${c.label}：p50 ${percentile(sorted, 0.5).toFixed(1)} ms，p95 ${percentile(sorted, 0.95).toFixed(1)} ms（${sorted.length} 次）`);
  }
  const stats = results.map((r) => {
    const sorted = r.times.map((t) => t.ms).sort((a, b) => a - b);
    return { ...r, p50: percentile(sorted, 0.5), p95: percentile(sorted, 0.95), p99: percentile(sorted, 0.99), max: sorted.at(-1)! };
  });
  const baseline = stats[0]!.p50;
  console.log(
    `\n${'p50 ms'.padStart(7)} ${'p95 ms'.padStart(7)} ${'p99 ms'.padStart(7)} ${'max ms'.padStart(7)}  ${'×基线'.padStart(6)} ${'次数'.padStart(4)}  情形`,
  );
  for (const r of stats) {
    const flag = r.p95 > SLOW_P95_MS ? `  ✗ p95 > ${SLOW_P95_MS} ms` : '';
    console.log(
      `${ms(r.p50)} ${ms(r.p95)} ${ms(r.p99)} ${ms(r.max)}  ${(r.p50 / baseline).toFixed(1).padStart(6)} ${String(r.times.length).padStart(6)}  ${r.c.label}${flag}`,
    );
  }

  if (failures.length) console.log(`\n✗ ${failures.length} 个请求未返回 200：\n  ${failures.join('\n  ')}`);

  if (EXPLAIN_SLOWEST > 0) {
    console.log(`\n== EXPLAIN (ANALYZE, BUFFERS)：各情形最慢的 ${EXPLAIN_SLOWEST} 个请求对 ${KIND} 表的查询 ==`);
    const repo = new PublicityRepository(
      logged,
      (q) => deps.search.recordNames(q, NAME_FIRST_MAX_NAMES),
      (kind, match, day, cap) => deps.search.publicRecordCount(kind, match, day, cap),
    );
    for (const r of stats) {
      const slowest = [...r.times].sort((a, b) => b.ms - a.ms).slice(0, EXPLAIN_SLOWEST);
      for (const t of slowest) {
        if (!t.req.filter) continue;
        captured = [];
        await repo.publicPage(KIND, t.req.filter, today, t.req.page ?? 1, PAGE_SIZE);
        console.log(`\n${r.c.label}：${decodeURIComponent(t.req.path)}（${t.ms.toFixed(1)} ms）`);
        for (const q of captured.filter((x) => x.query.includes(KIND))) {
          console.log(`  ${q.query.replace(/\s+/g, ' ').slice(0, 160)}…`);
          for (const line of await explain(client, q.query, q.params)) console.log(line);
        }
        const names = await deps.search.recordNames(t.req.filter.q ?? '', NAME_FIRST_MAX_NAMES);
        if (t.req.filter.q) console.log(`  （名称片段匹配 ${names === null ? `超过 ${NAME_FIRST_MAX_NAMES}` : names.length} 个名称）`);
      }
    }
  }
} catch (err) {
  console.error(`基准测试失败：${(err as Error).stack ?? (err as Error).message}`);
  process.exitCode = 1;
} finally {
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  await Promise.allSettled([client.end(), logged.$disconnect(), deps.close()]);
}
