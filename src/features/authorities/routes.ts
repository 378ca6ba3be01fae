import { Router, type Response } from 'express';
import { z } from 'zod';
import type { Services } from '../../services.js';
import { adminRoute } from '../../platform/access.js';
import { NotFoundError } from '../../platform/errors.js';
import { pathId } from '../../platform/params.js';
import { parseForm, type FormErrors } from '../../platform/forms.js';
import { validateUscc } from '../../domain/identifiers.js';

const KINDS = [
  { value: 'permits', text: '行政许可（许可机关）' },
  { value: 'penalties', text: '行政处罚（处罚机关）' },
] as const;

const MAX_ALIASES = 10;

const authoritySchema = z
  .object({
    name: z.string().trim().min(1, '请填写机关名称').max(200, '机关名称最多 200 个字'),
    uscc: z
      .string()
      .trim()
      .transform((v, ctx) => {
        const r = validateUscc(v);
        if (!r.ok) ctx.addIssue({ code: 'custom', message: `统一社会信用代码：${r.reason}` });
        else if (r.placeholder) ctx.addIssue({ code: 'custom', message: '统一社会信用代码不能使用占位代码 00000000000000000X' });
        return r.ok ? r.value : '';
      }),
    // One alias per line (、，, also separate), as names are pasted from decisions.
    aliases: z
      .string()
      .max(4000, '别名过长')
      .optional()
      .transform((v) => [
        ...new Set(
          (v ?? '')
            .split(/[\r\n、，,；;]+/)
            .map((a) => a.trim())
            .filter(Boolean),
        ),
      ])
      .pipe(z.array(z.string().max(200, '每个别名最多 200 个字')).max(MAX_ALIASES, `别名最多 ${MAX_ALIASES} 个`)),
    kinds: z
      .union([z.string(), z.array(z.string())])
      .optional()
      .transform((v) => (v === undefined ? [] : Array.isArray(v) ? v : [v]))
      .pipe(z.array(z.enum(['permits', 'penalties'], { error: '报送范围无效' })).min(1, '请至少选择一种报送范围')),
  })
  .superRefine((v, ctx) => {
    if (v.aliases.includes(v.name)) ctx.addIssue({ code: 'custom', path: ['aliases'], message: '别名不能与机关名称相同' });
  });

/** Admins keep the list of authorities each department may report in the name of. */
export function authorityRoutes(deps: Services): Router {
  const router = Router();

  const render = async (res: Response, id: number, opts: { values?: Record<string, unknown>; errors?: FormErrors; status?: number } = {}) => {
    const department = await deps.authorities.department(id);
    if (!department) throw new NotFoundError('部门不存在');
    const rows = await deps.authorities.listForAdmin(id);
    res.status(opts.status ?? 200).render('admin/department-authorities.njk', {
      title: `${opts.errors ? '错误：' : ''}可报送机关 - ${department.name}`,
      nav: 'departments',
      department,
      rows,
      kindOptions: KINDS,
      values: opts.values ?? { kinds: ['permits', 'penalties'] },
      errors: opts.errors,
    });
  };

  adminRoute(router, '/admin', 'GET', '/departments/:id/authorities', async (req, res) => render(res, pathId(req, 'id', '部门不存在')));

  adminRoute(router, '/admin', 'POST', '/departments/:id/authorities', async (req, res) => {
    const id = pathId(req, 'id', '部门不存在');
    const body = (req.body ?? {}) as Record<string, unknown>;
    const kinds = body.kinds === undefined ? [] : ([] as unknown[]).concat(body.kinds).map(String);
    const values = { name: body.name ?? '', uscc: body.uscc ?? '', aliases: body.aliases ?? '', kinds };
    const parsed = parseForm(authoritySchema, body);
    if (!parsed.ok) return render(res, id, { values, errors: parsed.errors, status: 400 });
    if (!(await deps.authorities.department(id))) throw new NotFoundError('部门不存在');
    const { name, uscc, aliases } = parsed.data;
    const { before, saved } = await deps.authorities.save(id, {
      name,
      uscc,
      aliases,
      permits: parsed.data.kinds.includes('permits'),
      penalties: parsed.data.kinds.includes('penalties'),
    });
    const after = { name: saved.name, uscc: saved.uscc, aliases: saved.aliases, permits: saved.permits, penalties: saved.penalties };
    // The target is the mapping row: an all-digit code looks like an ID number and is masked in the detail.
    await deps.audit.byRequest(req, {
      action: before ? 'authority.update' : 'authority.add',
      targetType: 'department_authority',
      targetId: saved.id,
      detail: {
        departmentId: id,
        ...(before
          ? { before: { name: before.name, aliases: before.aliases, permits: before.permits, penalties: before.penalties, active: before.active }, after }
          : after),
      },
    });
    req.session.flash = { kind: 'success', text: `${before ? '已更新' : '已添加'}可报送机关：${saved.name}（${saved.uscc}）` };
    res.redirect(303, `/admin/departments/${id}/authorities`);
  });

  adminRoute(router, '/admin', 'POST', '/departments/:id/authorities/:authorityId/remove', async (req, res) => {
    const id = pathId(req, 'id', '部门不存在');
    const removed = await deps.authorities.remove(id, pathId(req, 'authorityId', '该机关不在本部门的列表中'));
    if (!removed) throw new NotFoundError('该机关不在本部门的列表中');
    if (removed.active) {
      await deps.audit.byRequest(req, {
        action: 'authority.remove',
        targetType: 'department_authority',
        targetId: removed.id,
        detail: { departmentId: id, name: removed.name, uscc: removed.uscc },
      });
    }
    req.session.flash = { kind: 'success', text: `已移除可报送机关：${removed.name}（${removed.uscc}）。已报送的记录不受影响，此后不能再以该机关名义报送。` };
    res.redirect(303, `/admin/departments/${id}/authorities`);
  });

  return router;
}
