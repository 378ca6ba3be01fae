import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { profileFixture } from '../src/features/reports/fixture.js';
import { contentSm3 } from '../src/features/reports/content.js';
import { renderReport } from '../src/features/reports/pdf.js';
import { sampleCheckPdf, sampleNoticePdf } from './sample-documents.js';
import {
  checkDocNo,
  newKeyPair,
  noticeDocNo,
  publishKeys,
  signDocumentQr,
  signPdf,
  signQr,
  type PublicKeyInfo,
  type SigningKey,
} from '../src/features/reports/signing.js';
import { main } from './verify-report.js';

const run = promisify(execFile);
const DAY = 86_400_000;

function key(keyId: string): { signing: SigningKey; info: PublicKeyInfo } {
  const pair = newKeyPair();
  return {
    signing: { keyId, ...pair },
    info: { keyId, publicKey: pair.publicKey, notBefore: new Date(Date.now() - DAY), notAfter: new Date(Date.now() + 700 * DAY), status: 'active' },
  };
}

const platform = key('K20261203PQRS');
const other = key('K20261203EVXY');
let dir: string;
let keysFile: string;
let pdfFile: string;
let qr: string;
let pdf: Buffer;
const reportNo = 'XXCR20261203K7M2Q9TA';

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'verify-report-'));
  const profile = profileFixture({ permits: 2, penalties: 2 });
  const issuedAt = new Date(Math.floor(Date.now() / 1000) * 1000);
  qr = signQr({ reportNo, issuedAt, uscc: profile.subject.uscc, keyId: platform.signing.keyId, contentSm3: contentSm3(profile) }, platform.signing);
  const url = `https://credit.example.gov.cn/reports/verify?qr=${encodeURIComponent(qr)}`;
  pdf = signPdf(
    await renderReport(profile, { reportNo, issuedAt, verifyUrl: `https://credit.example.gov.cn/reports/${reportNo}`, qrText: url }),
    reportNo,
    platform.signing,
  );
  keysFile = path.join(dir, 'keys.json');
  await writeFile(keysFile, JSON.stringify(publishKeys('信用新乡', [platform.info])));
  pdfFile = path.join(dir, 'report.pdf');
  await writeFile(pdfFile, pdf);
  vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
}, 60_000);
afterAll(async () => {
  vi.restoreAllMocks();
  await rm(dir, { recursive: true, force: true });
});

async function withFile(name: string, data: Buffer | string): Promise<string> {
  const f = path.join(dir, name);
  await writeFile(f, data);
  return f;
}

describe('npm run verify:report', () => {
  it('passes the issued QR text and file with the published keys file', async () => {
    expect(await main(['--qr', qr, '--pdf', pdfFile, '--keys', keysFile])).toBe(0);
    expect(await main(['--qr', `https://credit.example.gov.cn/reports/verify?qr=${encodeURIComponent(qr)}`, '--keys', keysFile])).toBe(0);
    expect(await main(['--pdf', pdfFile, '--keys', keysFile])).toBe(0);
  });

  it('fails a file with one byte changed — in the page content, in the QR image, in the trailer — or a byte cut off', async () => {
    for (const at of [200, Math.floor(pdf.length / 2), pdf.length - 20]) {
      const copy = Buffer.from(pdf);
      copy[at] = copy[at]! ^ 0x01;
      expect(await main(['--pdf', await withFile(`t${at}.pdf`, copy), '--keys', keysFile]), `byte ${at}`).toBe(1);
    }
    expect(await main(['--pdf', await withFile('cut.pdf', pdf.subarray(0, pdf.length - 1)), '--keys', keysFile])).toBe(1);
  });

  it('fails a QR text with one field changed', async () => {
    const parts = qr.split('|');
    for (const i of [1, 2, 3, 4, 5]) {
      const changed = parts.map((p, j) => (j === i ? (i === 2 ? '2026-01-01T00:00:00Z' : p.slice(0, -1) + (p.endsWith('0') ? '1' : '0')) : p)).join('|');
      expect(await main(['--qr', changed, '--keys', keysFile]), `field ${i}`).toBe(1);
    }
  });

  it('fails when signed by another key, even one published under the platform key’s id', async () => {
    const forgedKeys = await withFile('forged.json', JSON.stringify(publishKeys('信用新乡', [{ ...other.info, keyId: platform.info.keyId }])));
    expect(await main(['--qr', qr, '--pdf', pdfFile, '--keys', forgedKeys])).toBe(1);
    const byOther = signPdf(pdf.subarray(0, pdf.lastIndexOf('%XXCR-SIG1')), reportNo, other.signing);
    expect(await main(['--pdf', await withFile('other.pdf', byOther), '--keys', keysFile])).toBe(1);
  });

  it('checks the 信用核查报告 and the 事前告知书 with --pdf alone: valid, one byte changed, another key', async () => {
    const check = await sampleCheckPdf();
    const notice = await sampleNoticePdf();
    for (const [name, unsigned, no, kind] of [
      ['check', check, checkDocNo(42), '信用核查报告'],
      ['notice', notice, noticeDocNo(7), '事前告知书'],
    ] as const) {
      const signed = signPdf(unsigned, no, platform.signing);
      const out = vi.mocked(process.stdout.write);
      out.mockClear();
      expect(await main(['--pdf', await withFile(`${name}.pdf`, signed), '--keys', keysFile]), name).toBe(0);
      expect(String(out.mock.calls[0]?.[0])).toContain(`文件核验通过：${kind}，编号 ${no}`);
      const copy = Buffer.from(signed);
      copy[Math.floor(unsigned.length / 2)] = copy[Math.floor(unsigned.length / 2)]! ^ 0x01;
      expect(await main(['--pdf', await withFile(`${name}-bad.pdf`, copy), '--keys', keysFile]), `${name} altered`).toBe(1);
      const byOther = signPdf(unsigned, no, other.signing);
      expect(await main(['--pdf', await withFile(`${name}-other.pdf`, byOther), '--keys', keysFile]), `${name} other key`).toBe(1);
      // a report's QR text does not vouch for another document's file
      expect(await main(['--qr', qr, '--pdf', await withFile(`${name}.pdf`, signed), '--keys', keysFile]), `${name} with a QR`).toBe(1);
      // the document's own XXCR2 code does, and names its kind; one changed field of it fails
      const own = signDocumentQr({ docNo: no, issuedAt: new Date(Math.floor(Date.now() / 1000) * 1000), contentSm3: 'a'.repeat(64) }, platform.signing);
      out.mockClear();
      expect(await main(['--qr', own, '--pdf', await withFile(`${name}.pdf`, signed), '--keys', keysFile]), `${name} with its QR`).toBe(0);
      expect(String(out.mock.calls[0]?.[0])).toContain(`二维码核验通过：${kind}，编号 ${no}`);
      expect(await main(['--qr', own.replace('a'.repeat(64), 'b'.repeat(64)), '--keys', keysFile]), `${name} QR changed`).toBe(1);
    }
  }, 60_000);

  it('runs as a command: exit status 0 valid, 1 invalid, 2 wrong usage', async () => {
    const cmd = (args: string[]) =>
      run(process.execPath, ['--import', 'tsx', 'scripts/verify-report.ts', ...args], { cwd: path.resolve(import.meta.dirname, '..') });
    const ok = await cmd(['--qr', qr, '--pdf', pdfFile, '--keys', keysFile]);
    expect(ok.stdout).toContain('二维码核验通过');
    expect(ok.stdout).toContain('文件核验通过');
    const copy = Buffer.from(pdf);
    copy[300] = copy[300]! ^ 0x01;
    await expect(cmd(['--pdf', await withFile('bad.pdf', copy), '--keys', keysFile])).rejects.toMatchObject({
      code: 1,
      stdout: expect.stringContaining('文件核验未通过'),
    });
    await expect(cmd(['--qr', qr])).rejects.toMatchObject({ code: 2 });
  }, 60_000);
});
