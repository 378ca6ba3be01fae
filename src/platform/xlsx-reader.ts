/**
 * A small streaming reader for the first worksheet of an XLSX file: yauzl for the zip (central directory,
 * random access: no temporary files) and saxes for the XML. Bytes are decoded with a streaming TextDecoder
 * before they reach the parser, so a character whose UTF-8 bytes straddle two inflate chunks is decoded whole
 * (exceljs's streaming reader decoded chunk by chunk and turned such characters into U+FFFD, and buffered
 * sheets to temporary files that raced with their cleanup).
 *
 * It reads what an import needs and nothing more: workbook order and visibility of the sheets, shared strings
 * (plain and rich text runs, phonetic runs ignored), inline strings (WPS writes them), cell types
 * (s, str, inlineStr, n, b, e, d) and, from the styles, which number formats are dates.
 *
 * It does not check the zip for bombs: callers run their own checks first (see features/imports/parse.ts).
 */
import { posix } from 'node:path';
import type { Readable } from 'node:stream';
import { SaxesParser } from 'saxes';
import yauzl from 'yauzl';

/** A cell as the file stores it. Numbers keep their value; `date` says their number format shows a date. */
export type XlsxCell =
  | { t: 's'; v: string }
  | { t: 'n'; v: number; date: boolean }
  | { t: 'b'; v: boolean }
  | { t: 'e'; v: string }
  /** t="d": an ISO 8601 date written as text (rare; Excel itself never writes it). */
  | { t: 'd'; v: string };

export interface XlsxRow {
  /** 1-based, as Excel shows it (the `r` attribute; rows absent from the file are simply not yielded). */
  rowNumber: number;
  /** By 0-based column index; holes are undefined. */
  cells: (XlsxCell | undefined)[];
}

/** What went wrong, for the caller to word: the zip or an XML part cannot be read, or there is no sheet. */
export class XlsxReadError extends Error {
  override readonly name = 'XlsxReadError';
  constructor(
    readonly reason: 'corrupt' | 'no-workbook' | 'no-sheet',
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

const local = (name: string): string => name.slice(name.indexOf(':') + 1);

/** Built-in number formats that show a date (ECMA-376 18.8.30, plus the CJK locale ids 27–36 and 50–58). */
const BUILTIN_DATE_FORMATS = new Set([
  14, 15, 16, 17, 18, 19, 20, 21, 22, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 45, 46, 47, 50, 51, 52, 53, 54, 55, 56, 57, 58,
]);

/** Date characters outside quoted text and [..] sections (the test exceljs applies too). */
export function isDateFormatCode(fmt: string | undefined): boolean {
  if (!fmt) return false;
  return /[ymdhsb]/i.test(
    fmt
      .replace(/\[[^\]]*]/g, '')
      .replace(/"[^"]*"/g, '')
      .replace(/\\./g, ''),
  );
}

/**
 * Excel writes characters XML cannot hold (control characters, e.g. the CR of a pasted CRLF) as _xHHHH_, and a
 * literal "_x" that looks like one as _x005F_xHHHH_ (ECMA-376 ST_Xstring). One left-to-right pass undoes both.
 */
export function decodeXstring(s: string): string {
  return s.indexOf('_x') < 0 ? s : s.replace(/_x([0-9A-Fa-f]{4})_/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

/** The inverse, for writers that do not escape (exceljs): every "_" that starts an _xHHHH_ look-alike becomes _x005F_. */
export function encodeXstring(s: string): string {
  return s.indexOf('_x') < 0 ? s : s.replace(/_(?=x[0-9A-Fa-f]{4}_)/g, '_x005F_');
}

/** "A" → 0, "AB" → 27; -1 if the reference has no letters. */
export function columnIndex(ref: string): number {
  let n = 0;
  let i = 0;
  for (; i < ref.length; i++) {
    const c = ref.charCodeAt(i);
    if (c >= 65 && c <= 90) n = n * 26 + (c - 64);
    else if (c >= 97 && c <= 122) n = n * 26 + (c - 96);
    else break;
  }
  return i === 0 ? -1 : n - 1;
}

class Zip {
  private constructor(
    private readonly zip: yauzl.ZipFile,
    private readonly entries: Map<string, yauzl.Entry>,
  ) {}

  static async open(filePath: string): Promise<Zip> {
    let zip: yauzl.ZipFile;
    try {
      zip = await yauzl.openPromise(filePath, { lazyEntries: true, autoClose: false, validateEntrySizes: true, decodeStrings: true, strictFileNames: false });
    } catch (e) {
      throw new XlsxReadError('corrupt', 'zip directory unreadable', { cause: e });
    }
    const entries = new Map<string, yauzl.Entry>();
    try {
      for await (const entry of zip.eachEntry()) entries.set(entry.fileName.replace(/^\/+/, ''), entry);
    } catch (e) {
      zip.close();
      throw new XlsxReadError('corrupt', 'zip directory unreadable', { cause: e });
    }
    return new Zip(zip, entries);
  }

  has(name: string): boolean {
    return this.entries.has(name);
  }

  async stream(name: string): Promise<Readable | null> {
    const entry = this.entries.get(name);
    if (!entry) return null;
    try {
      return await this.zip.openReadStreamPromise(entry);
    } catch (e) {
      throw new XlsxReadError('corrupt', `cannot open ${name}`, { cause: e });
    }
  }

  close(): void {
    this.zip.close();
  }
}

type Handlers = (parser: SaxesParser) => void;

/**
 * Streams one zip entry through a TextDecoder (stream mode: a character cut between two chunks waits for its
 * other bytes) into saxes; `drain` is called after each chunk so a caller can yield what the chunk produced.
 */
async function* parseEntry(zip: Zip, name: string, setup: Handlers, onStream?: (s: Readable) => void): AsyncGenerator<void, boolean, undefined> {
  const stream = await zip.stream(name);
  if (!stream) return false;
  onStream?.(stream);
  const parser = new SaxesParser({ position: false, fileName: name });
  setup(parser);
  const decoder = new TextDecoder('utf-8');
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      const text = decoder.decode(chunk, { stream: true });
      if (text) parser.write(text);
      yield;
    }
    const rest = decoder.decode();
    if (rest) parser.write(rest);
    parser.close();
    yield;
  } catch (e) {
    if (e instanceof XlsxReadError) throw e;
    throw new XlsxReadError('corrupt', `${name}: ${(e as Error).message}`, { cause: e });
  } finally {
    stream.destroy();
  }
  return true;
}

async function drainEntry(zip: Zip, name: string, setup: Handlers): Promise<boolean> {
  const it = parseEntry(zip, name, setup);
  for (;;) {
    const r = await it.next();
    if (r.done) return r.value;
  }
}

interface Relationship {
  type: string;
  target: string;
}

async function readRels(zip: Zip, name: string, baseDir: string): Promise<Map<string, Relationship>> {
  const rels = new Map<string, Relationship>();
  await drainEntry(zip, name, (p) => {
    p.on('opentag', (tag) => {
      if (local(tag.name) !== 'Relationship') return;
      const a = tag.attributes as Record<string, string>;
      if (!a.Id || !a.Target || a.TargetMode === 'External') return;
      const target = a.Target.startsWith('/') ? a.Target.slice(1) : posix.normalize(posix.join(baseDir, a.Target));
      rels.set(a.Id, { type: a.Type ?? '', target });
    });
  });
  return rels;
}

interface SheetRef {
  name: string;
  relId: string;
  hidden: boolean;
}

async function readWorkbook(zip: Zip): Promise<SheetRef[]> {
  const sheets: SheetRef[] = [];
  await drainEntry(zip, 'xl/workbook.xml', (p) => {
    p.on('opentag', (tag) => {
      if (local(tag.name) !== 'sheet') return;
      const a = tag.attributes as Record<string, string>;
      const relKey = Object.keys(a).find((k) => k.includes(':') && local(k) === 'id');
      sheets.push({ name: a.name ?? '', relId: relKey ? a[relKey]! : '', hidden: a.state === 'hidden' || a.state === 'veryHidden' });
    });
  });
  return sheets;
}

/** Which cell style indexes (cellXfs) show numbers as dates. */
async function readDateStyles(zip: Zip, name: string): Promise<boolean[]> {
  const custom = new Map<number, string>();
  const styles: boolean[] = [];
  let inCellXfs = false;
  await drainEntry(zip, name, (p) => {
    p.on('opentag', (tag) => {
      const n = local(tag.name);
      const a = tag.attributes as Record<string, string>;
      if (n === 'numFmt') custom.set(Number(a.numFmtId), a.formatCode ?? '');
      else if (n === 'cellXfs') inCellXfs = true;
      else if (n === 'xf' && inCellXfs) {
        const id = Number(a.numFmtId ?? 0);
        styles.push(custom.has(id) ? isDateFormatCode(custom.get(id)) : BUILTIN_DATE_FORMATS.has(id));
      }
    });
    p.on('closetag', (tag) => {
      if (local(tag.name) === 'cellXfs') inCellXfs = false;
    });
  });
  return styles;
}

/**
 * Collects the text of <t> elements below the current <si> or <is>, skipping phonetic runs (<rPh>): rich
 * text is the concatenation of its runs' <t>.
 */
class StringCollector {
  private depthT = 0;
  private inPhonetic = 0;
  private parts: string[] = [];

  open(n: string): void {
    if (n === 'rPh') this.inPhonetic++;
    else if (n === 't' && this.inPhonetic === 0) this.depthT++;
  }
  close(n: string): void {
    if (n === 'rPh') this.inPhonetic--;
    else if (n === 't' && this.inPhonetic === 0 && this.depthT > 0) this.depthT--;
  }
  text(s: string): void {
    if (this.depthT > 0) this.parts.push(s);
  }
  take(): string {
    const s = decodeXstring(this.parts.length === 1 ? this.parts[0]! : this.parts.join(''));
    this.parts = [];
    this.depthT = 0;
    this.inPhonetic = 0;
    return s;
  }
}

async function readSharedStrings(zip: Zip, name: string): Promise<string[]> {
  const out: string[] = [];
  const c = new StringCollector();
  let inSi = false;
  await drainEntry(zip, name, (p) => {
    p.on('opentag', (tag) => {
      const n = local(tag.name);
      if (n === 'si') {
        inSi = true;
        c.take();
      } else if (inSi) c.open(n);
    });
    p.on('text', (t) => {
      if (inSi) c.text(t);
    });
    p.on('cdata', (t) => {
      if (inSi) c.text(t);
    });
    p.on('closetag', (tag) => {
      const n = local(tag.name);
      if (n === 'si') {
        inSi = false;
        out.push(c.take());
      } else if (inSi) c.close(n);
    });
  });
  return out;
}

/**
 * Rows of the first visible worksheet in workbook order (the order of <sheets> in workbook.xml, which is
 * what Excel shows as tabs, not the order of the parts in the zip). Rows come one inflate chunk at a time;
 * returning early (`rows.return()`) closes the file.
 * @throws XlsxReadError
 */
export async function* readFirstSheet(filePath: string): AsyncGenerator<XlsxRow, void, undefined> {
  const zip = await Zip.open(filePath);
  let sheetStream: Readable | null = null;
  try {
    if (!zip.has('xl/workbook.xml')) throw new XlsxReadError('no-workbook', 'no xl/workbook.xml');
    const rels = await readRels(zip, 'xl/_rels/workbook.xml.rels', 'xl');
    const sheets = (await readWorkbook(zip)).filter((s) => rels.get(s.relId)?.type.endsWith('/worksheet') ?? false);
    const first = sheets.find((s) => !s.hidden) ?? sheets[0];
    // A workbook without rels or <sheets> entries: fall back to the conventional first part, if any.
    const sheetPath = first ? rels.get(first.relId)!.target : zip.has('xl/worksheets/sheet1.xml') ? 'xl/worksheets/sheet1.xml' : null;
    if (!sheetPath || !zip.has(sheetPath)) throw new XlsxReadError('no-sheet', 'no worksheet');

    const relOfType = (suffix: string, fallback: string): string => [...rels.values()].find((r) => r.type.endsWith(suffix))?.target ?? fallback;
    const shared = await readSharedStrings(zip, relOfType('/sharedStrings', 'xl/sharedStrings.xml'));
    const dateStyles = await readDateStyles(zip, relOfType('/styles', 'xl/styles.xml'));

    const ready: XlsxRow[] = [];
    let row: XlsxRow | null = null;
    let lastRow = 0;
    let nextCol = 0;
    // The current cell
    let inCell = false;
    let cellType = 'n';
    let cellStyle = 0;
    let cellCol = 0;
    let inValue = false;
    let value = '';
    let inInline = false;
    const inline = new StringCollector();
    let inlineText: string | null = null;

    const finishCell = (): void => {
      if (!row) return;
      let cell: XlsxCell | undefined;
      switch (cellType) {
        case 's': {
          const i = Number(value);
          if (value !== '') cell = { t: 's', v: Number.isInteger(i) && i >= 0 && i < shared.length ? shared[i]! : '' };
          break;
        }
        case 'inlineStr':
          cell = { t: 's', v: inlineText ?? value };
          break;
        case 'str':
          cell = { t: 's', v: decodeXstring(value) };
          break;
        case 'b':
          if (value !== '') cell = { t: 'b', v: value.trim() === '1' || value.trim().toLowerCase() === 'true' };
          break;
        case 'e':
          if (value !== '') cell = { t: 'e', v: value };
          break;
        case 'd':
          if (value !== '') cell = { t: 'd', v: value };
          break;
        default: {
          if (value.trim() === '') break;
          const v = Number(value);
          cell = Number.isFinite(v) ? { t: 'n', v, date: dateStyles[cellStyle] ?? false } : { t: 'e', v: '#VALUE!' };
        }
      }
      if (cell !== undefined && cellCol >= 0) {
        while (row.cells.length < cellCol) row.cells.push(undefined);
        row.cells[cellCol] = cell;
      }
    };

    const setup: Handlers = (p) => {
      p.on('opentag', (tag) => {
        const n = local(tag.name);
        const a = tag.attributes as Record<string, string>;
        if (inInline) {
          inline.open(n);
          return;
        }
        switch (n) {
          case 'row': {
            const r = Number(a.r);
            lastRow = Number.isInteger(r) && r > 0 ? r : lastRow + 1;
            row = { rowNumber: lastRow, cells: [] };
            nextCol = 0;
            break;
          }
          case 'c':
            inCell = true;
            cellType = a.t ?? 'n';
            cellStyle = Number(a.s ?? 0) || 0;
            cellCol = a.r ? columnIndex(a.r) : nextCol;
            if (cellCol < 0) cellCol = nextCol;
            nextCol = cellCol + 1;
            value = '';
            inlineText = null;
            break;
          case 'v':
            if (inCell) inValue = true;
            break;
          case 'is':
            if (inCell) {
              inInline = true;
              inline.take();
            }
            break;
        }
      });
      const onText = (t: string): void => {
        if (inInline) inline.text(t);
        else if (inValue) value += t;
      };
      p.on('text', onText);
      p.on('cdata', onText);
      p.on('closetag', (tag) => {
        const n = local(tag.name);
        if (inInline) {
          if (n === 'is') {
            inInline = false;
            inlineText = inline.take();
          } else inline.close(n);
          return;
        }
        switch (n) {
          case 'v':
            inValue = false;
            break;
          case 'c':
            if (inCell) finishCell();
            inCell = false;
            break;
          case 'row':
            if (row) ready.push(row);
            row = null;
            break;
        }
      });
    };

    const it = parseEntry(zip, sheetPath, setup, (s) => (sheetStream = s));
    try {
      for (;;) {
        const r = await it.next();
        if (ready.length) for (const done of ready.splice(0)) yield done;
        if (r.done) break;
      }
    } finally {
      await it.return(false);
    }
  } finally {
    (sheetStream as Readable | null)?.destroy();
    zip.close();
  }
}
