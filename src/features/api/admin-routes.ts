import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import type { Services } from '../../services.js';
import { adminRoute } from '../../platform/access.js';
import { NotFoundError } from '../../platform/errors.js';
import { pathId } from '../../platform/params.js';
import { parseForm, type FormErrors } from '../../platform/forms.js';
import { newApiKey } from './keys.js';

const keySchema = z.object({
  departmentId: z.coerce.number({ error: '请选择部门' }).int().positive('请选择部门'),
  name: z.string().trim().min(1, '请填写用途（如：市住建局招投标系统）').max(100, '最多 100 个字'),
});

/** API keys for department systems: created by an admin, shown once, stored hashed, revocable. */
export function apiKeyRoutes(deps: Services): Router {
  const router = Router();

  const render = async (
    res: Response,
    extra: { created?: { key: string; name: string }; errors?: FormErrors; values?: Record<string, string> } = {},
    status = 200,
  ) => {
    const [keys, departments] = await Promise.all([deps.api.keys(), deps.api.departmentOptions()]);
    // The page that shows a new key must not be cached anywhere.
    res.set('Cache-Control', 'no-store');
    res.status(status).render('api-keys/index.njk', {
      title: `${extra.errors ? '错误：' : ''}接口密钥`,
      nav: 'api-keys',
      keys,
      departmentOptions: [{ value: '', text: '请选择' }, ...departments.map((d) => ({ value: String(d.id), text: d.name }))],
      values: extra.values ?? {},
      errors: extra.errors,
      created: extra.created,
    });
  };

  adminRoute(router, '/admin', 'GET', '/api-keys', (_req, res) => render(res));

  adminRoute(router, '/admin', 'POST', '/api-keys', async (req: Request, res: Response) => {
    const body = (req.body ?? {}) as Record<string, string>;
    const parsed = parseForm(keySchema, body);
    if (!parsed.ok) return render(res, { errors: parsed.errors, values: body }, 400);
    const { key, prefix, hash } = newApiKey();
    const keyId = await deps.api.createKey({ departmentId: parsed.data.departmentId, name: parsed.data.name, prefix, hash, createdById: req.user!.id });
    await deps.audit.byRequest(req, {
      action: 'apikey.create',
      targetType: 'apiKey',
      targetId: keyId,
      detail: { prefix, departmentId: parsed.data.departmentId },
    });
    // Shown in this response only; after this page is left the key cannot be seen again.
    await render(res, { created: { key, name: parsed.data.name } });
  });

  adminRoute(router, '/admin', 'POST', '/api-keys/:id/revoke', async (req, res) => {
    const id = pathId(req, 'id', '密钥不存在');
    const found = await deps.api.revoke(id);
    if (!found) throw new NotFoundError('密钥不存在');
    await deps.audit.byRequest(req, { action: 'apikey.revoke', targetType: 'apiKey', targetId: id, detail: { prefix: found.prefix } });
    req.session.flash = { kind: 'success', text: `已吊销密钥 ${found.prefix}…` };
    res.redirect(303, '/admin/api-keys');
  });

  return router;
}
