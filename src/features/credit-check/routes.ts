import { Router } from 'express';
import { textErrors } from '../../platform/forms.js';
import ExcelJS from 'exceljs';
import type { Services } from '../../services.js';
import type { RequestHandler } from 'express';
import iconv from 'iconv-lite';
import multer from 'multer';
import { ACCESS, adminRoute, canSeeDepartment, requireRole, requireSignedIn } from '../../platform/access.js';
import { ForbiddenError, NotFoundError } from '../../platform/errors.js';
import { pathId } from '../../platform/params.js';
import { neutraliseCell } from '../../platform/csv-cell.js';
import { MAX_CODES, splitCodes, type CheckResult } from './service.js';
import { checkReportContent, renderCheckPdf } from './pdf.js';
import { requestBaseUrl } from '../reports/routes.js';
import { checkDocNo } from '../reports/signing.js';
import { disputedMark } from './types.js';
import { beijingToday } from '../../domain/dates.js';
import { asOfLabel } from '../publication/service.js';

/** A pasted list saved by Excel in China is often GBK; UTF-8 is tried first. */
function decodeText(buf: Buffer): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(buf);
  } catch {
    return iconv.decode(buf, 'gb18030');
  }
}

/** Multipart parsing of an uploaded code list (.txt/.csv), after sign-in and before the CSRF check. */
export function codeListUpload(): RequestHandler[] {
  const upload = multer({ storage: multer.memoryStorage(), limits: { fileSize: 1024 * 1024, files: 1, fields: 10 } }).single('file');
  const handle: RequestHandler = (req, res, next) =>
    upload(req, res, (err: unknown) => {
      if (!err) return next();
      if (err instanceof multer.MulterError) {
        req.uploadError = '代码清单文件不超过 1 MB，且只能上传一个文件';
        return next();
      }
      next(err);
    });
  return [requireSignedIn, requireRole(ACCESS['POST /admin/credit-check']!), handle];
}

function flagged(r: CheckResult['rows'][number]): boolean {
  return r.black.length > 0 || r.seriousPenalties.length > 0;
}

export function creditCheckRoutes(deps: Services): Router {
  const router = Router();

  adminRoute(router, '/admin', 'GET', '/credit-check', (_req, res) =>
    res.render('credit-check/new.njk', { title: '信用核查', nav: 'credit-check', values: {}, maxCodes: MAX_CODES }),
  );

  adminRoute(router, '/admin', 'POST', '/credit-check', async (req, res) => {
    const body = (req.body ?? {}) as Record<string, string>;
    const uploaded = req.file ? decodeText(req.file.buffer) : '';
    const codes = splitCodes(`${body.codes ?? ''}\n${uploaded}`);
    const purpose = (body.purpose ?? '').trim().slice(0, 200);
    const typed = textErrors({ codes: body.codes, purpose: body.purpose });
    const asOf = await deps.publication.checkAsOf(typeof body.asOf === 'string' ? body.asOf.trim() : body.asOf);
    const error = req.uploadError
      ? req.uploadError
      : typed.codes || typed.purpose
        ? `代码或用途${typed.codes ?? typed.purpose}`
        : codes.length === 0
          ? '请粘贴至少一个统一社会信用代码'
          : codes.length > MAX_CODES
            ? `一次最多核查 ${MAX_CODES} 个代码，本次 ${codes.length} 个，请分批核查`
            : null;
    if (error || !asOf.ok) {
      // both fields' problems in one summary
      const fields: Record<string, string> = {};
      const list: { href: string; text: string }[] = [];
      if (error) {
        fields.codes = error;
        list.push({ href: '#codes', text: error });
      }
      if (!asOf.ok) {
        fields.asOf = asOf.error;
        list.push({ href: '#asOf', text: asOf.error });
      }
      return res.status(400).render('credit-check/new.njk', {
        title: '错误：信用核查',
        nav: 'credit-check',
        values: body,
        maxCodes: MAX_CODES,
        errors: { fields, list },
      });
    }
    const result = await deps.creditCheck.check(codes, asOf.day);
    const runId = await deps.creditCheckRepo.saveRun({
      departmentId: req.user!.departmentId,
      userId: req.user!.id,
      purpose: purpose || null,
      codes: codes.length,
      found: result.rows.filter((r) => r.found).length,
      invalid: result.invalid.length,
      flagged: result.rows.filter(flagged).length,
      result,
    });
    // 条例 Art. 40: each subject found was queried by this department.
    await deps.accessLog.creditCheck(
      result.rows.filter((r) => r.found).map((r) => r.code),
      { id: req.user!.departmentId, name: req.user!.departmentName },
    );
    await deps.audit.byRequest(req, {
      action: 'credit-check.run',
      targetType: 'creditCheck',
      targetId: runId,
      detail: { codes: codes.length, purpose, ...(asOf.day ? { asOf: asOf.day } : {}) },
    });
    res.redirect(303, `/admin/credit-check/${runId}`);
  });

  const load = async (req: import('express').Request) => {
    const run = await deps.creditCheckRepo.run(pathId(req, 'id', '核查记录不存在'));
    if (!run) throw new NotFoundError('核查记录不存在');
    if (!canSeeDepartment(req.user!, run.departmentId)) throw new ForbiddenError('只能查看本部门的核查记录');
    return { run, result: run.result };
  };

  adminRoute(router, '/admin', 'GET', '/credit-check/:id', async (req, res) => {
    const { run, result } = await load(req);
    res.render('credit-check/show.njk', {
      title: '信用核查结果',
      nav: 'credit-check',
      run,
      asOfLabel: result.asOf ? asOfLabel(result.asOf) : null,
      rows: result.rows.map((r) => ({ ...r, flagged: flagged(r) })),
      invalid: result.invalid,
    });
  });

  adminRoute(router, '/admin', 'GET', '/credit-check/:id/report.pdf', async (req, res) => {
    const { run, result } = await load(req);
    const department = await deps.creditCheckRepo.departmentName(run.departmentId);
    const meta = { id: run.id, createdAt: run.createdAt, purpose: run.purpose, department };
    const issued = await deps.reports.issueDocument({
      docNo: checkDocNo(run.id),
      content: checkReportContent(meta, result),
      userId: req.user!.id,
      baseUrl: requestBaseUrl(req),
      render: (qr) => renderCheckPdf(meta, result, qr),
    });
    if (issued.qrText) res.set('X-Report-QR', issued.qrText);
    const pdf = issued.pdf;
    res.attachment(`信用核查报告_${run.id}.pdf`);
    res.type('application/pdf').set('Cache-Control', 'no-store').send(pdf);
  });

  adminRoute(router, '/admin', 'GET', '/credit-check/:id/report.xlsx', async (req, res) => {
    const { run, result } = await load(req);
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('信用核查');
    const asOf = result.asOf ? `，${asOfLabel(result.asOf)}` : '';
    ws.addRow([`信用核查报告（编号 ${run.id}，${beijingToday(run.createdAt)}${asOf}${run.purpose ? `，用途：${run.purpose}` : ''}）`]);
    ws.addRow(['统一社会信用代码', '主体名称', '核查结论', '黑名单（有效期内）', '严重失信行政处罚（公示期内）', '红名单（有效期内）', '适用的联合奖惩措施']);
    // Codes and names come from users and departments: cells that could run as formulas get a leading ' (csv-cell).
    const row = (cells: string[]) => ws.addRow(cells.map(neutraliseCell));
    for (const r of result.rows) {
      row([
        r.code,
        r.name ?? '（平台无此主体）',
        !r.found ? '未找到' : flagged(r) ? '存在失信记录' : '未发现失信记录',
        r.black.map((e) => `${e.basisDocNo}（${e.basisAuthority}，至 ${e.validUntil}）${disputedMark(e)}`).join('\n'),
        r.seriousPenalties.map((p) => `${p.documentNo} ${p.decisionDate} ${p.summary}${disputedMark(p)}`).join('\n'),
        r.red.map((e) => `${e.basisDocNo}（${e.basisAuthority}）${disputedMark(e)}`).join('\n'),
        r.measures.map((m) => `${m.department}：${m.text}`).join('\n'),
      ]);
    }
    for (const i of result.invalid) row([i.code, '', `代码无效：${i.reason}`]);
    ws.getColumn(1).numFmt = '@';
    res.attachment(`信用核查报告_${run.id}.xlsx`);
    res.type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    res.send(Buffer.from(await wb.xlsx.writeBuffer()));
  });

  return router;
}
