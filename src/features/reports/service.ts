import { createHash, randomBytes } from 'node:crypto';
import type { ReportRepository } from './repository.js';
import type { ProfileService } from '../subjects/profile.js';
import type { AccessLogService } from '../access-log/service.js';
import { renderReport } from './pdf.js';
import { beijingToday, compactDay } from '../../domain/dates.js';
import type { ReportKeys } from './keys.js';
import { contentSm3 } from './content.js';
import { signDocumentQr, signPdf, signQr, sm3Hex, verifyQr, extractQrText, documentKind, type QrVerification } from './signing.js';
import type { DocumentQr } from './pdf.js';
export { PROBLEM_TEXT } from './signing.js';

/** Crockford's base32 (no I, L, O, U): 32 symbols, so one random byte's low five bits pick one without bias. */
const NO_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const NO_PREFIX = 'XXCR';
/** XXCR + the Beijing issue day + 8 random symbols (40 bits), e.g. XXCR20261127K7M2Q9TA. */
export const REPORT_NO_PATTERN = /^XXCR\d{8}[0-9A-HJKMNP-TV-Z]{8}$/;

const MAX_ATTEMPTS = 5;

export function sha256Hex(data: Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

export function newReportNo(issuedAt: Date): string {
  const bytes = randomBytes(8);
  let tail = '';
  for (const b of bytes) tail += NO_ALPHABET[b & 31];
  return `${NO_PREFIX}${compactDay(beijingToday(issuedAt))}${tail}`;
}

/** A typed-in report number, cleaned up (spaces, lower case); null when it cannot be one of ours. */
export function normaliseReportNo(input: string): string | null {
  const v = input.replace(/\s+/g, '').toUpperCase();
  return REPORT_NO_PATTERN.test(v) ? v : null;
}

export interface IssuedReport {
  reportNo: string;
  pdf: Buffer;
  sha256: string;
  subjectName: string;
  issuedAt: Date;
  /** the signed text the QR code carries (docs/report-signing.md) */
  qrText: string;
}

/** Where the verification page sends a scanned QR code: the signed text travels in the query. */
export function qrUrl(baseUrl: string, qrText: string): string {
  return `${baseUrl.replace(/\/+$/, '')}/reports/verify?qr=${encodeURIComponent(qrText)}`;
}

export interface ReportUsage {
  from: string;
  to: string;
  total: number;
  /** every day of the range, Beijing time, with zeros */
  perDay: { day: string; count: number }[];
  /** most-reported subjects first */
  perSubject: { legalPersonId: number; uscc: string; subjectName: string; count: number }[];
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const MAX_USAGE_DAYS = 3660;

function isUniqueViolation(err: unknown): boolean {
  return (err as { code?: unknown } | null)?.code === 'P2002';
}

/**
 * 公共信用信息报告: issues a subject's report as a PDF, keeps a record of every issue (number, subject, time,
 * the file's SHA-256 and size, the requester's IP) so anyone holding a report can check it against the
 * platform, and counts issues for the statistics (信用报告使用量).
 */
export class ReportService {
  constructor(
    private readonly repo: ReportRepository,
    private readonly profiles: ProfileService,
    /** 条例 Art. 40: the report states who used the information; issuing one is itself a use */
    private readonly access?: AccessLogService,
    /** SM2 keys; without them (unit tests of other features) reports are issued unsigned */
    readonly keys?: ReportKeys,
  ) {}

  /**
   * Renders and records a report; null when no legal person has this USCC. `baseUrl` (scheme and host, no
   * trailing slash) makes the verification address printed on the report and in its QR code.
   */
  async issue(uscc: string, ip: string | null, opts: { baseUrl: string }): Promise<IssuedReport | null> {
    const profile = await this.profiles.byUscc(uscc, { full: true });
    if (!profile) return null;
    const usage = this.access ? await this.access.usage(profile.subject.id) : undefined;
    await this.access?.report(profile.subject.uscc);
    const content = contentSm3(profile);
    const key = this.keys ? await this.keys.signingKey() : null;
    for (let attempt = 1; ; attempt++) {
      // Second resolution: the QR code carries the time as text, and the register must hold the same instant.
      const issuedAt = new Date(Math.floor(Date.now() / 1000) * 1000);
      const reportNo = newReportNo(issuedAt);
      const base = opts.baseUrl.replace(/\/+$/, '');
      const qrText = key ? signQr({ reportNo, issuedAt, uscc: profile.subject.uscc, keyId: key.keyId, contentSm3: content }, key) : '';
      // The number is printed in the file, so a clash (40 random bits a day: practically never) means a new render.
      const rendered = await renderReport(profile, {
        reportNo,
        issuedAt,
        verifyUrl: `${base}/reports/${reportNo}`,
        ...(key ? { qrText: qrUrl(base, qrText) } : {}),
        usage,
      });
      const pdf = key ? signPdf(rendered, reportNo, key) : rendered;
      const sha256 = sha256Hex(pdf);
      try {
        await this.repo.record({
          reportNo,
          legalPersonId: profile.subject.id,
          uscc: profile.subject.uscc,
          subjectName: profile.subject.name,
          issuedAt,
          sha256,
          bytes: pdf.length,
          ip: ip?.slice(0, 64) ?? null,
          contentSm3: content,
          keyId: key?.keyId ?? null,
          signedSm3: key ? sm3Hex(rendered) : null,
        });
      } catch (err) {
        if (isUniqueViolation(err) && attempt < MAX_ATTEMPTS) continue;
        throw err;
      }
      return { reportNo, pdf, sha256, subjectName: profile.subject.name, issuedAt, qrText };
    }
  }

  /**
   * Whether an issued report still states what the platform holds today: its content hash at issue against the
   * subject's current one. 'unknown' for reports issued before content hashes were kept, or a subject gone.
   */
  async currency(report: { uscc: string; contentSm3: string | null }): Promise<'current' | 'superseded' | 'unknown'> {
    if (!report.contentSm3) return 'unknown';
    const profile = await this.profiles.byUscc(report.uscc, { full: true });
    if (!profile) return 'unknown';
    return contentSm3(profile) === report.contentSm3 ? 'current' : 'superseded';
  }

  /**
   * Other documents the portal issues as PDF (信用核查报告, 事前告知书) carry the same file signature as the report;
   * `docNo` is their XXCC…/XXPN… number (signing.ts). Unsigned only where the service has no keys (unit tests).
   */
  async signDocument(pdf: Buffer, docNo: string): Promise<Buffer> {
    const key = this.keys ? await this.keys.signingKey() : null;
    return key ? signPdf(pdf, docNo, key) : pdf;
  }

  /**
   * Where the superseded check of a 信用核查报告 or 事前告知书 finds what the document would state today: its canonical
   * content from the run's or the nomination's id, or null when there is none any more. Set by services.ts, since those
   * features sit above this one.
   */
  documentSources: Partial<Record<'credit-check' | 'prior-notice', (id: number) => Promise<string | null>>> = {};

  /**
   * Issues a signed 信用核查报告 or 事前告知书: its QR code carries the XXCR2 text over the SM3 of `content` (the
   * document's canonical content, docs/report-signing.md), the file gets the trailer, and the download is registered.
   * Unsigned and unregistered only where the service has no keys (unit tests of other features).
   */
  async issueDocument(input: {
    docNo: string;
    content: string;
    subjectName?: string;
    userId: number | null;
    baseUrl: string;
    render: (qr?: DocumentQr) => Promise<Buffer>;
  }): Promise<{ pdf: Buffer; qrText: string; issuedAt: Date }> {
    const key = this.keys ? await this.keys.signingKey() : null;
    // Second resolution: the QR code carries the time as text, and the register must hold the same instant.
    const issuedAt = new Date(Math.floor(Date.now() / 1000) * 1000);
    if (!key) return { pdf: await input.render(), qrText: '', issuedAt };
    const contentSm3 = sm3Hex(input.content);
    const qrText = signDocumentQr({ docNo: input.docNo, issuedAt, contentSm3 }, key);
    const rendered = await input.render({ url: qrUrl(input.baseUrl, qrText), docNo: input.docNo });
    const pdf = signPdf(rendered, input.docNo, key);
    await this.repo.recordDocument({
      docNo: input.docNo,
      issuedAt,
      contentSm3,
      keyId: key.keyId,
      signedSm3: sm3Hex(rendered),
      sha256: sha256Hex(pdf),
      bytes: pdf.length,
      subjectName: input.subjectName?.slice(0, 200) ?? null,
      userId: input.userId,
    });
    return { pdf, qrText, issuedAt };
  }

  /**
   * The register's row of a verified XXCR2 QR code and whether the document still states what the platform holds:
   * its content hash at issue against what its source gives today ('unknown' when the source is gone).
   */
  async documentState(q: { docNo: string; issuedAt: Date; contentSm3: string }) {
    const row = await this.repo.findDocument(q);
    if (!row) return null;
    const kind = documentKind(row.docNo);
    const source = kind === 'credit-check' || kind === 'prior-notice' ? this.documentSources[kind] : undefined;
    const now = source ? await source(Number(row.docNo.slice(4))) : null;
    const currency: 'current' | 'superseded' | 'unknown' = now === null ? 'unknown' : sm3Hex(now) === row.contentSm3 ? 'current' : 'superseded';
    return { row, kind, currency };
  }

  /** The keys to publish; on a new platform the first key is made here, so the list is never empty. */
  async publishedKeys() {
    if (!this.keys) return [];
    const keys = await this.keys.publicKeys();
    if (keys.some((k) => k.status === 'active' && k.notAfter > new Date())) return keys;
    await this.keys.signingKey();
    return this.keys.publicKeys({ fresh: true });
  }

  /** A QR text (or the address holding it) checked against the public keys alone: no register lookup. */
  async verifyQrText(input: string): Promise<QrVerification & { text: string | null }> {
    const text = extractQrText(input);
    if (!text || !this.keys) return { ok: false, problem: 'format', text };
    let keys = await this.keys.publicKeys();
    const keyId = text.split('|')[4];
    // a key made by a rotation in another process within the cache's minute
    if (keyId && !keys.some((k) => k.keyId === keyId)) keys = await this.keys.publicKeys({ fresh: true });
    return { ...verifyQr(text, keys), text };
  }

  /** Whether a report could be issued for this USCC: a legal person has it (a HEAD request, which issues nothing). */
  async canIssue(uscc: string): Promise<boolean> {
    return this.repo.legalPersonExists(uscc);
  }

  async find(reportNo: string) {
    const no = normaliseReportNo(reportNo);
    if (!no) return null;
    return this.repo.findByNo(no);
  }

  /** Whether a file is, byte for byte, the issued report (found by find()); with the file's own SHA-256. */
  verify(report: { sha256: string }, file: Uint8Array): { ok: boolean; sha256: string } {
    const sha256 = sha256Hex(file);
    return { ok: report.sha256 === sha256, sha256 };
  }

  /** Reports issued from `from` to `to` (Beijing calendar days YYYY-MM-DD, both included). */
  async usage(range: { from: string; to: string }, opts: { topSubjects?: number } = {}): Promise<ReportUsage> {
    const { from, to } = range;
    if (!DAY.test(from) || !DAY.test(to) || Number.isNaN(Date.parse(from)) || Number.isNaN(Date.parse(to)))
      throw new RangeError('统计区间的日期格式应为 YYYY-MM-DD');
    if (from > to) throw new RangeError('统计区间的开始日期不能晚于结束日期');
    if (Date.parse(to) - Date.parse(from) > MAX_USAGE_DAYS * 86_400_000) throw new RangeError(`统计区间不能超过 ${MAX_USAGE_DAYS} 天`);
    const limit = opts.topSubjects ?? 20;
    const [days, subjects] = await Promise.all([this.repo.perDay(from, to), this.repo.perSubject(from, to, limit)]);
    return { from, to, total: days.reduce((n, d) => n + d.count, 0), perDay: days, perSubject: subjects };
  }
}
