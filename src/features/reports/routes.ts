import { Router, type Request, type RequestHandler, type Response } from 'express';
import { pageLimiter, type Limit, type RateLimitStores } from '../../platform/rate-limit.js';
import multer from 'multer';
import type { Services } from '../../services.js';
import { validateUscc } from '../../domain/identifiers.js';
import { BadRequestError, NotFoundError } from '../../platform/errors.js';
import { createRequire } from 'node:module';
import { ISSUER } from './pdf.js';
import { DOCUMENT_KIND_TEXT, PROBLEM_TEXT, publishKeys, type DocumentKind } from './signing.js';

const require = createRequire(import.meta.url);
/** sm-crypto's own browser builds (UMD, minified), served as they are installed: the offline page needs nothing else. */
const SM_CRYPTO_FILES: Record<string, string> = {
  'sm2.js': require.resolve('sm-crypto/dist/sm2.js'),
  'sm3.js': require.resolve('sm-crypto/dist/sm3.js'),
};
export const KEYS_PATH = '/.well-known/credit-xinxiang-keys.json';
export const QR_PASSED = '核验通过：该核验码由本平台签发，内容未被修改';
export const SUPERSEDED = '已被更新：报告出具后，该主体的公共信用信息发生了变化（如记录被更正、撤销、修复或到期），本报告不再反映平台现有的信息。';
/** Why a signed 信用核查报告 or 事前告知书 no longer states what the platform holds (docs/report-signing.md). */
export const DOCUMENT_SUPERSEDED: Record<Exclude<DocumentKind, 'credit-report'>, string> = {
  'credit-check': '已被更新：按同样的代码重新核查，结果与本报告不同（报告出具后，被核查主体的名单、行政处罚等信息发生了变化），本报告不再反映平台现有的信息。',
  'prior-notice': '已被更新：本告知书出具后，推荐记录中告知书的内容（如送达日期、惩戒措施、异议期限）发生了变化，本告知书不再反映平台现有的信息。',
};

/** A report is a few hundred KB; anything near this is not one of ours. */
export const REPORT_UPLOAD_MAX_BYTES = 20 * 1024 * 1024;
export const VERIFY_PASSED = '核验通过：该文件与本平台出具的报告完全一致';
export const VERIFY_FAILED = '核验未通过：文件内容与出具的报告不一致（可能被修改）';

export interface ReportRouteOptions {
  /**
   * Scheme and host printed on reports for verification (https://credit.example.gov.cn). Without it the address
   * is taken from the request, which is only right when the Host header can be trusted.
   */
  baseUrl?: string;
  /** Reports issued per IP address and window; 30 a minute by default. */
  issueLimit?: { windowMs: number; limit: number };
}

const UPLOAD_ERRORS: Partial<Record<multer.ErrorCode, string>> = {
  LIMIT_FILE_SIZE: `文件超过 ${REPORT_UPLOAD_MAX_BYTES / 1024 / 1024} MB，不是本平台出具的报告文件`,
  LIMIT_FILE_COUNT: '每次只能上传一个报告文件',
  LIMIT_UNEXPECTED_FILE: '每次只能上传一个报告文件',
};

/**
 * Multipart parsing of the verification upload (memory storage: a report is a few hundred KB, never written
 * to disk). Mounted in app.ts before the CSRF check, which needs the parsed `_csrf` field:
 *   app.post('/reports/:no/verify', ...reportUploadMiddleware(deps.rateLimits));
 * The public may use it without signing in, so it is rate-limited per IP before any byte is buffered.
 */
export function reportUploadMiddleware(stores: RateLimitStores, opts: { limit?: Limit } = {}): RequestHandler[] {
  const upload = multer({
    storage: multer.memoryStorage(),
    limits: { fileSize: REPORT_UPLOAD_MAX_BYTES, files: 1, fields: 5, fieldSize: 4096, parts: 6 },
  }).single('file');
  const handle: RequestHandler = (req, res, next) => {
    upload(req, res, (err: unknown) => {
      if (!err) return next();
      if (err instanceof multer.MulterError) {
        req.uploadError = UPLOAD_ERRORS[err.code] ?? '上传的内容无法读取，请重新选择报告文件';
        return next();
      }
      next(err);
    });
  };
  return [pageLimiter(stores, 'report-verify', opts.limit ?? { windowMs: 60_000, limit: 30 }, '核验请求过于频繁，请稍后再试。'), handle];
}

/** A name safe in every file system, for the download's Chinese file name. */
function fileNamePart(s: string): string {
  return s
    .replace(/[\\/:*?"<>|]|\p{Cc}/gu, '_')
    .trim()
    .slice(0, 100);
}

function baseUrlOf(req: Request, configured: string | undefined): string {
  if (configured) return configured.replace(/\/+$/, '');
  return `${req.protocol}://${req.get('host') ?? 'localhost'}`;
}

/** The address printed in a document's QR code: the configured PUBLIC_URL (app.locals.publicUrl), else the request's host. */
export function requestBaseUrl(req: Request): string {
  const configured: unknown = req.app.locals.publicUrl;
  return baseUrlOf(req, typeof configured === 'string' ? configured : undefined);
}

/** 公共信用信息报告: download (issue) and verification. Public: no sign-in. */
export function reportRoutes(deps: Services, opts: ReportRouteOptions = {}): Router {
  const router = Router();
  const issueLimiter = pageLimiter(deps.rateLimits, 'report-issue', opts.issueLimit ?? { windowMs: 60_000, limit: 30 }, '信用报告下载过于频繁，请稍后再试。');
  // An SM2 verification is a few milliseconds of CPU in JavaScript: bounded per IP like an upload.
  const verifyLimiter = pageLimiter(deps.rateLimits, 'report-verify', { windowMs: 60_000, limit: 60 }, '核验请求过于频繁，请稍后再试。');

  router.get('/subjects/:uscc/report.pdf', issueLimiter, async (req, res) => {
    const input = String(req.params.uscc);
    const code = validateUscc(input);
    if (!code.ok) throw new BadRequestError(`“${input}”不是有效的统一社会信用代码：${code.reason}`);
    if (code.placeholder) throw new BadRequestError('00000000000000000X 是无代码个体工商户的占位符，不能据此出具信用报告');
    if (code.value !== input) return res.redirect(301, `/subjects/${code.value}/report.pdf`);
    const notFound = `未找到统一社会信用代码为 ${code.value} 的信用主体，无法出具公共信用信息报告。`;
    res.set('Cache-Control', 'no-store');
    if (req.method === 'HEAD') {
      // A link checker's HEAD must not issue (and count) a report.
      if (!(await deps.reports.canIssue(code.value))) throw new NotFoundError(notFound);
      return res.type('application/pdf').end();
    }
    const issued = await deps.reports.issue(code.value, req.ip ?? null, { baseUrl: baseUrlOf(req, opts.baseUrl) });
    if (!issued) throw new NotFoundError(notFound);
    res.set('X-Robots-Tag', 'noindex');
    // The signed text the cover's QR code holds, for programs that file the report (docs/report-signing.md).
    if (issued.qrText) res.set('X-Report-QR', issued.qrText);
    res.attachment(`公共信用信息报告_${fileNamePart(issued.subjectName)}_${issued.reportNo}.pdf`);
    res.type('application/pdf').send(issued.pdf);
  });

  router.get(KEYS_PATH, async (_req, res) => {
    const keys = await deps.reports.publishedKeys();
    // Short caching: a rotation shows within minutes, and a verifier that saved an older copy still has every old key.
    res.set('Cache-Control', 'public, max-age=300');
    res.set('Access-Control-Allow-Origin', '*');
    res.json(publishKeys(ISSUER, keys));
  });

  router.get('/reports/keys', async (_req, res) => {
    const keys = await deps.reports.publishedKeys();
    res.render('reports/keys.njk', { title: '报告签名公钥', nav: 'search', keys: publishKeys(ISSUER, keys), keysPath: KEYS_PATH });
  });

  router.get('/vendor/sm-crypto/:file', (req, res) => {
    const file = SM_CRYPTO_FILES[String(req.params.file)];
    if (!file) throw new NotFoundError('文件不存在');
    res.sendFile(file, { maxAge: '1d', headers: { 'Content-Type': 'text/javascript; charset=utf-8' } });
  });

  router.get('/reports/verify/offline', async (_req, res) => {
    const keys = await deps.reports.publishedKeys();
    res.render('reports/offline.njk', { title: '信用报告离线核验', nav: 'search', keysJson: JSON.stringify(publishKeys(ISSUER, keys)), keysPath: KEYS_PATH });
  });

  /** The page a scanned QR code opens: the signature checked with the public keys, then the register consulted. */
  router.get('/reports/verify', verifyLimiter, async (req, res) => {
    res.set('Cache-Control', 'no-store');
    res.set('X-Robots-Tag', 'noindex');
    const input = typeof req.query.qr === 'string' ? req.query.qr.slice(0, 2000) : '';
    const no = typeof req.query.no === 'string' ? req.query.no.trim() : '';
    if (no) {
      const report = await deps.reports.find(no);
      if (report) return res.redirect(303, `/reports/${report.reportNo}`);
      return res.status(400).render('reports/verify-qr.njk', {
        title: '错误：信用报告核验',
        nav: 'search',
        no,
        errors: { fields: { no: '报告编号不存在，请核对报告封面上的报告编号（如 XXCR20261127K7M2Q9TA）' }, list: [{ href: '#no', text: '报告编号不存在' }] },
      });
    }
    if (!input) return res.render('reports/verify-qr.njk', { title: '信用报告核验', nav: 'search' });
    const checked = await deps.reports.verifyQrText(input);
    if (!checked.ok) {
      return res.status(400).render('reports/verify-qr.njk', {
        title: '错误：信用报告核验',
        nav: 'search',
        qr: input,
        result: { ok: false, message: `核验未通过：${PROBLEM_TEXT[checked.problem]}` },
      });
    }
    if (checked.fields.kind !== 'credit-report') {
      const state = await deps.reports.documentState({
        docNo: checked.fields.reportNo,
        issuedAt: checked.fields.issuedAt,
        contentSm3: checked.fields.contentSm3,
      });
      return res.render('reports/verify-qr.njk', {
        title: '信用报告核验',
        nav: 'search',
        qr: checked.text,
        result: { ok: true, message: QR_PASSED, fields: checked.fields, keyId: checked.key.keyId, kindText: DOCUMENT_KIND_TEXT[checked.fields.kind] },
        document: state ? { ...state.row, kind: state.kind, currency: state.currency, runId: Number(state.row.docNo.slice(4)) } : null,
        documentSuperseded: state ? DOCUMENT_SUPERSEDED[checked.fields.kind] : null,
      });
    }
    const report = await deps.reports.find(checked.fields.reportNo);
    const currency = report && report.contentSm3 === checked.fields.contentSm3 ? await deps.reports.currency(report) : null;
    res.render('reports/verify-qr.njk', {
      title: '信用报告核验',
      nav: 'search',
      qr: checked.text,
      result: { ok: true, message: QR_PASSED, fields: checked.fields, keyId: checked.key.keyId },
      report,
      currency,
      superseded: SUPERSEDED,
    });
  });

  const findOr404 = async (no: string) => {
    const report = await deps.reports.find(no);
    if (!report) throw new NotFoundError('报告编号不存在，请核对报告封面上的报告编号（如 XXCR20261127K7M2Q9TA）。');
    return report;
  };

  type Report = Awaited<ReturnType<typeof findOr404>>;
  const renderPage = (res: Response, report: Report, extra: Record<string, unknown> = {}, status = 200) => {
    res.set('Cache-Control', 'no-store');
    res.set('X-Robots-Tag', 'noindex');
    res.status(status).render('reports/verify.njk', {
      title: `${extra.errors ? '错误：' : ''}信用报告核验`,
      nav: 'search',
      report,
      maxMb: REPORT_UPLOAD_MAX_BYTES / 1024 / 1024,
      ...extra,
    });
  };

  router.get('/reports/:no', async (req, res) => {
    const report = await findOr404(String(req.params.no));
    renderPage(res, report, { currency: await deps.reports.currency(report), superseded: SUPERSEDED });
  });

  router.post('/reports/:no/verify', async (req, res) => {
    const report = await findOr404(String(req.params.no));
    const problem = req.uploadError ?? (req.file ? (req.file.size === 0 ? '上传的文件是空的，请重新选择报告文件' : null) : '请选择要核验的报告文件（PDF）');
    if (problem || !req.file) {
      return renderPage(res, report, { errors: { fields: { file: problem }, list: [{ href: '#file', text: problem }] } }, 400);
    }
    const { ok, sha256 } = deps.reports.verify(report, req.file.buffer);
    renderPage(res, report, {
      currency: await deps.reports.currency(report),
      superseded: SUPERSEDED,
      result: {
        ok,
        sha256,
        message: ok ? VERIFY_PASSED : VERIFY_FAILED,
        // multer gives the name as latin1; browsers send UTF-8
        fileName: Buffer.from(req.file.originalname, 'latin1').toString('utf8'),
        bytes: req.file.size,
      },
    });
  });

  return router;
}
