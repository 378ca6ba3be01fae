/**
 * DATABASE_URL=postgresql://postgres@127.0.0.1:5432/postgres npm run check:xlsx -- [--rows 100000] [--exceljs]
 *
 * Byte-for-byte check of the XLSX import on a large file of CJK text (issue #12). For each layout — Excel's
 * (shared strings) and WPS's (inline strings) — it writes a file of generated penalties full of CJK text,
 * characters outside the BMP included (tests/helpers/cjk-records.ts), imports it through ImportService as a
 * clerk would, and compares every text cell the database holds with the one written. It runs on a scratch
 * database check_xlsx_<random> on DATABASE_URL's server, dropped at the end.
 * With --exceljs it also reads each file with exceljs's streaming reader (the one replaced) and counts the cells
 * it gets wrong, for comparison.
 * Prints per layout: file size, write time, reading time alone (openImport, no database), import time,
 * mismatched cells and cells holding U+FFFD.
 */
import { randomBytes } from 'node:crypto';
import { copyFile, mkdtemp, rm, stat } from 'node:fs/promises';
import { createReadStream } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import ExcelJS from 'exceljs';
import pg from 'pg';
import { applyMigrations } from '../src/platform/database/migrate.js';
import { buildDeps, type AppDeps } from '../src/deps.js';
import { startWorker } from '../src/jobs.js';
import { PENALTY_FIELDS } from '../src/domain/publicity/fields.js';
import { openImport } from '../src/features/imports/parse.js';
import { CJK_KEYS, cjkPenalties, penaltySheet } from '../tests/helpers/cjk-records.js';
import { seedUsers } from '../tests/helpers/app.js';
import { writeXlsx, type XlsxLayout } from '../tests/helpers/xlsx-build.js';

const USAGE = '用法：DATABASE_URL=… npm run check:xlsx -- [--rows 100000] [--exceljs]';
let args;
try {
  args = parseArgs({ options: { rows: { type: 'string' }, exceljs: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } } }).values;
} catch (err) {
  console.error(`错误：${(err as Error).message}。${USAGE}`);
  process.exit(1);
}
if (args.help) {
  console.log(USAGE);
  process.exit(0);
}
const ROWS = Number((args.rows ?? '100000').replaceAll('_', ''));
if (!Number.isSafeInteger(ROWS) || ROWS <= 0) {
  console.error(`错误：--rows 应为正整数。${USAGE}`);
  process.exit(1);
}
const serverUrl = process.env.DATABASE_URL?.trim();
if (!serverUrl) {
  console.error('错误：未设置环境变量 DATABASE_URL（该服务器上会临时建立并删除 check_xlsx_<随机> 数据库）');
  process.exit(1);
}

const seconds = (ms: number): string => (ms / 1000).toFixed(2);
const mb = (bytes: number): string => (bytes / 1024 / 1024).toFixed(1);

async function admin(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

const dbName = `check_xlsx_${randomBytes(4).toString('hex')}`;
const u = new URL(serverUrl);
u.pathname = `/${dbName}`;
const dbUrl = u.toString();
const workDir = await mkdtemp(path.join(os.tmpdir(), 'check-xlsx-'));
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

/** Mismatched text cells between the generated records and the database, read in keyset pages. */
async function compare(prefix: string): Promise<{ mismatched: number; replacement: number; missing: number; examples: string[] }> {
  const expected = new Map<string, Record<string, string>>();
  for (const r of cjkPenalties(prefix, ROWS)) expected.set(r.documentNo!, r);
  let mismatched = 0;
  let replacement = 0;
  const examples: string[] = [];
  let cursor = 0;
  for (;;) {
    const page = await deps!.db.penalty.findMany({
      where: { id: { gt: cursor }, documentNo: { startsWith: prefix } },
      orderBy: { id: 'asc' },
      take: 5000,
      select: {
        id: true,
        documentNo: true,
        subjectName: true,
        legalRepresentative: true,
        violationType: true,
        facts: true,
        basis: true,
        content: true,
        remark: true,
      },
    });
    for (const s of page) {
      const e = expected.get(s.documentNo);
      expected.delete(s.documentNo);
      for (const k of CJK_KEYS) {
        const got = (s as Record<string, unknown>)[k] as string | null;
        if (got?.includes('\ufffd')) replacement++;
        if (!e || got !== e[k]) {
          mismatched++;
          if (examples.length < 3) examples.push(`${s.documentNo} ${k}: ${JSON.stringify(got).slice(0, 80)}`);
        }
      }
    }
    if (page.length < 5000) break;
    cursor = page[page.length - 1]!.id;
  }
  return { mismatched, replacement, missing: expected.size, examples };
}

/** exceljs's streaming reader on the same file: the cells it returns differently from what was written. */
async function exceljsMismatches(file: string, prefix: string): Promise<{ mismatched: number; replacement: number; ms: number }> {
  const started = performance.now();
  const expected = cjkPenalties(prefix, ROWS);
  const cols = CJK_KEYS.map((k) => PENALTY_FIELDS.findIndex((f) => f.key === k) + 1);
  let mismatched = 0;
  let replacement = 0;
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(createReadStream(file), {
    worksheets: 'emit',
    sharedStrings: 'cache',
    styles: 'cache',
    hyperlinks: 'ignore',
    entries: 'ignore',
  });
  for await (const ws of reader) {
    for await (const row of ws) {
      if (row.number === 1) continue;
      const e = expected.next().value as Record<string, string>;
      cols.forEach((c, i) => {
        const v = row.getCell(c).value;
        const text = typeof v === 'string' ? v : v && typeof v === 'object' && 'richText' in v ? v.richText.map((r) => r.text).join('') : String(v ?? '');
        if (text.includes('\ufffd')) replacement++;
        if (text !== (e[CJK_KEYS[i]!] ?? '')) mismatched++;
      });
    }
  }
  return { mismatched, replacement, ms: performance.now() - started };
}

try {
  await admin(`CREATE DATABASE ${dbName} TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8'`);
  console.log(`临时数据库：${dbName}`);
  await applyMigrations(dbUrl);
  deps = buildDeps(dbUrl, { logLevel: 'warn' });
  // The import runs as a background job: this process is its worker too.
  await deps.jobs.start({ worker: true, schedules: false });
  await startWorker(deps, { pollingIntervalSeconds: 0.5 });
  const seeded = await seedUsers(deps);
  const clerk = await deps.db.user.findUniqueOrThrow({ where: { id: seeded.users.clerk.id }, include: { department: true } });
  const user: Express.User = {
    id: clerk.id,
    username: clerk.username,
    displayName: clerk.displayName,
    role: clerk.role,
    departmentId: clerk.departmentId,
    departmentName: clerk.department?.name ?? null,
  };

  let failed = false;
  for (const layout of ['shared', 'inline'] as XlsxLayout[]) {
    const prefix = layout === 'shared' ? '堃核对罚' : '喆核对罚';
    const label = layout === 'shared' ? 'Excel 式（共享字符串）' : 'WPS 式（内联字符串）';
    const file = path.join(workDir, `${layout}.xlsx`);
    let started = performance.now();
    await writeXlsx(file, penaltySheet(cjkPenalties(prefix, ROWS)), layout);
    const writeMs = performance.now() - started;
    const size = (await stat(file)).size;
    started = performance.now();
    const source = await openImport(file, {
      originalName: 'check.xlsx',
      kind: 'penalty',
      context: { departmentName: clerk.department!.name, departmentUscc: clerk.department!.uscc },
    });
    let read = 0;
    for await (const r of source.rows) if (r.problems.length === 0) read++;
    const readMs = performance.now() - started;
    const upload = path.join(workDir, `${layout}-upload.xlsx`);
    await copyFile(file, upload);
    started = performance.now();
    const { id } = await deps.imports.start('penalty', { path: upload, originalName: `${layout}.xlsx`, size }, user, '127.0.0.1');
    await deps.imports.waitFinished(id, 1_800_000);
    const importMs = performance.now() - started;
    const imp = await deps.db.import.findUniqueOrThrow({ where: { id } });
    const cmp = await compare(prefix);
    const cells = ROWS * CJK_KEYS.length;
    console.log(`\n${label}：${ROWS.toLocaleString('en-US')} 行，文件 ${mb(size)} MB，生成 ${seconds(writeMs)} 秒`);
    console.log(`  仅读取（openImport，含压缩包检查，不写库）：${read.toLocaleString('en-US')} 行无问题，用时 ${seconds(readMs)} 秒`);
    console.log(
      `  导入：${imp.status}，新增 ${imp.insertedRows.toLocaleString('en-US')} 行，错误行 ${imp.errorRows}，用时 ${seconds(importMs)} 秒（${Math.round(ROWS / (importMs / 1000)).toLocaleString('en-US')} 行/秒）${imp.message ? `，${imp.message}` : ''}`,
    );
    console.log(`  核对 ${cells.toLocaleString('en-US')} 个文本单元格：不一致 ${cmp.mismatched}，含 U+FFFD ${cmp.replacement}，缺失记录 ${cmp.missing}`);
    for (const e of cmp.examples) console.log(`    例：${e}`);
    if (imp.status !== 'succeeded' || cmp.mismatched || cmp.missing) failed = true;
    if (args.exceljs) {
      const x = await exceljsMismatches(file, prefix);
      console.log(`  对照 exceljs 流式读取器：不一致 ${x.mismatched}，含 U+FFFD ${x.replacement}，读取用时 ${seconds(x.ms)} 秒`);
    }
    await deps.db.$executeRawUnsafe('TRUNCATE penalty, import, audit_log, legal_person, natural_person, record_name RESTART IDENTITY CASCADE');
    // Fresh statistics, so the second layout's import is planned on empty tables as the first one was.
    await deps.db.$executeRawUnsafe('VACUUM ANALYZE penalty, legal_person, natural_person, record_name');
  }
  if (failed) process.exitCode = 1;
} catch (err) {
  console.error(`核对失败：${(err as Error).stack ?? (err as Error).message}`);
  process.exitCode = 1;
} finally {
  await cleanUp();
}
