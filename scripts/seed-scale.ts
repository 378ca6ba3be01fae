/**
 * npm run seed:scale -- --legal 1000000 [--natural N] [--penalties N] [--permits N] [--seed S] [--safe]
 *
 * Loads generated subjects and 双公示 records in bulk to try the portal at production size
 * (`--legal 1000000 --penalties 4000000 --permits 1000000` is the size the benchmarks assume). Two paths:
 *
 * - Fast (the tables legal_person, natural_person, permit, penalty and record_name are all empty, and every
 *   subject the records name is loaded by this run): one COPY … FREEZE per table with the secondary indexes,
 *   foreign keys and triggers dropped, rebuilt afterwards from the catalogue's own definitions and checked
 *   against them (scripts/bulk-load.ts). If it stops half way the database has no unique keys: drop it and
 *   load again.
 * - Safe (anything else, or --safe): rows go through COPY into a temporary table and from there into the real
 *   one with ON CONFLICT DO NOTHING, in chunks of 100 000, indexes in place: a database in use keeps its keys,
 *   every transaction stays short and what was loaded stays if the run is interrupted. Two sessions take
 *   turns, so that this process generates the next chunk while PostgreSQL writes the previous one.
 *
 * Both store the same rows (tests/integration/seed-scale.test.ts). Subjects are deterministic: a second run with
 * the same arguments adds none.
 *
 * Records come from the same generator as the demo records (national raw form), but skip writeRecords and
 * the zod schema, which would make millions of rows take far longer; they are mapped to the schema's output and
 * to the very column values writeRecords would store (publicity rule, public_until, county, report_workdays by the
 * working-day calendar, subject links, published_at, record_name) in scripts/scale-rows.ts. Every 1000th record is
 * also run through the real schema and the plain domain functions and must give the same, so the shortcut cannot
 * drift silently.
 * - Decisions are spread over the last three years (most of them recent), reports mostly within the 7-day
 *   rule; the reporting department is the record's 处罚/许可机关, every department of the city reporting,
 *   skewed as real reporting is (generateDemoRecords' `skewed`).
 * - Subjects: the first --legal scale legal persons (1 000 000 when not given), skewed towards the first ones,
 *   the first five with 1,000–5,000 records each; for 1 penalty in 10 the first --natural natural persons
 *   (one per ten legal persons when not given, 100 000 when neither is). A subject not yet in the libraries
 *   is added the way an import adds it.
 * - 文书号 serials start past every record already in the table, so a second run adds new records instead of
 *   colliding with the first; ON CONFLICT DO NOTHING still guards the (机关代码, 文书号) key.
 *
 * Rows per second and CPU seconds per table: docs/performance.md#loading-the-scale-data.
 */
import { readFileSync } from 'node:fs';
import v8 from 'node:v8';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { arrayLiteral, copyLine } from '../src/platform/database/copy.js';
import { applyMigrations } from '../src/platform/database/migrate.js';
import { createPrisma } from '../src/platform/database/client.js';
import { seedReference } from '../src/seed/subjects.js';
import {
  DEMO_SEED,
  LEGAL_PERSON_CAPACITY,
  NATURAL_PERSON_CAPACITY,
  SCALE_FIRST_INDEX,
  generateLegalPersons,
  generateNaturalPersons,
  type DemoLegalPerson,
  type DemoNaturalPerson,
} from '../src/seed/demo-subjects.js';
import { WorkdayCalendar } from '../src/domain/workdays.js';
import { generateDemoRecords, type DemoPerson, type DemoRecord, type DemoSubject } from '../src/seed/demo-records.js';
import { KIND_LABELS, type RecordKind } from '../src/domain/publicity/fields.js';
import type { TierRule } from '../src/domain/publicity/tiers.js';
import { recordValues, type DepartmentRow, type RecordContext } from './scale-rows.js';
import { beijingToday } from '../src/domain/dates.js';
import { nameGrams } from '../src/domain/name-grams.js';
import { copyAll, prepare, restore, shapeDifferences, shapeOf } from './bulk-load.js';

const USAGE =
  '用法：npm run seed:scale -- [--legal <法人数量>] [--natural <自然人数量>] [--penalties <行政处罚数量>] [--permits <行政许可数量>] [--seed <随机种子>] [--safe]';
const CHUNK = 100_000;
/** Records name the first this-many scale subjects when --legal / --natural are not given. */
const DEFAULT_POOL = { legal: 1_000_000, natural: 100_000 };
/** 文书号 serials of scale records start here, far from seed:demo's (1, 2, 3 …). */
const SERIAL_BASE = 10_000_000;
const SPAN_DAYS = 3 * 365;
const DAY_MS = 86_400_000;

function fail(message: string): never {
  console.error(message);
  process.exit(1);
}

function count(value: string | undefined, flag: string, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value.replaceAll('_', ''));
  if (!Number.isSafeInteger(n) || n < 0) fail(`错误：--${flag} 应为非负整数，收到“${value}”。${USAGE}`);
  return n;
}

let args;
try {
  args = parseArgs({
    options: {
      legal: { type: 'string' },
      natural: { type: 'string' },
      penalties: { type: 'string' },
      permits: { type: 'string' },
      seed: { type: 'string' },
      safe: { type: 'boolean' },
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
if ([args.legal, args.natural, args.penalties, args.permits].every((v) => v === undefined)) fail(`错误：请指定要生成的数据量。${USAGE}`);
const legalCount = count(args.legal, 'legal', 0);
// Natural persons in proportion to legal persons (one in ten) unless given.
const naturalCount = count(args.natural, 'natural', args.legal === undefined ? 0 : Math.round(legalCount / 10));
const penaltyCount = count(args.penalties, 'penalties', 0);
const permitCount = count(args.permits, 'permits', 0);
const seed = count(args.seed, 'seed', DEMO_SEED);
const legalPool = args.legal === undefined ? DEFAULT_POOL.legal : legalCount;
const naturalPool = args.natural === undefined && args.legal === undefined ? DEFAULT_POOL.natural : naturalCount;
if (penaltyCount + permitCount > 0 && legalPool === 0) fail('错误：生成许可、处罚记录需要法人（--legal 不能为 0）');
if (SCALE_FIRST_INDEX + Math.max(legalCount, legalPool) > LEGAL_PERSON_CAPACITY) fail(`错误：--legal 最多 ${LEGAL_PERSON_CAPACITY - SCALE_FIRST_INDEX}`);
if (SCALE_FIRST_INDEX + Math.max(naturalCount, naturalPool) > NATURAL_PERSON_CAPACITY)
  fail(`错误：--natural 最多 ${NATURAL_PERSON_CAPACITY - SCALE_FIRST_INDEX}`);

const url = process.env.DATABASE_URL?.trim();
if (!url) fail('错误：未设置环境变量 DATABASE_URL（应形如 postgresql://user:password@host:5432/dbname）');

const fmt = (n: number): string => n.toLocaleString('en-US');

const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * Up to `limit` rows of `rows` as COPY text, a few hundred lines per piece to keep stream overhead low.
 * Generating is synchronous and the socket rarely pushes back, so without a turn of the event loop per piece
 * the other session's statement would finish on the server but be noticed only after the whole chunk.
 */
async function* copyText<T>(rows: Iterator<T>, limit: number, line: (row: T) => string): AsyncGenerator<string> {
  let buffer = '';
  for (let i = 0; i < limit; i++) {
    const next = rows.next();
    if (next.done) break;
    buffer += line(next.value);
    if (buffer.length > 64 * 1024) {
      yield buffer;
      buffer = '';
      await nextTurn();
    }
  }
  if (buffer !== '') yield buffer;
}

interface Target<T> {
  label: string;
  stage: string;
  /** CREATE of the staging table. */
  createStage: string;
  /** The COPY columns, in the order `line` writes them. */
  columns: string;
  /** Run in order after each chunk's COPY, each in its own transaction; the last one's row count is what was added. */
  apply: string[];
  line: (row: T) => string;
}

interface RecordTarget extends Target<DemoRecord> {
  valuesOf: (rec: DemoRecord) => { values: (string | number | boolean | null)[]; publishedAt: string | null };
  /** The staged columns, as `columns` but as a list. */
  list: string[];
}

/**
 * Streams `total` rows into the target. Chunks alternate between the sessions: while one session's
 * INSERT … SELECT runs on the server, the next chunk is generated and copied through the other.
 */
async function load<T>(sessions: readonly pg.Client[], target: Target<T>, rows: Iterator<T>, total: number): Promise<{ inserted: number; seconds: number }> {
  const started = performance.now();
  for (const client of sessions) await client.query(target.createStage);
  const inFlight: Promise<void>[] = [];
  let queued = 0;
  let applied = 0;
  let inserted = 0;
  for (let chunk = 0; queued < total; chunk++) {
    const slot = chunk % sessions.length;
    const client = sessions[slot]!;
    // The session's previous chunk must be applied before its staging table is refilled.
    await inFlight[slot];
    const size = Math.min(CHUNK, total - queued);
    await client.query(`TRUNCATE ${target.stage}`);
    await pipeline(Readable.from(copyText(rows, size, target.line)), client.query(copyFrom(`COPY ${target.stage} (${target.columns}) FROM STDIN`)));
    queued += size;
    const applying = (async () => {
      let added = 0;
      for (const sql of target.apply) added = (await client.query(sql)).rowCount ?? 0;
      inserted += added;
      applied += size;
      const seconds = (performance.now() - started) / 1000;
      console.log(
        `${target.label}：已写入 ${fmt(applied)} / ${fmt(total)} 行，新增 ${fmt(inserted)} 行，用时 ${seconds.toFixed(1)} 秒（${fmt(Math.round(applied / seconds))} 行/秒）`,
      );
    })();
    // Awaited on the slot's next turn or at the end; the no-op handler only stops Node reporting it as unhandled meanwhile.
    applying.catch(() => {});
    inFlight[slot] = applying;
  }
  await Promise.all(inFlight);
  return { inserted, seconds: (performance.now() - started) / 1000 };
}

function legalPersonTarget(countyIds: ReadonlyMap<string, number>): Target<DemoLegalPerson> {
  // name_grams computed here (as the import's writer does): the trigger's SQL version is slow per name
  // (docs/performance.md#loading-the-scale-data).
  const columns = 'uscc, name, legal_representative, subject_type, status, address, established_on, county_id, org_code, reg_no, name_grams';
  return {
    label: '法人',
    stage: 'legal_person_stage',
    // TEMP: private to this session and not WAL-logged, so staging costs little and needs no cleanup.
    createStage: `CREATE TEMP TABLE IF NOT EXISTS legal_person_stage (
      uscc varchar(18), name varchar(200), legal_representative varchar(100), subject_type "SubjectType",
      status "RegistrationStatus", address varchar(300), established_on date, county_id integer,
      org_code varchar(9), reg_no varchar(15), name_grams text[])`,
    columns,
    apply: [
      `INSERT INTO legal_person (${columns}, created_at, updated_at)
       SELECT ${columns}, now(), now() FROM legal_person_stage
       ON CONFLICT (uscc) DO NOTHING`,
    ],
    line: (p) =>
      copyLine([
        p.uscc,
        p.name,
        p.legalRepresentative,
        p.subjectType,
        p.status,
        p.address,
        p.establishedOn,
        countyIds.get(p.countyCode) ?? null,
        p.orgCode,
        p.regNo,
        arrayLiteral(nameGrams(p.name)),
      ]),
  };
}

const naturalPersonTarget: Target<DemoNaturalPerson> = {
  label: '自然人',
  stage: 'natural_person_stage',
  createStage: `CREATE TEMP TABLE IF NOT EXISTS natural_person_stage (doc_type "DocumentType", doc_number varchar(32), name varchar(100))`,
  columns: 'doc_type, doc_number, name',
  apply: [
    `INSERT INTO natural_person (doc_type, doc_number, name, created_at, updated_at)
     SELECT doc_type, doc_number, name, now(), now() FROM natural_person_stage
     ON CONFLICT (doc_type, doc_number) DO NOTHING`,
  ],
  line: (p) => copyLine([p.docType, p.docNumber, p.name]),
};

// ---------------------------------------------------------------------------------------------------------
// 双公示 records

function recordTarget(kind: RecordKind, ctx: RecordContext): RecordTarget {
  const { columns, valuesOf } = recordValues(kind, ctx);
  const stage = `${kind}_stage`;
  const line = (rec: DemoRecord): string => copyLine(valuesOf(rec).values);

  return {
    label: KIND_LABELS[kind],
    stage,
    // Same column types as the real table (as writeRecords stages), no constraints.
    createStage: `CREATE TEMP TABLE IF NOT EXISTS ${stage} AS SELECT ${columns.join(', ')} FROM ${kind} WITH NO DATA`,
    columns: columns.join(', '),
    apply: [
      // Subjects the libraries do not have yet, as writeRecords adds them (every row naming a generated subject
      // carries the same subject data, so which one DISTINCT ON keeps does not matter). Inserting in key order
      // keeps the two sessions from deadlocking on a subject both chunks name; NOT EXISTS skips the usual case cheaply.
      `INSERT INTO legal_person (uscc, name, legal_representative, subject_type, county_id, org_code, reg_no, updated_at)
       SELECT DISTINCT ON (uscc) uscc, subject_name, legal_representative,
              CASE WHEN subject_category = 'soleTrader' THEN 'soleTrader' ELSE 'organisation' END::"SubjectType",
              county_id, CASE WHEN length(org_code) = 9 THEN org_code END, CASE WHEN length(reg_no) = 15 THEN reg_no END, now()
         FROM ${stage} s
        WHERE uscc IS NOT NULL AND NOT EXISTS (SELECT 1 FROM legal_person lp WHERE lp.uscc = s.uscc)
        ORDER BY uscc
       ON CONFLICT (uscc) DO NOTHING`,
      `INSERT INTO natural_person (doc_type, doc_number, name, updated_at)
       SELECT DISTINCT ON (doc_type, doc_number) doc_type, doc_number, subject_name, now()
         FROM ${stage} s
        WHERE subject_category = 'natural' AND doc_type IS NOT NULL AND doc_number IS NOT NULL
          AND NOT EXISTS (SELECT 1 FROM natural_person np WHERE np.doc_type = s.doc_type AND np.doc_number = s.doc_number)
        ORDER BY doc_type, doc_number
       ON CONFLICT (doc_type, doc_number) DO NOTHING`,
      // The record names the public columns' keyword looks up (as writeRecords adds them).
      `INSERT INTO record_name (name, grams)
       SELECT DISTINCT s.subject_name, xx_name_grams(s.subject_name) FROM ${stage} s
        WHERE NOT EXISTS (SELECT 1 FROM record_name r WHERE r.name = s.subject_name)
       ON CONFLICT (name) DO NOTHING`,
      `INSERT INTO ${kind} (${columns.join(', ')}, legal_person_id, natural_person_id, published_at, updated_at)
       SELECT ${columns.map((c) => `s.${c}`).join(', ')}, lp.id, np.id, CASE WHEN s.is_public THEN s.reported_at END, now()
         FROM ${stage} s
         LEFT JOIN legal_person lp ON lp.uscc = s.uscc
         LEFT JOIN natural_person np ON s.subject_category = 'natural' AND np.doc_type = s.doc_type AND np.doc_number = s.doc_number
       ON CONFLICT (authority_code, document_no) DO NOTHING`,
    ],
    line,
    valuesOf,
    list: columns,
  };
}

async function loadRecords(
  sessions: readonly pg.Client[],
  kind: RecordKind,
  total: number,
  subjects: readonly DemoSubject[],
  people: readonly DemoPerson[],
  ctx: RecordContext,
) {
  // Serials of earlier runs are below SERIAL_BASE + their row count, so starting past the count cannot collide.
  const existing = Number((await sessions[0]!.query<{ n: string }>(`SELECT count(*) AS n FROM ${kind}`)).rows[0]!.n);
  const firstSerial = SERIAL_BASE + existing;
  const endDay = Math.floor(Date.parse(`${ctx.today}T00:00:00Z`) / DAY_MS) - 1;
  // A different seed per run, or a second run would repeat the first one's records under new numbers.
  const rows = generateDemoRecords(kind, total, {
    seed: seed + firstSerial,
    subjects,
    people: kind === 'penalty' ? people : [],
    endDay,
    spanDays: SPAN_DAYS,
    firstSerial,
    skewed: true,
  });
  console.log(`${KIND_LABELS[kind]}：文书号序号从 ${fmt(firstSerial)} 开始`);
  return load(sessions, recordTarget(kind, ctx), rows, total);
}

// ---------------------------------------------------------------------------------------------------------
// Fast path: a fresh database (scripts/bulk-load.ts)

/** CPU seconds of a PostgreSQL backend on this machine, or null when it runs elsewhere. */
function serverCpuSeconds(pid: number): number | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime and stime, the 14th and 15th fields, in clock ticks (100 a second on Linux).
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return null;
  }
}

const FAST_TABLES = ['legal_person', 'natural_person', 'permit', 'penalty', 'record_name'];

async function allEmpty(client: pg.Client): Promise<boolean> {
  for (const t of FAST_TABLES) if ((await client.query(`SELECT EXISTS (SELECT 1 FROM ${t}) AS x`)).rows[0].x) return false;
  return true;
}

/**
 * Loads everything by COPY into the empty tables with their secondary indexes, foreign keys and triggers dropped,
 * then rebuilds those from the catalogue's own definitions and checks the catalogue is as before. Ids are given
 * here: the i-th generated legal person (natural person) gets id i + 1, so records carry their subjects' ids
 * without a join. The column values are those of the safe path (the same valuesOf), plus what its
 * INSERT … SELECT derives: the subject ids, published_at and the record_name rows.
 */
async function loadFast(sessions: readonly pg.Client[], countyIds: ReadonlyMap<string, number>, ctx: RecordContext | null): Promise<void> {
  const [main] = sessions as [pg.Client];
  const say = (line: string) => console.log(line);
  const shape = await shapeOf(main, FAST_TABLES);
  await prepare(main, FAST_TABLES, shape);
  console.log(`快速装载：已暂时删除 ${shape.indexes.size} 个索引、${shape.constraints.size} 个约束，装载后按原定义重建`);
  const stamp = new Date().toISOString();
  const backend = (await main.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid;
  const timed = async (label: string, total: number, run: () => Promise<number>) => {
    const t = performance.now();
    const cpu = process.cpuUsage();
    const server = serverCpuSeconds(backend);
    const rows = await run();
    const seconds = (performance.now() - t) / 1000;
    const used = process.cpuUsage(cpu);
    const serverUsed = server === null ? null : (serverCpuSeconds(backend) ?? server) - server;
    // On a shared machine the wall-clock rate says more about the neighbours than about the loader: CPU seconds do not.
    summary.push(
      `${label}：${fmt(rows)} 行，用时 ${seconds.toFixed(1)} 秒（${fmt(Math.round(rows / seconds))} 行/秒）；` +
        `本进程 CPU ${((used.user + used.system) / 1e6).toFixed(1)} 秒${serverUsed === null ? '' : `，PostgreSQL 会话 CPU ${serverUsed.toFixed(1)} 秒`}`,
    );
    console.log(summary.at(-1));
    if (rows !== total) throw new Error(`${label}：应写入 ${fmt(total)} 行，实际 ${fmt(rows)} 行`);
  };

  const subjects: DemoSubject[] = [];
  const people: DemoPerson[] = [];
  const keep = ctx !== null;
  let legalLoaded = 0;
  let naturalLoaded = 0;
  const legal = legalPersonTarget(countyIds);
  await timed('法人', legalCount, () =>
    copyAll(
      main,
      'legal_person',
      ['id', ...legal.columns.split(', '), 'updated_at'],
      generateLegalPersons(legalCount, seed, { firstIndex: SCALE_FIRST_INDEX }),
      (p) => {
        const i = legalLoaded++;
        if (keep && i < legalPool) subjects.push({ name: p.name, uscc: p.uscc, legalRepresentative: p.legalRepresentative, subjectType: p.subjectType });
        return `${i + 1}\t${legal.line(p).slice(0, -1)}\t${stamp}\n`;
      },
      { label: '法人', total: legalCount, report: say },
    ),
  );
  await timed('自然人', naturalCount, () =>
    copyAll(
      main,
      'natural_person',
      ['id', 'doc_type', 'doc_number', 'name', 'updated_at'],
      generateNaturalPersons(naturalCount, seed, { firstIndex: SCALE_FIRST_INDEX }),
      (p) => {
        const i = naturalLoaded++;
        if (keep && i < naturalPool) people.push({ name: p.name, docNumber: p.docNumber });
        return `${i + 1}\t${naturalPersonTarget.line(p).slice(0, -1)}\t${stamp}\n`;
      },
      { label: '自然人', total: naturalCount, report: say },
    ),
  );

  if (ctx) {
    // Which subjects the records name, for record_name: one bit per subject instead of a set of names.
    const namedLegal = new Uint8Array(subjects.length);
    const namedPeople = new Uint8Array(people.length);
    for (const [kind, total] of [
      ['permit', permitCount],
      ['penalty', penaltyCount],
    ] as const) {
      if (total === 0) continue;
      const target = recordTarget(kind, ctx);
      const rows = generateDemoRecords(kind, total, {
        seed: seed + SERIAL_BASE,
        subjects,
        people: kind === 'penalty' ? people : [],
        endDay: Math.floor(Date.parse(`${ctx.today}T00:00:00Z`) / DAY_MS) - 1,
        spanDays: SPAN_DAYS,
        firstSerial: SERIAL_BASE,
        skewed: true,
      });
      await timed(KIND_LABELS[kind], total, () =>
        copyAll(
          main,
          kind,
          [...target.list, 'legal_person_id', 'natural_person_id', 'published_at', 'updated_at'],
          rows,
          (rec) => {
            const { values, publishedAt } = target.valuesOf(rec);
            if (rec.subjectIndex !== null) namedLegal[rec.subjectIndex] = 1;
            if (rec.personIndex !== null) namedPeople[rec.personIndex] = 1;
            values.push(rec.subjectIndex === null ? null : rec.subjectIndex + 1, rec.personIndex === null ? null : rec.personIndex + 1, publishedAt, stamp);
            return copyLine(values);
          },
          { label: KIND_LABELS[kind], total, report: say },
        ),
      );
    }
    // The names the records carry, with their grams (as writeRecords adds them); names repeat across subjects,
    // so they pass through a staging table and DISTINCT.
    function* named(): Generator<string> {
      for (let i = 0; i < namedLegal.length; i++) if (namedLegal[i]) yield subjects[i]!.name;
      for (let i = 0; i < namedPeople.length; i++) if (namedPeople[i]) yield people[i]!.name;
    }
    const nameCount = namedLegal.reduce((a, b) => a + b, 0) + namedPeople.reduce((a, b) => a + b, 0);
    await main.query('CREATE TEMP TABLE record_name_stage (name varchar(200), grams text[])');
    await timed('记录主体名称', nameCount, () =>
      copyAll(main, 'record_name_stage', ['name', 'grams'], named(), (n) => copyLine([n, arrayLiteral(nameGrams(n))]), {
        label: '记录主体名称',
        total: nameCount,
        report: say,
      }),
    );
    await main.query('INSERT INTO record_name (name, grams) SELECT DISTINCT ON (name) name, grams FROM record_name_stage ORDER BY name');
    await main.query('DROP TABLE record_name_stage');
  }

  console.log('重建索引与约束…');
  const t = performance.now();
  for (const client of sessions) {
    // Index builds sort whole tables: with memory they sort in one pass instead of spilling to disk.
    await client.query(`SET maintenance_work_mem = '${process.env.SEED_MAINTENANCE_WORK_MEM ?? '1GB'}'`);
    await client.query(`SET work_mem = '256MB'`);
    // One build per session, two sessions: as parallel as the machine's two cores allow, without workers.
    await client.query('SET max_parallel_maintenance_workers = 0');
  }
  await restore(sessions, FAST_TABLES, shape, say);
  const differences = shapeDifferences(shape, await shapeOf(main, FAST_TABLES));
  if (differences.length > 0) throw new Error(`重建后的索引或约束与装载前不一致：\n${differences.join('\n')}`);
  summary.push(`重建 ${shape.indexes.size} 个索引、${shape.constraints.size} 个约束：用时 ${((performance.now() - t) / 1000).toFixed(1)} 秒，定义与装载前一致`);
  console.log(summary.at(-1));
}

// ---------------------------------------------------------------------------------------------------------

// Generating records allocates ~1 KB of short-lived strings and objects a row: with V8's default young generation
// (16 MB semi-spaces) scavenges took a third of the loader's CPU (docs/performance.md#loading-the-scale-data).
v8.setFlagsFromString('--max-semi-space-size=64');
const started = performance.now();
const summary: string[] = [];
try {
  await applyMigrations(url, { log: console.log });
  const db = createPrisma(url, { max: 1 });
  try {
    await seedReference(db);
  } finally {
    await db.$disconnect();
  }

  const sessions = [new pg.Client({ connectionString: url }), new pg.Client({ connectionString: url })];
  try {
    for (const client of sessions) {
      await client.connect();
      // Losing the last few commits in a crash is fine for generated data, and the bulk load runs noticeably faster.
      await client.query('SET synchronous_commit = off');
    }
    const [main] = sessions as [pg.Client, pg.Client];
    const { rows } = await main.query<{ id: number; code: string }>('SELECT id, code FROM county');
    const countyIds = new Map(rows.map((r) => [r.code, r.id]));
    const report = (label: string, r: { inserted: number; seconds: number }, processed: number) =>
      summary.push(
        `${label}：处理 ${fmt(processed)} 行，新增 ${fmt(r.inserted)} 行，用时 ${r.seconds.toFixed(1)} 秒（${fmt(Math.round(processed / r.seconds))} 行/秒）`,
      );
    const withRecords = penaltyCount + permitCount > 0;
    const ctx: RecordContext | null = withRecords
      ? await (async () => {
          const departments = (await main.query<DepartmentRow>('SELECT id, name, level, county_id FROM department')).rows;
          return {
            departments: new Map(departments.map((d) => [d.name, d])),
            countyByRegion: countyIds,
            calendar: new WorkdayCalendar(),
            today: beijingToday(),
            tierRules: (
              await main.query<TierRule>(
                `SELECT id, kind, penalty_category AS "penaltyCategory", department_id AS "departmentId", min_fine_amount::text AS "minFineAmount", tier,
                        effective_from::text AS "effectiveFrom", effective_to::text AS "effectiveTo" FROM tier_rule ORDER BY id`,
              )
            ).rows,
          };
        })()
      : null;

    // The fast path needs every subject the records name among the subjects it loads itself (ids by position).
    const fast = !args.safe && legalPool <= legalCount && naturalPool <= naturalCount && (await allEmpty(main));
    const tables = ['legal_person', 'natural_person'];
    if (fast) {
      console.log('目标表均为空：快速装载（COPY，装载后建索引）');
      await loadFast(sessions, countyIds, ctx);
      tables.push('permit', 'penalty', 'record_name');
    } else {
      console.log(args.safe ? '按 --safe 逐块写入（索引保留）' : '目标表已有数据：逐块写入（索引保留）');
      // Starting past seed:demo's rows means the two never produce the same subject.
      if (legalCount > 0) {
        report(
          '法人',
          await load(sessions, legalPersonTarget(countyIds), generateLegalPersons(legalCount, seed, { firstIndex: SCALE_FIRST_INDEX }), legalCount),
          legalCount,
        );
      }
      if (naturalCount > 0) {
        report(
          '自然人',
          await load(sessions, naturalPersonTarget, generateNaturalPersons(naturalCount, seed, { firstIndex: SCALE_FIRST_INDEX }), naturalCount),
          naturalCount,
        );
      }
      if (ctx) {
        // Only what the record generator reads, to keep a million subjects' memory small.
        const subjects: DemoSubject[] = [];
        for (const p of generateLegalPersons(legalPool, seed, { firstIndex: SCALE_FIRST_INDEX })) {
          subjects.push({ name: p.name, uscc: p.uscc, legalRepresentative: p.legalRepresentative, subjectType: p.subjectType });
        }
        const people: DemoPerson[] = [];
        for (const p of generateNaturalPersons(naturalPool, seed, { firstIndex: SCALE_FIRST_INDEX })) people.push({ name: p.name, docNumber: p.docNumber });
        for (const [kind, total] of [
          ['permit', permitCount],
          ['penalty', penaltyCount],
        ] as const) {
          if (total === 0) continue;
          report(KIND_LABELS[kind], await loadRecords(sessions, kind, total, subjects, people, ctx), total);
          tables.push(kind);
        }
      }
      // The loader fills record_name too; unanalysed, the planner guesses its grams' selectivity and the list's plans go wrong.
      if (tables.length > 2) tables.push('record_name');
    }

    // VACUUM also sets the visibility map, so index-only scans work at once instead of after autovacuum's turn.
    console.log('更新统计信息（VACUUM ANALYZE）…');
    const vacuumStarted = performance.now();
    for (const table of tables) await main.query(`VACUUM (ANALYZE) ${table}`);
    summary.push(`VACUUM ANALYZE：用时 ${((performance.now() - vacuumStarted) / 1000).toFixed(1)} 秒`);
  } finally {
    await Promise.allSettled(sessions.map((c) => c.end()));
  }

  const seconds = (performance.now() - started) / 1000;
  for (const line of summary) console.log(line);
  const records = penaltyCount + permitCount;
  console.log(
    `完成：共用时 ${seconds.toFixed(1)} 秒；法人 ${fmt(legalCount)}、自然人 ${fmt(naturalCount)}、记录 ${fmt(records)}，` +
      `合计 ${fmt(Math.round((legalCount + naturalCount + records) / seconds))} 行/秒`,
  );
} catch (err) {
  for (const line of summary) console.log(line);
  console.error(`批量填充失败：${(err as Error).message}`);
  process.exitCode = 1;
}
