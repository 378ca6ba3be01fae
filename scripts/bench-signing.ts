/**
 * npx tsx scripts/bench-signing.ts [--records 200] [--codes 500] [--runs 30]
 *
 * What SM2/SM3 signing adds to a 公共信用信息报告 (docs/report-signing.md), without a database: the content hash, the
 * QR signature, the file's trailer signature, and the checks a verifier runs (QR text; file with OpenSSL's SM3 as the
 * server and the script do; file with sm-crypto's JavaScript SM3 as the offline page does). Prints p50/p95 of the
 * process's CPU time (the figure to compare on a busy machine) and the load average. The same file signature and check
 * for a 信用核查报告 of --codes codes and for a 事前告知书.
 */
import os from 'node:os';
import { parseArgs } from 'node:util';
import { contentSm3 } from '../src/features/reports/content.js';
import { profileFixture } from '../src/features/reports/fixture.js';
import { renderReport } from '../src/features/reports/pdf.js';
import { renderCheckPdf } from '../src/features/credit-check/pdf.js';
import { sampleNoticePdf } from './sample-documents.js';
import { checkDocNo, newKeyPair, noticeDocNo, signPdf, signQr, sm3Js, verifyPdf, verifyQr, type PublicKeyInfo } from '../src/features/reports/signing.js';

const { values } = parseArgs({
  options: { records: { type: 'string', default: '200' }, codes: { type: 'string', default: '500' }, runs: { type: 'string', default: '30' } },
});
const records = Number(values.records);
const runs = Number(values.runs);

const profile = profileFixture({ permits: Math.floor(records / 2), penalties: Math.ceil(records / 2) });
const pair = newKeyPair();
const key = { keyId: 'K20261203BNCH', ...pair };
const info: PublicKeyInfo = {
  keyId: key.keyId,
  publicKey: pair.publicKey,
  notBefore: new Date(0),
  notAfter: new Date(Date.now() + 86_400_000),
  status: 'active',
};
const reportNo = 'XXCR20261203K7M2Q9TA';
const issuedAt = new Date(Math.floor(Date.now() / 1000) * 1000);
const fields = { reportNo, issuedAt, uscc: profile.subject.uscc, keyId: key.keyId, contentSm3: contentSm3(profile) };
const qr = signQr(fields, key);
const pdf = await renderReport(profile, { reportNo, issuedAt, verifyUrl: 'https://credit.example.gov.cn/reports/' + reportNo, qrText: qr });
const signed = signPdf(pdf, reportNo, key);

// a check where every code has one serious penalty: the longest page per code the check prints
const check = await renderCheckPdf(
  { id: 42, createdAt: issuedAt, purpose: '招投标', department: null },
  {
    rows: Array.from({ length: Number(values.codes) }, (_, i) => ({
      code: profile.subject.uscc,
      name: `新乡市测试企业${i}有限公司`,
      found: true,
      black: [],
      red: [],
      seriousPenalties: [{ documentNo: `新市监罚〔2026〕${i + 1}号`, decisionDate: '2026-01-02', authority: '新乡市市场监督管理局', summary: '严重失信' }],
      measures: [],
    })),
    invalid: [],
  },
);
const checkSigned = signPdf(check, checkDocNo(42), key);
const notice = await sampleNoticePdf(profile.subject.uscc);
const noticeSigned = signPdf(notice, noticeDocNo(7), key);

function cpu(f: () => unknown): { p50: number; p95: number } {
  for (let i = 0; i < 3; i++) f();
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = process.cpuUsage();
    f();
    const d = process.cpuUsage(t);
    ms.push((d.user + d.system) / 1000);
  }
  ms.sort((a, b) => a - b);
  return { p50: ms[Math.floor(runs / 2)]!, p95: ms[Math.min(runs - 1, Math.ceil(0.95 * runs) - 1)]! };
}

const rows: [string, () => unknown][] = [
  ['content SM3 (canonical JSON)', () => contentSm3(profile)],
  ['QR signature (SM2 sign)', () => signQr(fields, key)],
  ['file trailer signature (SM3 + SM2 sign)', () => signPdf(pdf, reportNo, key)],
  ['QR check (SM2 verify)', () => verifyQr(qr, [info])],
  ['file check, OpenSSL SM3 (server, script)', () => verifyPdf(signed, [info])],
  ['file SM3 in sm-crypto JavaScript (offline page)', () => sm3Js(signed)],
  [`信用核查报告 (${check.length} bytes): file signature`, () => signPdf(check, checkDocNo(42), key)],
  ['信用核查报告: file check', () => verifyPdf(checkSigned, [info])],
  [`事前告知书 (${notice.length} bytes): file signature`, () => signPdf(notice, noticeDocNo(7), key)],
  ['事前告知书: file check', () => verifyPdf(noticeSigned, [info])],
];
console.log(
  `records ${records}, file ${signed.length} bytes, QR text ${qr.length} chars, runs ${runs}, load average ${os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`,
);
for (const [name, f] of rows) {
  const r = cpu(f);
  console.log(`${name.padEnd(50)} CPU p50 ${r.p50.toFixed(1)} ms  p95 ${r.p95.toFixed(1)} ms`);
}
