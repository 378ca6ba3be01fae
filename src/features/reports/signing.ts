/**
 * 国密 signatures of the portal's reports (SM2 over SM3, GB/T 32918 / GB/T 32905): the formats and the checks, with no
 * database and no key storage, so the server, the `verify:report` script and the tests share one implementation
 * (public/js/report-verify.js re-implements the same steps in the browser). docs/report-signing.md is the specification.
 */
import { createHash, getHashes } from 'node:crypto';
import smCrypto from 'sm-crypto';

const { sm2, sm3 } = smCrypto;

/** GB/T 32918.2 default distinguishing identifier, part of Z_A: a verifier must use the same one. */
export const SM2_USER_ID = '1234567812345678';
/** The credit report's QR format: its 统一社会信用代码 is a field of its own. */
export const QR_PREFIX = 'XXCR1';
/**
 * Every other document's QR format (信用核查报告, 事前告知书): no subject field, since a check names many subjects and a
 * notice to a person carries a masked number; the kind is the number's prefix (documentKind), the subject is in the
 * content hash and the register.
 */
export const DOC_QR_PREFIX = 'XXCR2';
export const PDF_SIG_PREFIX = 'XXCR-SIG1';
/** The trailer line appended after the PDF's %%EOF: a PDF comment, so readers ignore it. */
const TRAILER_START = `%${PDF_SIG_PREFIX}|`;

export const REPORT_NO_RE = /^XXCR\d{8}[0-9A-HJKMNP-TV-Z]{8}$/;
/** 信用核查报告: XXCC + the check run's id, zero-padded to 8 digits, as printed on the report. */
export const CHECK_NO_RE = /^XXCC\d{8,}$/;
/** 事前告知书: XXPN + the nomination's id, zero-padded to 8 digits (the notice's own number is free Chinese text). */
export const NOTICE_NO_RE = /^XXPN\d{8,}$/;

export type DocumentKind = 'credit-report' | 'credit-check' | 'prior-notice';

export const DOCUMENT_KIND_TEXT: Record<DocumentKind, string> = {
  'credit-report': '公共信用信息报告',
  'credit-check': '信用核查报告',
  'prior-notice': '事前告知书',
};

/** The kind of document a file-signature number names; null for anything else. The prefix is the kind, so trailers made before other documents were signed read the same. */
export function documentKind(docNo: string): DocumentKind | null {
  if (REPORT_NO_RE.test(docNo)) return 'credit-report';
  if (CHECK_NO_RE.test(docNo)) return 'credit-check';
  if (NOTICE_NO_RE.test(docNo)) return 'prior-notice';
  return null;
}

export function checkDocNo(runId: number): string {
  return `XXCC${String(runId).padStart(8, '0')}`;
}

export function noticeDocNo(nominationId: number): string {
  return `XXPN${String(nominationId).padStart(8, '0')}`;
}
const KEY_ID_RE = /^K\d{8}[0-9A-HJKMNP-TV-Z]{4}$/;
const USCC_RE = /^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$/;
const ISSUED_AT_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;
const HEX64_RE = /^[0-9a-f]{64}$/;
const SIG_RE = /^[A-Za-z0-9_-]{86}$/;

export interface PublicKeyInfo {
  keyId: string;
  /** uncompressed point, 130 hex digits starting 04 */
  publicKey: string;
  notBefore: Date;
  notAfter: Date;
  /** active: signs now; retired: verify-only after a rotation; revoked: signatures no longer accepted */
  status: 'active' | 'retired' | 'revoked';
}

export interface SigningKey {
  keyId: string;
  publicKey: string;
  privateKey: string;
}

const encoder = new TextEncoder();

/** OpenSSL's SM3 hashes a report file far faster than sm-crypto's JavaScript (docs/performance.md); same digest. */
const nativeSm3 = getHashes().includes('sm3');

/** SM3 of bytes, lower-case hex. Strings are encoded here: sm-crypto's own UTF-8 encoder mangles 4-byte characters. */
export function sm3Hex(data: Uint8Array | string): string {
  const bytes = typeof data === 'string' ? encoder.encode(data) : data;
  return nativeSm3 ? createHash('sm3').update(bytes).digest('hex') : sm3Js(bytes);
}

/** sm-crypto's SM3, which the offline page runs in the browser: kept callable so the tests hold the two to one digest. */
export function sm3Js(data: Uint8Array): string {
  return sm3(data);
}

export function newKeyPair(): { publicKey: string; privateKey: string } {
  const { publicKey, privateKey } = sm2.generateKeyPairHex();
  return { publicKey, privateKey };
}

function hexToBase64url(hex: string): string {
  return Buffer.from(hex, 'hex').toString('base64url');
}

function base64urlToHex(b64: string): string {
  return Buffer.from(b64, 'base64url').toString('hex');
}

/** SM2 signature (r‖s, 64 bytes, base64url) of the UTF-8 bytes of `message`, with Z_A over SM2_USER_ID. */
export function signText(message: string, key: SigningKey): string {
  const hex = sm2.doSignature(encoder.encode(message), key.privateKey, { hash: true, der: false, publicKey: key.publicKey, userId: SM2_USER_ID });
  return hexToBase64url(hex);
}

export function verifyText(message: string, signature: string, publicKey: string): boolean {
  if (!SIG_RE.test(signature)) return false;
  try {
    return sm2.doVerifySignature(encoder.encode(message), base64urlToHex(signature), publicKey, { hash: true, der: false, userId: SM2_USER_ID });
  } catch {
    return false;
  }
}

/** Second-resolution UTC time as printed in the QR code: 2026-12-03T07:45:12Z. */
export function qrTime(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export interface QrFields {
  /** the document's number: 报告编号 (XXCR…), or XXCC…/XXPN… in an XXCR2 text */
  reportNo: string;
  kind: DocumentKind;
  issuedAt: Date;
  /** the credit report's subject (XXCR1 only) */
  uscc?: string;
  keyId: string;
  /** SM3 (hex) of the report's canonical content (canonicalContent) */
  contentSm3: string;
}

/** XXCR1|报告编号|出具时间|统一社会信用代码|密钥编号|内容SM3|签名 — the signature covers everything before its own '|'. */
export function signQr(fields: { reportNo: string; issuedAt: Date; uscc: string; keyId?: string; contentSm3: string }, key: SigningKey): string {
  const body = [QR_PREFIX, fields.reportNo, qrTime(fields.issuedAt), fields.uscc, key.keyId, fields.contentSm3].join('|');
  return `${body}|${signText(body, key)}`;
}

/** XXCR2|文件编号|出具时间|密钥编号|内容SM3|签名 — for the 信用核查报告 and the 事前告知书 (any documentKind number). */
export function signDocumentQr(fields: { docNo: string; issuedAt: Date; contentSm3: string }, key: SigningKey): string {
  // a number the verifiers would reject would make a code that can never verify
  if (!documentKind(fields.docNo)) throw new Error(`not a document number: ${fields.docNo}`);
  if (!HEX64_RE.test(fields.contentSm3)) throw new Error('content hash must be 64 lower-case hex digits');
  const body = [DOC_QR_PREFIX, fields.docNo, qrTime(fields.issuedAt), key.keyId, fields.contentSm3].join('|');
  return `${body}|${signText(body, key)}`;
}

/**
 * What a QR code (or the address it holds, …/reports/verify?qr=…) carries: the signed text, or null when the input
 * holds none. Spaces and line breaks a scanner app or a paste adds are dropped.
 */
export function extractQrText(input: string): string | null {
  let s = input.trim();
  const inUrl = /[?&#]qr=([^&#\s]+)/.exec(s);
  if (inUrl) {
    try {
      s = decodeURIComponent(inUrl[1]!.replace(/\+/g, ' '));
    } catch {
      return null;
    }
  }
  s = s.replace(/\s+/g, '');
  return s.startsWith(`${QR_PREFIX}|`) || s.startsWith(`${DOC_QR_PREFIX}|`) ? s : null;
}

export type VerifyProblem = 'format' | 'unknown-key' | 'revoked-key' | 'outside-validity' | 'bad-signature' | 'content-mismatch' | 'no-signature';

export type QrVerification = { ok: true; fields: QrFields; key: PublicKeyInfo } | { ok: false; problem: VerifyProblem; fields?: QrFields; key?: PublicKeyInfo };

export const PROBLEM_TEXT: Record<VerifyProblem, string> = {
  format: '二维码内容格式不正确，不是本平台报告的核验码',
  'unknown-key': '签名所用的密钥不在本平台公布的公钥列表中',
  'revoked-key': '签名所用的密钥已被吊销，签名不再有效',
  'outside-validity': '报告的出具时间不在签名密钥的有效期内',
  'bad-signature': '签名与内容不符：核验码或文件被修改过，或不是由本平台签发',
  'content-mismatch': '文件内容与签名记录的摘要不一致：文件被修改过',
  'no-signature': '文件末尾没有本平台的签名（不是本平台出具的已签名报告，或签名被删除）',
};

function checkKey(keys: readonly PublicKeyInfo[], keyId: string, at: Date): { key?: PublicKeyInfo; problem?: VerifyProblem } {
  const key = keys.find((k) => k.keyId === keyId);
  if (!key) return { problem: 'unknown-key' };
  if (key.status === 'revoked') return { problem: 'revoked-key', key };
  if (at.getTime() < key.notBefore.getTime() || at.getTime() > key.notAfter.getTime()) return { problem: 'outside-validity', key };
  return { key };
}

/**
 * Checks a QR text against the published public keys only: no database, no network. XXCR1 (credit reports, 7 fields)
 * and XXCR2 (any document, 6 fields, the kind from the number's prefix); the signature covers every field before it.
 */
export function verifyQr(text: string, keys: readonly PublicKeyInfo[]): QrVerification {
  const parts = text.split('|');
  let fields: QrFields;
  if (parts[0] === QR_PREFIX && parts.length === 7) {
    const [, reportNo, issued, uscc, keyId, contentSm3] = parts as [string, string, string, string, string, string, string];
    if (!REPORT_NO_RE.test(reportNo) || !USCC_RE.test(uscc)) return { ok: false, problem: 'format' };
    fields = { reportNo, kind: 'credit-report', issuedAt: new Date(issued), uscc, keyId, contentSm3 };
  } else if (parts[0] === DOC_QR_PREFIX && parts.length === 6) {
    const [, docNo, issued, keyId, contentSm3] = parts as [string, string, string, string, string, string];
    const kind = documentKind(docNo);
    if (!kind) return { ok: false, problem: 'format' };
    fields = { reportNo: docNo, kind, issuedAt: new Date(issued), keyId, contentSm3 };
  } else return { ok: false, problem: 'format' };
  const issued = parts[2]!;
  const sig = parts[parts.length - 1]!;
  if (!ISSUED_AT_RE.test(issued) || !KEY_ID_RE.test(fields.keyId) || !HEX64_RE.test(fields.contentSm3) || !SIG_RE.test(sig))
    return { ok: false, problem: 'format' };
  if (Number.isNaN(fields.issuedAt.getTime())) return { ok: false, problem: 'format' };
  const { key, problem } = checkKey(keys, fields.keyId, fields.issuedAt);
  if (problem || !key) return { ok: false, problem: problem ?? 'unknown-key', fields, ...(key ? { key } : {}) };
  const body = parts.slice(0, -1).join('|');
  if (!verifyText(body, sig, key.publicKey)) return { ok: false, problem: 'bad-signature', fields, key };
  return { ok: true, fields, key };
}

// ---- the signature of the PDF file itself ----

/** Appends `%XXCR-SIG1|文件编号|密钥编号|SM3(前面全部字节)|签名\n` after the PDF's last byte. */
export function signPdf(pdf: Uint8Array, reportNo: string, key: SigningKey): Buffer {
  // a number the verifiers would reject would make a file that can never verify
  if (!documentKind(reportNo)) throw new Error(`not a document number: ${reportNo}`);
  const body = [PDF_SIG_PREFIX, reportNo, key.keyId, sm3Hex(pdf)].join('|');
  const trailer = `${pdf[pdf.length - 1] === 0x0a ? '' : '\n'}%${body}|${signText(body, key)}\n`;
  return Buffer.concat([pdf, Buffer.from(trailer, 'latin1')]);
}

export interface PdfSignature {
  /** the document's number: 报告编号 (XXCR…), 信用核查报告 (XXCC…) or 事前告知书 (XXPN…) */
  reportNo: string;
  kind: DocumentKind;
  keyId: string;
  sm3: string;
  signature: string;
  /** the bytes the signature covers */
  signedLength: number;
}

/** The trailer of a signed PDF; null when the file does not end with exactly one well-formed trailer line. */
export function readPdfSignature(file: Uint8Array): PdfSignature | null {
  // The trailer is ASCII and short: only the file's last bytes need decoding.
  const tailStart = Math.max(0, file.length - 400);
  const tail = Buffer.from(file.buffer, file.byteOffset + tailStart, file.length - tailStart).toString('latin1');
  const at = tail.lastIndexOf(TRAILER_START);
  if (at < 0 || !tail.endsWith('\n')) return null;
  const line = tail.slice(at + 1, -1);
  const parts = line.split('|');
  if (parts.length !== 5) return null;
  const [, reportNo, keyId, sm3, signature] = parts as [string, string, string, string, string];
  const kind = documentKind(reportNo);
  if (!kind || !KEY_ID_RE.test(keyId) || !HEX64_RE.test(sm3) || !SIG_RE.test(signature)) return null;
  return { reportNo, kind, keyId, sm3, signature, signedLength: tailStart + at };
}

export type PdfVerification =
  { ok: true; signature: PdfSignature; key: PublicKeyInfo } | { ok: false; problem: VerifyProblem; signature?: PdfSignature; key?: PublicKeyInfo };

/**
 * Checks a downloaded report file offline: the trailer's signature by a published key, and the SM3 of every byte
 * before the trailer. `issuedAt` (from the report's QR text, when the verifier has it) is checked against the key's
 * validity; without it, the key must simply not be revoked.
 */
export function verifyPdf(file: Uint8Array, keys: readonly PublicKeyInfo[], issuedAt?: Date): PdfVerification {
  const signature = readPdfSignature(file);
  if (!signature) return { ok: false, problem: 'no-signature' };
  const key = keys.find((k) => k.keyId === signature.keyId);
  if (!key) return { ok: false, problem: 'unknown-key', signature };
  if (key.status === 'revoked') return { ok: false, problem: 'revoked-key', signature, key };
  if (issuedAt) {
    const { problem } = checkKey(keys, signature.keyId, issuedAt);
    if (problem) return { ok: false, problem, signature, key };
  }
  // the hash first: it is cheap, and an altered file fails here without an SM2 verification
  if (sm3Hex(file.subarray(0, signature.signedLength)) !== signature.sm3) return { ok: false, problem: 'content-mismatch', signature, key };
  const body = [PDF_SIG_PREFIX, signature.reportNo, signature.keyId, signature.sm3].join('|');
  if (!verifyText(body, signature.signature, key.publicKey)) return { ok: false, problem: 'bad-signature', signature, key };
  return { ok: true, signature, key };
}

// ---- the published key list ----

export interface PublishedKeys {
  issuer: string;
  algorithm: 'SM2-SM3';
  userId: string;
  keys: { keyId: string; publicKey: string; notBefore: string; notAfter: string; status: PublicKeyInfo['status'] }[];
}

export function publishKeys(issuer: string, keys: readonly PublicKeyInfo[]): PublishedKeys {
  return {
    issuer,
    algorithm: 'SM2-SM3',
    userId: SM2_USER_ID,
    keys: keys.map((k) => ({
      keyId: k.keyId,
      publicKey: k.publicKey,
      notBefore: k.notBefore.toISOString(),
      notAfter: k.notAfter.toISOString(),
      status: k.status,
    })),
  };
}

/** The key list as published at /.well-known/credit-xinxiang-keys.json; throws on anything else. */
export function parsePublishedKeys(json: unknown): PublicKeyInfo[] {
  const list = (json as { keys?: unknown } | null)?.keys;
  if (!Array.isArray(list)) throw new Error('公钥文件格式不正确：缺少 keys 数组');
  return list.map((k: Record<string, unknown>) => {
    const notBefore = new Date(String(k.notBefore));
    const notAfter = new Date(String(k.notAfter));
    const status = k.status;
    if (
      typeof k.keyId !== 'string' ||
      typeof k.publicKey !== 'string' ||
      !/^04[0-9a-f]{128}$/i.test(k.publicKey) ||
      Number.isNaN(notBefore.getTime()) ||
      Number.isNaN(notAfter.getTime()) ||
      (status !== 'active' && status !== 'retired' && status !== 'revoked')
    )
      throw new Error(`公钥文件格式不正确：${JSON.stringify(k).slice(0, 120)}`);
    return { keyId: k.keyId, publicKey: k.publicKey.toLowerCase(), notBefore, notAfter, status };
  });
}
