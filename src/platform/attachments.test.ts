import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { identifyDocument } from './attachments.js';

const OLE = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
const ole = (stream: string) => Buffer.concat([OLE, Buffer.alloc(504), Buffer.from(stream, 'utf16le')]);

async function workbook(): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  wb.addWorksheet('a');
  return Buffer.from(await wb.xlsx.writeBuffer());
}

describe('identifyDocument: the extension names the type, the content must agree', () => {
  it('accepts what its extension says', async () => {
    expect(await identifyDocument('通知.PDF', Buffer.from('%PDF-1.7\n'))).toEqual({ mime: 'application/pdf' });
    expect(await identifyDocument('旧表.xls', ole('Workbook'))).toEqual({ mime: 'application/vnd.ms-excel' });
    expect(await identifyDocument('旧文档.doc', ole('WordDocument'))).toEqual({ mime: 'application/msword' });
    expect(await identifyDocument('表.xlsx', await workbook())).toEqual({ mime: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' });
    expect(await identifyDocument('包.zip', await workbook())).toEqual({ mime: 'application/zip' });
  });

  it('refuses a renamed file, an unknown type and an empty file, in Chinese', async () => {
    expect(await identifyDocument('表.docx', await workbook())).toEqual({ error: expect.stringContaining('内容不是Word 文档') });
    expect(await identifyDocument('旧文档.doc', ole('Workbook'))).toEqual({ error: expect.stringContaining('内容不是Word 文档') });
    expect(await identifyDocument('a.pdf', Buffer.from('<script>'))).toEqual({ error: expect.stringContaining('内容不是PDF') });
    expect(await identifyDocument('a.zip', Buffer.from('PK\x03\x04 truncated'))).toEqual({ error: expect.stringContaining('内容不是ZIP') });
    expect(await identifyDocument('a.html', Buffer.from('<html>'))).toEqual({ error: expect.stringContaining('类型不支持') });
    expect(await identifyDocument('noext', Buffer.from('%PDF-'))).toEqual({ error: expect.stringContaining('类型不支持') });
    expect(await identifyDocument('a.pdf', Buffer.alloc(0))).toEqual({ error: expect.stringContaining('空文件') });
  });
});
