import { Router, type NextFunction, type Request, type Response } from 'express';
import { rateLimit } from 'express-rate-limit';
import { limiterOptions } from '../../platform/rate-limit.js';
import type { Services } from '../../services.js';
import { beijingToday } from '../../domain/dates.js';
import { parseSubjectCode } from '../subjects/repository.js';
import { hashApiKey } from './keys.js';
import { OPENAPI } from './openapi.js';
import { COMMITMENT_ITEM_CODE, LIST_ITEM_CODES, RECORD_ITEM_CODES } from '../catalogue/codes.js';
import { FeedBusyError, parseFeedQuery, type FeedEvent } from '../publication/service.js';
import { watchListApiRoutes } from '../watch-lists/api-routes.js';

interface ApiCaller {
  keyId: number;
  prefix: string;
  departmentId: number;
}

declare module 'express-serve-static-core' {
  interface Locals {
    apiCaller?: ApiCaller;
  }
}

type PublicFields = Awaited<ReturnType<Services['catalogue']['publicFields']>>;

/** A feed event with the catalogue applied to its fields; an item whose whole column is not public keeps no fields. */
function publicEvent(e: FeedEvent, shown: PublicFields): FeedEvent {
  if (!e.payload) return e;
  if (e.kind === 'penalty' || e.kind === 'permit') {
    if (!shown.showsItem(RECORD_ITEM_CODES[e.kind])) return { ...e, subjectKey: null, payload: {} };
    const hidden = shown.hiddenKeys(e.kind);
    return { ...e, payload: Object.fromEntries(Object.entries(e.payload).filter(([k]) => !hidden.has(k))) };
  }
  if (e.kind === 'list_entry') {
    const type = e.payload.listType === 'black' ? 'black' : 'red';
    if (!shown.showsItem(LIST_ITEM_CODES[type])) return { ...e, subjectKey: null, payload: {} };
    const hidden = shown.hiddenListKeys(type);
    return { ...e, payload: Object.fromEntries(Object.entries(e.payload).filter(([k]) => !hidden.has(k))) };
  }
  if (e.kind === 'commitment') {
    if (!shown.showsItem(COMMITMENT_ITEM_CODE)) return { ...e, subjectKey: null, payload: {} };
    // As on /commitments/:id: a hidden 履行状态 takes the 违诺 details with it.
    const hidden = new Set(shown.hiddenCommitmentKeys());
    if (hidden.has('fulfilment')) for (const k of ['unfulfilledContent', 'liabilityPursued']) hidden.add(k);
    return { ...e, payload: Object.fromEntries(Object.entries(e.payload).filter(([k]) => !hidden.has(k))) };
  }
  return e;
}

function problem(res: Response, status: number, error: string, reason?: string) {
  res.status(status).json({ error, ...(reason ? { reason } : {}) });
}

/**
 * /api/v1 for department business systems: JSON, an API key per department (Authorization: Bearer … or
 * X-API-Key), no session and no cookie, every call in the audit log.
 */
export function apiRoutes(deps: Services, opts: { limit?: { windowMs: number; limit: number }; feedLimit?: { windowMs: number; limit: number } } = {}): Router {
  const router = Router();

  router.get('/api/v1/openapi.json', (_req, res) => res.json(OPENAPI));

  // The public changes feed needs no key, so it is limited per IP (the client IP as TRUST_PROXY lets Express see it).
  const feedLimiter = rateLimit({
    ...limiterOptions(deps.rateLimits, 'changes-feed', opts.feedLimit ?? { windowMs: 60_000, limit: 60 }),
    handler: (_req, res) => problem(res, 429, '调用过于频繁，请稍后再试'),
  });

  router.get('/api/v1/public/changes', feedLimiter, async (req, res) => {
    const q = parseFeedQuery(req.query);
    if (!q.ok) return problem(res, 400, '参数无效', q.error);
    let page: Awaited<ReturnType<typeof deps.publication.changes>>;
    try {
      page = await deps.publication.changes(q.since, q.limit);
    } catch (err) {
      if (!(err instanceof FeedBusyError)) throw err;
      res.set('Retry-After', '2');
      return problem(res, 503, '变更数据正在写入，请稍后重试');
    }
    // 条例 Art. 11: a field the catalogue does not mark 社会公开 is left out, as on the public pages.
    const shown = await deps.catalogue.publicFields();
    const items = page.items.map((e) => publicEvent(e, shown));
    res.set('Cache-Control', 'no-store').json({ items, next: page.next, hasMore: page.hasMore });
  });

  const authenticate = async (req: Request, res: Response, next: NextFunction) => {
    const header = req.get('authorization');
    const key = header?.startsWith('Bearer ') ? header.slice(7).trim() : req.get('x-api-key')?.trim();
    if (!key) return problem(res, 401, '缺少接口密钥（Authorization: Bearer <密钥> 或 X-API-Key）');
    const found = await deps.api.keyByHash(hashApiKey(key));
    if (!found) return problem(res, 401, '接口密钥无效');
    if (found.revokedAt) return problem(res, 403, '接口密钥已被吊销');
    res.locals.apiCaller = { keyId: found.id, prefix: found.prefix, departmentId: found.departmentId };
    void deps.api.touch(found.id).catch(() => {});
    next();
  };

  const limiter = rateLimit({
    ...limiterOptions(deps.rateLimits, 'api', opts.limit ?? { windowMs: 60_000, limit: 120 }),
    keyGenerator: (_req, res) => `key:${res.locals.apiCaller?.keyId ?? 'none'}`,
    handler: (_req, res) => problem(res, 429, '调用过于频繁，请稍后再试'),
  });

  router.get('/api/v1/subjects/:code/credit-check', authenticate, limiter, async (req, res) => {
    const caller = res.locals.apiCaller!;
    const input = String(req.params.code);
    const audit = (status: number, detail: Record<string, unknown> = {}) =>
      deps.audit.record({
        action: 'api.credit-check',
        username: `api:${caller.prefix}`,
        ip: req.ip ?? null,
        targetType: 'subject',
        targetId: input.slice(0, 64),
        detail: { status, departmentId: caller.departmentId, ...detail },
      });
    const code = parseSubjectCode(input);
    if (code.kind === 'invalid' || code.kind === 'notACode') {
      await audit(400);
      return problem(res, 400, '代码无效', code.kind === 'invalid' ? code.reason : '应为统一社会信用代码、组织机构代码或工商注册号');
    }
    const asOf = await deps.publication.checkAsOf(req.query.asOf);
    if (!asOf.ok) {
      await audit(400);
      return problem(res, 400, '核查日期无效', asOf.error);
    }
    const subject = await deps.subjects.findLegalPersonByCode(code);
    if (!subject) {
      await audit(404);
      return problem(res, 404, '未找到该信用主体');
    }
    const today = beijingToday();
    // 条例 Art. 40: counted for the subject's report, by the key's owner.
    if (subject.uscc) await deps.accessLog.api(subject.uscc, { id: caller.keyId, departmentId: caller.departmentId });
    // asOf: what was public that day, from the publication history (the same answer whenever it is asked).
    const past = asOf.day !== null && asOf.day < today ? asOf.day : null;
    const [entries, serious, shown] = await Promise.all([
      past ? deps.publication.entriesInForceOn([subject.id], past) : deps.api.entriesInForce(subject.id, today),
      past ? deps.publication.seriousPenaltiesOn([subject.id], past) : deps.api.seriousPenalties(subject.id, today),
      deps.catalogue.publicFields(),
    ]);
    // 条例 Art. 11: a penalty field the catalogue does not mark 社会公开 is left out of the answer.
    const hidden = shown.hiddenKeys('penalty');
    const ifShown = <T>(key: string, value: T): Partial<Record<string, T>> => (hidden.has(key) ? {} : { [key]: value });
    const hiddenBase = shown.hiddenLegalPersonKeys();
    const listed = entries.filter((e) => shown.showsItem(LIST_ITEM_CODES[e.listType]));
    const types = [...new Set(listed.map((e) => e.listType))];
    const measures = types.length ? await deps.measures.activeFor(types) : [];
    await audit(200, { entries: entries.length });
    res.set('Cache-Control', 'no-store').json({
      // The base data follows item FRJC: a field not 社会公开 is left out.
      subject: {
        uscc: subject.uscc,
        name: subject.name,
        ...(hiddenBase.has('status') ? {} : { status: subject.status }),
        ...(hiddenBase.has('legalRepresentative') ? {} : { legalRepresentative: subject.legalRepresentative }),
      },
      checkedAt: new Date().toISOString(),
      asOf: asOf.day ?? today,
      redList: listed.some((e) => e.listType === 'red'),
      blackList: listed.some((e) => e.listType === 'black'),
      // The list items' 共享属性 too: a field not 社会公开 is left out, an entry of an item switched off entirely.
      listEntries: listed.map((e) => {
        const hiddenList = shown.hiddenListKeys(e.listType);
        const inList = <T>(key: string, value: T): Partial<Record<string, T>> => (hiddenList.has(key) ? {} : { [key]: value });
        return {
          listType: e.listType,
          issue: e.issue.title,
          ...inList('basisDocNo', e.basisDocNo),
          ...inList('basisAuthority', e.basisAuthority),
          ...inList('basisDate', e.basisDate.toISOString().slice(0, 10)),
          ...inList('validUntil', e.validUntil.toISOString().slice(0, 10)),
          ...inList('reason', e.reason),
          objectionPending: e.objections.length > 0,
        };
      }),
      measures: measures.map((m) => ({ listType: m.listType, department: m.department.name, text: m.text, legalBasis: m.legalBasis })),
      // 严重失信 penalties still public (a repaired or expired one is no longer shared).
      seriousPenalties: (shown.showsItem(RECORD_ITEM_CODES.penalty) ? serious : []).map((p) => ({
        ...ifShown('documentNo', p.documentNo),
        ...ifShown('decisionDate', p.decisionDate.toISOString().slice(0, 10)),
        ...ifShown('authority', p.authority),
        ...ifShown('penaltyCategories', p.penaltyCategories),
        tier: 'serious',
        publicUntil: p.publicUntil.toISOString().slice(0, 10),
      })),
    });
  });

  // 关注名单 of the key and its webhook (issue #17).
  router.use(watchListApiRoutes(deps, authenticate, limiter));

  router.use('/api', (_req, res) => problem(res, 404, '接口不存在'));
  return router;
}
