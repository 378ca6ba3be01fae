// Offline check of a 公共信用信息报告 — or, with --pdf alone, any PDF the portal signs (信用核查报告, 事前告知书) —
// against the platform's published SM2 keys (docs/report-signing.md):
//   npm run verify:report -- --qr 'XXCR1|…' (or 'XXCR2|…') [--pdf 报告.pdf] --keys credit-xinxiang-keys.json
//   npm run verify:report -- --pdf 信用核查报告.pdf --keys https://credit.example.gov.cn/.well-known/credit-xinxiang-keys.json
// --qr takes the QR code's text or the address it holds. --keys is the saved key list (no network needed) or its
// address. Exit status: 0 valid, 1 invalid, 2 wrong usage.
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import {
  DOCUMENT_KIND_TEXT,
  extractQrText,
  parsePublishedKeys,
  PROBLEM_TEXT,
  verifyPdf,
  verifyQr,
  type PublicKeyInfo,
} from '../src/features/reports/signing.js';

function usage(message: string): never {
  process.stderr.write(`${message}\n用法：npm run verify:report -- --qr '<二维码内容>' [--pdf 报告.pdf] --keys <公钥文件或网址>\n`);
  process.exit(2);
}

async function loadKeys(source: string): Promise<PublicKeyInfo[]> {
  const text = /^https?:\/\//.test(source) ? await (await fetch(source)).text() : await readFile(source, 'utf8');
  return parsePublishedKeys(JSON.parse(text));
}

export async function main(argv: string[]): Promise<number> {
  let values: { qr?: string | undefined; pdf?: string | undefined; keys?: string | undefined };
  try {
    ({ values } = parseArgs({ args: argv, options: { qr: { type: 'string' }, pdf: { type: 'string' }, keys: { type: 'string' } } }));
  } catch (err) {
    usage(`参数错误：${(err as Error).message}`);
  }
  if (!values.keys) usage('请用 --keys 指定本平台公布的公钥列表（/.well-known/credit-xinxiang-keys.json 的文件或网址）');
  if (!values.qr && !values.pdf) usage('请用 --qr 给出二维码内容，或用 --pdf 给出报告文件');
  let keys: PublicKeyInfo[];
  try {
    keys = await loadKeys(values.keys);
  } catch (err) {
    usage(`无法读取公钥列表 ${values.keys}：${(err as Error).message}`);
  }
  let ok = true;
  let issuedAt: Date | undefined;
  let reportNo: string | undefined;
  if (values.qr) {
    const text = extractQrText(values.qr);
    const r = text ? verifyQr(text, keys) : ({ ok: false, problem: 'format' } as const);
    if (r.ok) {
      issuedAt = r.fields.issuedAt;
      reportNo = r.fields.reportNo;
      process.stdout.write(
        `二维码核验通过：${DOCUMENT_KIND_TEXT[r.fields.kind]}，编号 ${r.fields.reportNo}，出具时间 ${r.fields.issuedAt.toISOString()}${r.fields.uscc ? `，统一社会信用代码 ${r.fields.uscc}` : ''}，密钥 ${r.key.keyId}，内容 SM3 ${r.fields.contentSm3}\n`,
      );
    } else {
      ok = false;
      process.stdout.write(`二维码核验未通过：${PROBLEM_TEXT[r.problem]}\n`);
    }
  }
  if (values.pdf) {
    let file: Buffer;
    try {
      file = await readFile(values.pdf);
    } catch (err) {
      usage(`无法读取文件 ${values.pdf}：${(err as Error).message}`);
    }
    const r = verifyPdf(file, keys, issuedAt);
    if (r.ok && reportNo && r.signature.reportNo !== reportNo) {
      ok = false;
      process.stdout.write(`文件核验未通过：文件的签名属于 ${r.signature.reportNo}，与二维码的编号 ${reportNo} 不一致\n`);
    } else if (r.ok) {
      process.stdout.write(
        `文件核验通过：${DOCUMENT_KIND_TEXT[r.signature.kind]}，编号 ${r.signature.reportNo}，密钥 ${r.key.keyId}，文件 SM3 ${r.signature.sm3}\n`,
      );
    } else {
      ok = false;
      process.stdout.write(`文件核验未通过：${PROBLEM_TEXT[r.problem]}\n`);
    }
  }
  return ok ? 0 : 1;
}

if (import.meta.url === `file://${process.argv[1]}`) process.exitCode = await main(process.argv.slice(2));
