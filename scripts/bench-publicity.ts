/**
 * DATABASE_URL=… npm run bench:publicity -- [--kind penalty|permit] [--n 200] [--warmup 20] [--budget-s 120] [--q <2-char name fragment>]
 *
 * Response times of the public 行政处罚 (or, with --kind permit, 行政许可) list at production size. Load the database first:
 *
 *   DATABASE_URL=… npm run seed:scale -- --legal 1000000 --penalties 4000000 --permits 1000000
 *
 * Starts the app in this process (createApp + buildDeps, on an ephemeral port) and sends N sequential requests
 * per case after a warm-up (fewer if they would take more than --budget-s seconds, at least 3), through fetch
 * (undici, keep-alive), keeping cookies as a browser would. Cases: the
 * list's first page and page 50, a 2-character name fragment, an exact 文书号, a department, a county, a date
 * range, and record detail pages; the baseline is a page that only renders a template (/accessibility), so a
 * case's p50 / baseline p50 is what its queries add. Then it runs the list queries of each case (the SQL Prisma
 * sends, captured from Prisma's query log) under EXPLAIN (ANALYZE, BUFFERS) and prints a summary of each plan.
 * Read-only: it writes nothing to the database.
 */
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from '../src/generated/prisma/client.js';
import { createApp } from '../src/app.js';
import { buildDeps } from '../src/deps.js';
import { tuneV8 } from '../src/platform/v8-tuning.js';
import { SESSION_OPTIONS } from '../src/platform/database/client.js';
import { addMonths, beijingToday } from '../src/domain/dates.js';
import { PublicityRepository, type PublicFilter } from '../src/features/publicity/repository.js';

const USAGE = '用法：DATABASE_URL=… npm run bench:publicity -- [--kind penalty|permit] [--n 200] [--warmup 20] [--budget-s 120] [--q <名称片段>]';
/** The public list's page size (public-routes.ts). */
const PAGE_SIZE = 20;
const SLOW_P95_MS = 100;
/** The place name most subject names start with. */
const REGION_PREFIX = /^(?:新乡(?:经开区|高新区|市|县)?|平原示范区|[\u4e00-\u9fff]{2}[区县市])/;

function fail(message: string): never {
  console.error(message);
  process.exit(1);
}

let args;
try {
  args = parseArgs({
    options: {
      kind: { type: 'string' },
      n: { type: 'string' },
      warmup: { type: 'string' },
      q: { type: 'string' },
      'budget-s': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  }).values;
} catch (err) {
  fail(`错误：${(err as Error).message}。${USAGE}`);
}
if (args.help) {
  console.log(USAGE);
  process.exit(0);
}
const count = (v: string | undefined, fallback: number, flag: string): number => {
  const n = v === undefined ? fallback : Number(v);
  if (!Number.isSafeInteger(n) || n < 1) fail(`错误：--${flag} 应为正整数。${USAGE}`);
  return n;
};
const N = count(args.n, 200, 'n');
const WARMUP = count(args.warmup, 20, 'warmup');
const FRAGMENT: string | undefined = args.q;
if (args.kind !== undefined && args.kind !== 'penalty' && args.kind !== 'permit') fail(`错误：--kind 应为 penalty 或 permit。${USAGE}`);
/** The column measured: 行政处罚 (default) or 行政许可. */
const KIND: 'penalty' | 'permit' = args.kind === 'permit' ? 'permit' : 'penalty';
const SEGMENT = KIND === 'permit' ? 'permits' : 'penalties';
const LABEL = KIND === 'permit' ? '行政许可' : '行政处罚';
/** What the public sees, as PublicityRepository.publicWhere says it. */
const PUBLIC_SQL = KIND === 'permit' ? 'is_public' : 'is_public AND public_until >= $1';
const BUDGET_MS = count(args['budget-s'], 120, 'budget-s') * 1000;
const WARMUP_BUDGET_MS = 10_000;
const MIN_SAMPLES = 3;
const url = process.env.DATABASE_URL?.trim();
if (!url) fail('错误：未设置环境变量 DATABASE_URL（应指向已用 seed:scale 填充的数据库）');

const percentile = (sorted: readonly number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)]!;
const ms = (x: number): string => x.toFixed(1).padStart(7);

// ---------------------------------------------------------------------------------------------------------
// The data the cases ask about: real values of the loaded database.

interface Sample {
  total: number;
  fragment: string;
  documentNo: string;
  departmentId: number;
  departmentName: string;
  countyId: number;
  countyName: string;
  ids: number[];
}

async function sample(client: pg.Client, today: string): Promise<Sample> {
  const total = Number((await client.query<{ n: string }>(`SELECT count(*) AS n FROM ${KIND}`)).rows[0]!.n);
  if (total === 0) fail(`错误：${KIND} 表是空的。请先运行 npm run seed:scale -- --legal 1000000 --penalties 4000000 --permits 1000000`);
  // Detail pages of records a visitor can open, spread over the table.
  const ids = (
    await client.query<{ id: number }>(`SELECT id FROM ${KIND} TABLESAMPLE SYSTEM (1) WHERE ${PUBLIC_SQL} AND $1::date IS NOT NULL LIMIT $2`, [today, N])
  ).rows.map((r) => r.id);
  if (ids.length === 0) fail(`错误：没有可公开的${LABEL}记录`);
  const rec = (
    await client.query<{ subject_name: string; document_no: string; county_id: number | null }>(
      `SELECT subject_name, document_no, county_id FROM ${KIND} WHERE id = ANY($1) AND subject_category = 'legal' LIMIT 1`,
      [ids],
    )
  ).rows[0];
  if (!rec) fail(`错误：抽样中没有法人的${LABEL}记录`);
  // A trade-name fragment, past the region (新乡市, 长垣市, 平原示范区 …), as a visitor would type it.
  const fragment = FRAGMENT ?? [...rec.subject_name.replace(REGION_PREFIX, '')].slice(0, 2).join('');
  const dept = (
    await client.query<{ id: number; name: string }>(
      `SELECT d.id, d.name FROM department d WHERE d.id = (SELECT department_id FROM ${KIND} GROUP BY department_id ORDER BY count(*) DESC LIMIT 1)`,
    )
  ).rows[0]!;
  const county = (
    await client.query<{ id: number; name: string }>(`SELECT id, name FROM county WHERE id = coalesce($1, (SELECT min(id) FROM county))`, [rec.county_id])
  ).rows[0]!;
  return { total, fragment, documentNo: rec.document_no, departmentId: dept.id, departmentName: dept.name, countyId: county.id, countyName: county.name, ids };
}

interface Case {
  label: string;
  /** Paths to request in turn (one unless the case walks over records). */
  paths: string[];
  /** The repository call behind the page, for EXPLAIN; none for the baseline. */
  filter?: PublicFilter;
  page?: number;
  detailId?: number;
  /** measured on a second server whose repository matches a name fragment with LIKE (the reference for the name index) */
  like?: boolean;
}

function cases(s: Sample, today: string): Case[] {
  const from = addMonths(today, -3);
  const to = addMonths(today, -2);
  const list = (label: string, filter: PublicFilter, page = 1): Case => {
    const query = new URLSearchParams(Object.entries({ ...filter, ...(page > 1 ? { page } : {}) }).map(([k, v]) => [k, String(v)]));
    const qs = query.toString();
    return { label, paths: [`/publicity/${SEGMENT}${qs ? `?${qs}` : ''}`], filter, page };
  };
  return [
    { label: '基线：/accessibility（只渲染模板）', paths: ['/accessibility'] },
    list('列表第 1 页', {}),
    list('列表第 50 页', {}, 50),
    list(`关键词：名称片段“${s.fragment}”`, { q: s.fragment }),
    { ...list(`关键词：名称片段“${s.fragment}”（对照：LIKE，不经名称索引）`, { q: s.fragment }), like: true },
    list(`关键词：文书号 ${s.documentNo}`, { q: s.documentNo }),
    list(`部门：${s.departmentName}`, { dept: s.departmentId }),
    list(`县区：${s.countyName}`, { county: s.countyId }),
    list(`日期：${from} 至 ${to}`, { from, to }),
    { label: `详情页（${s.ids.length} 条记录轮流）`, paths: s.ids.map((id) => `/publicity/${SEGMENT}/${id}`), detailId: s.ids[0]! },
  ];
}

// ---------------------------------------------------------------------------------------------------------
// HTTP

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
    if (res.status !== 200) throw new Error(`${path} 返回 ${res.status}`);
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const eq = pair!.indexOf('=');
      if (eq > 0) this.cookies.set(pair!.slice(0, eq), pair!.slice(eq + 1));
    }
    return elapsed;
  }
}

/**
 * N timed requests after the warm-up, or fewer when a case is so slow that they would not fit in the budget
 * (a case at seconds per request would otherwise run for hours); at least MIN_SAMPLES.
 */
async function measure(browser: Browser, c: Case): Promise<{ p50: number; p95: number; n: number }> {
  const path = (i: number): string => c.paths[i % c.paths.length]!;
  let started = performance.now();
  for (let i = 0; i < WARMUP && (i === 0 || performance.now() - started < WARMUP_BUDGET_MS); i++) await browser.get(path(i));
  const times: number[] = [];
  started = performance.now();
  while (times.length < N && (times.length < MIN_SAMPLES || performance.now() - started < BUDGET_MS)) times.push(await browser.get(path(times.length)));
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 0.5), p95: percentile(times, 0.95), n: times.length };
}

// ---------------------------------------------------------------------------------------------------------
// EXPLAIN of the SQL Prisma sends

interface PlanNode {
  'Node Type': string;
  'Index Name'?: string;
  'Relation Name'?: string;
  'Actual Rows'?: number;
  'Actual Loops'?: number;
  'Actual Total Time'?: number;
  'Rows Removed by Filter'?: number;
  'Shared Hit Blocks'?: number;
  'Shared Read Blocks'?: number;
  'Sort Method'?: string;
  Plans?: PlanNode[];
}

function nodeText(n: PlanNode): string {
  const on = n['Index Name'] ? ` using ${n['Index Name']}` : n['Relation Name'] ? ` on ${n['Relation Name']}` : '';
  const removed = n['Rows Removed by Filter'] ? `, filter removed ${n['Rows Removed by Filter'].toLocaleString('en-US')}` : '';
  const sort = n['Sort Method'] ? `, ${n['Sort Method']}` : '';
  // Under a Gather, rows and times are per process (loops = workers + leader).
  const loops = (n['Actual Loops'] ?? 1) > 1 ? ` × ${n['Actual Loops']} loops` : '';
  return `${n['Node Type']}${on} (rows ${(n['Actual Rows'] ?? 0).toLocaleString('en-US')}${loops}${removed}${sort}, ${(n['Actual Total Time'] ?? 0).toFixed(1)} ms)`;
}

/** The plan's spine, root to the first scan, and its slowest leaf. */
function summarise(plan: PlanNode): string[] {
  const spine: string[] = [];
  for (let n: PlanNode | undefined = plan; n; n = n.Plans?.[0]) spine.push(nodeText(n));
  const scans: PlanNode[] = [];
  const walk = (n: PlanNode) => {
    if (!n.Plans?.length) scans.push(n);
    n.Plans?.forEach(walk);
  };
  walk(plan);
  const slowest = scans.sort((a, b) => (b['Actual Total Time'] ?? 0) - (a['Actual Total Time'] ?? 0))[0];
  const lines = [`      ${spine.join('\n        → ')}`];
  if (slowest && scans.length > 1) lines.push(`      最慢的扫描：${nodeText(slowest)}`);
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
// A second client only to learn the SQL Prisma sends for each case; its queries are captured, not timed.
const logged = new PrismaClient({ adapter: new PrismaPg({ connectionString: url, max: 2 }), log: [{ emit: 'event', level: 'query' }] });
let captured: { query: string; params: unknown[] }[] = [];
logged.$on('query', (e) => captured.push({ query: e.query, params: JSON.parse(e.params) as unknown[] }));
// The plans are printed as the app's connections would run them (SESSION_OPTIONS: no JIT).
const client = new pg.Client({ connectionString: url, options: SESSION_OPTIONS });
let server: Server | null = null;
let likeServer: Server | null = null;

try {
  await client.connect();
  const s = await sample(client, today);
  console.log(`数据库：${LABEL} ${s.total.toLocaleString('en-US')} 行；每种情形 ${N} 次顺序请求（预热 ${WARMUP} 次）`);
  if (s.total < 1_000_000) console.warn('注意：数据量不足 100 万行，结果不代表生产规模');

  const app = createApp(deps, { env: 'production', sessionSecret: 'bench-publicity-secret-0123456789abcdef' });
  server = await new Promise<Server>((resolve) => {
    const srv = app.listen(0, '127.0.0.1', () => resolve(srv));
  });
  const browser = new Browser(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  // The reference: the same app, but a name fragment matched with LIKE on the records (no record-name lookup).
  const likeApp = createApp(
    { ...deps, publicityRepo: new PublicityRepository(deps.db) },
    { env: 'production', sessionSecret: 'bench-publicity-secret-0123456789abcdef' },
  );
  likeServer = await new Promise<Server>((resolve) => {
    const srv = likeApp.listen(0, '127.0.0.1', () => resolve(srv));
  });
  const likeBrowser = new Browser(`http://127.0.0.1:${(likeServer.address() as AddressInfo).port}`);

  const all = cases(s, today);
  const results: { c: Case; p50: number; p95: number; n: number }[] = [];
  for (const c of all) {
    const r = await measure(c.like ? likeBrowser : browser, c);
    results.push({ c, ...r });
    console.log(`  ${c.label}：p50 ${r.p50.toFixed(1)} ms，p95 ${r.p95.toFixed(1)} ms（${r.n} 次）`);
  }
  const baseline = results[0]!.p50;
  console.log(`\n${'p50 ms'.padStart(7)} ${'p95 ms'.padStart(7)}  ${'×基线'.padStart(6)} ${'次数'.padStart(4)}  情形`);
  for (const r of results) {
    const flag = r.p95 > SLOW_P95_MS ? '  ✗ p95 > 100 ms' : '';
    console.log(`${ms(r.p50)} ${ms(r.p95)}  ${(r.p50 / baseline).toFixed(1).padStart(6)} ${String(r.n).padStart(6)}  ${r.c.label}${flag}`);
  }

  console.log(`\n== EXPLAIN (ANALYZE, BUFFERS)：各情形对 ${KIND} 表的查询（Prisma 实际发送的 SQL） ==`);
  const repo = new PublicityRepository(logged, (q) => deps.search.recordNames(q, 5000));
  const likeRepo = new PublicityRepository(logged);
  for (const c of all) {
    if (!c.filter && c.detailId === undefined) continue;
    captured = [];
    if (c.detailId !== undefined) await repo.publicDetail(KIND, c.detailId, today);
    else await (c.like ? likeRepo : repo).publicPage(KIND, c.filter!, today, c.page ?? 1, PAGE_SIZE);
    console.log(`\n${c.label}`);
    for (const q of captured.filter((x) => x.query.includes(`FROM "public"."${KIND}"`))) {
      // Both list queries order: the page by decision date, the capped count by id (Prisma's default with `take`).
      const kind = c.detailId !== undefined ? '详情' : /"decision_date" DESC/.test(q.query) ? '列表（本页 20 行）' : '计数（取 id，上限 10001）';
      if (c === all[1]) console.log(`  SQL：${q.query}`);
      console.log(`  ${kind}：`);
      for (const line of await explain(client, q.query, q.params)) console.log(line);
    }
  }
} catch (err) {
  console.error(`基准测试失败：${(err as Error).stack ?? (err as Error).message}`);
  process.exitCode = 1;
} finally {
  for (const srv of [server, likeServer]) await new Promise<void>((resolve) => (srv ? srv.close(() => resolve()) : resolve()));
  await Promise.allSettled([client.end(), logged.$disconnect(), deps.close()]);
}
