/**
 * npm run seed:scale -- --legal 1000000 [--natural N] [--seed S]
 *
 * Loads generated subjects in bulk to try the portal at production size. Rows go through
 * PostgreSQL COPY into a temporary table and from there into the real one with ON CONFLICT DO
 * NOTHING, in chunks of 100 000: COPY alone would abort on the first duplicate, and chunking keeps
 * every transaction short, shows progress and keeps what was loaded if the run is interrupted.
 * The generator is deterministic, so a second run with the same arguments adds nothing.
 */
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { copyLine } from '../src/platform/database/copy.js';
import { applyMigrations } from '../src/platform/database/migrate.js';
import { createPrisma } from '../src/platform/database/client.js';
import { seedReference } from '../src/platform/seed.js';
import {
  DEMO_SEED,
  SCALE_FIRST_INDEX,
  generateLegalPersons,
  generateNaturalPersons,
  type DemoLegalPerson,
  type DemoNaturalPerson,
} from '../src/domain/demo-data.js';

const USAGE = '用法：npm run seed:scale -- --legal <法人数量> [--natural <自然人数量，默认 0>] [--seed <随机种子>]';
const CHUNK = 100_000;

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
  args = parseArgs({ options: { legal: { type: 'string' }, natural: { type: 'string' }, seed: { type: 'string' }, help: { type: 'boolean', short: 'h' } } }).values;
} catch (err) {
  fail(`错误：${(err as Error).message}。${USAGE}`);
}
if (args.help) {
  console.log(USAGE);
  process.exit(0);
}
if (args.legal === undefined && args.natural === undefined) fail(`错误：请用 --legal 指定法人数量。${USAGE}`);
const legalCount = count(args.legal, 'legal', 0);
const naturalCount = count(args.natural, 'natural', 0);
const seed = count(args.seed, 'seed', DEMO_SEED);

const url = process.env.DATABASE_URL?.trim();
if (!url) fail('错误：未设置环境变量 DATABASE_URL（应形如 postgresql://user:password@host:5432/dbname）');

/** Up to `limit` rows of `rows` as COPY text, a few hundred lines per chunk to keep stream overhead low. */
function* copyText<T>(rows: Iterator<T>, limit: number, line: (row: T) => string): Generator<string> {
  let buffer = '';
  for (let i = 0; i < limit; i++) {
    const next = rows.next();
    if (next.done) break;
    buffer += line(next.value);
    if (buffer.length > 64 * 1024) {
      yield buffer;
      buffer = '';
    }
  }
  if (buffer !== '') yield buffer;
}

interface Target<T> {
  label: string;
  stage: string;
  /** CREATE of the staging table; its columns are the COPY columns, in order. */
  createStage: string;
  columns: string;
  insert: string;
  line: (row: T) => string;
}

async function load<T>(client: pg.Client, target: Target<T>, rows: Iterator<T>, total: number, started: number): Promise<number> {
  await client.query(target.createStage);
  let done = 0;
  let inserted = 0;
  while (done < total) {
    const size = Math.min(CHUNK, total - done);
    await client.query(`TRUNCATE ${target.stage}`);
    await pipeline(
      Readable.from(copyText(rows, size, target.line), { objectMode: false }),
      client.query(copyFrom(`COPY ${target.stage} (${target.columns}) FROM STDIN`)),
    );
    inserted += (await client.query(target.insert)).rowCount ?? 0;
    done += size;
    const seconds = (performance.now() - started) / 1000;
    console.log(`${target.label}：已处理 ${done.toLocaleString('en-US')} / ${total.toLocaleString('en-US')} 行，新增 ${inserted.toLocaleString('en-US')} 行，用时 ${seconds.toFixed(1)} 秒`);
  }
  return inserted;
}

function legalPersonTarget(countyIds: ReadonlyMap<string, number>): Target<DemoLegalPerson> {
  const columns = 'uscc, name, legal_representative, subject_type, status, address, established_on, county_id, org_code, reg_no';
  return {
    label: '法人',
    stage: 'legal_person_stage',
    // TEMP: private to this session and not WAL-logged, so staging costs little and needs no cleanup.
    createStage: `CREATE TEMP TABLE IF NOT EXISTS legal_person_stage (
      uscc varchar(18), name varchar(200), legal_representative varchar(100), subject_type "SubjectType",
      status "RegistrationStatus", address varchar(300), established_on date, county_id integer,
      org_code varchar(9), reg_no varchar(15))`,
    columns,
    insert: `INSERT INTO legal_person (${columns}, created_at, updated_at)
      SELECT ${columns}, now(), now() FROM legal_person_stage
      ON CONFLICT (uscc) DO NOTHING`,
    line: (p) =>
      copyLine([
        p.uscc, p.name, p.legalRepresentative, p.subjectType, p.status, p.address, p.establishedOn,
        countyIds.get(p.countyCode) ?? null, p.orgCode, p.regNo,
      ]),
  };
}

const naturalPersonTarget: Target<DemoNaturalPerson> = {
  label: '自然人',
  stage: 'natural_person_stage',
  createStage: `CREATE TEMP TABLE IF NOT EXISTS natural_person_stage (doc_type "DocumentType", doc_number varchar(32), name varchar(100))`,
  columns: 'doc_type, doc_number, name',
  insert: `INSERT INTO natural_person (doc_type, doc_number, name, created_at, updated_at)
    SELECT doc_type, doc_number, name, now(), now() FROM natural_person_stage
    ON CONFLICT (doc_type, doc_number) DO NOTHING`,
  line: (p) => copyLine([p.docType, p.docNumber, p.name]),
};

const started = performance.now();
try {
  await applyMigrations(url, { log: console.log });
  const db = createPrisma(url, { max: 1 });
  try {
    await seedReference(db);
  } finally {
    await db.$disconnect();
  }

  const client = new pg.Client({ connectionString: url });
  await client.connect();
  let legal = 0;
  let natural = 0;
  try {
    // Losing the last few commits in a crash is fine for generated data, and the bulk load runs noticeably faster.
    await client.query('SET synchronous_commit = off');
    const { rows } = await client.query<{ id: number; code: string }>('SELECT id, code FROM county');
    const countyIds = new Map(rows.map((r) => [r.code, r.id]));
    // Starting past seed:demo's rows means the two never produce the same subject.
    if (legalCount > 0) {
      legal = await load(client, legalPersonTarget(countyIds), generateLegalPersons(legalCount, seed, { firstIndex: SCALE_FIRST_INDEX }), legalCount, started);
    }
    if (naturalCount > 0) {
      natural = await load(client, naturalPersonTarget, generateNaturalPersons(naturalCount, seed, { firstIndex: SCALE_FIRST_INDEX }), naturalCount, started);
    }
    console.log('更新统计信息（ANALYZE）…');
    await client.query('ANALYZE legal_person');
    await client.query('ANALYZE natural_person');
  } finally {
    await client.end();
  }

  const seconds = (performance.now() - started) / 1000;
  const processed = legalCount + naturalCount;
  console.log(
    `完成：处理 ${processed.toLocaleString('en-US')} 行，新增法人 ${legal.toLocaleString('en-US')} 行、自然人 ${natural.toLocaleString('en-US')} 行，` +
      `共用时 ${seconds.toFixed(1)} 秒（${Math.round(processed / seconds).toLocaleString('en-US')} 行/秒）`,
  );
} catch (err) {
  console.error(`批量填充失败：${(err as Error).message}`);
  process.exitCode = 1;
}
