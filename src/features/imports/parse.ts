/**
 * The file side of the batch import of 双公示 records: open an uploaded CSV or XLSX, recognise its header
 * (2019 field set or the older 2015 shape) and stream its rows as strings keyed by the 2019 field keys of
 * ../../domain/publicity/fields.ts, ready for the record schemas. Nothing here reads a whole file into memory.
 *
 * Safety, in order: extension allow-list → size limit → format decided by content (magic bytes), checked
 * against the extension → for XLSX a zip inspection (central directory, layout, real decompressed sizes)
 * before the sheet reader (../../platform/xlsx-reader.ts) sees the file → a row limit while streaming. Every failure a user can fix is an
 * ImportFileError whose message is Simplified Chinese and meant to be shown as is.
 */
import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { extname } from 'node:path';
import { pipeline } from 'node:stream';
import { parse as parseCsv, CsvError, type Info } from 'csv-parse';
import iconv from 'iconv-lite';
// yauzl reads the zip *central directory* with random access (and handles ZIP64, comments, bad offsets), so
// the zip-bomb checks see every entry and its real size; the sheet reader uses it too.
import yauzl from 'yauzl';
import { restoreCell } from '../../platform/csv-cell.js';
import { containerOf } from '../../platform/attachments.js';
import { readFirstSheet, XlsxReadError, type XlsxCell } from '../../platform/xlsx-reader.js';
import type { FieldDef, RecordKind } from '../../domain/publicity/fields.js';
import { EXPORT_STATE_FIELDS } from '../../domain/publicity/fields.js';
import { EXAMPLE_COLUMN, IMPORT_KIND_LABELS, IMPORT_KINDS, importFields, isRecordKind, type ImportKind } from './kinds.js';
import { legacyColumnsOf, mapLegacyRow, TECHNICAL_COLUMNS, type LegacyColumn } from './shape-2015.js';

/** A problem with the file as a whole; the message is for the user, in Simplified Chinese. */
export class ImportFileError extends Error {
  override readonly name = 'ImportFileError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

export interface ImportLimits {
  /** Size of the uploaded file. */
  maxBytes: number;
  /** Data rows (header rows not counted); the import runs in one transaction, the caller rolls back. */
  maxRows: number;
  /** Sum of the declared uncompressed sizes of all entries of an XLSX. */
  maxUncompressedBytes: number;
  /** Uncompressed / compressed size of any single XLSX entry larger than 1 MiB. */
  maxCompressionRatio: number;
}

/**
 * - maxRows 200,000: a year of 双公示 records of the busiest city department is well under 100,000; the cap
 *   bounds one import transaction, not normal use.
 * - maxBytes 256 MB: enough for maxRows realistic penalty rows (long 违法事实 and 处罚依据) as UTF-8 CSV, so a
 *   file that respects maxRows gets through (row sizes measured in docs/performance.md#imports-and-bulk-writing).
 *   GBK files are smaller (2 bytes per Chinese character instead of 3).
 * - maxUncompressedBytes 1 GiB: enough for the sheet + shared-string XML of the same rows as XLSX (same page).
 * - maxCompressionRatio 200: above what real sheet XML deflates to, even very repetitive sheets (same page), and
 *   far below deflate's ceiling of ~1,030×, which is what zip bombs use. Entries under 1 MiB are not
 *   ratio-checked (the total limit covers them and tiny entries have meaningless ratios).
 */
export const IMPORT_LIMITS: Readonly<ImportLimits> = {
  maxBytes: 256 * 1024 * 1024,
  maxRows: 200_000,
  maxUncompressedBytes: 1024 * 1024 * 1024,
  maxCompressionRatio: 200,
};

export interface ImportRow {
  /** As the user sees it in Excel: the header row is 1 (empty lines and skipped header rows count). */
  rowNumber: number;
  /** Cell strings keyed by 2019 field key (trimmed); a 2015 row arrives already mapped. */
  values: Record<string, string>;
  /** Cell-level problems found while reading (numeric code cells, column count, encoding); key '' = the row. */
  problems: { key: string; message: string }[];
}

export interface ImportColumn {
  /** The header cell as written in the file. */
  header: string;
  /** The 2019 field key it feeds; '' = recognised and ignored (2015 DFBM, SJC, …). */
  key: string;
}

export interface ImportSource {
  format: 'csv' | 'xlsx';
  encoding?: 'utf-8' | 'gb18030';
  shape: '2019' | '2015';
  columns: ImportColumn[];
  /** Single pass. Throws ImportFileError on a file-level problem found late (row limit, broken quoting). */
  rows: AsyncIterable<ImportRow>;
  /** Releases the file if `rows` is not iterated to its end; idempotent, safe after a full iteration. */
  close(): Promise<void>;
}

export interface OpenImportOptions {
  /** The name the user uploaded, for its extension. */
  originalName: string;
  kind: ImportKind;
  /** The importing department: fills the authority/source codes of 2015-shape files, which have none. */
  context: { departmentName: string; departmentUscc: string | null };
  limits?: Partial<ImportLimits>;
}

/** Keys whose values are codes or numbers-as-text: a numeric spreadsheet cell there has lost digits. */
export const IDENTIFIER_KEYS: ReadonlySet<string> = new Set([
  'uscc',
  'regNo',
  'orgCode',
  'taxRegNo',
  'institutionCertNo',
  'socialOrgCertNo',
  'docNumber',
  'legalRepDocNumber',
  'documentNo',
  'authorityCode',
  'sourceCode',
  'permitNo',
  'promisorCode',
]);

const SNIFF_BYTES = 1024 * 1024;
/** csv-parse aborts a record longer than this (characters): an unclosed quote would otherwise swallow the file. */
const MAX_RECORD_CHARS = 200_000;
const RATIO_FLOOR_BYTES = 1024 * 1024;
const MAX_ZIP_ENTRIES = 10_000;
/** A ZIP local file header is at least 30 bytes: a smaller gap between entries cannot hide one. */
const MIN_LOCAL_HEADER = 30;
const ACCEPTED_EXTENSIONS = ['.csv', '.txt', '.xlsx'];

const OLD_EXCEL_MESSAGE = '不支持旧版 Excel 文件（.xls）：请在 Excel 中「另存为」Excel 工作簿（.xlsx）或 CSV UTF-8（逗号分隔）后再上传';

const NO_WORKBOOK_MESSAGE = '文件内容与扩展名不符：扩展名为 .xlsx，但压缩包里没有 Excel 工作簿（可能是 Word 文档或其他压缩文件）';

const mb = (n: number): string => `${Math.round((n / 1024 / 1024) * 10) / 10} MB`;

// ---------------------------------------------------------------------------------------------------------
// Content sniffing

type Content = 'zip' | 'ole' | 'utf16' | 'binary' | 'text';

/** ZIP (XLSX) and OLE2 (old .xls, or an XLSX with an opening password) by file-type; CSV has no signature, so the rest is ours. */
async function sniff(head: Buffer): Promise<Content> {
  const container = await containerOf(head);
  if (container) return container;
  if (head.length >= 2 && ((head[0] === 0xff && head[1] === 0xfe) || (head[0] === 0xfe && head[1] === 0xff))) return 'utf16';
  if (head.includes(0)) return 'binary';
  return 'text';
}

async function readHead(filePath: string, bytes: number): Promise<Buffer> {
  const fh = await open(filePath, 'r');
  try {
    const buf = Buffer.alloc(bytes);
    const { bytesRead } = await fh.read(buf, 0, bytes, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
}

/** UTF-8 (BOM or valid UTF-8 in the first MiB) or else GB18030, the superset of the GBK Excel writes in China. */
function detectEncoding(head: Buffer, wholeFile: boolean): 'utf-8' | 'gb18030' {
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return 'utf-8';
  try {
    // stream: true tolerates a character cut in half at the end of the sample.
    new TextDecoder('utf-8', { fatal: true }).decode(head, { stream: !wholeFile });
    return 'utf-8';
  } catch {
    return 'gb18030';
  }
}

// ---------------------------------------------------------------------------------------------------------
// Raw rows (format-specific): cells are strings, or typed values from XLSX that need the column to decide

type RawCell = string | { t: 'n'; v: number } | { t: 'err'; v: string };
interface RawRow {
  rowNumber: number;
  cells: RawCell[];
}

function rawText(c: RawCell | undefined): string {
  if (c === undefined) return '';
  if (typeof c === 'string') return c.trim();
  return c.t === 'n' ? numberText(c.v) : c.v;
}

const isEmptyRow = (r: RawRow): boolean => r.cells.every((c) => rawText(c) === '');

/** Like Excel shows it: 15 significant digits (0.2, not 0.20000000000000001), never exponent notation. */
function numberText(n: number): string {
  if (!Number.isFinite(n)) return '';
  const r = Number(n.toPrecision(15));
  const s = String(r);
  return /e/i.test(s) ? r.toLocaleString('en-US', { useGrouping: false, maximumFractionDigits: 20 }) : s;
}

const pad = (n: number): string => String(n).padStart(2, '0');

/** Excel dates are wall-clock dates: a serial day number read as UTC midnight, read back with UTC getters. */
function dateText(d: Date): string {
  if (Number.isNaN(d.getTime())) return '';
  return `${d.getUTCFullYear()}/${pad(d.getUTCMonth() + 1)}/${pad(d.getUTCDate())}`;
}

/** Excel serial day numbers 1950-01-01 … 2100-01-01 (the 1900 leap-year bug is irrelevant in this range). */
const SERIAL_MIN = 18264;
const SERIAL_MAX = 73051;
const serialText = (n: number): string => dateText(new Date((Math.floor(n) - 25569) * 86_400_000));

// --- CSV ---

function csvFailure(e: unknown): unknown {
  if (e instanceof ImportFileError || !(e instanceof CsvError)) return e;
  const line = (e as CsvError & { lines?: number }).lines;
  const where = line ? `第 ${line} 行附近` : '';
  switch (e.code) {
    case 'CSV_QUOTE_NOT_CLOSED':
      return new ImportFileError(`CSV 文件${where}的引号没有闭合：文件可能不完整，或某个单元格里的英文双引号没有成对出现`, { cause: e });
    case 'CSV_MAX_RECORD_SIZE':
      return new ImportFileError(`CSV 文件${where}有一条记录超过 ${MAX_RECORD_CHARS} 个字符：通常是英文双引号没有成对出现`, { cause: e });
    default:
      return new ImportFileError(`CSV 文件格式有误（${where || '位置不明'}）：${e.message}`, { cause: e });
  }
}

async function* csvRows(filePath: string, encoding: 'utf-8' | 'gb18030', delimiter: string): AsyncGenerator<RawRow, void, undefined> {
  // Reads of 64 KiB: a read decoded to one string (GB18030 below; UTF-8 was, before csv-parse took the bytes) of 256 KiB
  // of Chinese text is too large for V8's young generation and waits for a full collection, so V8's large-object space
  // filled with them during a large import (docs/performance.md#imports-and-bulk-writing).
  const source = createReadStream(filePath, { highWaterMark: 64 * 1024 });
  // csv-parse decodes UTF-8 bytes itself (also a character cut between two reads); decoding them to a string
  // first only for it to encode them again was a measurable share of the parse. GB18030 is decoded by iconv-lite.
  const decoder = encoding === 'utf-8' ? null : iconv.decodeStream('gb18030', { stripBOM: true });
  // The column count is checked per row in buildRow (relax_column_count here): a row with the wrong number
  // of columns becomes a row problem with its row number instead of aborting the whole file.
  const parser = parseCsv({
    delimiter,
    bom: decoder === null,
    // Spaces around a quoted field ( a, "b,c") are tolerated; with tab separators trimming is left to buildRow.
    trim: delimiter === ',',
    skip_empty_lines: true,
    relax_column_count: true,
    relax_quotes: true,
    max_record_size: MAX_RECORD_CHARS,
    info: true,
  });
  // Errors of any stage destroy the parser with that error, which ends the iteration below.
  if (decoder) pipeline(source, decoder, parser, () => {});
  else pipeline(source, parser, () => {});
  try {
    for await (const item of parser as AsyncIterable<{ record: string[]; info: Info }>) {
      // Excel shows every line, empty or not, as a row; a quoted multi-line cell is one row.
      yield { rowNumber: item.info.records + item.info.empty_lines, cells: item.record };
    }
  } catch (e) {
    throw csvFailure(e);
  } finally {
    parser.destroy();
    source.destroy();
  }
}

// --- XLSX ---

function xlsxCell(c: XlsxCell | undefined): RawCell {
  if (c === undefined) return '';
  switch (c.t) {
    case 's':
      return c.v;
    case 'n':
      return c.date ? dateText(new Date(Math.round((c.v - 25569) * 86_400_000))) : { t: 'n', v: c.v };
    case 'b':
      return c.v ? 'TRUE' : 'FALSE';
    case 'e':
      return { t: 'err', v: c.v };
    case 'd': {
      // An ISO 8601 date (time) without zone is a wall-clock value: keep its calendar date as written.
      const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(c.v.trim());
      return m ? `${m[1]}/${m[2]}/${m[3]}` : c.v;
    }
  }
}

async function* xlsxRows(filePath: string): AsyncGenerator<RawRow, void, undefined> {
  try {
    for await (const row of readFirstSheet(filePath)) {
      const cells: RawCell[] = new Array<RawCell>(row.cells.length);
      for (let i = 0; i < row.cells.length; i++) cells[i] = xlsxCell(row.cells[i]);
      yield { rowNumber: row.rowNumber, cells };
    }
  } catch (e) {
    if (e instanceof ImportFileError) throw e;
    if (e instanceof XlsxReadError && e.reason === 'no-sheet') throw new ImportFileError('Excel 文件中没有工作表', { cause: e });
    if (e instanceof XlsxReadError && e.reason === 'no-workbook') throw new ImportFileError(NO_WORKBOOK_MESSAGE, { cause: e });
    throw new ImportFileError('Excel 文件内容已损坏，无法读取：请在 Excel 中打开并重新保存为 .xlsx 后再上传', { cause: e });
  }
}

/**
 * Zip-bomb and zip-confusion defence, run before the sheet reader opens the file:
 * 1. declared sizes from the central directory: total ≤ maxUncompressedBytes, each large entry's ratio ≤
 *    maxCompressionRatio, no encryption, only stored/deflate;
 * 2. layout: entries are contiguous and each local header agrees with its directory record, so any reader
 *    that follows local headers (Excel's own repair, forward-only unzippers) sees exactly the entries checked here;
 * 3. real sizes: every entry is inflated once and counted (yauzl stops as soon as an entry exceeds its
 *    declared size), because deflate data can expand far beyond what a forged header declares.
 * Step 3 costs one extra inflate pass, which is fast next to the XML parsing of the same bytes.
 */
export async function checkXlsxZip(filePath: string, limits: ImportLimits = IMPORT_LIMITS): Promise<void> {
  const corrupt = (cause?: unknown): ImportFileError =>
    new ImportFileError('Excel 文件已损坏（压缩结构无法读取）：请在 Excel 中打开并重新保存为 .xlsx 后再上传', { cause });
  const bomb = (detail: string): ImportFileError => new ImportFileError(`Excel 文件${detail}，可能是恶意构造的压缩文件（“压缩炸弹”），已拒绝读取`);
  let zip: yauzl.ZipFile;
  try {
    zip = await yauzl.openPromise(filePath, { lazyEntries: true, autoClose: false, validateEntrySizes: true, decodeStrings: true, strictFileNames: false });
  } catch (e) {
    throw corrupt(e);
  }
  try {
    if (zip.entryCount > MAX_ZIP_ENTRIES) throw bomb(`包含 ${zip.entryCount} 个内部文件（上限 ${MAX_ZIP_ENTRIES}）`);
    // Before the first readEntry() the cursor is the central directory's offset (typed wrongly in @types/yauzl).
    const centralDirectoryOffset = (zip as unknown as { readEntryCursor: number }).readEntryCursor;
    const entries: yauzl.Entry[] = [];
    try {
      for await (const entry of zip.eachEntry()) entries.push(entry);
    } catch (e) {
      throw corrupt(e);
    }

    let total = 0;
    for (const e of entries) {
      if (e.isEncrypted()) throw new ImportFileError('Excel 文件已加密：请取消密码后重新保存，再上传');
      if (e.compressionMethod !== 0 && e.compressionMethod !== 8)
        throw new ImportFileError('Excel 文件使用了不支持的压缩方式：请在 Excel 中重新保存为 .xlsx 后再上传');
      total += e.uncompressedSize;
      if (total > limits.maxUncompressedBytes) {
        throw new ImportFileError(
          `Excel 文件解压后超过 ${mb(limits.maxUncompressedBytes)} 的上限，已拒绝读取：如确为正常数据，请拆分为多个文件后分别导入（文件也可能是恶意构造的“压缩炸弹”）`,
        );
      }
      if (e.uncompressedSize > RATIO_FLOOR_BYTES) {
        const ratio = e.uncompressedSize / Math.max(e.compressedSize, 1);
        if (ratio > limits.maxCompressionRatio) throw bomb(`中的「${e.fileName}」压缩比异常（${Math.round(ratio)} 倍，上限 ${limits.maxCompressionRatio} 倍）`);
      }
    }
    if (!entries.some((e) => e.fileName === 'xl/workbook.xml')) {
      throw new ImportFileError(NO_WORKBOOK_MESSAGE);
    }

    const layout = new ImportFileError('Excel 文件的压缩结构异常（含有目录之外的数据或重叠的内容），已拒绝读取：请在 Excel 中重新保存为 .xlsx 后再上传');
    let cursor = 0;
    for (const e of [...entries].sort((a, b) => a.relativeOffsetOfLocalHeader - b.relativeOffsetOfLocalHeader)) {
      const gap = e.relativeOffsetOfLocalHeader - cursor;
      if (gap < 0 || gap >= MIN_LOCAL_HEADER) throw layout;
      let h: yauzl.LocalFileHeader;
      try {
        h = await zip.readLocalFileHeaderPromise(e);
      } catch (err) {
        throw corrupt(err);
      }
      if (h.compressionMethod !== e.compressionMethod || !h.fileName.equals(e.fileNameRaw)) throw layout;
      const sizesInHeader = (h.generalPurposeBitFlag & 8) === 0 && h.compressedSize !== 0xffffffff;
      if (sizesInHeader && (h.compressedSize !== e.compressedSize || h.uncompressedSize !== e.uncompressedSize)) throw layout;
      cursor = h.fileDataStart + e.compressedSize;
    }
    const tail = centralDirectoryOffset - cursor;
    if (tail < 0 || tail >= MIN_LOCAL_HEADER) throw layout;

    for (const e of entries) {
      if (e.uncompressedSize === 0 && e.compressedSize <= 2) continue;
      try {
        const stream = await zip.openReadStreamPromise(e);
        // yauzl's validateEntrySizes errors the stream once it yields more (or fewer) bytes than declared.
        for await (const chunk of stream) void chunk;
      } catch (err) {
        throw new ImportFileError(`Excel 文件中的「${e.fileName}」实际内容与声明的大小不符，可能是损坏或恶意构造的压缩文件，已拒绝读取`, { cause: err });
      }
    }
  } finally {
    zip.close();
  }
}

// ---------------------------------------------------------------------------------------------------------
// Header recognition

interface Target {
  /** Field code (2019) or legacy code (2015). */
  code: string;
  /** 2019 key fed; null = recognised, ignored. */
  key: string | null;
  label: string;
  legacy: boolean;
  required: boolean;
}

interface Vocab {
  byCode: Map<string, Target>;
  byLabel: Map<string, Target>;
}

/** Full-width → half-width (NFKC), no whitespace, no '*' required markers, 【】[] as (), upper case. */
const EXPORT_ONLY = new Set(EXPORT_STATE_FIELDS.flatMap((f) => [f.code, f.label].map((h) => norm(h))));

function norm(s: string): string {
  return s
    .normalize('NFKC')
    .replace(/[\s*\u200b\ufeff]/g, '')
    .replace(/[【[]/g, '(')
    .replace(/[】\]]/g, ')')
    .toUpperCase();
}

function makeVocab(targets: { t: Target; labels: readonly string[] }[]): Vocab {
  const v: Vocab = { byCode: new Map(), byLabel: new Map() };
  for (const { t, labels } of targets) {
    if (!v.byCode.has(t.code)) v.byCode.set(t.code, t);
    for (const l of labels) if (!v.byLabel.has(norm(l))) v.byLabel.set(norm(l), t);
  }
  return v;
}

const fieldTarget = (f: FieldDef): { t: Target; labels: readonly string[] } => ({
  t: { code: f.code, key: f.key, label: f.label, legacy: false, required: f.need === 'R' },
  labels: [f.label],
});
const legacyTarget = (c: LegacyColumn): { t: Target; labels: readonly string[] } => ({
  t: { code: c.code, key: c.key, label: c.labels[0] ?? c.code, legacy: true, required: c.required === true },
  labels: c.labels,
});

const vocabCache = new Map<string, Vocab>();
function vocabOf(kind: ImportKind, shape: '2019' | '2015'): Vocab {
  const id = `${kind}/${shape}`;
  let v = vocabCache.get(id);
  if (!v) {
    v =
      shape === '2019'
        ? makeVocab([
            ...importFields(kind).map(fieldTarget),
            // DFBM / SJC: ignored in the 2019 shape as well (exchange tables of both generations carry them).
            ...TECHNICAL_COLUMNS.map((c) => ({ t: { ...legacyTarget(c).t, legacy: false }, labels: c.labels })),
          ])
        : makeVocab(isRecordKind(kind) ? legacyColumnsOf(kind).map(legacyTarget) : []);
    vocabCache.set(id, v);
  }
  return v;
}

const CODE_RE = /^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*$/;
const SEPARATORS = /^[-_:.、/|]+|[-_:.、/|]+$/g;

type Resolution = { target: Target } | { conflict: Target } | null;

/** A header cell as a code, a label, or both: 'label(CODE)', 'label（CODE）', 'CODE label', 'CODE-label', … */
function resolveHeader(text: string, v: Vocab): Resolution {
  const t = norm(text);
  if (t === '') return null;
  const direct = v.byCode.get(t) ?? v.byLabel.get(t);
  if (direct) return { target: direct };
  let code: string | undefined;
  let rest = '';
  const paren = /^(.*)\(([^()]*)\)$/.exec(t);
  if (paren && CODE_RE.test(paren[2]!)) [code, rest] = [paren[2]!, paren[1]!];
  else if (paren && CODE_RE.test(paren[1]!)) [code, rest] = [paren[1]!, paren[2]!];
  else {
    const lead = /^([A-Z][A-Z0-9_]*)([^A-Z0-9_].*)$/.exec(t);
    const tail = /^(.*[^A-Z0-9_])([A-Z][A-Z0-9_]*)$/.exec(t);
    if (lead && v.byCode.has(lead[1]!)) [code, rest] = [lead[1]!, lead[2]!];
    else if (tail && v.byCode.has(tail[2]!)) [code, rest] = [tail[2]!, tail[1]!];
  }
  const byCode = code === undefined ? undefined : v.byCode.get(code);
  if (!byCode) return null;
  // The code decides; a label beside it only has to not name another field.
  const label = rest.replace(SEPARATORS, '');
  const byLabel = label ? v.byLabel.get(label) : undefined;
  if (byLabel && byLabel.key !== byCode.key) return { conflict: byCode };
  return { target: byCode };
}

interface ColumnPlan {
  index: number;
  header: string;
  target: Target;
  key: string;
  identifier: boolean;
  date: boolean;
}

interface Layout {
  shape: '2019' | '2015';
  plans: ColumnPlan[];
  /** Positions with a non-empty header cell. */
  headed: Set<number>;
  width: number;
}

const DATE_KEYS = new Set(['decisionDate', 'validFrom', 'validTo', 'validUntil', 'publicityEndDate', 'madeOn']);

function quoteList(items: string[]): string {
  return items.map((s) => `「${s}」`).join('、');
}

function planColumns(headers: string[], kind: ImportKind, ctx: OpenImportOptions['context']): Layout {
  const v19 = vocabOf(kind, '2019');
  const v15 = vocabOf(kind, '2015');
  const r19 = headers.map((h) => resolveHeader(h, v19));
  const r15 = headers.map((h) => resolveHeader(h, v15));
  // A header only the 2015 vocabulary knows (XK_XMMC, 项目名称, CF_CFLB1, …) marks the older shape.
  const shape = headers.some((_, i) => r15[i] && 'target' in r15[i]! && !(r19[i] && 'target' in r19[i]!)) ? '2015' : '2019';

  const plans: ColumnPlan[] = [];
  const headed = new Set<number>();
  const unknown: string[] = [];
  const conflicts: string[] = [];
  headers.forEach((header, index) => {
    if (norm(header) === '') return;
    headed.add(index);
    // Our own export's state columns (tier and publication as applied): read by nobody, the portal computes them.
    if (kind === 'penalty' && EXPORT_ONLY.has(norm(header))) return;
    const res = shape === '2015' && r15[index] && 'target' in r15[index]! ? r15[index] : r19[index];
    if (!res) unknown.push(header.trim());
    else if ('conflict' in res) conflicts.push(header.trim());
    else {
      const key = res.target.key ?? '';
      plans.push({ index, header: header.trim(), target: res.target, key, identifier: IDENTIFIER_KEYS.has(key), date: DATE_KEYS.has(key) });
    }
  });

  if (headed.size === 0) throw new ImportFileError('文件中没有表头');
  if (unknown.length > 0) {
    const otherKnows =
      (other: ImportKind) =>
      (h: string): boolean =>
        [vocabOf(other, '2019'), vocabOf(other, '2015')].some((v) => resolveHeader(h, v) !== null);
    const other = IMPORT_KINDS.find((k) => k !== kind && unknown.length >= 2 && unknown.every(otherKnows(k)));
    if (other) {
      throw new ImportFileError(
        `这是${IMPORT_KIND_LABELS[other]}的文件（含有${quoteList(unknown.slice(0, 3))}等${IMPORT_KIND_LABELS[other]}的列），请到「${IMPORT_KIND_LABELS[other]}」批量导入中上传`,
      );
    }
    throw new ImportFileError(`无法识别的列：${quoteList(unknown)}。表头应使用模板中的字段名称或字段代码（如${EXAMPLE_COLUMN[kind]}），请下载模板核对`);
  }
  if (conflicts.length > 0) throw new ImportFileError(`列名与字段代码不一致：${quoteList(conflicts)}，请只保留字段名称或字段代码之一，或改正后再上传`);

  const seen = new Map<string, ColumnPlan>();
  for (const p of plans) {
    // Same code twice, or two 2019 columns for the same key. (A 2019 column beside a 2015 one with the same
    // key is allowed: the 2019 value wins, see mapLegacyRow.)
    const ids = [`code:${p.target.code}`, ...(!p.target.legacy && p.key ? [`key:${p.key}`] : [])];
    for (const id of ids) {
      const prev = seen.get(id);
      if (prev) throw new ImportFileError(`列重复：${quoteList([prev.header, p.header])}都对应「${p.target.label}」，请删除其中一列`);
      seen.set(id, p);
    }
  }

  const covered = new Set(plans.map((p) => p.key));
  const missing =
    shape === '2019'
      ? importFields(kind)
          .filter((f) => f.need === 'R' && !covered.has(f.key))
          .map((f) => f.label)
      : legacyColumnsOf(kind as RecordKind)
          .filter((c) => c.required && c.key && !covered.has(c.key))
          .map((c) => c.labels[0] ?? c.code)
          .filter((l, i, all) => all.indexOf(l) === i);
  if (missing.length > 0) throw new ImportFileError(`缺少必填列：${missing.join('、')}`);

  if (shape === '2015' && !ctx.departmentUscc) {
    throw new ImportFileError(
      '旧版（2015 版）格式的文件没有许可/处罚机关和数据来源单位的统一社会信用代码，导入时要用本单位的代码补齐，但本单位尚未登记统一社会信用代码：请联系管理员补充后再导入',
    );
  }
  return { shape, plans, headed, width: headers.length };
}

/** The template's second header row: the same fields' codes (or labels) under the first row. */
function isHeaderEcho(r: RawRow, layout: Layout, kind: ImportKind): boolean {
  const v = vocabOf(kind, layout.shape);
  const v19 = vocabOf(kind, '2019');
  const byIndex = new Map(layout.plans.map((p) => [p.index, p]));
  let matches = 0;
  for (let i = 0; i < r.cells.length; i++) {
    const text = rawText(r.cells[i]);
    if (text === '') continue;
    const p = byIndex.get(i);
    if (!p) return false;
    const res = resolveHeader(text, v) ?? resolveHeader(text, v19);
    if (!res || !('target' in res) || res.target.code !== p.target.code) return false;
    matches++;
  }
  return matches >= Math.min(2, layout.plans.length);
}

// ---------------------------------------------------------------------------------------------------------
// Rows

const SCIENTIFIC_RE = /^[+-]?\d+(?:\.\d+)?E\+?\d+$/i;

function columnLetters(index: number): string {
  let n = index + 1;
  let s = '';
  while (n > 0) {
    const m = (n - 1) % 26;
    s = String.fromCharCode(65 + m) + s;
    n = Math.floor((n - 1) / 26);
  }
  return s;
}

function buildRow(r: RawRow, layout: Layout, opts: OpenImportOptions, format: 'csv' | 'xlsx'): ImportRow {
  const n = r.rowNumber;
  const problems: ImportRow['problems'] = [];
  const values: Record<string, string> = {};
  const legacy: Record<string, string> = {};

  for (const p of layout.plans) {
    if (!p.key) continue;
    const cell = r.cells[p.index];
    let text: string;
    if (cell === undefined) text = '';
    else if (typeof cell === 'string') text = cell.trim();
    else if (cell.t === 'err') {
      problems.push({ key: p.key, message: `第${n}行「${p.target.label}」单元格是错误值 ${cell.v}，请改为实际内容` });
      text = '';
    } else if (p.identifier) {
      // Never pass the digits on: a number cell has at most 15 significant digits, the rest became zeros.
      problems.push({
        key: p.key,
        message: `第${n}行「${p.target.label}」单元格是数值格式：Excel 会截断长数字（如身份证号后几位变成 0），请把该列设为文本格式后重新填写`,
      });
      text = '';
    } else if (p.date && cell.v >= SERIAL_MIN && cell.v <= SERIAL_MAX) {
      text = serialText(cell.v); // a date typed into a cell formatted as 常规/数值 shows as a day number
    } else text = numberText(cell.v);

    if (p.identifier && SCIENTIFIC_RE.test(text)) {
      problems.push({ key: p.key, message: `第${n}行「${p.target.label}」是科学计数法（${text}）：长数字已被 Excel 截断，请把该列设为文本格式后重新填写` });
      text = '';
    }
    // Exports prefix a ' to cells that could run as formulas; exactly that one quote is removed again.
    text = restoreCell(text);
    if (text.includes('\ufffd')) {
      // Never published: U+FFFD is what a decoder leaves where bytes were not text in the file's encoding.
      problems.push({ key: p.key, message: `第${n}行「${p.target.label}」含无法识别的字符（�），可能是文件编码或损坏问题，请检查后重新导入` });
      text = '';
    }
    if (p.target.legacy) legacy[p.target.code] = text;
    else values[p.key] = text;
  }

  if (format === 'csv' && r.cells.length < layout.width) {
    problems.push({ key: '', message: `第${n}行只有 ${r.cells.length} 列，表头有 ${layout.width} 列：可能少了分隔符（逗号），或英文双引号没有成对出现` });
  }
  const stray = r.cells.findIndex((c, i) => !layout.headed.has(i) && rawText(c) !== '');
  if (stray >= 0) {
    problems.push({
      key: '',
      message:
        format === 'csv' && stray >= layout.width
          ? `第${n}行有 ${r.cells.length} 列，多于表头的 ${layout.width} 列：可能多了分隔符（逗号），或单元格里的逗号没有用英文双引号括起来`
          : `第${n}行第 ${columnLetters(stray)} 列有内容，但该列没有表头`,
    });
  }

  return {
    rowNumber: n,
    values: layout.shape === '2015' && isRecordKind(opts.kind) ? mapLegacyRow(opts.kind, legacy, values, opts.context) : values,
    problems,
  };
}

async function nextNonEmpty(it: AsyncGenerator<RawRow, void, undefined>): Promise<RawRow | null> {
  for (;;) {
    const r = await it.next();
    if (r.done) return null;
    if (!isEmptyRow(r.value)) return r.value;
  }
}

async function* dataRows(
  pending: RawRow | null,
  raw: AsyncGenerator<RawRow, void, undefined>,
  layout: Layout,
  opts: OpenImportOptions,
  format: 'csv' | 'xlsx',
  maxRows: number,
): AsyncGenerator<ImportRow, void, undefined> {
  let count = 0;
  try {
    for (let r = pending ?? (await nextNonEmpty(raw)); r; r = await nextNonEmpty(raw)) {
      if (++count > maxRows) {
        throw new ImportFileError(`数据超过 ${maxRows.toLocaleString('en-US')} 行的上限（到第 ${r.rowNumber} 行时）：请拆分为多个文件后分别导入`);
      }
      yield buildRow(r, layout, opts, format);
    }
  } finally {
    await raw.return(undefined);
  }
}

// ---------------------------------------------------------------------------------------------------------

/**
 * Opens an uploaded import file: checks it, reads its header and returns its rows as a stream.
 * @param filePath where the upload was stored
 * @throws ImportFileError for every problem with the file as a whole (type, size, encoding, header, zip bomb)
 */
export async function openImport(filePath: string, opts: OpenImportOptions): Promise<ImportSource> {
  const limits: ImportLimits = { ...IMPORT_LIMITS, ...opts.limits };
  const ext = extname(opts.originalName).toLowerCase();
  if (ext === '.xls') throw new ImportFileError(OLD_EXCEL_MESSAGE);
  if (!ACCEPTED_EXTENSIONS.includes(ext)) {
    throw new ImportFileError(`不支持的文件类型「${ext || '无扩展名'}」：请上传 Excel 工作簿（.xlsx）或 CSV 文件（.csv）`);
  }
  const { size } = await stat(filePath);
  if (size === 0) throw new ImportFileError('文件是空的');
  if (size > limits.maxBytes) throw new ImportFileError(`文件大小 ${mb(size)}，超过上限 ${mb(limits.maxBytes)}：请拆分为多个文件后分别导入`);

  const head = await readHead(filePath, Math.min(SNIFF_BYTES, size));
  const content = await sniff(head);
  const format: 'csv' | 'xlsx' = ext === '.xlsx' ? 'xlsx' : 'csv';
  let encoding: 'utf-8' | 'gb18030' | undefined;
  let raw: AsyncGenerator<RawRow, void, undefined>;

  if (format === 'xlsx') {
    if (content === 'ole') {
      throw new ImportFileError(
        '文件是旧版 Excel（.xls）格式或设置了打开密码，扩展名却是 .xlsx：请取消密码，并在 Excel 中「另存为」Excel 工作簿（.xlsx）后再上传',
      );
    }
    if (content !== 'zip') {
      throw new ImportFileError(
        `文件内容与扩展名不符：扩展名为 .xlsx，但内容不是 Excel 文件${content === 'text' ? '（看起来是 CSV 或文本文件，请把扩展名改为 .csv）' : ''}`,
      );
    }
    await checkXlsxZip(filePath, limits);
    raw = xlsxRows(filePath);
  } else {
    if (content === 'zip') {
      throw new ImportFileError(`文件内容与扩展名不符：扩展名为 ${ext}，但内容是 Excel 工作簿或压缩文件：如果是 Excel 文件，请把扩展名改为 .xlsx`);
    }
    if (content === 'ole') {
      throw new ImportFileError(
        `文件内容与扩展名不符：扩展名为 ${ext}，但内容是旧版 Excel（.xls）文件：请在 Excel 中「另存为」Excel 工作簿（.xlsx）或 CSV UTF-8（逗号分隔）`,
      );
    }
    if (content === 'utf16') {
      throw new ImportFileError('文件是 UTF-16 编码（Excel「Unicode 文本」），暂不支持：请在 Excel 中「另存为」CSV UTF-8（逗号分隔）后再上传');
    }
    if (content === 'binary') throw new ImportFileError(`文件内容与扩展名不符：扩展名为 ${ext}，但内容不是文本（含有二进制数据）`);
    const enc = detectEncoding(head, size <= head.length);
    encoding = enc;
    const sample = iconv.decode(head.subarray(0, 64 * 1024), enc === 'utf-8' ? 'utf8' : 'gb18030').replace(/^\ufeff/, '');
    if (/^\s*<(?:!doctype|html|\?xml|table|head|body)\b/i.test(sample)) {
      throw new ImportFileError(
        `文件内容与扩展名不符：扩展名为 ${ext}，但内容是网页（HTML）或 XML：请在 Excel 中打开后「另存为」CSV UTF-8（逗号分隔）或 Excel 工作簿（.xlsx）`,
      );
    }
    const firstLine = sample.trimStart().split(/\r?\n/, 1)[0] ?? '';
    const tabs = firstLine.split('\t').length;
    const commas = firstLine.split(',').length;
    raw = csvRows(filePath, enc, tabs > commas ? '\t' : ',');
  }

  try {
    const header = await nextNonEmpty(raw);
    if (!header) throw new ImportFileError('文件中没有表头和数据');
    const layout = planColumns(header.cells.map(rawText), opts.kind, opts.context);
    let pending = await nextNonEmpty(raw);
    if (pending && isHeaderEcho(pending, layout, opts.kind)) pending = null;
    const rows = dataRows(pending, raw, layout, opts, format, limits.maxRows);
    const rawGen = raw;
    return {
      format,
      ...(encoding ? { encoding } : {}),
      shape: layout.shape,
      columns: layout.plans.map((p) => ({ header: p.header, key: p.key })),
      rows,
      async close() {
        await rows.return(undefined);
        await rawGen.return(undefined);
      },
    };
  } catch (e) {
    await raw.return(undefined);
    throw e;
  }
}
