import { open } from 'node:fs/promises';
import { crc32, deflateRawSync } from 'node:zlib';
import { encodeXstring } from '../../src/platform/xlsx-reader.js';

/**
 * Writes an XLSX the way the two office suites found in Chinese government offices do, without exceljs:
 * - 'shared': Excel — every text cell is an index into xl/sharedStrings.xml (<si><t>…</t></si>);
 * - 'inline': WPS and many department systems — text inline in the sheet (<c t="inlineStr"><is><t>…</t></is></c>).
 * Every cell is text. Parts are deflated one by one, so the sheet is held once as XML text while it is written.
 */
export type XlsxLayout = 'shared' | 'inline';

const esc = (s: string): string => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
/** Text as Excel writes it: XML-escaped, and a literal _xHHHH_ escaped as _x005F_xHHHH_. */
const tEl = (s: string): string => (s !== s.trim() ? `<t xml:space="preserve">${esc(encodeXstring(s))}</t>` : `<t>${esc(encodeXstring(s))}</t>`);

function col(i: number): string {
  let n = i + 1;
  let s = '';
  while (n > 0) {
    const m = (n - 1) % 26;
    s = String.fromCharCode(65 + m) + s;
    n = Math.floor((n - 1) / 26);
  }
  return s;
}

interface Part {
  name: string;
  crc: number;
  size: number;
  data: Buffer;
}

function part(name: string, xml: string | Buffer[]): Part {
  const chunks = typeof xml === 'string' ? [Buffer.from(xml, 'utf8')] : xml;
  let crc = 0;
  let size = 0;
  for (const c of chunks) {
    crc = crc32(c, crc);
    size += c.length;
  }
  return { name, crc, size, data: deflateRawSync(Buffer.concat(chunks), { level: 6 }) };
}

const HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';

export async function writeXlsx(path: string, rows: Iterable<readonly string[]>, layout: XlsxLayout): Promise<void> {
  const sst = new Map<string, number>();
  const sstList: string[] = [];
  const sheet: Buffer[] = [Buffer.from(`${HEAD}<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>`)];
  let pending: string[] = [];
  let pendingLen = 0;
  let r = 0;
  for (const row of rows) {
    r++;
    let x = `<row r="${r}">`;
    row.forEach((v, i) => {
      if (v === '') return;
      if (layout === 'inline') x += `<c r="${col(i)}${r}" t="inlineStr"><is>${tEl(v)}</is></c>`;
      else {
        let idx = sst.get(v);
        if (idx === undefined) {
          idx = sstList.length;
          sst.set(v, idx);
          sstList.push(v);
        }
        x += `<c r="${col(i)}${r}" t="s"><v>${idx}</v></c>`;
      }
    });
    pending.push(x + '</row>');
    pendingLen += x.length;
    if (pendingLen > 1 << 20) {
      sheet.push(Buffer.from(pending.join(''), 'utf8'));
      pending = [];
      pendingLen = 0;
    }
  }
  sheet.push(Buffer.from(pending.join('') + '</sheetData></worksheet>', 'utf8'));

  const parts: Part[] = [
    part(
      '[Content_Types].xml',
      `${HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>${layout === 'shared' ? '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>' : ''}</Types>`,
    ),
    part(
      '_rels/.rels',
      `${HEAD}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
    ),
    part(
      'xl/workbook.xml',
      `${HEAD}<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="行政处罚" sheetId="1" r:id="rId1"/></sheets></workbook>`,
    ),
    part(
      'xl/_rels/workbook.xml.rels',
      `${HEAD}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>${layout === 'shared' ? '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>' : ''}</Relationships>`,
    ),
    part('xl/worksheets/sheet1.xml', sheet),
  ];
  if (layout === 'shared') {
    const chunks: Buffer[] = [
      Buffer.from(`${HEAD}<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="${sstList.length}" uniqueCount="${sstList.length}">`),
    ];
    for (let i = 0; i < sstList.length; i += 10_000)
      chunks.push(
        Buffer.from(
          sstList
            .slice(i, i + 10_000)
            .map((s) => `<si>${tEl(s)}</si>`)
            .join(''),
          'utf8',
        ),
      );
    chunks.push(Buffer.from('</sst>'));
    parts.push(part('xl/sharedStrings.xml', chunks));
  }

  const fh = await open(path, 'w');
  try {
    const central: Buffer[] = [];
    let offset = 0;
    for (const p of parts) {
      const name = Buffer.from(p.name, 'utf8');
      const local = Buffer.alloc(30);
      local.writeUInt32LE(0x04034b50, 0);
      local.writeUInt16LE(20, 4);
      local.writeUInt16LE(0x0800, 6);
      local.writeUInt16LE(8, 8);
      local.writeUInt32LE(p.crc >>> 0, 14);
      local.writeUInt32LE(p.data.length, 18);
      local.writeUInt32LE(p.size, 22);
      local.writeUInt16LE(name.length, 26);
      const dir = Buffer.alloc(46);
      dir.writeUInt32LE(0x02014b50, 0);
      dir.writeUInt16LE(20, 4);
      dir.writeUInt16LE(20, 6);
      dir.writeUInt16LE(0x0800, 8);
      dir.writeUInt16LE(8, 10);
      dir.writeUInt32LE(p.crc >>> 0, 16);
      dir.writeUInt32LE(p.data.length, 20);
      dir.writeUInt32LE(p.size, 24);
      dir.writeUInt16LE(name.length, 28);
      dir.writeUInt32LE(offset, 42);
      await fh.write(Buffer.concat([local, name]));
      await fh.write(p.data);
      central.push(dir, name);
      offset += 30 + name.length + p.data.length;
    }
    const cd = Buffer.concat(central);
    const end = Buffer.alloc(22);
    end.writeUInt32LE(0x06054b50, 0);
    end.writeUInt16LE(parts.length, 8);
    end.writeUInt16LE(parts.length, 10);
    end.writeUInt32LE(cd.length, 12);
    end.writeUInt32LE(offset, 16);
    await fh.write(Buffer.concat([cd, end]));
  } finally {
    await fh.close();
  }
}

/** CJK text with non-BMP (𠀀 𪚥, CJK Ext. B) and rare BMP characters (堃 喆 䶮), deterministic from a seed. */
const POOL = [
  ...'新乡市牧野区红旗区卫滨区凤泉区获嘉县原阳县延津县封丘县长垣市卫辉市辉县市商贸有限公司食品药品监督管理局违法事实当事人销售过期食品罚款警告没收',
  '𠀀',
  '𪚥',
  '堃',
  '喆',
  '䶮',
  '𡈼',
  '𣲙',
  '𤆍',
  '鎔',
  '珺',
  '昇',
];
export function cjkText(seed: number, length: number): string {
  let x = (seed * 2654435761) >>> 0;
  let s = '';
  for (let i = 0; i < length; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    s += POOL[(x >>> 8) % POOL.length];
  }
  return s;
}
