/**
 * DATABASE_URL=postgresql://postgres@127.0.0.1:5432/postgres npm run bench:import -- [--rows 100000] [--runs 3] [--known-subjects] [--profile]
 *
 * What the batch import costs compared with PostgreSQL's own COPY of the same file. Writes a CSV of
 * generated penalties in the national 2019 shape (all valid, one department's, as a clerk would upload
 * them), creates a scratch database bench_import_<random> on DATABASE_URL's server, and per run times
 *  (a) the real import path, ImportService.start() of a clerk of that department until `done`, on empty
 *      record and subject tables (so it also creates the subjects; with --known-subjects the subjects are already
 *      in the libraries), sampling the process RSS every 50 ms, under the server's V8 settings;
 *  (b) COPY of the same file (CSV, HEADER) into a plain table of text columns, through pg-copy-streams: the
 *      baseline the target is set against (import / COPY ≤ 2);
 *  (c) for comparison only, COPY of the same rows as the import stored them (COPY penalty TO a file first)
 *      into a copy of the penalty table with the same indexes and foreign keys: what storing them costs at all.
 * Prints every run and the medians; targets: import / plain COPY ≤ 2, RSS growth < 100 MB.
 *
 * When the ratio is above 2 (or with --profile) it then takes the import apart, on the same empty tables:
 * reading the CSV, + the record schema, and writeRecords statement by statement (as the import calls it). The scratch database is dropped at the end, also after a failure or Ctrl-C.
 */
import { randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { copyFile, mkdtemp, rm, stat } from 'node:fs/promises';
import { once } from 'node:events';
import { finished, pipeline } from 'node:stream/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import v8 from 'node:v8';
import vm from 'node:vm';
import pg from 'pg';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';
import { applyMigrations } from '../src/platform/database/migrate.js';
import { seedReference } from '../src/seed/subjects.js';
import { buildDeps, type AppDeps } from '../src/deps.js';
import { startWorker } from '../src/jobs.js';
import { SESSION_OPTIONS } from '../src/platform/database/client.js';
import { tuneV8 } from '../src/platform/v8-tuning.js';
import { DEMO_SEED, SCALE_FIRST_INDEX, generateLegalPersons, generateNaturalPersons } from '../src/seed/demo-subjects.js';
import { generateDemoRecords } from '../src/seed/demo-records.js';
import { SIMPLE_PROCEDURE_FIELD, fieldsOf } from '../src/domain/publicity/fields.js';
import { recordSchema } from '../src/domain/publicity/schemas.js';
import { beijingToday } from '../src/domain/dates.js';
import { csvLine } from '../src/platform/csv-cell.js';
import { exportCsvHeader } from '../src/features/imports/template.js';
import { openImport } from '../src/features/imports/parse.js';
import { writeRecords, type StagedRow } from '../src/features/publicity/writer.js';
import { fail } from './bench-kit.js';

const USAGE = '用法：DATABASE_URL=… npm run bench:import -- [--rows 100000] [--runs 3] [--known-subjects] [--profile]';
/** The busiest reporting department; its clerk imports its own penalties. */
const DEPARTMENT = '新乡市市场监督管理局';
const DAY_MS = 86_400_000;

let args;
try {
  args = parseArgs({
    options: {
      rows: { type: 'string' },
      runs: { type: 'string' },
      'known-subjects': { type: 'boolean' },
      profile: { type: 'boolean' },
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
const positive = (v: string | undefined, fallback: number, flag: string): number => {
  const n = v === undefined ? fallback : Number(v.replaceAll('_', ''));
  if (!Number.isSafeInteger(n) || n <= 0) fail(`错误：--${flag} 应为正整数。${USAGE}`);
  return n;
};
const ROWS = positive(args.rows, 100_000, 'rows');
const RUNS = positive(args.runs, 3, 'runs');
const serverUrl = process.env.DATABASE_URL?.trim();
if (!serverUrl) fail('错误：未设置环境变量 DATABASE_URL（该服务器上会临时建立并删除 bench_import_<随机> 数据库）');

// The import runs under the server's V8 settings.
tuneV8();
// A full collection before each measurement makes the RSS baseline comparable between runs.
v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

const seconds = (ms: number): string => (ms / 1000).toFixed(2);
const mb = (bytes: number): string => (bytes / 1024 / 1024).toFixed(1);
const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};

// ---------------------------------------------------------------------------------------------------------
// The file

/** National 2019 field codes plus JYCX, which the generator fills for natural persons' penalties. */
const KEYS = [...fieldsOf('penalty').map((f) => f.key), SIMPLE_PROCEDURE_FIELD.key];
const HEADER = [...exportCsvHeader('penalty'), SIMPLE_PROCEDURE_FIELD.code];

async function writeCsv(file: string): Promise<number> {
  const subjects = [...generateLegalPersons(50_000, DEMO_SEED, { firstIndex: SCALE_FIRST_INDEX })].map((p) => ({
    name: p.name,
    uscc: p.uscc,
    legalRepresentative: p.legalRepresentative,
    subjectType: p.subjectType,
  }));
  const people = [...generateNaturalPersons(10_000, DEMO_SEED, { firstIndex: SCALE_FIRST_INDEX })].map((p) => ({ name: p.name, docNumber: p.docNumber }));
  const endDay = Math.floor(Date.parse(`${beijingToday()}T00:00:00Z`) / DAY_MS) - 1;
  const out = createWriteStream(file);
  // What Excel's 「CSV UTF-8」 writes: a BOM and CRLF.
  out.write(`\ufeff${HEADER.join(',')}\r\n`);
  let written = 0;
  // The generator spreads records over six departments; a department uploads only its own, so take those.
  for (const r of generateDemoRecords('penalty', ROWS * 20, { seed: DEMO_SEED, subjects, people, endDay, spanDays: 3 * 365, firstSerial: 1 })) {
    if (r.departmentName !== DEPARTMENT) continue;
    if (!out.write(csvLine(KEYS.map((k) => r.raw[k] ?? '')))) await once(out, 'drain');
    if (++written === ROWS) break;
  }
  out.end();
  await finished(out);
  if (written < ROWS) throw new Error(`只生成了 ${written} 行`);
  return (await stat(file)).size;
}

// ---------------------------------------------------------------------------------------------------------
// The scratch database

function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

async function admin(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

const dbName = `bench_import_${randomBytes(4).toString('hex')}`;
const dbUrl = withDatabase(serverUrl, dbName);
const workDir = await mkdtemp(path.join(os.tmpdir(), 'bench-import-'));
const csvPath = path.join(workDir, 'penalties.csv');
let deps: AppDeps | null = null;
let cleaned: Promise<void> | null = null;
const cleanUp = (): Promise<void> =>
  (cleaned ??= (async () => {
    await deps?.close();
    await admin(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`).catch((err: Error) => console.error(`删除临时数据库 ${dbName} 失败：${err.message}`));
    await rm(workDir, { recursive: true, force: true });
  })());
process.once('SIGINT', () => {
  console.error('\n已中断，正在删除临时数据库…');
  void cleanUp().finally(() => process.exit(130));
});

/**
 * Every run starts from the same state: reference data and the clerk, no records or imports, and by default no
 * subjects or record names either (the worst case: every subject is new to the platform). With --known-subjects the
 * subject libraries and record names of an untimed first import stay, as when the libraries are loaded from the
 * registration authorities and the subjects have earlier records.
 */
const KNOWN_SUBJECTS = args['known-subjects'] === true;
async function reset(client: pg.Client): Promise<void> {
  const subjects = KNOWN_SUBJECTS ? '' : ', legal_person, natural_person, record_name';
  await client.query(`TRUNCATE penalty, permit, import, audit_log${subjects} RESTART IDENTITY CASCADE`);
  await client.query('VACUUM ANALYZE penalty, legal_person, natural_person');
}

// ---------------------------------------------------------------------------------------------------------
// (a) the import, (b) COPY

interface Run {
  importMs: number;
  copyMs: number;
  indexedCopyMs: number;
  rssGrowth: number;
}

async function timeImport(user: Express.User, run: number): Promise<{ ms: number; rssGrowth: number }> {
  // ImportService deletes its upload when done, as it does multer's temporary file.
  const upload = path.join(workDir, `upload-${run}.csv`);
  await copyFile(csvPath, upload);
  const size = (await stat(upload)).size;
  gc();
  const base = process.memoryUsage().rss;
  let peak = base;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 50);
  const started = performance.now();
  const { id } = await deps!.imports.start('penalty', { path: upload, originalName: 'penalties.csv', size }, user, '127.0.0.1');
  await deps!.imports.waitFinished(id, 600_000);
  const ms = performance.now() - started;
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage().rss);
  const result = await deps!.db.import.findUniqueOrThrow({ where: { id } });
  if (result.status !== 'succeeded' || result.insertedRows !== ROWS) {
    throw new Error(
      `导入未成功：${result.status}，新增 ${result.insertedRows} 行，${result.message ?? ''} ${JSON.stringify(result.errors ?? []).slice(0, 500)}`,
    );
  }
  return { ms, rssGrowth: peak - base };
}

async function timeCopy(client: pg.Client): Promise<number> {
  await client.query('TRUNCATE bench_copy');
  const started = performance.now();
  await pipeline(createReadStream(csvPath), client.query(copyFrom(`COPY bench_copy FROM STDIN (FORMAT csv, HEADER true)`)));
  return performance.now() - started;
}

/** The penalty table's rows, as stored, in COPY text form in a file: the input of timeIndexedCopy. */
async function dumpPenalties(client: pg.Client, file: string): Promise<void> {
  await pipeline(client.query(copyTo('COPY penalty TO STDOUT')), createWriteStream(file));
}

/** A scratch copy of the penalty table with its indexes, defaults, checks and foreign keys. */
async function createIndexedCopy(client: pg.Client): Promise<void> {
  await client.query('CREATE TABLE bench_copy_indexed (LIKE penalty INCLUDING ALL)');
  const fks = await client.query<{ def: string }>(
    `SELECT pg_get_constraintdef(oid) AS def FROM pg_constraint WHERE conrelid = 'penalty'::regclass AND contype = 'f'`,
  );
  for (const fk of fks.rows) await client.query(`ALTER TABLE bench_copy_indexed ADD ${fk.def}`);
}

async function timeIndexedCopy(client: pg.Client, file: string): Promise<number> {
  await client.query('TRUNCATE bench_copy_indexed');
  const started = performance.now();
  await pipeline(createReadStream(file), client.query(copyFrom('COPY bench_copy_indexed FROM STDIN')));
  return performance.now() - started;
}

// ---------------------------------------------------------------------------------------------------------
// Profile: where the import's time goes

interface Step {
  label: string;
  ms: number;
  rows?: number;
}

/** A short name for a statement of writeRecords, for the breakdown. */
function describe(sql: string): string {
  const s = sql.replace(/\s+/g, ' ').trim();
  if (s.startsWith('CREATE TEMP TABLE')) return '建临时表 CREATE TEMP TABLE stage';
  if (s.startsWith('TRUNCATE')) return '清空暂存表（每块）';
  if (s.startsWith('INSERT INTO stage_')) return '记下每行文书号（批内重复检查用）';
  if (s.startsWith('INSERT INTO record_name')) return '新增记录名称 record_name（关键词用）';
  if (s.includes('min(row_no) OVER')) return '批内文书号重复检查';
  if (s.includes('withdrawn_at IS NOT NULL AS withdrawn')) return '与已有记录冲突检查（他部门/已撤回）';
  if (s.startsWith('INSERT INTO legal_person') && s.includes('DISTINCT ON (uscc)')) return '新增法人（按 USCC）';
  if (s.startsWith('INSERT INTO legal_person')) return '新增个体工商户（按注册号）';
  if (s.startsWith('UPDATE') && s.includes('lp.uscc = s.uscc')) return '暂存表关联法人 id（UPDATE）';
  if (s.startsWith('UPDATE') && s.includes('lp.reg_no')) return '暂存表关联个体户 id（UPDATE）';
  if (s.startsWith('INSERT INTO natural_person')) return '新增自然人';
  if (s.startsWith('UPDATE') && s.includes('natural_person')) return '暂存表关联自然人 id（UPDATE）';
  if (s.includes('AS changes FROM')) return '重复报送的变更比对（JOIN 既有记录）';
  if (s.startsWith('COPY audit_log')) return '审计日志 COPY';
  if (s.startsWith('INSERT INTO penalty')) return s.includes('RETURNING') ? '写入 penalty（ON CONFLICT … RETURNING 每行 id）' : '写入 penalty（无 RETURNING）';
  return s.slice(0, 60);
}

/**
 * A client whose queries are timed. A COPY (a pg-copy-streams submittable) is timed until it has finished,
 * so it includes writeRecords building the lines that feed it.
 */
function timedClient(client: pg.Client, steps: Step[]): pg.Client {
  const query = client.query.bind(client) as (...a: unknown[]) => unknown;
  const timed = (...a: unknown[]): unknown => {
    const started = performance.now();
    const first = a[0];
    if (typeof first === 'string') {
      const sql = first;
      return (query(sql, ...a.slice(1)) as Promise<pg.QueryResult>).then((r) => {
        steps.push({ label: describe(sql), ms: performance.now() - started, rows: r.rowCount ?? undefined });
        return r;
      });
    }
    const stream = query(...a) as NodeJS.WritableStream;
    stream.on('finish', () => steps.push({ label: 'COPY → 暂存表（含 JS 拼行）', ms: performance.now() - started }));
    return stream;
  };
  return new Proxy(client, { get: (target, key) => (key === 'query' ? timed : Reflect.get(target, key)) });
}

async function profile(user: Express.User, client: pg.Client): Promise<void> {
  const dept = await deps!.db.department.findUniqueOrThrow({ where: { id: user.departmentId! }, select: { name: true, uscc: true } });
  const openOpts = { originalName: 'penalties.csv', kind: 'penalty' as const, context: { departmentName: dept.name, departmentUscc: dept.uscc } };
  const schema = recordSchema('penalty', { today: beijingToday() });

  let started = performance.now();
  let n = 0;
  let problems = 0;
  for await (const r of (await openImport(csvPath, openOpts)).rows) {
    n++;
    problems += r.problems.length;
  }
  const parseMs = performance.now() - started;

  // Validated rows are kept for the writeRecords steps below, so those time the database side alone.
  const validated: StagedRow[] = [];
  started = performance.now();
  for await (const r of (await openImport(csvPath, openOpts)).rows) {
    const parsed = schema.safeParse(r.values);
    if (parsed.success) validated.push({ rowNo: r.rowNumber, input: parsed.data });
  }
  const schemaMs = performance.now() - started - parseMs;
  if (n !== ROWS || problems > 0 || validated.length !== ROWS)
    throw new Error(`剖析：读到 ${n} 行，单元格问题 ${problems} 个，${ROWS - validated.length} 行未通过校验`);

  console.log('\n== 剖析（单次，空表） ==');
  console.log(`读 CSV（openImport：csv-parse、表头识别、单元格检查）：${seconds(parseMs)} 秒`);
  console.log(`记录校验（zod recordSchema.safeParse）：${seconds(schemaMs)} 秒`);

  // writeRecords as ImportService.run calls it (same context, one transaction), statement by statement.
  {
    await reset(client);
    const imp = await deps!.db.import.create({
      data: { kind: 'penalty', fileName: 'penalties.csv', fileBytes: 0, departmentId: user.departmentId!, userId: user.id },
      select: { id: true },
    });
    const ctx = await deps!.publicity.writeContext(user.departmentId!, user.id, imp.id);
    const steps: Step[] = [];
    const session = new pg.Client({ connectionString: dbUrl, options: SESSION_OPTIONS });
    await session.connect();
    const total = performance.now();
    try {
      await session.query('BEGIN');
      await writeRecords(timedClient(session, steps), 'penalty', validated, ctx, {
        auditAction: 'penalty.update',
        username: user.username,
        ip: null,
        returnIds: false,
      });
      const commit = performance.now();
      await session.query('COMMIT');
      steps.push({ label: 'COMMIT', ms: performance.now() - commit });
    } finally {
      await session.end();
    }
    console.log(`\nwriteRecords，输入为已校验的行：共 ${seconds(performance.now() - total)} 秒`);
    // writeRecords works chunk by chunk: the same statement once per chunk, summed here.
    const byLabel = new Map<string, Step & { times: number }>();
    for (const st of steps) {
      const seen = byLabel.get(st.label);
      if (seen) {
        seen.ms += st.ms;
        seen.times++;
        if (st.rows !== undefined) seen.rows = (seen.rows ?? 0) + st.rows;
      } else byLabel.set(st.label, { ...st, times: 1 });
    }
    for (const s of byLabel.values())
      console.log(
        `  ${seconds(s.ms).padStart(7)} 秒  ${s.label}${s.times > 1 ? ` ×${s.times}` : ''}${s.rows === undefined ? '' : `（${s.rows.toLocaleString('en-US')} 行）`}`,
      );
    const setBased = steps.filter((s) => !s.label.startsWith('COPY') && !s.label.startsWith('建临时表') && s.label !== 'COMMIT').reduce((a, s) => a + s.ms, 0);
    console.log(`  集合运算 SQL 合计 ${seconds(setBased)} 秒`);
  }
}

// ---------------------------------------------------------------------------------------------------------

try {
  console.log(`生成 ${ROWS.toLocaleString('en-US')} 行行政处罚 CSV…`);
  const size = await writeCsv(csvPath);
  console.log(`CSV：${csvPath}，${mb(size)} MB`);

  await admin(`CREATE DATABASE ${dbName} TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8'`);
  console.log(`临时数据库：${dbName}`);
  await applyMigrations(dbUrl);
  deps = buildDeps(dbUrl, { logLevel: 'warn' });
  // Imports are background jobs: this process is also their worker (the measured time includes the hand-over).
  await deps.jobs.start({ worker: true, schedules: false });
  await startWorker(deps, { pollingIntervalSeconds: 0.5 });
  await seedReference(deps.db);
  const department = await deps.db.department.findUniqueOrThrow({ where: { name: DEPARTMENT } });
  const clerk = await deps.db.user.create({
    // Never signs in, so any hash will do.
    data: { username: 'bench-clerk', displayName: '基准测试填报员', role: 'clerk', departmentId: department.id, passwordHash: 'x' },
  });
  const user: Express.User = {
    id: clerk.id,
    username: clerk.username,
    displayName: clerk.displayName,
    role: clerk.role,
    departmentId: department.id,
    departmentName: department.name,
  };

  const client = new pg.Client({ connectionString: dbUrl });
  await client.connect();
  try {
    await client.query(`CREATE TABLE bench_copy (${HEADER.map((h) => `${h.toLowerCase()} text`).join(', ')})`);
    await createIndexedCopy(client);
    const storedRows = path.join(workDir, 'stored.copy');
    const runs: Run[] = [];
    if (KNOWN_SUBJECTS) {
      await reset(client);
      await timeImport(user, 0);
      console.log('已预先导入一次（不计时）：各次导入的主体都已在法人库、自然人库和记录名称中');
    }
    for (let i = 1; i <= RUNS; i++) {
      await reset(client);
      const imported = await timeImport(user, i);
      const copyMs = await timeCopy(client);
      await dumpPenalties(client, storedRows);
      const indexedCopyMs = await timeIndexedCopy(client, storedRows);
      runs.push({ importMs: imported.ms, copyMs, indexedCopyMs, rssGrowth: imported.rssGrowth });
      console.log(
        `第 ${i} 次：导入 ${seconds(imported.ms)} 秒，COPY（无索引文本表）${seconds(copyMs)} 秒，比值 ${(imported.ms / copyMs).toFixed(1)}；` +
          `COPY（同索引与外键的 penalty 副本）${seconds(indexedCopyMs)} 秒，比值 ${(imported.ms / indexedCopyMs).toFixed(1)}；导入期间 RSS 增长 ${mb(imported.rssGrowth)} MB`,
      );
    }
    const importMs = median(runs.map((r) => r.importMs));
    const copyMs = median(runs.map((r) => r.copyMs));
    const ratio = median(runs.map((r) => r.importMs / r.copyMs));
    const indexedMs = median(runs.map((r) => r.indexedCopyMs));
    const indexedRatio = median(runs.map((r) => r.importMs / r.indexedCopyMs));
    const rss = median(runs.map((r) => r.rssGrowth));
    // The target is a bound, so it is judged by the largest growth of any run, not the median.
    const rssMax = Math.max(...runs.map((r) => r.rssGrowth));
    console.log(
      `\n中位数（${RUNS} 次）：导入 ${seconds(importMs)} 秒（${Math.round(ROWS / (importMs / 1000)).toLocaleString('en-US')} 行/秒），COPY ${seconds(copyMs)} 秒`,
    );
    console.log(`  导入 / COPY（无索引文本表，目标所指的基线）比值 ${ratio.toFixed(1)}（目标 ≤ 2）${ratio <= 2 ? '' : '  ✗'}`);
    console.log(`  导入 / COPY（同索引与外键的 penalty 副本，仅供参考，${seconds(indexedMs)} 秒）比值 ${indexedRatio.toFixed(1)}`);
    console.log(`  导入期间 RSS 峰值增长 中位 ${mb(rss)} MB，最大 ${mb(rssMax)} MB（目标 < 100 MB）${rssMax < 100 * 1024 * 1024 ? '' : '  ✗'}`);
    if (ratio > 2 || args.profile) await profile(user, client);
  } finally {
    await client.end();
  }
} catch (err) {
  console.error(`基准测试失败：${(err as Error).stack ?? (err as Error).message}`);
  process.exitCode = 1;
} finally {
  await cleanUp();
}
