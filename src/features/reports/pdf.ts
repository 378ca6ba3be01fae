import type * as fontkit from 'fontkit';
import PDFDocument from 'pdfkit';
import QRCode from 'qrcode';
import type { ProfileRecord, SubjectProfile } from '../subjects/profile.js';
import { type FontSet, reportFonts } from './fonts.js';

export { DEFAULT_FALLBACK_FONT, DEFAULT_REPORT_FONT, reportFont, reportFonts, ReportFontError } from './fonts.js';

/** What cjkDocument gives: the document, its bytes when ended, and text() that falls back per character. */
export interface CjkDocument {
  doc: PDFKit.PDFDocument;
  done: Promise<Buffer>;
  /**
   * doc.text() for text that may hold characters the main font lacks (a rare character in a name): the text is
   * written as runs chained with `continued`, each in the font that has its glyphs, so pdfkit still wraps it as
   * one paragraph.
   */
  text(text: string, options?: PDFKit.Mixins.TextOptions): PDFKit.PDFDocument;
}

/**
 * A pdfkit document whose current font is the report font, for the plain-text PDFs (信用核查报告, 信用承诺书).
 * pdfkit gets the parsed font as fontkit gives it, so it lays text out (and shapes it) itself; the call to
 * reportFonts() fails first, with its Chinese explanation, when the font is unusable.
 */
export function cjkDocument(options: PDFKit.PDFDocumentOptions): CjkDocument {
  const fonts = reportFonts();
  const doc = new PDFDocument({ size: 'A4', lang: 'zh-CN', ...options });
  // pdfkit ≥ 0.17 takes a fontkit font object; its typings only list file sources.
  doc.registerFont(F, fonts.mainRaw as unknown as PDFKit.Mixins.PDFFontSource);
  doc.font(F);
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve) => doc.on('end', () => resolve(Buffer.concat(chunks))));
  let fallbackRegistered = false;
  const text = (value: string, opts: PDFKit.Mixins.TextOptions = {}): PDFKit.PDFDocument => {
    const runs = fonts.runs(value);
    if (runs.length === 1 && runs[0]!.font === 0) return doc.text(value, opts);
    if (!fallbackRegistered) {
      doc.registerFont(FB, fonts.fallbackForPdfkit as unknown as PDFKit.Mixins.PDFFontSource);
      fallbackRegistered = true;
    }
    runs.forEach((r, i) => doc.font(r.font === 1 ? FB : F).text(r.text, { ...opts, continued: i < runs.length - 1 || !!opts.continued }));
    return doc.font(F);
  };
  return { doc, done, text };
}

/** The QR code of a signed document other than the credit report: its verification address, already signed. */
export interface DocumentQr {
  /** …/reports/verify?qr=<XXCR2 text> */
  url: string;
  /** printed under the code, so a reader without a phone can still type it */
  docNo: string;
}

/**
 * Prints a document's verification QR code at the current position, left-aligned, with its caption: on a new page when
 * the rest of this one is too short, so the code is never cut. 118 pt: a version-11 code stays readable when printed.
 */
export async function drawDocumentQr(w: CjkDocument, qr: DocumentQr): Promise<void> {
  const { doc, text } = w;
  const size = 118;
  const png = await QRCode.toBuffer(qr.url, { type: 'png', errorCorrectionLevel: 'M', margin: 1, scale: 6 });
  const left = doc.page.margins.left;
  if (doc.y + size + 40 > doc.page.height - doc.page.margins.bottom) doc.addPage();
  doc.moveDown(0.5);
  const y = doc.y;
  doc.image(png, left, y, { width: size, height: size });
  doc.x = left + size + 12;
  doc.y = y + 8;
  const width = doc.page.width - doc.page.margins.right - doc.x;
  doc.fontSize(10).fillColor('#000000');
  text('扫码核验真伪（国密 SM2 签名，可离线核验）', { width });
  doc.fontSize(9).fillColor('#555555');
  text(`电子文件核验编号：${qr.docNo}`, { width });
  text('二维码含文件编号、出具时间与内容摘要的签名；持本平台公布的公钥即可离线核验，内容被改动后无法通过核验。', { width });
  doc.fillColor('#000000');
  doc.x = left;
  doc.y = Math.max(doc.y, y + size + 6);
}

export interface ReportMeta {
  reportNo: string;
  issuedAt: Date;
  verifyUrl: string;
  /**
   * What the QR code holds: the verification address with the report's SM2-signed text (docs/report-signing.md).
   * Without it (an unsigned report) the QR code holds verifyUrl.
   */
  qrText?: string;
  /** 条例 Art. 40: how the information was used and queried in the last 12 months (AccessLogService.usage) */
  usage?: ReportUsageSection;
}

/** The shape of AccessLogService.usage the report prints. */
export interface ReportUsageSection {
  from: string;
  to: string;
  total: number;
  channels: { label: string; count: number; actors: { name: string; count: number }[] }[];
  departments: string[];
}

/** 条例 Art. 40: free of charge, and who used the information. */
export const FREE_OF_CHARGE =
  '依据《河南省社会信用条例》第四十条，信用主体查询本主体的信用信息免费，每年可免费获取两次信用报告；本平台的信用查询和信用报告下载对所有人均免费。';

export const ISSUER = '新乡市公共信用信息服务平台（信用新乡）';
export const OBJECTION_OFFICE = '新乡市社会信用体系建设领导小组办公室';
export const EMPTY_SECTION = '查询期内无相关信息';
/** A section whose catalogue item is not 社会公开 (条例 Art. 11, 18). */
export const NOT_PUBLIC_SECTION = '该类信息不向社会公开';

const beijingParts = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Asia/Shanghai',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});

/** 2026年11月27日 12:08:57 (Beijing time). */
export function beijingDateTime(d: Date): string {
  const p = Object.fromEntries(beijingParts.formatToParts(d).map((x) => [x.type, x.value]));
  return `${p.year}年${p.month}月${p.day}日 ${p.hour}:${p.minute}:${p.second}`;
}

function chineseDate(iso: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  return m ? `${m[1]}年${m[2]}月${m[3]}日` : iso;
}

// ---- layout (points; A4 is 595.28 × 841.89) ----
const PAGE = { width: 595.28, height: 841.89 };
const MARGIN = { top: 64, bottom: 62, left: 56, right: 56 };
const CONTENT_W = PAGE.width - MARGIN.left - MARGIN.right;
const MAX_Y = PAGE.height - MARGIN.bottom;
const BODY_H = MAX_Y - MARGIN.top;
const LABEL_W = 150;
const PAD_X = 6;
const PAD_Y = 4;
const CELL_SIZE = 9;
const LINE_GAP = 2;
const COLOR = { text: '#1a1a1a', muted: '#5c5c5c', accent: '#1f4e8c', red: '#b3261e', rule: '#b8c2cf', labelBg: '#eef2f7' };
const F = 'cjk';
/** the fallback font's name in pdfkit: registered and embedded only by documents that need it */
const FB = 'cjk-fallback';

type Doc = PDFKit.PDFDocument;

/*
 * Line breaking is done here rather than by pdfkit's LineWrapper: the wrapper measures every break opportunity
 * (for Chinese, every character) and a measured-then-drawn table cell is wrapped twice, which made a 200-record
 * report miss its time target by far (docs/performance.md#pdf-reports). Here a character's advance comes from a per-process cache, each cell is broken
 * once, and the lines are written as they are (Writer.writeTexts), so pdfkit never starts a page by itself
 * either. The rules are those of Chinese typesetting that matter for this report: a break may fall
 * between any two 汉字, a run of Latin letters/digits (a code, a number, a URL) is kept whole when it fits on a
 * line, closing punctuation never starts a line and opening punctuation never ends one.
 */
const NO_LINE_START = new Set('，。、；：？！）》」』】〕〉’”…—·,.;:?!)]}%');
const NO_LINE_END = new Set('（《「『【〔〈‘“([{');
const LATIN_RUN = /^[\x21-\x7e\u00c0-\u024f]+/;

class Metrics {
  private readonly widths = new Map<number, number>();
  readonly lineHeightEm: number;

  constructor(readonly fonts: FontSet) {
    const font = fonts.main;
    this.lineHeightEm = (font.ascent - font.descent) / font.unitsPerEm;
  }

  /** Advance width of a string in em (no kerning: CJK text has none; Latin runs differ by a hair at most). */
  width(text: string): number {
    let w = 0;
    for (const ch of text) {
      const cp = ch.codePointAt(0)!;
      let a = this.widths.get(cp);
      if (a === undefined) {
        // a character the main font lacks is measured in the font that will draw it
        const font: fontkit.Font = this.fonts.font(this.fonts.fontFor(cp));
        a = font.glyphForCodePoint(cp).advanceWidth / font.unitsPerEm;
        this.widths.set(cp, a);
      }
      w += a;
    }
    return w;
  }

  /** Short texts recur (every record has the same labels, authorities, codes): their lines are remembered. */
  private readonly memo = new Map<string, string[]>();

  /** Breaks text into lines no wider than `width` points at `size`. Newlines in the text are kept. */
  lines(text: string, width: number, size: number): string[] {
    if (text.length > 60) return this.breakText(text, width, size);
    const key = `${width}|${size}|${text}`;
    let lines = this.memo.get(key);
    if (!lines) {
      if (this.memo.size >= 20_000) this.memo.clear();
      lines = this.breakText(text, width, size);
      this.memo.set(key, lines);
    }
    return lines;
  }

  private breakText(text: string, width: number, size: number): string[] {
    const max = width / size;
    const out: string[] = [];
    for (const para of text
      .replace(/\r\n?/g, '\n')
      .replace(/[\t\v\f]/g, ' ')
      .split('\n')) {
      const units: string[] = [];
      for (let rest = para; rest.length;) {
        const m = LATIN_RUN.exec(rest);
        const unit = m ? m[0] : String.fromCodePoint(rest.codePointAt(0)!);
        units.push(unit);
        rest = rest.slice(unit.length);
      }
      let line: string[] = [];
      let lineW = 0;
      const flush = () => {
        out.push(line.join('').trimEnd());
        line = [];
        lineW = 0;
      };
      for (let i = 0; i < units.length; i++) {
        const unit = units[i]!;
        if (unit === ' ' && line.length === 0) continue;
        const w = this.width(unit);
        if (lineW + w <= max + 1e-6) {
          line.push(unit);
          lineW += w;
          continue;
        }
        if (w > max) {
          // a Latin run longer than a line (a hash, a long URL): split it by characters
          for (const ch of unit) {
            const cw = this.width(ch);
            if (lineW + cw > max + 1e-6 && line.length) flush();
            line.push(ch);
            lineW += cw;
          }
          continue;
        }
        // Keep closing punctuation with the character before it, and opening punctuation with the one after.
        const carried: string[] = [];
        if (NO_LINE_START.has(unit)) {
          // back to the last character that may start a line (“》；” after it go down with it)
          while (line.length > 1 && NO_LINE_START.has(line[line.length - 1]!)) carried.unshift(line.pop()!);
          if (line.length > 1) carried.unshift(line.pop()!);
        }
        while (line.length > 1 && NO_LINE_END.has(line[line.length - 1]!)) carried.unshift(line.pop()!);
        flush();
        for (const c of [...carried, unit]) {
          if (c === ' ' && line.length === 0) continue;
          line.push(c);
          lineW += this.width(c);
        }
      }
      if (line.length || out.length === 0 || para === '') flush();
    }
    return out;
  }
}

let cachedMetrics: { fonts: FontSet; metrics: Metrics } | null = null;
function metricsOf(fonts: FontSet): Metrics {
  if (cachedMetrics?.fonts !== fonts) cachedMetrics = { fonts, metrics: new Metrics(fonts) };
  return cachedMetrics.metrics;
}

/** How the report breaks a text into lines `width` points wide at `size` points (exported for tests). */
export function breakLines(text: string, width: number, size: number): string[] {
  return metricsOf(reportFonts()).lines(text, width, size);
}

/** Width in points of a line at `size` in the report font (exported for tests). */
export function lineWidth(text: string, size: number): number {
  return metricsOf(reportFonts()).width(text) * size;
}

interface DrawOpts {
  size: number;
  color?: string;
  bold?: boolean;
  /** extra space between lines */
  gap?: number;
  align?: 'left' | 'center' | 'right';
  /** the box the text is aligned in (for center/right) */
  width?: number;
}

type Box = [x: number, y: number, w: number, h: number];

/** What writeTexts uses of pdfkit beyond its typings: the current embedded font and the page's font resources. */
interface PdfkitInternals {
  _font: { id: string; ascender: number; encode(text: string): [string[], unknown]; ref(): unknown };
  page: { fonts: Record<string, unknown> };
}

const num = (n: number): string => String(Math.round(n * 100) / 100);
const rgbCache = new Map<string, string>();
/** '#1f4e8c' → '0.122 0.306 0.549' */
function rgb(hex: string): string {
  let v = rgbCache.get(hex);
  if (!v) {
    const n = parseInt(hex.slice(1), 16);
    v = [n >> 16, (n >> 8) & 255, n & 255].map((c) => String(Math.round((c / 255) * 1000) / 1000)).join(' ');
    rgbCache.set(hex, v);
  }
  return v;
}

/**
 * Lays the report out and paints it. What a page holds is collected first and painted when the page is done, by
 * kind: every cell background in one path and one fill, every cell border in one path and one stroke, then the
 * text in reading order (writeTexts). The picture is the same with a fraction of the operators, and of the
 * time, that drawing each box and line separately takes.
 */
class Writer {
  y = MARGIN.top;
  private fills: { color: string; box: Box }[] = [];
  private borders: Box[] = [];
  private texts: { line: string; x: number; y: number; size: number; color: string; bold: boolean }[] = [];

  constructor(
    readonly doc: Doc,
    readonly m: Metrics,
  ) {}

  lineHeight(size: number, gap = LINE_GAP): number {
    return this.m.lineHeightEm * size + gap;
  }

  fill(box: Box, color: string): void {
    this.fills.push({ color, box });
  }

  border(box: Box): void {
    this.borders.push(box);
  }

  /** Queues already broken lines from (x, y); returns the height they take. */
  draw(lines: string[], x: number, y: number, o: DrawOpts): number {
    const lh = this.lineHeight(o.size, o.gap ?? LINE_GAP);
    const color = o.color ?? COLOR.text;
    lines.forEach((line, i) => {
      if (!line) return;
      let lx = x;
      if (o.align && o.align !== 'left' && o.width) {
        const free = o.width - this.m.width(line) * o.size;
        lx = x + (o.align === 'center' ? free / 2 : free);
      }
      this.texts.push({ line, x: lx, y: y + i * lh, size: o.size, color, bold: !!o.bold });
    });
    return lines.length * lh;
  }

  /** Breaks and queues a text at (x, y) in a box `width` wide; returns the height it takes. */
  textAt(text: string, x: number, y: number, width: number, o: DrawOpts): number {
    return this.draw(this.m.lines(text, width, o.size), x, y, { width, ...o });
  }

  /** Paints what was queued for the current page. */
  flush(): void {
    const { doc } = this;
    const byColor = new Map<string, Box[]>();
    for (const f of this.fills) {
      const boxes = byColor.get(f.color);
      if (boxes) boxes.push(f.box);
      else byColor.set(f.color, [f.box]);
    }
    for (const [color, boxes] of byColor) {
      for (const [x, y, w, h] of boxes) doc.rect(x, y, w, h);
      doc.fill(color);
    }
    if (this.borders.length) {
      doc.lineWidth(0.5);
      for (const [x, y, w, h] of this.borders) doc.rect(x, y, w, h);
      doc.stroke(COLOR.rule);
    }
    if (this.texts.length) this.writeTexts();
    this.fills = [];
    this.borders = [];
    this.texts = [];
  }

  /**
   * Writes the queued text as one text object, in reading order (copying and screen readers follow the content
   * stream), with size and colour set only when they change. doc.text() would do the same line by line at about
   * eight operators and a dozen allocations each, and for a 200-record report (some 6 000 lines) that was two
   * thirds of the time. The glyphs still go through pdfkit's embedded font (`encode`), which subsets the font
   * and records each glyph's Unicode for the ToUnicode map, so the text stays real, searchable text; the unit
   * test extracts it to prove so.
   */
  private writeTexts(): void {
    const pdf = this.doc as unknown as PdfkitInternals;
    const font = this.embedded(0);
    pdf.page.fonts[font.id] = font.ref();
    // lines are placed by the main font's ascent whatever font draws a character in them
    const ascent = font.ascender / 1000;
    // pdfkit draws with the y axis pointing down; text is written in PDF's own coordinates
    const out: string[] = [`q 1 0 0 -1 0 ${PAGE.height} cm BT`];
    let size = 0;
    let color = '';
    let bold = false;
    for (const t of this.texts) {
      if (t.size !== size) out.push(`/${font.id} ${num((size = t.size))} Tf`);
      if (t.color !== color) {
        const c = rgb((color = t.color));
        out.push(`${c} rg ${c} RG`);
      }
      // fill + thin stroke of the same glyphs makes the one-weight font look bold while staying text
      if (t.bold) out.push(`2 Tr ${num(t.size / 40)} w`);
      else if (bold) out.push('0 Tr');
      bold = t.bold;
      out.push(`1 0 0 1 ${num(t.x)} ${num(PAGE.height - t.y - ascent * t.size)} Tm`);
      const runs = this.m.fonts.runs(t.line);
      if (runs.length === 1 && runs[0]!.font === 0) {
        out.push(`<${font.encode(t.line)[0].join('')}> Tj`);
        continue;
      }
      // Runs in the fallback font: each Tj moves the pen by its glyphs' widths, so the runs follow each other.
      for (const r of runs) {
        const f = this.embedded(r.font);
        pdf.page.fonts[f.id] = f.ref();
        out.push(`/${f.id} ${num(t.size)} Tf <${f.encode(r.text)[0].join('')}> Tj`);
      }
      out.push(`/${font.id} ${num(t.size)} Tf`);
    }
    out.push('ET Q');
    this.doc.addContent(out.join('\n'));
  }

  private readonly embeddedFonts: [PdfkitInternals['_font'] | null, PdfkitInternals['_font'] | null] = [null, null];

  /**
   * pdfkit's embedded font for the main font (0) or the fallback (1). The fallback is registered with pdfkit only
   * when a character needs it, so a document without rare characters embeds one font only.
   */
  private embedded(index: 0 | 1): PdfkitInternals['_font'] {
    let f = this.embeddedFonts[index];
    if (!f) {
      const pdf = this.doc as unknown as PdfkitInternals;
      if (index === 1) {
        this.doc.registerFont(FB, this.m.fonts.fallback as unknown as PDFKit.Mixins.PDFFontSource);
        this.doc.font(FB);
        f = pdf._font;
        this.doc.font(F);
      } else f = pdf._font;
      this.embeddedFonts[index] = f;
    }
    return f;
  }

  newPage(): void {
    this.flush();
    this.doc.addPage();
    this.y = MARGIN.top;
  }

  ensure(h: number): void {
    if (this.y + h > MAX_Y) this.newPage();
  }

  heading(text: string): void {
    const lines = this.m.lines(text, CONTENT_W - 12, 14);
    const h = this.lineHeight(14) * lines.length;
    // a heading is never left alone at the foot of a page
    this.ensure(h + 60);
    if (this.y > MARGIN.top) this.y += 10;
    this.fill([MARGIN.left, this.y + 1, 4, h - 3], COLOR.accent);
    this.draw(lines, MARGIN.left + 12, this.y, { size: 14, color: COLOR.accent, bold: true });
    this.y += h + 8;
  }

  paragraph(text: string, o: { size?: number; color?: string; indent?: number; gapAfter?: number; bold?: boolean } = {}): void {
    const size = o.size ?? 10.5;
    const lh = this.lineHeight(size, LINE_GAP + 2);
    const x = MARGIN.left + (o.indent ?? 0);
    let lines = this.m.lines(text, CONTENT_W - (o.indent ?? 0), size);
    while (lines.length) {
      this.ensure(lh);
      const fit = Math.max(1, Math.floor((MAX_Y - this.y) / lh));
      this.y += this.draw(lines.slice(0, fit), x, this.y, { size, color: o.color, gap: LINE_GAP + 2, bold: o.bold });
      lines = lines.slice(fit);
    }
    this.y += o.gapAfter ?? 6;
  }

  /**
   * Label/value rows as a two-column table. A row that does not fit moves to the next page whole, except a long
   * text (a long 违法事实), which is split across pages, its label repeated with （续）.
   */
  table(rows: { label: string; value: string }[]): void {
    const valueW = CONTENT_W - LABEL_W;
    const lh = this.lineHeight(CELL_SIZE);
    const maxLines = Math.floor((BODY_H - 2 * PAD_Y) / lh);
    for (const row of rows) {
      const labelLines = this.m.lines(row.label, LABEL_W - 2 * PAD_X, CELL_SIZE);
      let valueLines = this.m.lines(row.value === '' ? '—' : row.value, valueW - 2 * PAD_X, CELL_SIZE);
      let first = true;
      while (valueLines.length) {
        // A long text fills the rest of the page and goes on on the next; a short row moves over whole.
        const room = Math.floor((MAX_Y - this.y - 2 * PAD_Y) / lh);
        const rowFits = Math.max(labelLines.length, valueLines.length) <= room;
        const take = !rowFits && valueLines.length > 8 && room >= 3 ? room : maxLines;
        const part = valueLines.slice(0, take);
        valueLines = valueLines.slice(part.length);
        const label = first ? labelLines : this.m.lines(`${row.label}（续）`, LABEL_W - 2 * PAD_X, CELL_SIZE);
        first = false;
        const h = Math.max(label.length, part.length) * lh + 2 * PAD_Y;
        this.ensure(h);
        const x = MARGIN.left;
        this.fill([x, this.y, LABEL_W, h], COLOR.labelBg);
        this.border([x, this.y, LABEL_W, h]);
        this.border([x + LABEL_W, this.y, valueW, h]);
        this.draw(label, x + PAD_X, this.y + PAD_Y, { size: CELL_SIZE, color: COLOR.muted });
        this.draw(part, x + LABEL_W + PAD_X, this.y + PAD_Y, { size: CELL_SIZE });
        this.y += h;
      }
    }
  }
}

function basicRows(p: SubjectProfile): { label: string; value: string }[] {
  const s = p.subject;
  const rows: [string, string | null][] = [
    ['主体名称', s.name],
    ['统一社会信用代码', s.uscc],
    ['主体类型', s.subjectType],
    ['登记状态', s.status],
    ['法定代表人（负责人）', s.legalRepresentative],
    ['成立日期', s.establishedOn],
    ['所属区县', s.county],
    ['住所（经营场所）', s.address],
    ['组织机构代码', s.orgCode],
    ['工商注册号', s.regNo],
  ];
  return rows.filter((r): r is [string, string] => !!r[1]).map(([label, value]) => ({ label, value }));
}

/**
 * A record's fields without those that only repeat the subject the report is about (its name, code, category and
 * legal representative, when they are the subject's own): the report states them once, in 基础信息. A record
 * that names the subject differently (an earlier name, another representative) keeps the field.
 */
function recordRows(p: SubjectProfile, r: ProfileRecord): { label: string; value: string }[] {
  const same: Record<string, string | null> = {
    行政相对人名称: p.subject.name,
    统一社会信用代码: p.subject.uscc,
    行政相对人类别: p.subject.subjectType,
    法定代表人: p.subject.legalRepresentative,
  };
  const rows = r.fields.filter((f) => !(f.label in same && same[f.label] === f.value));
  return rows.length ? rows : [{ label: '摘要', value: r.summary }];
}

function recordHeading(r: ProfileRecord, i: number): string {
  // 条例 Art. 41: a record under objection is marked wherever it is shown, the printed report included.
  return `（${i + 1}）${r.title}${r.documentNo ? `\u3000${r.documentNo}` : ''}${r.disputed ? '（异议处理中）' : ''}`;
}

function cover(w: Writer, p: SubjectProfile, meta: ReportMeta, qr: Buffer): void {
  const { doc } = w;
  const cx = MARGIN.left;
  const centred = { width: CONTENT_W, align: 'center' } as const;
  w.textAt(ISSUER, cx, 96, CONTENT_W, { size: 11, color: COLOR.muted, ...centred });
  w.textAt('公共信用信息报告', cx, 128, CONTENT_W, { size: 30, bold: true, ...centred });
  w.fill([cx + 60, 177.4, CONTENT_W - 120, 1.2], COLOR.accent);

  w.y = 200;
  w.table([
    { label: '报告编号', value: meta.reportNo },
    { label: '出具时间', value: `${beijingDateTime(meta.issuedAt)}（北京时间）` },
    { label: '信用主体', value: p.subject.name },
    { label: '统一社会信用代码', value: p.subject.uscc },
    { label: '主体标签', value: p.tags.join('\u3000') || '—' },
    { label: '查询期', value: `截至 ${chineseDate(p.asOf)}` },
  ]);

  w.y += 22;
  w.textAt('信息概要', cx, w.y, CONTENT_W, { size: 12, color: COLOR.accent, bold: true });
  w.y += 22;
  const summary: [string, number][] = [
    ['行政许可信息', p.counts.permits],
    ['行政处罚信息', p.counts.penalties],
    ['守信激励信息（红名单）', p.counts.red],
    ['失信惩戒信息（黑名单）', p.counts.black],
    ['信用承诺信息', p.counts.commitments],
  ];
  const numW = 140;
  const nameW = CONTENT_W - numW;
  const rowH = 22;
  const ty = 5.5;
  w.fill([cx, w.y, CONTENT_W, rowH], COLOR.labelBg);
  w.border([cx, w.y, nameW, rowH]);
  w.border([cx + nameW, w.y, numW, rowH]);
  w.textAt('信息类别', cx + PAD_X, w.y + ty, nameW - 2 * PAD_X, { size: 10 });
  w.textAt('条数', cx + nameW + PAD_X, w.y + ty, numW - 2 * PAD_X, { size: 10, align: 'right' });
  w.y += rowH;
  for (const [label, n] of summary) {
    w.border([cx, w.y, nameW, rowH]);
    w.border([cx + nameW, w.y, numW, rowH]);
    w.textAt(label, cx + PAD_X, w.y + ty, nameW - 2 * PAD_X, { size: 10 });
    w.textAt(`${n} 条`, cx + nameW + PAD_X, w.y + ty, numW - 2 * PAD_X, {
      size: 10,
      align: 'right',
      color: n > 0 && label.startsWith('失信') ? COLOR.red : COLOR.text,
    });
    w.y += rowH;
  }

  // the signed text makes a denser code (version ≈ 12): printed larger so a phone still reads it
  const qrSize = meta.qrText ? 118 : 96;
  const qrY = MAX_Y - qrSize - 58;
  doc.image(qr, cx + (CONTENT_W - qrSize) / 2, qrY, { width: qrSize, height: qrSize });
  w.textAt(meta.qrText ? '扫码验证报告真伪（国密 SM2 签名，可离线核验）' : '扫码验证报告真伪', cx, qrY + qrSize + 6, CONTENT_W, { size: 10, ...centred });
  w.textAt(meta.verifyUrl, cx, qrY + qrSize + 22, CONTENT_W, { size: 8, color: COLOR.muted, ...centred });
  w.textAt(`出具单位：${ISSUER}`, cx, qrY + qrSize + 38, CONTENT_W, { size: 9, color: COLOR.muted, ...centred });
}

/** 条例 Art. 40: how the subject's information was used and queried in the last 12 months. */
function usageSection(w: Writer, u: ReportUsageSection): void {
  w.heading('信息使用和查询情况');
  w.paragraph(`统计期间：${u.from} 至 ${u.to}（近 12 个月），共 ${u.total} 次。`, { size: 10, gapAfter: 4 });
  for (const c of u.channels) {
    const who = c.actors.map((a) => `${a.name} ${a.count} 次`).join('、');
    w.paragraph(`${c.label}：${c.count} 次${c.count && c.actors.some((a) => a.name !== '社会公众') ? `（${who}）` : ''}`, { size: 10, indent: 12 });
  }
  w.paragraph(`使用和查询本主体信息的部门：${u.departments.length ? u.departments.join('、') : '无'}`, { size: 10, gapAfter: 8 });
}

function explanation(w: Writer, p: SubjectProfile, meta: ReportMeta): void {
  w.heading('报告说明');
  const items = [
    `本报告由${ISSUER}根据各数据来源单位依法归集、报送的公共信用信息自动生成，如实、客观地反映平台中的信息，未经任何加工、修改或评价。`,
    `本报告的查询期截至 ${chineseDate(p.asOf)}（含当日）；行政处罚信息仅包括尚在公示期内的信息，已届满公示期或已完成信用修复的信息不再列出。`,
    `信用主体认为报告中的信息存在错误、遗漏，或者侵犯其商业秘密、个人隐私等合法权益的，可以向${OBJECTION_OFFICE}或数据来源单位提出异议申请；符合条件的，可以依法向${OBJECTION_OFFICE}申请信用修复。均可在本平台“异议与修复”栏目（${meta.verifyUrl.replace(/\/reports\/[^/]+$/, '/objections')}）在线办理，凭案件编号查询进度。`,
    `本报告的报告编号为 ${meta.reportNo}，出具时间为 ${beijingDateTime(meta.issuedAt)}（北京时间）。可扫描封面二维码或访问 ${meta.verifyUrl} 上传本报告文件核验真伪；文件内容被修改后将无法通过核验。${meta.qrText ? `本报告及其二维码由本平台以国密 SM2 算法签名，持有本平台公布的公钥即可离线核验（${meta.verifyUrl.replace(/\/reports\/[^/]+$/, '/reports/verify/offline')}）。` : ''}`,
    '本报告仅反映查询期内平台所归集的信息，不构成对信用主体的评价或担保，使用者应结合其他信息审慎判断。',
    FREE_OF_CHARGE,
  ];
  items.forEach((text, i) => w.paragraph(`${i + 1}. ${text}`, { size: 10, gapAfter: 8 }));
}

function headerAndFooter(w: Writer, meta: ReportMeta): void {
  const { doc } = w;
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    if (i > range.start) {
      w.textAt('公共信用信息报告', MARGIN.left, 34, CONTENT_W / 2, { size: 8, color: COLOR.muted });
      w.textAt(`报告编号：${meta.reportNo}`, MARGIN.left + CONTENT_W / 2, 34, CONTENT_W / 2, { size: 8, color: COLOR.muted, align: 'right' });
      w.fill([MARGIN.left, 46.75, CONTENT_W, 0.5], COLOR.rule);
    }
    w.textAt(`第 ${i - range.start + 1} 页 共 ${range.count} 页`, MARGIN.left, PAGE.height - 40, CONTENT_W, { size: 9, color: COLOR.muted, align: 'center' });
    w.flush();
  }
}

/** The 公共信用信息报告 of one subject, as a PDF file. */
/**
 * What a section printed only in part says: how many records were left out and where every one of them can be read
 * (the section's pages on the site, whose address is the verification address's site).
 */
export function cappedSectionNote(section: { key: string; records: unknown[]; total: number }, uscc: string, verifyUrl: string): string {
  const site = verifyUrl.replace(/\/reports\/[^/]+$/, '');
  return `本报告列出本节最近的 ${section.records.length} 条，其余 ${section.total - section.records.length} 条未列出，可在本平台查看全部：${site}/subjects/${uscc}/${section.key}`;
}

export async function renderReport(profile: SubjectProfile, meta: ReportMeta): Promise<Buffer> {
  const fonts = reportFonts();
  const qr = await QRCode.toBuffer(meta.qrText ?? meta.verifyUrl, { type: 'png', errorCorrectionLevel: 'M', margin: 1, scale: 6 });

  const doc = new PDFDocument({
    size: 'A4',
    margins: MARGIN,
    bufferPages: true,
    autoFirstPage: true,
    lang: 'zh-CN',
    displayTitle: true,
    info: {
      Title: `公共信用信息报告 - ${profile.subject.name}`,
      Author: ISSUER,
      Subject: `报告编号 ${meta.reportNo}`,
      Keywords: `${profile.subject.uscc} ${meta.reportNo}`,
      Creator: '信用新乡',
      CreationDate: meta.issuedAt,
    },
  });
  const chunks: Buffer[] = [];
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  // pdfkit ≥ 0.17 takes a fontkit font object (parsed once per process); its typings only list file sources.
  doc.registerFont(F, fonts.main as unknown as PDFKit.Mixins.PDFFontSource);
  doc.font(F);

  const w = new Writer(doc, metricsOf(fonts));
  cover(w, profile, meta, qr);
  w.newPage();
  for (const section of profile.sections) {
    w.heading(section.title);
    if (section.key === 'basic') {
      // 条例 Art. 11, 18: with the base-data item not 社会公开 only the name and code (how the subject is found) remain.
      if (section.notPublic) w.paragraph(NOT_PUBLIC_SECTION, { size: 10, color: COLOR.muted, indent: 12 });
      w.table(basicRows(profile));
      w.y += 6;
      continue;
    }
    if (section.notPublic) {
      // 条例 Art. 11, 18: the catalogue keeps the whole item off public surfaces; say so rather than "no records".
      w.paragraph(NOT_PUBLIC_SECTION, { size: 10, color: COLOR.muted, indent: 12 });
      continue;
    }
    if (!section.records.length) {
      w.paragraph(EMPTY_SECTION, { size: 10, color: COLOR.muted, indent: 12 });
      continue;
    }
    w.paragraph(`共 ${section.total} 条`, { size: 9, color: COLOR.muted, gapAfter: 4 });
    const left = section.total - section.records.length;
    if (left > 0) w.paragraph(cappedSectionNote(section, profile.subject.uscc, meta.verifyUrl), { size: 9, color: COLOR.muted, gapAfter: 4 });
    section.records.forEach((r, i) => {
      const title = w.m.lines(recordHeading(r, i), CONTENT_W, 10.5);
      const h = w.lineHeight(10.5) * title.length;
      if (i > 0) w.y += 8;
      // the record's title stays with at least its first rows
      w.ensure(h + 40);
      w.y += w.draw(title, MARGIN.left, w.y, { size: 10.5, bold: true }) + 3;
      w.table(recordRows(profile, r));
    });
    w.y += 6;
  }
  if (meta.usage) usageSection(w, meta.usage);
  explanation(w, profile, meta);
  w.flush();

  headerAndFooter(w, meta);
  doc.end();
  return done;
}
