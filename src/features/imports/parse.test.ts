import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { finished } from 'node:stream/promises';
import zlib from 'node:zlib';
import ExcelJS from 'exceljs';
import fc from 'fast-check';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { idCheckChar, orgCodeCheckChar, usccCheckChar } from '../../domain/identifiers.js';
import { PENALTY_FIELDS, PERMIT_FIELDS, type RecordKind } from '../../domain/publicity/fields.js';
import { COMMITMENT_FIELDS } from '../commitments/fields.js';
import type { ImportKind } from './kinds.js';
import { penaltySchema, permitSchema } from '../../domain/publicity/schemas.js';
import { restoreCell } from '../../platform/csv-cell.js';
import { writeXlsx } from '../../../tests/helpers/xlsx-build.js';
import { checkXlsxZip, IMPORT_LIMITS, ImportFileError, openImport, type ImportRow, type ImportSource, type OpenImportOptions } from './parse.js';
import { exportCsvHeader, templateCsv, templateXlsx } from './template.js';

const CONTEXT = { departmentName: '新乡市市场监督管理局', departmentUscc: uscc('11410700', 'MB1A2B3C') };
const TODAY = '2025-06-30';

function uscc(prefix8: string, org8: string): string {
  const first17 = prefix8 + org8 + orgCodeCheckChar(org8);
  return first17 + usccCheckChar(first17);
}
function idNumber(region: string, birth: string, seq: string): string {
  return region + birth + seq + idCheckChar(region + birth + seq);
}
const COMPANY = uscc('91410700', 'MA3XK8P7');
const PERSON = idNumber('410702', '19900101', '123');

let dir: string;
let seq = 0;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'imports-test-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function put(name: string, content: string | Buffer): Promise<string> {
  const p = join(dir, `${++seq}-${name}`);
  await writeFile(p, content);
  return p;
}

function csvLine(cells: readonly string[]): string {
  return cells.map((s) => (/[",\r\n]/.test(s) || s !== s.trim() ? `"${s.replace(/"/g, '""')}"` : s)).join(',');
}
const csv = (rows: readonly (readonly string[])[]): string => rows.map(csvLine).join('\r\n') + '\r\n';

function opts(kind: ImportKind, originalName: string, extra: Partial<OpenImportOptions> = {}): OpenImportOptions {
  return { originalName, kind, context: CONTEXT, ...extra };
}

async function readAll(src: ImportSource): Promise<ImportRow[]> {
  const out: ImportRow[] = [];
  for await (const r of src.rows) out.push(r);
  return out;
}

async function importFile(name: string, content: string | Buffer, kind: ImportKind = 'penalty', extra: Partial<OpenImportOptions> = {}) {
  const src = await openImport(await put(name, content), opts(kind, name, extra));
  return { src, rows: await readAll(src) };
}

async function fileError(promise: Promise<unknown>): Promise<ImportFileError> {
  const e = await promise.then(
    () => null,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(ImportFileError);
  return e as ImportFileError;
}

/** A complete, valid penalty row by field key. */
function penaltyRow(over: Record<string, string> = {}): Record<string, string> {
  return {
    subjectName: '新乡市牧野区某某商贸有限公司',
    subjectCategory: '法人及非法人组织',
    uscc: COMPANY,
    legalRepresentative: '张三',
    documentNo: '新市监罚〔2025〕12号',
    violationType: '销售不符合食品安全标准的食品',
    facts: '当事人于2025年3月销售过期食品，货值金额1200元，有进货单据、现场笔录为证。',
    basis: '《中华人民共和国食品安全法》第一百二十四条第一款',
    penaltyCategories: '警告;罚款',
    content: '警告，罚款人民币2000元',
    fineAmount: '0.2',
    decisionDate: '2025/04/01',
    validUntil: '2099/12/31',
    authority: '新乡市市场监督管理局',
    authorityCode: CONTEXT.departmentUscc,
    sourceName: '新乡市市场监督管理局',
    sourceCode: CONTEXT.departmentUscc,
    ...over,
  };
}
const PENALTY_CODES = PENALTY_FIELDS.map((f) => f.code);
const rowByCodes = (values: Record<string, string>): string[] => PENALTY_FIELDS.map((f) => values[f.key] ?? '');

describe('CSV', () => {
  it('reads UTF-8 with field codes as header; the first data row is row 2', async () => {
    const { src, rows } = await importFile('处罚.csv', csv([PENALTY_CODES, rowByCodes(penaltyRow())]));
    expect(src).toMatchObject({ format: 'csv', encoding: 'utf-8', shape: '2019' });
    expect(src.columns).toHaveLength(PENALTY_FIELDS.length);
    expect(src.columns[0]).toEqual({ header: 'CF_XDR_MC', key: 'subjectName' });
    expect(rows).toHaveLength(1);
    expect(rows[0]!.rowNumber).toBe(2);
    expect(rows[0]!.problems).toEqual([]);
    expect(rows[0]!.values).toMatchObject({ subjectName: '新乡市牧野区某某商贸有限公司', fineAmount: '0.2', penaltyCategories: '警告;罚款' });
    expect(penaltySchema({ today: TODAY }).safeParse(rows[0]!.values).success).toBe(true);
  });

  it('reads UTF-8 with BOM and Chinese labels (with * markers) as header', async () => {
    const header = PENALTY_FIELDS.map((f) => (f.need === 'R' ? `*${f.label}` : f.label));
    const text = '\ufeff' + csv([header, rowByCodes(penaltyRow({ remark: '含逗号，和"引号"\n及换行' }))]);
    const { src, rows } = await importFile('a.csv', text);
    expect(src.encoding).toBe('utf-8');
    expect(src.columns[0]!.header).toBe('*行政相对人名称');
    expect(rows[0]!.values.subjectName).toBe('新乡市牧野区某某商贸有限公司');
    expect(rows[0]!.values.remark).toBe('含逗号，和"引号"\n及换行');
  });

  it('reads GBK (as Excel in China saves it), decoded as GB18030', async () => {
    const text = csv([PENALTY_CODES, rowByCodes(penaltyRow({ subjectName: '卫辉市𠀾镕鑫五金店' }))]);
    const gbk = iconv.encode(text.replace('𠀾', ''), 'gbk');
    const { src, rows } = await importFile('gbk.csv', gbk);
    expect(src.encoding).toBe('gb18030');
    expect(rows[0]!.values.subjectName).toBe('卫辉市镕鑫五金店');
    expect(rows[0]!.values.facts).toBe(penaltyRow().facts);
    expect(rows[0]!.problems).toEqual([]);
    // GB18030 proper (4-byte sequences for characters outside GBK) round-trips too.
    const { rows: rows18030 } = await importFile('gb18030.csv', iconv.encode(text, 'gb18030'));
    expect(rows18030[0]!.values.subjectName).toBe('卫辉市𠀾镕鑫五金店');
  });

  it('reads a tab-separated .txt (Excel 「文本文件(制表符分隔)」)', async () => {
    const text = [PENALTY_CODES, rowByCodes(penaltyRow({ uscc: '', subjectCategory: '自然人', docType: '身份证', docNumber: PERSON }))]
      .map((r) => r.join('\t'))
      .join('\r\n');
    const { rows } = await importFile('a.txt', iconv.encode(text, 'gbk'));
    expect(rows[0]!.values).toMatchObject({ subjectCategory: '自然人', docNumber: PERSON, uscc: '' });
    expect(rows[0]!.problems).toEqual([]);
  });

  it('accepts combined headers: label(CODE), label（CODE）, CODE label, full-width codes', async () => {
    const permitHeader = PERMIT_FIELDS.map((f, i) =>
      i % 4 === 0
        ? `${f.label}(${f.code})`
        : i % 4 === 1
          ? `${f.label}（${f.code}）`
          : i % 4 === 2
            ? `${f.code} ${f.label}`
            : f.code.replace(/[A-Z_]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0)),
    );
    const values = PERMIT_FIELDS.map((f) => `v-${f.key}`);
    const { src, rows } = await importFile('permit.csv', csv([permitHeader, values]), 'permit');
    expect(src.columns.map((c) => c.key)).toEqual(PERMIT_FIELDS.map((f) => f.key));
    expect(rows[0]!.values.documentName).toBe('v-documentName');
  });

  it('skips the template second header row and keeps Excel row numbers (first data row is 3)', async () => {
    const template = templateCsv('penalty').toString('utf8');
    const data = csv([rowByCodes(penaltyRow()), rowByCodes(penaltyRow({ documentNo: '新市监罚〔2025〕13号' }))]);
    const { src, rows } = await importFile('template.csv', template + data);
    expect(src.columns.map((c) => c.header)).toContain('*行政相对人名称');
    expect(rows.map((r) => r.rowNumber)).toEqual([3, 4]);
    expect(rows[1]!.values.documentNo).toBe('新市监罚〔2025〕13号');
  });

  it('counts empty lines and multi-line cells as Excel shows them', async () => {
    const text = [csvLine(PENALTY_CODES), '', csvLine(rowByCodes(penaltyRow({ facts: '第一行\n第二行' }))), ',,,', '', csvLine(rowByCodes(penaltyRow()))].join(
      '\n',
    );
    const { rows } = await importFile('gaps.csv', text);
    expect(rows.map((r) => r.rowNumber)).toEqual([3, 6]);
    expect(rows[0]!.values.facts).toBe('第一行\n第二行');
  });

  it('reports a row with the wrong number of columns as a row problem, not a file error', async () => {
    const good = rowByCodes(penaltyRow());
    const { rows } = await importFile('cols.csv', csv([PENALTY_CODES, good.slice(0, 5), [...good, '多余'], [...good, '', ''], good]));
    expect(rows.map((r) => r.rowNumber)).toEqual([2, 3, 4, 5]);
    expect(rows[0]!.problems[0]!.message).toMatch(/^第2行只有 5 列，表头有 \d+ 列/);
    expect(rows[1]!.problems[0]!.message).toMatch(/^第3行有 \d+ 列，多于表头/);
    expect(rows[2]!.problems).toEqual([]); // trailing empty cells are harmless
    expect(rows[3]!.problems).toEqual([]);
  });

  it('flags identifiers that Excel turned into scientific notation and drops them', async () => {
    const { rows } = await importFile('sci.csv', csv([PENALTY_CODES, rowByCodes(penaltyRow({ uscc: '9.14107E+17' }))]));
    expect(rows[0]!.values.uscc).toBe('');
    expect(rows[0]!.problems).toEqual([{ key: 'uscc', message: expect.stringContaining('第2行「统一社会信用代码」是科学计数法') }]);
  });

  it('flags undecodable text when GBK appears only after a first MiB of plain ASCII', async () => {
    const ascii = rowByCodes(penaltyRow()).map((v, i) => `ascii-${i}-${'x'.repeat(20)}`);
    const lines = [csvLine(PENALTY_CODES), ...Array.from({ length: 2500 }, () => csvLine(ascii))].join('\r\n');
    expect(lines.length).toBeGreaterThan(1024 * 1024);
    const gbkRow = iconv.encode(`\r\n${csvLine(rowByCodes(penaltyRow()))}\r\n`, 'gbk');
    const { src, rows } = await importFile('late.csv', Buffer.concat([Buffer.from(lines), gbkRow]));
    expect(src.encoding).toBe('utf-8');
    expect(rows.at(-2)!.problems).toEqual([]);
    expect(rows.at(-1)!.problems).toContainEqual({
      key: 'subjectName',
      message: '第2502行「行政相对人名称」含无法识别的字符（�），可能是文件编码或损坏问题，请检查后重新导入',
    });
    expect(rows.at(-1)!.values.subjectName).toBe('');
  });

  it('turns an unclosed quote into an ImportFileError', async () => {
    const text = csv([PENALTY_CODES]) + '"never closed,' + 'x'.repeat(300_000);
    const e = await fileError(importFile('q.csv', text));
    expect(e.message).toMatch(/引号/);
  });
});

describe('header errors', () => {
  it('names unknown columns', async () => {
    const e = await fileError(importFile('u.csv', csv([[...PENALTY_CODES, '联系电话', 'CF_FOO'], rowByCodes(penaltyRow())])));
    expect(e.message).toBe('无法识别的列：「联系电话」、「CF_FOO」。表头应使用模板中的字段名称或字段代码（如「行政相对人名称」或 CF_XDR_MC），请下载模板核对');
  });

  it('names missing required columns by label', async () => {
    const codes = PENALTY_CODES.filter((c) => c !== 'CF_WSH' && c !== 'CF_SJLYDM' && c !== 'CF_NR_FK');
    const e = await fileError(importFile('m.csv', csv([codes])));
    expect(e.message).toBe('缺少必填列：行政处罚决定书文号、数据来源单位统一社会信用代码');
  });

  it('accepts a file without the conditional and optional columns', async () => {
    const required = PENALTY_FIELDS.filter((f) => f.need === 'R');
    const { rows } = await importFile('r.csv', csv([required.map((f) => f.code), required.map((f) => penaltyRow()[f.key] ?? '')]));
    expect(Object.keys(rows[0]!.values)).toEqual(required.map((f) => f.key));
  });

  it('rejects duplicate columns, also when one is a label and the other a code', async () => {
    const e = await fileError(importFile('d.csv', csv([[...PENALTY_CODES, '行政相对人名称']])));
    expect(e.message).toBe('列重复：「CF_XDR_MC」、「行政相对人名称」都对应「行政相对人名称」，请删除其中一列');
  });

  it('rejects a label that contradicts its code', async () => {
    const e = await fileError(importFile('c.csv', csv([PENALTY_CODES.map((c) => (c === 'CF_WSH' ? '违法事实(CF_WSH)' : c))])));
    expect(e.message).toContain('「违法事实(CF_WSH)」');
  });

  it('accepts 适用简易程序 (JYCX) for penalties only', async () => {
    const { rows } = await importFile(
      'j.csv',
      csv([
        [...PENALTY_CODES, 'JYCX'],
        [...rowByCodes(penaltyRow()), '是'],
      ]),
    );
    expect(rows[0]!.values.simpleProcedure).toBe('是');
    const e = await fileError(importFile('j2.csv', csv([[...PERMIT_FIELDS.map((f) => f.code), '适用简易程序']]), 'permit'));
    expect(e.message).toContain('「适用简易程序」');
  });

  it('ignores the exchange-table columns DFBM and SJC in a 2019 file, which stays 2019', async () => {
    const { src, rows } = await importFile(
      't.csv',
      csv([
        [...PENALTY_CODES, 'DFBM', 'SJC'],
        [...rowByCodes(penaltyRow()), '410700', '2025-04-02 10:00:00'],
      ]),
    );
    expect(src.shape).toBe('2019');
    expect(src.columns.slice(-2)).toEqual([
      { header: 'DFBM', key: '' },
      { header: 'SJC', key: '' },
    ]);
    expect(rows[0]!.values).toEqual(penaltyRow(Object.fromEntries(PENALTY_FIELDS.map((f) => [f.key, penaltyRow()[f.key] ?? '']))));
  });

  it('tells the user when a penalty file is uploaded as permits', async () => {
    const e = await fileError(importFile('k.csv', csv([PENALTY_CODES]), 'permit'));
    expect(e.message).toMatch(/^这是行政处罚的文件/);
  });

  it('rejects a file with no header', async () => {
    const e = await fileError(importFile('e.csv', '\r\n,,,\r\n'));
    expect(e.message).toBe('文件中没有表头和数据');
  });
});

describe('file type and size', () => {
  it('rejects an .xlsx that is really a CSV', async () => {
    const e = await fileError(importFile('fake.xlsx', csv([PENALTY_CODES])));
    expect(e.message).toBe('文件内容与扩展名不符：扩展名为 .xlsx，但内容不是 Excel 文件（看起来是 CSV 或文本文件，请把扩展名改为 .csv）');
  });

  it('rejects a .csv that is really a zip (an .xlsx renamed)', async () => {
    const xlsx = await templateXlsx('penalty');
    const e = await fileError(importFile('fake.csv', xlsx));
    expect(e.message).toMatch(/^文件内容与扩展名不符：扩展名为 \.csv，但内容是 Excel 工作簿或压缩文件/);
  });

  it('rejects a .csv with NUL bytes, UTF-16 text and HTML', async () => {
    expect((await fileError(importFile('bin.csv', Buffer.from([0x41, 0x00, 0x42, 0x0a])))).message).toMatch(/不是文本/);
    expect((await fileError(importFile('u16.csv', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('CF_WSH\r\n', 'utf16le')])))).message).toMatch(
      /UTF-16/,
    );
    expect((await fileError(importFile('page.csv', '<html><table><tr><td>CF_WSH</td></tr></table></html>'))).message).toMatch(/网页/);
  });

  it('rejects .xls (old binary Excel), telling the user to save as .xlsx or CSV', async () => {
    const ole = Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), Buffer.alloc(504)]);
    const e = await fileError(importFile('old.xls', ole));
    expect(e.message).toBe('不支持旧版 Excel 文件（.xls）：请在 Excel 中「另存为」Excel 工作簿（.xlsx）或 CSV UTF-8（逗号分隔）后再上传');
    expect((await fileError(importFile('old.xlsx', ole))).message).toMatch(/旧版 Excel（\.xls）格式或设置了打开密码/);
  });

  it('rejects other extensions, empty files and files over the size limit', async () => {
    expect((await fileError(importFile('a.docx', 'x'))).message).toMatch(/^不支持的文件类型「\.docx」/);
    expect((await fileError(importFile('a.csv', ''))).message).toBe('文件是空的');
    const e = await fileError(importFile('big.csv', csv([PENALTY_CODES]), 'penalty', { limits: { maxBytes: 100 } }));
    expect(e.message).toMatch(/^文件大小 .* MB，超过上限 0 MB/);
  });
});

describe('XLSX', () => {
  async function filledTemplate(kind: RecordKind, fill: (ws: ExcelJS.Worksheet, col: (key: string) => number) => void): Promise<Buffer> {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await templateXlsx(kind)) as unknown as ExcelJS.Buffer);
    const ws = wb.worksheets[0]!;
    const codes = (ws.getRow(2).values as unknown[]).map(String);
    const fields = kind === 'permit' ? PERMIT_FIELDS : PENALTY_FIELDS;
    fill(ws, (key) => codes.indexOf(fields.find((f) => f.key === key)!.code));
    return Buffer.from(await wb.xlsx.writeBuffer());
  }

  it('parses the template plus data rows: dates, amounts, rich text, formulas, numeric code cells', async () => {
    const xlsx = await filledTemplate('penalty', (ws, col) => {
      const base = penaltyRow();
      const r3 = ws.getRow(3);
      for (const [k, v] of Object.entries(base)) r3.getCell(col(k)).value = v;
      r3.getCell(col('decisionDate')).value = new Date(Date.UTC(2025, 3, 1));
      r3.getCell(col('decisionDate')).numFmt = 'yyyy"年"m"月"d"日"';
      r3.getCell(col('fineAmount')).value = 0.1 + 0.1 + 0.1 - 0.1; // 0.20000000000000004
      r3.getCell(col('subjectName')).value = { richText: [{ text: '新乡市牧野区' }, { font: { bold: true }, text: '某某商贸有限公司' }] };
      r3.getCell(col('content')).value = { formula: '"警告，"&"罚款人民币2000元"', result: '警告，罚款人民币2000元' };
      r3.getCell(col('validUntil')).value = 73050; // a day number typed into a general-format cell: 2099/12/31
      r3.getCell(col('validUntil')).numFmt = 'General';
      const r4 = ws.getRow(4);
      for (const [k, v] of Object.entries(penaltyRow({ subjectCategory: '自然人', uscc: '', legalRepresentative: '' }))) r4.getCell(col(k)).value = v;
      r4.getCell(col('docType')).value = '身份证';
      r4.getCell(col('docNumber')).value = Number(PERSON); // pasted as a number: the last digits are gone
      r4.getCell(col('uscc')).value = Number('914107001234567890');
    });
    const { src, rows } = await importFile('filled.xlsx', xlsx);
    expect(src).toMatchObject({ format: 'xlsx', shape: '2019' });
    expect(src.encoding).toBeUndefined();
    expect(rows.map((r) => r.rowNumber)).toEqual([3, 4]);
    expect(rows[0]!.problems).toEqual([]);
    expect(rows[0]!.values).toMatchObject({
      subjectName: '新乡市牧野区某某商贸有限公司',
      decisionDate: '2025/04/01',
      fineAmount: '0.2',
      content: '警告，罚款人民币2000元',
      validUntil: '2099/12/31',
      uscc: COMPANY,
    });
    expect(penaltySchema({ today: TODAY }).safeParse(rows[0]!.values).success).toBe(true);
    expect(rows[1]!.values.docNumber).toBe('');
    expect(rows[1]!.values.uscc).toBe('');
    expect(rows[1]!.problems).toEqual([
      { key: 'uscc', message: '第4行「统一社会信用代码」单元格是数值格式：Excel 会截断长数字（如身份证号后几位变成 0），请把该列设为文本格式后重新填写' },
      { key: 'docNumber', message: '第4行「证件号码」单元格是数值格式：Excel 会截断长数字（如身份证号后几位变成 0），请把该列设为文本格式后重新填写' },
    ]);
  });

  it('reads only the first worksheet and yields nothing for an empty template', async () => {
    const { src, rows } = await importFile('t.xlsx', await templateXlsx('permit'), 'permit');
    expect(src.columns.map((c) => c.key)).toEqual(PERMIT_FIELDS.map((f) => f.key));
    expect(rows).toEqual([]);
  });

  it('reads the first sheet of the workbook even when it is not the first in the zip; header may start below empty rows', async () => {
    const wb = new ExcelJS.Workbook();
    const other = wb.addWorksheet('其他');
    other.addRow(['不应读取']);
    const main = wb.addWorksheet('处罚');
    main.addRow([]);
    main.addRow(PENALTY_CODES);
    main.addRow(rowByCodes(penaltyRow()));
    // 'other' is sheet1.xml (first in the zip), but 'main' comes first in workbook.xml.
    (main as unknown as { orderNo: number }).orderNo = 0;
    (other as unknown as { orderNo: number }).orderNo = 1;
    const { rows } = await importFile('order.xlsx', Buffer.from(await wb.xlsx.writeBuffer()));
    expect(rows).toHaveLength(1);
    expect(rows[0]!.rowNumber).toBe(3);
  });

  it('applies the row limit to XLSX too, and close() releases an unread XLSX', async () => {
    const xlsx = await filledTemplate('penalty', (ws, col) => {
      for (const n of [3, 4, 5]) for (const [k, v] of Object.entries(penaltyRow())) ws.getRow(n).getCell(col(k)).value = v;
    });
    const e = await fileError(importFile('limit.xlsx', xlsx, 'penalty', { limits: { maxRows: 2 } }));
    expect(e.message).toBe('数据超过 2 行的上限（到第 5 行时）：请拆分为多个文件后分别导入');
    const src = await openImport(await put('unread.xlsx', xlsx), opts('penalty', 'unread.xlsx'));
    await src.close();
    expect(await readAll(src)).toEqual([]);
  });

  it('refuses a cell holding U+FFFD, naming row and column; reads WPS inline strings and non-BMP characters whole', async () => {
    const path = join(dir, `${++seq}-wps.xlsx`);
    await writeXlsx(
      path,
      [PENALTY_CODES, rowByCodes(penaltyRow({ subjectName: '新乡市𠀀𪚥堃喆䶮有限公司' })), rowByCodes(penaltyRow({ facts: '当事人\ufffd销售过期食品' }))],
      'inline',
    );
    const src = await openImport(path, opts('penalty', 'wps.xlsx'));
    const rows = await readAll(src);
    expect(rows[0]!.problems).toEqual([]);
    expect(rows[0]!.values.subjectName).toBe('新乡市𠀀𪚥堃喆䶮有限公司');
    expect(rows[1]!.problems).toEqual([{ key: 'facts', message: '第3行「违法事实」含无法识别的字符（�），可能是文件编码或损坏问题，请检查后重新导入' }]);
    expect(rows[1]!.values.facts).toBe('');
  });

  it('rejects a corrupt zip and a zip without a workbook', async () => {
    const xlsx = await templateXlsx('penalty');
    expect((await fileError(importFile('cut.xlsx', xlsx.subarray(0, xlsx.length - 100)))).message).toMatch(/已损坏/);
    const docx = zipOf([{ name: 'word/document.xml', data: Buffer.from('<w/>') }]);
    expect((await fileError(importFile('doc.xlsx', docx))).message).toMatch(/没有 Excel 工作簿/);
  });
});

// --- hand-built zips -----------------------------------------------------------------------------------------

interface ZipEntry {
  name: string;
  data: Buffer;
  /** deflated data when set; `data` is then the compressed bytes */
  deflated?: { crc: number; size: number };
}

function zipOf(entries: ZipEntry[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = Buffer.from(e.name);
    const method = e.deflated ? 8 : 0;
    const crc = e.deflated ? e.deflated.crc : zlib.crc32(e.data);
    const size = e.deflated ? e.deflated.size : e.data.length;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(method, 8);
    local.writeUInt16LE(0x21, 12);
    local.writeUInt32LE(crc >>> 0, 14);
    local.writeUInt32LE(e.data.length, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(method, 10);
    central.writeUInt16LE(0x21, 14);
    central.writeUInt32LE(crc >>> 0, 16);
    central.writeUInt32LE(e.data.length, 20);
    central.writeUInt32LE(size, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, e.data);
    centrals.push(central, name);
    offset += 30 + name.length + e.data.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}

/** 300 MB of zeros, deflated in 1 MB chunks: nothing of that size is ever held or written. */
async function deflatedZeros(megabytes: number): Promise<{ data: Buffer; crc: number; size: number }> {
  const deflate = zlib.createDeflateRaw({ level: 9 });
  const chunks: Buffer[] = [];
  deflate.on('data', (c: Buffer) => chunks.push(c));
  const zero = Buffer.alloc(1024 * 1024);
  let crc = 0;
  for (let i = 0; i < megabytes; i++) {
    crc = zlib.crc32(zero, crc);
    if (!deflate.write(zero)) await once(deflate, 'drain');
  }
  deflate.end();
  await finished(deflate);
  return { data: Buffer.concat(chunks), crc, size: megabytes * 1024 * 1024 };
}

describe('zip bomb', () => {
  let zeros: { data: Buffer; crc: number; size: number };
  beforeAll(async () => {
    zeros = await deflatedZeros(300);
  }, 60_000);

  const workbookXml = Buffer.from(
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheets><sheet name="a" sheetId="1" r:id="rId1"/></sheets></workbook>',
  );

  async function withoutExceljs<T>(fn: () => Promise<T>): Promise<T> {
    const xlsxNs = ExcelJS.stream.xlsx as unknown as { WorkbookReader: unknown };
    const original = xlsxNs.WorkbookReader;
    xlsxNs.WorkbookReader = function reached() {
      throw new Error('exceljs was handed the file');
    };
    try {
      return await fn();
    } finally {
      xlsxNs.WorkbookReader = original;
    }
  }

  it('rejects a 300 MB entry of zeros by its compression ratio, before exceljs sees the file', async () => {
    const bomb = zipOf([
      { name: 'xl/workbook.xml', data: workbookXml },
      { name: 'xl/worksheets/sheet1.xml', data: zeros.data, deflated: { crc: zeros.crc, size: zeros.size } },
    ]);
    expect(bomb.length).toBeLessThan(1024 * 1024);
    const started = Date.now();
    const e = await withoutExceljs(() => fileError(importFile('bomb.xlsx', bomb)));
    expect(e.message).toMatch(/^Excel 文件中的「xl\/worksheets\/sheet1\.xml」压缩比异常（\d+ 倍，上限 200 倍），可能是恶意构造的压缩文件/);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('rejects by total uncompressed size', async () => {
    const bomb = zipOf([
      { name: 'xl/workbook.xml', data: workbookXml },
      { name: 'xl/worksheets/sheet1.xml', data: zeros.data, deflated: { crc: zeros.crc, size: zeros.size } },
    ]);
    const path = await put('total.xlsx', bomb);
    const e = await fileError(checkXlsxZip(path, { ...IMPORT_LIMITS, maxUncompressedBytes: 100 * 1024 * 1024, maxCompressionRatio: 10_000 }));
    expect(e.message).toMatch(/解压后超过 100 MB/);
  });

  it('rejects an entry whose real size is far above the size its headers declare', async () => {
    const liar = zipOf([
      { name: 'xl/workbook.xml', data: workbookXml },
      { name: 'xl/worksheets/sheet1.xml', data: zeros.data, deflated: { crc: zeros.crc, size: 1000 } },
    ]);
    const e = await withoutExceljs(() => fileError(importFile('liar.xlsx', liar)));
    expect(e.message).toMatch(/实际内容与声明的大小不符/);
  });

  it('rejects data hidden between the entries the directory lists', async () => {
    const padded = zipOf([
      { name: 'xl/workbook.xml', data: workbookXml },
      { name: 'xl/hidden.xml', data: Buffer.alloc(64, 0x20) },
      { name: 'xl/worksheets/sheet1.xml', data: Buffer.from('<worksheet/>') },
    ]);
    await checkXlsxZip(await put('listed.xlsx', padded));
    // Drop the directory record of xl/hidden.xml: its local entry stays in the file, unlisted, where a
    // forward-only reader like exceljs's would still find it.
    const path = await put('hidden.xlsx', dropCentralRecord(padded, 1));
    const e = await fileError(checkXlsxZip(path));
    expect(e.message).toMatch(/压缩结构异常/);
  });
});

function dropCentralRecord(zip: Buffer, index: number): Buffer {
  const eocd = zip.length - 22;
  const count = zip.readUInt16LE(eocd + 10);
  const cdOffset = zip.readUInt32LE(eocd + 16);
  const records: Buffer[] = [];
  let p = cdOffset;
  for (let i = 0; i < count; i++) {
    const len = 46 + zip.readUInt16LE(p + 28) + zip.readUInt16LE(p + 30) + zip.readUInt16LE(p + 32);
    records.push(zip.subarray(p, p + len));
    p += len;
  }
  records.splice(index, 1);
  const cd = Buffer.concat(records);
  const end = Buffer.from(zip.subarray(eocd));
  end.writeUInt16LE(count - 1, 8);
  end.writeUInt16LE(count - 1, 10);
  end.writeUInt32LE(cd.length, 12);
  return Buffer.concat([zip.subarray(0, cdOffset), cd, end]);
}

describe('2015 shape', () => {
  it('maps permit rows into 2019 keys, with the department as authority code and source', async () => {
    const header = [
      'XK_WSH',
      'XK_XMMC',
      'XK_SPLB',
      'XK_NR',
      'XK_XDR',
      'XK_XDR_SHXYM',
      'XK_XDR_ZDM',
      'XK_XDR_GSDJ',
      'XK_XDR_SWDJ',
      'XK_XDR_SFZ',
      'XK_FR',
      'XK_JDRQ',
      'XK_JZQ',
      'XK_XZJG',
      'XK_ZT',
      'DFBM',
      'SJC',
      'BZ',
    ];
    const org = [
      '新市监许〔2017〕8号',
      '食品经营许可',
      '核准',
      '预包装食品销售',
      '新乡市某某超市有限公司',
      COMPANY,
      '',
      '',
      '',
      '',
      '李四',
      '2017/05/02',
      '2022/05/01',
      '新乡市食品药品监督管理局',
      '0',
      '410700',
      '2017-05-03 10:00:00',
      '',
    ];
    const person = [
      '新卫许〔2018〕3号',
      '公共场所卫生许可',
      '审批',
      '理发',
      '王五',
      '',
      '',
      '',
      '',
      PERSON,
      '',
      '2018/01/10',
      '',
      '新乡市卫生局',
      '1',
      '410700',
      '',
      '补录',
    ];
    const { src, rows } = await importFile('old.csv', iconv.encode(csv([header, org, person]), 'gbk'), 'permit');
    expect(src.shape).toBe('2015');
    expect(src.columns.find((c) => c.header === 'XK_XMMC')).toEqual({ header: 'XK_XMMC', key: 'documentName' });
    expect(src.columns.find((c) => c.header === 'DFBM')).toEqual({ header: 'DFBM', key: '' });
    expect(rows[0]!.values).toMatchObject({
      subjectCategory: '法人及非法人组织',
      uscc: COMPANY,
      legalRepresentative: '李四',
      documentName: '食品经营许可',
      documentNo: '新市监许〔2017〕8号',
      permitCategory: '核准',
      decisionDate: '2017/05/02',
      validFrom: '2017/05/02',
      validTo: '2022/05/01',
      content: '预包装食品销售',
      authority: '新乡市食品药品监督管理局',
      authorityCode: CONTEXT.departmentUscc,
      sourceName: CONTEXT.departmentName,
      sourceCode: CONTEXT.departmentUscc,
      permitState: '有效',
    });
    expect(rows[1]!.values).toMatchObject({
      subjectCategory: '自然人',
      docType: '身份证',
      docNumber: PERSON,
      permitCategory: '其他',
      validTo: '2099/12/31',
      permitState: '无效',
      remark: '补录',
    });
    for (const r of rows) expect(permitSchema({ today: TODAY }).safeParse(r.values).error?.issues ?? []).toEqual([]);
  });

  it('maps penalty rows (labels as header), joining 处罚类别1/2, and lets 2019 columns in the same file win', async () => {
    const header = [
      '行政处罚决定书文号',
      '处罚名称',
      '处罚类别1',
      '处罚类别2',
      '处罚事由',
      '处罚依据',
      '行政相对人名称',
      '统一社会信用代码',
      '法定代表人姓名',
      '处罚结果',
      '处罚决定日期',
      '处罚机关',
      '当前状态',
      '公示截止期',
      '失信严重程度',
      'CF_NR_FK',
    ];
    const row = [
      '新市监罚〔2018〕5号',
      '销售过期食品',
      '警告',
      '罚款',
      '销售过期食品',
      '《食品安全法》第一百二十四条',
      '新乡市某某商行',
      COMPANY,
      '赵六',
      '警告，罚款2000元',
      '2018/06/01',
      '新乡市食品药品监督管理局',
      '0',
      '2019/06/01',
      '一般',
      '0.2',
    ];
    const { src, rows } = await importFile('old-penalty.csv', csv([header, row]), 'penalty');
    expect(src.shape).toBe('2015');
    expect(rows[0]!.values).toMatchObject({
      violationType: '销售过期食品',
      penaltyCategories: '警告;罚款',
      facts: '销售过期食品',
      content: '警告，罚款2000元',
      validUntil: '2019/06/01',
      publicityEndDate: '2019/06/01',
      fineAmount: '0.2',
      authorityCode: CONTEXT.departmentUscc,
    });
    expect(penaltySchema({ today: TODAY }).safeParse(rows[0]!.values).error?.issues ?? []).toEqual([]);
  });

  it('requires the department to have a USCC for 2015 files', async () => {
    const e = await fileError(
      importFile('x.csv', csv([['CF_WSH', 'CF_CFMC', 'CF_CFLB1', 'CF_SY', 'CF_YJ', 'CF_XDR_MC', 'CF_JG', 'CF_JDRQ', 'CF_XZJG']]), 'penalty', {
        context: { departmentName: '某局', departmentUscc: null },
      }),
    );
    expect(e.message).toMatch(/^旧版（2015 版）格式的文件/);
  });

  it('names missing 2015 columns by their 2015 labels', async () => {
    const e = await fileError(importFile('y.csv', csv([['XK_WSH', 'XK_XMMC', 'XK_XDR', 'XK_JDRQ']]), 'permit'));
    expect(e.message).toBe('缺少必填列：许可内容、许可机关');
  });
});

describe('row limit', () => {
  it('throws when passing the limit, not before', async () => {
    const rows = Array.from({ length: 3 }, (_, i) => rowByCodes(penaltyRow({ documentNo: `号${i}` })));
    const ok = await importFile('3.csv', csv([PENALTY_CODES, ...rows]), 'penalty', { limits: { maxRows: 3 } });
    expect(ok.rows).toHaveLength(3);
    const src = await openImport(await put('4.csv', csv([PENALTY_CODES, ...rows, ...rows])), opts('penalty', '4.csv', { limits: { maxRows: 3 } }));
    const seen: number[] = [];
    const e = await fileError(
      (async () => {
        for await (const r of src.rows) seen.push(r.rowNumber);
      })(),
    );
    expect(seen).toEqual([2, 3, 4]);
    expect(e.message).toBe('数据超过 3 行的上限（到第 5 行时）：请拆分为多个文件后分别导入');
  });

  it('close() releases an unread source', async () => {
    const src = await openImport(await put('c.csv', csv([PENALTY_CODES, rowByCodes(penaltyRow())])), opts('penalty', 'c.csv'));
    await src.close();
    await src.close();
    expect(await readAll(src)).toEqual([]);
  });
});

describe('templates', () => {
  it('CSV template: UTF-8 BOM, labels with * on required, then codes', () => {
    const buf = templateCsv('permit');
    expect([...buf.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const [labels, codes, rest] = buf.subarray(3).toString('utf8').split('\r\n');
    expect(labels!.split(',')[0]).toBe('*行政相对人名称');
    expect(labels!.split(',')).toContain('工商注册号');
    expect(codes!.split(',')).toEqual(PERMIT_FIELDS.map((f) => f.code));
    expect(rest).toBe('');
    expect(templateCsv('penalty').toString('utf8').split('\r\n')[1]!.split(',').slice(-4)).toEqual(['JYCX', 'YZCD', 'YZCDLY', 'QXGS']);
  });

  it('export header is the codes in catalogue order', () => {
    expect(exportCsvHeader('penalty')).toEqual(PENALTY_FIELDS.map((f) => f.code));
    expect(exportCsvHeader('permit')[0]).toBe('XK_XDR_MC');
  });

  it('XLSX template: frozen header, text format on codes and dates, drop-downs, 填写说明 sheet', async () => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await templateXlsx('penalty')) as unknown as ExcelJS.Buffer);
    const [ws, help] = wb.worksheets;
    expect(ws!.name).toBe('行政处罚');
    expect(ws!.views[0]).toMatchObject({ state: 'frozen', ySplit: 2 });
    expect(ws!.getRow(1).getCell(1).value).toBe('*行政相对人名称');
    expect(ws!.getRow(1).getCell(1).font?.bold).toBe(true);
    const col = (code: string): number => PENALTY_FIELDS.findIndex((f) => f.code === code) + 1;
    expect(ws!.getColumn(col('CF_XDR_SHXYM')).numFmt).toBe('@');
    expect(ws!.getColumn(col('CF_JDRQ')).numFmt).toBe('@');
    expect(ws!.getColumn(col('CF_XDR_MC')).numFmt).toBeUndefined();
    expect(ws!.getCell(3, col('CF_XDR_LB')).dataValidation).toMatchObject({
      type: 'list',
      formulae: ['"法人及非法人组织,自然人,个体工商户"'],
      showErrorMessage: true,
    });
    expect(ws!.getCell(10_002, col('CF_XDR_ZJLX')).dataValidation).toMatchObject({ type: 'list' });
    // 处罚类别 takes several values: a drop-down that does not reject other input.
    expect(ws!.getCell(3, col('CF_CFLB')).dataValidation).toMatchObject({ type: 'list' });
    expect(ws!.getCell(3, col('CF_CFLB')).dataValidation.showErrorMessage).toBeFalsy();
    expect(help!.name).toBe('填写说明');
    const helpRows = help!.getSheetValues().map((r) => (Array.isArray(r) ? r.slice(1) : []));
    expect(helpRows).toContainEqual(['证件号码', 'CF_XDR_ZJHM', '条件必填', expect.stringContaining('自然人必填')]);
  });
});

describe('property: CSV round trip', () => {
  const cell = fc
    .array(
      fc.oneof(
        fc.constantFrom(',', '"', '""', '\n', '\r\n', ' ', '中', '新乡', '，', '；', '\t', '\u3000', "'", '=1+1'),
        fc.string({ unit: 'grapheme', maxLength: 6 }),
      ),
      { maxLength: 6 },
    )
    .map((parts) => parts.join('').replace(/[\0\ufffd]/g, ''));

  it('random cells written as CSV come back equal (trimmed, one export quote removed)', async () => {
    // Labels as header: enough Chinese text that GB18030 is never mistaken for UTF-8.
    const header = ['行政相对人名称', '行政处罚决定书文号', '违法事实', '备注'];
    const required = PENALTY_FIELDS.filter((f) => f.need === 'R' && !header.includes(f.label)).map((f) => f.label);
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(cell, cell, cell, cell), { minLength: 1, maxLength: 8 }), fc.boolean(), async (rows, gbk) => {
        const text = csv([[...header, ...required], ...rows.map((r) => [...r, ...required.map(() => 'x')])]);
        const encodable = !gbk || iconv.decode(iconv.encode(text, 'gb18030'), 'gb18030') === text;
        const { rows: back } = await importFile('p.csv', encodable && gbk ? iconv.encode(text, 'gb18030') : '\ufeff' + text);
        expect(back).toHaveLength(rows.length);
        back.forEach((r, i) => {
          const [name, no, facts, remark] = rows[i]!.map((s) => restoreCell(s.trim()));
          expect(r.values).toMatchObject({ subjectName: name, documentNo: no, facts, remark });
        });
      }),
      { numRuns: 150 },
    );
  });

  it('parsing arbitrary content throws nothing but ImportFileError', async () => {
    const xlsx = await templateXlsx('penalty');
    const body = fc.oneof(
      fc.integer({ min: 0, max: xlsx.length - 1 }).map((cut) => xlsx.subarray(0, cut)),
      fc.uint8Array({ maxLength: 400 }).map((a) => Buffer.from(a)),
      fc.string({ unit: 'grapheme', maxLength: 200 }),
      fc.array(cell, { maxLength: 30 }).map((cells) => `${PENALTY_CODES.join(',')}\n${cells.join(',')}`),
      fc.array(cell, { maxLength: 30 }).map((cells) => iconv.encode(`${PERMIT_FIELDS.map((f) => f.label).join(',')}\r\n${cells.join('\t')}`, 'gbk')),
    );
    await fc.assert(
      fc.asyncProperty(body, fc.constantFrom('a.csv', 'a.txt', 'a.xlsx'), fc.constantFrom<RecordKind>('permit', 'penalty'), async (content, name, kind) => {
        try {
          await importFile(name, content, kind);
        } catch (e) {
          expect(e).toBeInstanceOf(ImportFileError);
        }
      }),
      { numRuns: 200 },
    );
  });
});

/**
 * Measurement, not run by default (IMPORT_BENCH=1 npx vitest run --project unit src/features/imports/parse.test.ts -t measure):
 * a 100,000-row penalty CSV with realistic field lengths, iterated through openImport.
 */
describe.runIf(process.env.IMPORT_BENCH === '1')('measure', () => {
  it('100,000-row penalty CSV: time and RSS growth', async () => {
    const path = join(dir, 'bench.csv');
    const out = createWriteStream(path);
    out.write('\ufeff' + csvLine(PENALTY_CODES) + '\r\n');
    const facts =
      '经查，当事人于2024年3月至5月期间在其经营场所销售超过保质期的预包装食品，涉案货值金额共计人民币1,280元，违法所得人民币356元。执法人员现场检查时发现上述食品与正常销售的食品混放，未作任何区分标示，当事人对上述事实供认不讳，并提供了进货单据。以上事实有现场检查笔录、询问笔录、进货票据、照片等证据为证。执法人员依法告知了当事人陈述、申辩的权利。';
    const basis = '《中华人民共和国食品安全法》第三十四条第（十）项、第一百二十四条第一款第（五）项；《河南省市场监督管理行政处罚裁量基准》';
    for (let i = 0; i < 100_000; i++) {
      const v = penaltyRow({
        subjectName: `新乡市${['红旗区', '卫滨区', '牧野区', '凤泉区'][i % 4]}某某商贸有限公司第${i}分店`,
        documentNo: `新市监罚〔2024〕${i}号`,
        facts: facts + `（案件编号 ${i}）`,
        basis,
        content: `1. 没收违法所得人民币356元；2. 罚款人民币${2000 + (i % 100) * 100}元。`,
        remark: i % 3 === 0 ? '当事人已按期缴纳罚没款，已整改完毕。' : '已责令当事人限期改正。',
      });
      if (!out.write(csvLine(rowByCodes(v)) + '\r\n')) await once(out, 'drain');
    }
    out.end();
    await finished(out);
    const size = (await stat(path)).size;

    (globalThis as { gc?: () => void }).gc?.();
    const base = process.memoryUsage().rss;
    let peak = base;
    const timer = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage().rss);
    }, 20);
    const started = performance.now();
    const src = await openImport(path, opts('penalty', 'bench.csv'));
    let count = 0;
    let chars = 0;
    for await (const r of src.rows) {
      count++;
      chars += r.values.facts?.length ?? 0;
      if (count % 1000 === 0) peak = Math.max(peak, process.memoryUsage().rss);
    }
    const elapsed = performance.now() - started;
    clearInterval(timer);
    await rm(path);
    const report = {
      rows: count,
      fileMB: +(size / 1048576).toFixed(1),
      seconds: +(elapsed / 1000).toFixed(2),
      rssBaseMB: +(base / 1048576).toFixed(1),
      rssPeakGrowthMB: +((peak - base) / 1048576).toFixed(1),
    };
    console.warn('[measure]', JSON.stringify(report));
    expect(count).toBe(100_000);
    expect(chars).toBeGreaterThan(0);
    expect(peak - base).toBeLessThan(100 * 1024 * 1024);
  }, 300_000);
});

describe('信用承诺 files', () => {
  const values = {
    promisorName: '新乡市承诺测试有限公司',
    promisorCategory: '法人及非法人组织',
    promisorCode: '91410700174608534E',
    commitmentType: '主动型',
    matter: '事由',
    content: '内容',
    liability: '责任',
    madeOn: '2026/01/15',
    disclosure: '可向社会公开',
  } as Record<string, string>;

  it('recognises the template header (labels with * and the code row) and keys cells by the form fields', async () => {
    const header = COMMITMENT_FIELDS.map((f) => (f.need === 'R' ? `*${f.label}` : f.label));
    const { src, rows } = await importFile(
      'c.csv',
      csv([header, COMMITMENT_FIELDS.map((f) => f.code), COMMITMENT_FIELDS.map((f) => values[f.key] ?? '')]),
      'commitment',
    );
    expect(src.shape).toBe('2019');
    expect(rows).toHaveLength(1);
    expect(rows[0]!.rowNumber).toBe(3);
    expect(rows[0]!.values).toMatchObject(values);
    expect(rows[0]!.problems).toEqual([]);
  });

  it('names missing required columns, and sends a 双公示 file to its own import and back', async () => {
    const without = COMMITMENT_FIELDS.filter((f) => f.key !== 'liability');
    expect((await fileError(importFile('c.csv', csv([without.map((f) => f.label)]), 'commitment'))).message).toBe('缺少必填列：违诺责任');
    const penalty = csv([PENALTY_FIELDS.map((f) => f.code)]);
    expect((await fileError(importFile('p.csv', penalty, 'commitment'))).message).toContain('这是行政处罚的文件');
    const commitments = csv([COMMITMENT_FIELDS.map((f) => f.label)]);
    expect((await fileError(importFile('c.csv', commitments, 'permit'))).message).toContain('这是信用承诺的文件');
  });
});
