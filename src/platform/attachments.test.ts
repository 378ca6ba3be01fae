import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { containerOf, identifyDocument, sniffType } from './attachments.js';

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

describe('sniffType and containerOf (file-type): by content, whatever the name', () => {
  const PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');
  it('types PDF, PNG and JPEG attachments and refuses anything else', async () => {
    expect(await sniffType(Buffer.from('%PDF-1.7\n'))).toBe('application/pdf');
    expect(await sniffType(PNG)).toBe('image/png');
    expect(await sniffType(Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 0x4a, 0x46, 0x49, 0x46, 0]))).toBe('image/jpeg');
    expect(await sniffType(Buffer.from('MZ\x90\x00\x03\x00\x00\x00'))).toBeNull();
    expect(await sniffType(Buffer.from('<html><script>'))).toBeNull();
    expect(await sniffType(await workbook())).toBeNull();
  });
  it('tells ZIP (an XLSX too) and OLE2 containers from text, which has no signature', async () => {
    expect(await containerOf(await workbook())).toBe('zip');
    expect(await containerOf(Buffer.from('PK\x03\x04 truncated'))).toBe('zip');
    expect(await containerOf(ole('Workbook'))).toBe('ole');
    expect(await containerOf(Buffer.from('名称,代码\r\n甲,1\r\n'))).toBeNull();
    expect(await containerOf(Buffer.from('%PDF-1.7\n'))).toBeNull();
  });
});
