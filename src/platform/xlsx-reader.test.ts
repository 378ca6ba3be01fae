import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import fc from 'fast-check';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cjkText, writeXlsx } from '../../tests/helpers/xlsx-build.js';
import { zipOf } from '../../tests/helpers/zip.js';
import { columnIndex, decodeXstring, encodeXstring, isDateFormatCode, readFirstSheet, XlsxReadError, type XlsxRow } from './xlsx-reader.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'xlsx-reader-'));
});
afterAll(async () => rm(dir, { recursive: true, force: true }));

async function readAll(path: string): Promise<XlsxRow[]> {
  const out: XlsxRow[] = [];
  for await (const r of readFirstSheet(path)) out.push(r);
  return out;
}
const texts = (r: XlsxRow): string[] => r.cells.map((c) => (c && c.t === 's' ? c.v : ''));

const NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"';
const REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';

function workbook(sheets: { name: string; file: string; state?: string }[], extra: Record<string, string> = {}): Buffer {
  return zipOf({
    'xl/workbook.xml': `<workbook ${NS}><sheets>${sheets.map((s, i) => `<sheet name="${s.name}" sheetId="${i + 1}"${s.state ? ` state="${s.state}"` : ''} r:id="rId${i + 1}"/>`).join('')}</sheets></workbook>`,
    'xl/_rels/workbook.xml.rels': `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">${sheets
      .map((s, i) => `<Relationship Id="rId${i + 1}" Type="${REL}/worksheet" Target="${s.file}"/>`)
      .join(
        '',
      )}<Relationship Id="rIdS" Type="${REL}/sharedStrings" Target="sharedStrings.xml"/><Relationship Id="rIdT" Type="${REL}/styles" Target="/xl/styles.xml"/></Relationships>`,
    ...extra,
  });
}

describe('xlsx-reader', () => {
  it.each(['shared', 'inline'] as const)('reads 3,000 rows of CJK text (%s strings) byte for byte, across inflate chunk boundaries', async (layout) => {
    const rows = Array.from({ length: 3000 }, (_, i) => [cjkText(i, 7 + (i % 13)), cjkText(i + 1e6, 40 + (i % 17)), ` ${cjkText(i + 2e6, 3)} `, `𠀀${i}𪚥`]);
    const path = join(dir, `${layout}.xlsx`);
    await writeXlsx(path, rows, layout);
    const back = await readAll(path);
    expect(back).toHaveLength(3000);
    expect(back.map((r) => r.rowNumber)).toEqual(rows.map((_, i) => i + 1));
    let mismatched = 0;
    back.forEach((r, i) => {
      if (JSON.stringify(texts(r)) !== JSON.stringify(rows[i])) mismatched++;
    });
    expect(mismatched).toBe(0);
    expect(back.some((r) => texts(r).join('').includes('\ufffd'))).toBe(false);
  });

  it('reads the first visible sheet in workbook order; rich text without phonetic runs; every cell type; date styles', async () => {
    const file = workbook(
      [
        { name: '隐藏', file: 'worksheets/sheet1.xml', state: 'hidden' },
        { name: '数据', file: 'worksheets/sheet3.xml' },
        { name: '其他', file: 'worksheets/sheet2.xml' },
      ],
      {
        'xl/sharedStrings.xml': `<sst ${NS}><si><t>甲</t></si><si><r><t>新乡市</t></r><r><rPr><b/></rPr><t xml:space="preserve">牧野区 </t></r><rPh sb="0" eb="1"><t>シン</t></rPh></si></sst>`,
        'xl/styles.xml': `<styleSheet ${NS}><numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy&quot;年&quot;m&quot;月&quot;d&quot;日&quot;"/></numFmts><cellStyleXfs count="1"><xf numFmtId="14"/></cellStyleXfs><cellXfs count="4"><xf numFmtId="0"/><xf numFmtId="164"/><xf numFmtId="14"/><xf numFmtId="49"/></cellXfs></styleSheet>`,
        'xl/worksheets/sheet1.xml': `<worksheet ${NS}><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c></row></sheetData></worksheet>`,
        'xl/worksheets/sheet2.xml': `<worksheet ${NS}><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c></row></sheetData></worksheet>`,
        'xl/worksheets/sheet3.xml': `<worksheet ${NS}><sheetData>
        <row r="3"><c r="B3" t="s"><v>1</v></c><c r="C3"><v>0.2</v></c><c r="D3" s="1"><v>45748</v></c><c r="E3" s="2"><v>45748</v></c><c r="F3" s="3"><v>12</v></c></row>
        <row r="5"><c r="A5" t="inlineStr"><is><r><t>𠀀</t></r><r><t>喆</t></r></is></c><c r="B5" t="str"><f>A1</f><v>公式结果</v></c><c r="C5" t="b"><v>1</v></c><c r="D5" t="e"><v>#N/A</v></c><c r="E5"><f>1/0</f></c><c r="AA5" t="s"><v>0</v></c></row>
      </sheetData></worksheet>`,
      },
    );
    const path = join(dir, 'types.xlsx');
    await writeFile(path, file);
    const rows = await readAll(path);
    expect(rows.map((r) => r.rowNumber)).toEqual([3, 5]);
    expect(rows[0]!.cells).toEqual([
      undefined,
      { t: 's', v: '新乡市牧野区 ' },
      { t: 'n', v: 0.2, date: false },
      { t: 'n', v: 45748, date: true },
      { t: 'n', v: 45748, date: true },
      { t: 'n', v: 12, date: false },
    ]);
    expect(rows[1]!.cells.slice(0, 5)).toEqual([{ t: 's', v: '𠀀喆' }, { t: 's', v: '公式结果' }, { t: 'b', v: true }, { t: 'e', v: '#N/A' }, undefined]);
    expect(rows[1]!.cells[26]).toEqual({ t: 's', v: '甲' });
  });

  it('stops early and closes the file; reports missing and broken parts as XlsxReadError', async () => {
    const path = join(dir, 'early.xlsx');
    await writeXlsx(
      path,
      Array.from({ length: 5000 }, (_, i) => [cjkText(i, 30)]),
      'shared',
    );
    const it1 = readFirstSheet(path);
    expect((await it1.next()).value).toMatchObject({ rowNumber: 1 });
    await it1.return();
    expect((await it1.next()).done).toBe(true);

    const noSheet = join(dir, 'nosheet.xlsx');
    await writeFile(noSheet, zipOf({ 'xl/workbook.xml': `<workbook ${NS}><sheets/></workbook>` }));
    await expect(readAll(noSheet)).rejects.toMatchObject({ reason: 'no-sheet' });
    const broken = join(dir, 'broken.xlsx');
    await writeFile(
      broken,
      workbook([{ name: 'a', file: 'worksheets/sheet1.xml' }], {
        'xl/worksheets/sheet1.xml': `<worksheet ${NS}><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>x</is></c></row>`,
      }),
    );
    await expect(readAll(broken)).rejects.toBeInstanceOf(XlsxReadError);
    // No entity expansion, no external entities: a DOCTYPE that declares them makes the part unreadable.
    const xxe = join(dir, 'xxe.xlsx');
    await writeFile(
      xxe,
      workbook([{ name: 'a', file: 'worksheets/sheet1.xml' }], {
        'xl/worksheets/sheet1.xml': `<!DOCTYPE w [<!ENTITY e SYSTEM "file:///etc/passwd">]><worksheet ${NS}><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&e;</t></is></c></row></sheetData></worksheet>`,
      }),
    );
    await expect(readAll(xxe)).rejects.toMatchObject({ reason: 'corrupt' });
  });

  it("undoes Excel's _xHHHH_ escapes (a pasted CRLF), and keeps an escaped literal _x…_", () => {
    expect(decodeXstring('第一行_x000D_\n第二行')).toBe('第一行\r\n第二行');
    expect(decodeXstring('_x005F_x000D_')).toBe('_x000D_');
    expect(decodeXstring('新乡_x')).toBe('新乡_x');
  });

  it('property: decodeXstring(encodeXstring(s)) === s', () => {
    const piece = fc.oneof(fc.constantFrom('_', 'x', '_x', '0041', '005F', '000D', '_x0041_', '_x005F_', '新乡'), fc.string({ maxLength: 3 }));
    fc.assert(
      fc.property(
        fc.array(piece, { maxLength: 12 }).map((a) => a.join('')),
        (s) => {
          expect(decodeXstring(encodeXstring(s))).toBe(s);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('column letters and date format codes', () => {
    expect(['A1', 'Z9', 'AA10', 'XFD1'].map(columnIndex)).toEqual([0, 25, 26, 16383]);
    expect(isDateFormatCode('yyyy/mm/dd')).toBe(true);
    expect(isDateFormatCode('[Red]0.00')).toBe(false);
    expect(isDateFormatCode('"年"0')).toBe(false);
    expect(isDateFormatCode('0.00')).toBe(false);
  });
});
