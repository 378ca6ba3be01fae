import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import iconv from 'iconv-lite';
import { validateUscc } from '../../domain/identifiers.js';
import { readFirstSheet, XlsxReadError } from '../../platform/xlsx-reader.js';
import { checkXlsxZip, ImportFileError } from '../imports/parse.js';

/** A watch list holds at most this many codes (issue #17). */
export const MAX_WATCH_CODES = 10_000;

export interface CodeLine {
  /** 1-based line (typed text) or row (file) the code came from */
  line: number;
  code: string;
}

export interface CodeProblem {
  line: number;
  code: string;
  reason: string;
}

export interface ParsedCodes {
  /** valid codes, normalised, without repeats, in the order given */
  codes: string[];
  problems: CodeProblem[];
}

/** Typed or pasted codes: one per line, or several on a line separated by 、 , ， ; ； or spaces. */
export function codesFromText(text: string): CodeLine[] {
  const out: CodeLine[] = [];
  text.split(/\r\n|\r|\n/).forEach((l, i) => {
    for (const c of l.split(/[\s,，;；、]+/)) if (c.trim()) out.push({ line: i + 1, code: c.trim() });
  });
  return out;
}

/** A header cell such as 统一社会信用代码 in the first row is skipped rather than reported. */
const looksLikeHeader = (cell: string): boolean => /[\u4e00-\u9fff]|code|uscc/i.test(cell);

/**
 * The first column of an uploaded CSV (UTF-8 or GBK/GB18030, as Excel in China saves it) or XLSX (the first visible
 * sheet, through the import's zip checks and streaming reader). Row numbers are those Excel shows.
 * @throws ImportFileError with a Chinese message for a file that cannot be read
 */
export async function codesFromFile(file: { originalname: string; buffer: Buffer }): Promise<CodeLine[]> {
  const ext = path.extname(file.originalname).toLowerCase();
  const out: CodeLine[] = [];
  const push = (line: number, cell: string) => {
    const code = cell.trim();
    if (!code || (line === 1 && looksLikeHeader(code))) return;
    out.push({ line, code });
  };
  if (ext === '.xlsx') {
    // The reader and the zip checks work on files: the upload goes to a private temporary folder and is removed at once.
    const dir = await mkdtemp(path.join(os.tmpdir(), 'watch-codes-'));
    const file_ = path.join(dir, 'codes.xlsx');
    try {
      await writeFile(file_, file.buffer, { mode: 0o600 });
      await checkXlsxZip(file_);
      for await (const row of readFirstSheet(file_)) {
        const c = row.cells[0];
        if (!c) continue;
        // A code typed into a numeric cell has lost digits (18 digits exceed a double); the validator says so.
        push(row.rowNumber, c.t === 'n' ? String(c.v) : String(c.v));
      }
    } catch (e) {
      if (e instanceof XlsxReadError) throw new ImportFileError('Excel 文件无法读取：请在 Excel 中打开并重新保存为 .xlsx 后再上传', { cause: e });
      throw e;
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
    return out;
  }
  if (ext !== '.csv' && ext !== '.txt') throw new ImportFileError(`不支持的文件类型「${ext || '无扩展名'}」：请上传 CSV（.csv、.txt）或 Excel 工作簿（.xlsx）`);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(file.buffer);
  } catch {
    text = iconv.decode(file.buffer, 'gb18030');
  }
  let rows: string[][];
  try {
    rows = parseCsv(text.replace(/^\ufeff/, ''), { relax_column_count: true, relax_quotes: true, skip_empty_lines: false }) as string[][];
  } catch (e) {
    throw new ImportFileError('CSV 文件格式有误：请检查引号是否成对出现', { cause: e });
  }
  rows.forEach((r, i) => push(i + 1, r[0] ?? ''));
  return out;
}

/** Checks every code (USCC check digit included); the placeholder code is refused too. */
export function checkCodes(lines: CodeLine[]): ParsedCodes {
  const problems: CodeProblem[] = [];
  const codes = new Set<string>();
  for (const l of lines) {
    const r = validateUscc(l.code);
    if (!r.ok) problems.push({ line: l.line, code: l.code, reason: r.reason });
    else if (r.placeholder) problems.push({ line: l.line, code: l.code, reason: '占位代码不能关注' });
    else codes.add(r.value);
  }
  return { codes: [...codes], problems };
}

/** The problems as one Chinese message per line, the first few only (a file of 10,000 bad lines would drown the page). */
export function problemMessages(problems: CodeProblem[], max = 20): string[] {
  const shown = problems.slice(0, max).map((p) => `第 ${p.line} 行「${p.code.slice(0, 40)}」：${p.reason}`);
  if (problems.length > max) shown.push(`另有 ${problems.length - max} 行有误，未逐一列出`);
  return shown;
}
