import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import type { Services } from '../../services.js';
import { adminRoute } from '../../platform/access.js';
import { NotFoundError } from '../../platform/errors.js';
import { pathId } from '../../platform/params.js';
import { formValues, parseForm, type FormErrors } from '../../platform/forms.js';
import { SHARING_LABELS, SHARING_LEVELS, appliedFieldByField, type SharingLevel } from './codes.js';
import { lockedFieldCodes } from './service.js';

const text = (label: string, max: number) =>
  z
    .string({ error: `请填写${label}` })
    .trim()
    .min(1, `请填写${label}`)
    .max(max, `${label}最多 ${max} 个字`);

const itemSchema = z.object({
  name: text('数据名称', 100),
  format: text('数据格式', 100),
  provider: text('提供单位', 300),
  subjectTypes: text('主体类型', 200),
  nature: text('信息性质', 50),
  sharing: z.enum(SHARING_LEVELS as [SharingLevel, ...SharingLevel[]], { error: '请选择共享属性' }),
  coverage: text('覆盖范围', 200),
  updateCycle: text('更新周期', 50),
});
const ITEM_KEYS = ['name', 'format', 'provider', 'subjectTypes', 'nature', 'sharing', 'coverage', 'updateCycle'] as const;
const sharingOptions = SHARING_LEVELS.map((v) => ({ value: v, text: SHARING_LABELS[v] }));

type ItemRow = NonNullable<Awaited<ReturnType<Services['catalogue']['repo']['item']>>>;

/** An item as the pages show it: labels for its 共享属性 and its fields'. */
function viewItem(item: ItemRow) {
  const locked = lockedFieldCodes(item.code);
  return {
    ...item,
    sharingLabel: SHARING_LABELS[item.sharing],
    fields: item.fields.map((f) => ({ ...f, sharingLabel: SHARING_LABELS[f.sharing], locked: locked.has(f.code) })),
  };
}

/** 公共信用信息目录 (条例 Art. 11): the public page and the credit office's maintenance of it. */
export function catalogueRoutes(deps: Services): Router {
  const router = Router();

  router.get('/catalogue', async (_req, res) => {
    const items = (await deps.catalogue.repo.items()).map(viewItem);
    res.render('catalogue/public.njk', { title: '公共信用信息目录', nav: 'catalogue', items });
  });

  adminRoute(router, '', 'GET', '/admin/catalogue', async (_req, res) => {
    const items = (await deps.catalogue.repo.items()).map(viewItem);
    res.render('catalogue/admin-list.njk', { title: '公共信用信息目录', nav: 'catalogue', items });
  });

  const renderEdit = async (res: Response, item: ItemRow, values?: Record<string, string>, errors?: FormErrors, status = 200) => {
    const v = viewItem(item);
    res.status(status).render('catalogue/admin-edit.njk', {
      title: `${errors ? '错误：' : ''}编辑目录：${item.name}`,
      nav: 'catalogue',
      item: v,
      applied: appliedFieldByField(item.code),
      values: values ?? {
        ...Object.fromEntries(ITEM_KEYS.map((k) => [k, String(item[k])])),
        ...Object.fromEntries(item.fields.map((f) => [`field_${f.id}`, f.sharing])),
      },
      sharingOptions,
      errors,
    });
  };

  const loadItem = async (req: Request) => {
    const item = await deps.catalogue.repo.item(pathId(req, 'id', '该目录项不存在'));
    if (!item) throw new NotFoundError('该目录项不存在');
    return item;
  };

  adminRoute(router, '', 'GET', '/admin/catalogue/:id', async (req, res) => renderEdit(res, await loadItem(req)));

  adminRoute(router, '', 'POST', '/admin/catalogue/:id', async (req, res) => {
    const item = await loadItem(req);
    const body = (req.body ?? {}) as Record<string, unknown>;
    const fieldKeys = item.fields.map((f) => `field_${f.id}`);
    const values = formValues(body, [...ITEM_KEYS, ...fieldKeys]);
    const parsed = parseForm(itemSchema, formValues(body, ITEM_KEYS));
    const errors: FormErrors = parsed.ok ? { fields: {}, list: [] } : parsed.errors;
    const locked = lockedFieldCodes(item.code);
    const levels = new Map<number, SharingLevel>();
    for (const f of item.fields) {
      const key = `field_${f.id}`;
      // A field the law keeps off public pages has no choice on the form; whatever is sent for it is ignored.
      if (locked.has(f.code)) continue;
      const raw = values[key];
      if (!raw) continue;
      if (!(SHARING_LEVELS as readonly string[]).includes(raw)) {
        const msg = `请为信息项“${f.label}”选择共享属性`;
        errors.fields[key] = msg;
        errors.list.push({ href: `#${key}`, text: msg });
        continue;
      }
      levels.set(f.id, raw as SharingLevel);
    }
    if (!parsed.ok || errors.list.length) return renderEdit(res, item, values, errors, 400);
    await deps.catalogue.update(req, item.id, parsed.data, levels);
    req.session.flash = { kind: 'success', text: `已保存目录项“${parsed.data.name}”，公开页面随即按新的共享属性显示` };
    res.redirect(303, '/admin/catalogue');
  });

  return router;
}
