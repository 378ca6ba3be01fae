import express, { Router, type RequestHandler, type Response } from 'express';
import { z } from 'zod';
import type { Services } from '../../services.js';
import { CONTROL_CHARS } from '../../platform/params.js';
import { MAX_WATCH_CODES } from './codes.js';

const problem = (res: Response, status: number, error: string, details?: string[]) => res.status(status).json({ error, ...(details ? { details } : {}) });

const nameParam = z
  .string()
  .trim()
  .min(1)
  .max(100)
  .refine((v) => !CONTROL_CHARS.test(v) && !/[/\\]/.test(v));

const putBody = z.object({ codes: z.array(z.string().max(40)).max(MAX_WATCH_CODES * 2) });
const webhookBody = z.object({ url: z.string().max(2000) });

/**
 * The watch lists of an API key (issue #17): `PUT /api/v1/watchlists/:name` sets a list's codes (the whole list),
 * `GET` reads it back, `PUT /api/v1/webhook` sets where notices are POSTed (its secret is in that answer only),
 * `GET /api/v1/notices` lists the latest notices for callers that poll. `authenticate` and `limiter` are the API's own.
 */
export function watchListApiRoutes(deps: Services, authenticate: RequestHandler, limiter: RequestHandler): Router {
  const router = Router();
  // 10,000 codes as JSON are about 230 kB.
  const json = express.json({ limit: '512kb' });
  const audit = (req: express.Request, res: Response, action: string, status: number, detail: Record<string, unknown> = {}) =>
    deps.audit.record({
      action,
      username: `api:${res.locals.apiCaller!.prefix}`,
      ip: req.ip ?? null,
      targetType: 'apiKey',
      targetId: res.locals.apiCaller!.keyId,
      detail: { status, ...detail },
    });

  router.put('/api/v1/watchlists/:name', authenticate, limiter, json, async (req, res) => {
    const name = nameParam.safeParse(req.params.name);
    if (!name.success) return problem(res, 400, '名单名称无效（1–100 个字符，不含 / 和控制字符）');
    const body = putBody.safeParse(req.body);
    if (!body.success) return problem(res, 400, `请求体应为 {"codes": ["统一社会信用代码", …]}，最多 ${MAX_WATCH_CODES} 个代码`);
    const lines = body.data.codes.map((code, i) => ({ line: i + 1, code }));
    const saved = await deps.watch.saveCodes({ apiKeyId: res.locals.apiCaller!.keyId }, name.data, lines, { replace: true, createdById: null });
    if (!saved.ok) {
      await audit(req, res, 'api.watchlist.put', 400, { name: name.data });
      // "line" is the code's 1-based position in the array.
      return problem(
        res,
        400,
        '代码有误，名单未修改',
        saved.messages.map((m) => m.replace(/^第 (\d+) 行/, '第 $1 个代码')),
      );
    }
    await audit(req, res, 'api.watchlist.put', 200, { name: name.data, codes: saved.total });
    res
      .status(saved.created ? 201 : 200)
      .set('Cache-Control', 'no-store')
      .json({ name: name.data, codes: saved.total });
  });

  router.get('/api/v1/watchlists/:name', authenticate, limiter, async (req, res) => {
    const name = nameParam.safeParse(req.params.name);
    if (!name.success) return problem(res, 400, '名单名称无效');
    const list = await deps.watchRepo.listByName({ apiKeyId: res.locals.apiCaller!.keyId }, name.data);
    if (!list) return problem(res, 404, '没有这个名单');
    res.set('Cache-Control', 'no-store').json({ name: list.name, codes: await deps.watchRepo.codes(list.id) });
  });

  router.put('/api/v1/webhook', authenticate, limiter, json, async (req, res) => {
    const body = webhookBody.safeParse(req.body);
    if (!body.success) return problem(res, 400, '请求体应为 {"url": "https://…"}');
    const set = await deps.watch.setWebhook(res.locals.apiCaller!.keyId, body.data.url);
    if (!set.ok) return problem(res, 400, `推送地址无效：${set.message}`);
    await audit(req, res, 'api.webhook.set', 200, { url: body.data.url.slice(0, 200) });
    // The secret is in this answer only: it is what the receiver checks X-Signature with.
    res.set('Cache-Control', 'no-store').json({ url: body.data.url, secret: set.secret });
  });

  router.get('/api/v1/notices', authenticate, limiter, async (_req, res) => {
    const rows = await deps.watchRepo.apiNotices(res.locals.apiCaller!.keyId, 100);
    res.set('Cache-Control', 'no-store').json({
      notices: rows.map((n) => ({
        id: n.id,
        watchList: n.list.name,
        uscc: n.uscc,
        subjectName: n.subjectName,
        types: n.types,
        changes: n.changes,
        evidenceHash: n.evidenceHash,
        detectedAt: n.detectedAt.toISOString(),
      })),
    });
  });

  // A body that is not JSON, or too large, is answered in JSON like every other API problem.
  router.use('/api/v1', ((err, _req, res, next) => {
    const type = (err as { type?: string }).type;
    if (type === 'entity.parse.failed') return problem(res, 400, '请求体不是有效的 JSON');
    if (type === 'entity.too.large') return problem(res, 413, '请求体过大');
    next(err);
  }) as express.ErrorRequestHandler);

  return router;
}
