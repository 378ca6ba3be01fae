import { Router, type Response } from 'express';
import { rateLimit } from 'express-rate-limit';
import type { Services } from '../../services.js';
import { limiterOptions, type Limit } from '../../platform/rate-limit.js';
import { parseId } from '../../platform/params.js';
import { validateUscc } from '../../domain/identifiers.js';
import { beijingToday } from '../../domain/dates.js';
import { KIND_LABELS, type RecordKind } from '../../domain/publicity/fields.js';
import { displayRows } from '../publicity/view-model.js';
import { RECORD_ITEM_CODES } from '../catalogue/codes.js';

/** The URL segment of each record kind: the same as the public pages' (/publicity/permits/:id). */
const KINDS: Record<string, RecordKind> = { permits: 'permit', penalties: 'penalty' };

function problem(res: Response, status: number, error: string, reason?: string) {
  res
    .status(status)
    .set('Cache-Control', 'no-store')
    .json({ error, ...(reason ? { reason } : {}) });
}

/** Default per-IP limit of the public read API. */
export const PUBLIC_API_LIMIT: Limit = { windowMs: 60_000, limit: 60 };

/**
 * The public read API (issue #17): no key, limited per IP, the same answers as the public pages and masked the same
 * way (they are built from the same services), documented in /api/v1/openapi.json.
 */
export function publicApiRoutes(deps: Services, opts: { limit?: Limit } = {}): Router {
  const router = Router();
  const limit = opts.limit ?? PUBLIC_API_LIMIT;
  router.use(
    '/api/v1/public',
    rateLimit({
      ...limiterOptions(deps.rateLimits, 'public-api', limit),
      // The changes feed (src/features/api) has its own per-IP budget.
      skip: (req) => req.path === '/changes',
      handler: (_req, res) => {
        res.set('Retry-After', String(Math.ceil(limit.windowMs / 1000)));
        problem(res, 429, '调用过于频繁，请稍后再试');
      },
    }),
  );

  router.get('/api/v1/public/subjects/:code', async (req, res) => {
    const input = String(req.params.code);
    const r = validateUscc(input);
    if (!r.ok) return problem(res, 400, '统一社会信用代码无效', r.reason);
    if (r.placeholder) return problem(res, 400, '统一社会信用代码无效', '00000000000000000X 是无代码个体工商户的占位符，不能用于查询');
    const profile = await deps.profiles.byUscc(r.value);
    if (!profile) return problem(res, 404, `未找到统一社会信用代码为 ${r.value} 的信用主体`);
    // 条例 Art. 40: a read of the public profile is counted for the subject's report, as a page view is.
    await deps.accessLog.portal(r.value);
    const { subject: s } = profile;
    res.set('Cache-Control', 'no-store').json({
      uscc: s.uscc,
      name: s.name,
      // The base data the catalogue (FRJC) keeps off public surfaces is left out, as on the page.
      ...Object.fromEntries(
        (['legalRepresentative', 'subjectType', 'status', 'address', 'establishedOn', 'orgCode', 'regNo'] as const)
          .filter((k) => s[k] !== null)
          .map((k) => [k, s[k]]),
      ),
      county: s.county,
      tags: profile.tags,
      counts: profile.counts,
      asOf: profile.asOf,
      sections: profile.sections
        .filter((sec) => sec.key !== 'basic' && sec.key !== 'other')
        .map((sec) => ({
          key: sec.key,
          title: sec.title,
          notPublic: sec.notPublic === true,
          records: sec.records.map((rec) => ({
            kind: rec.kind,
            id: rec.id,
            href: rec.href,
            title: rec.title,
            documentNo: rec.documentNo,
            decisionDate: rec.decisionDate,
            authority: rec.authority,
            summary: rec.summary,
            disputed: rec.disputed === true,
          })),
        })),
    });
  });

  router.get('/api/v1/public/records/:kind/:id', async (req, res) => {
    const kind = KINDS[String(req.params.kind)];
    if (!kind) return problem(res, 400, '记录类别无效', '应为 permits（行政许可）或 penalties（行政处罚）');
    const id = parseId(req.params.id);
    if (id === null) return problem(res, 400, '记录编号无效', '应为 1 至 2147483647 之间的整数');
    const [rec, open, shown] = await Promise.all([
      deps.publicityRepo.publicDetail(kind, id, beijingToday()),
      deps.cases.disputedAmong(kind, [id]),
      deps.catalogue.publicFields(),
    ]);
    if (!rec) {
      // 条例 Art. 42, as the page: a revoked decision is gone for good (410), anything else is not found.
      if (await deps.publicityRepo.isRevoked(kind, id)) return problem(res, 410, `该${KIND_LABELS[kind]}决定已被依法撤销，相关信息已停止公示`);
      return problem(res, 404, '该记录不存在、已撤回或已过公示期');
    }
    if (!shown.showsItem(RECORD_ITEM_CODES[kind])) return problem(res, 404, '该类信息不向社会公开');
    const hidden = shown.hiddenKeys(kind);
    const plural = kind === 'permit' ? 'permits' : 'penalties';
    res.set('Cache-Control', 'no-store').json({
      kind,
      id,
      href: `/publicity/${plural}/${id}`,
      subjectName: hidden.has('subjectName') ? null : rec.subjectName,
      uscc: rec.subjectCategory === 'natural' || hidden.has('uscc') ? null : (rec.uscc ?? null),
      department: (rec.department as { name: string } | null)?.name ?? null,
      disputed: open.size > 0,
      fields: displayRows(kind, rec, { publicView: true, hidden }),
    });
  });

  return router;
}
