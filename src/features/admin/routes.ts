import { Router } from 'express';
import { z } from 'zod';
import { parseId, pathId } from '../../platform/params.js';
import type { Services } from '../../services.js';
import { adminRoute, departmentScope, ROLE_LABELS, ROLES } from '../../platform/access.js';
import { AUDIT_ACTIONS } from '../../platform/audit.js';
import { NotFoundError } from '../../platform/errors.js';
import { parseForm } from '../../platform/forms.js';
import { hashPassword, passwordProblem, verifyPassword } from '../../platform/passwords.js';
import { keepSessionAtEpoch } from '../../platform/passport.js';
import { caseTodo } from '../cases/todo.js';

const password = z
  .string()
  .max(200, '密码过长')
  .superRefine((p, ctx) => {
    const problem = passwordProblem(p);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });

const newUserSchema = z
  .object({
    username: z
      .string()
      .trim()
      .min(3, '用户名至少 3 个字符')
      .max(64, '用户名最多 64 个字符')
      .regex(/^[a-z][a-z0-9_.-]*$/, '用户名只能包含小写字母、数字、下划线、点和连字符，并以字母开头'),
    displayName: z.string().trim().min(1, '请输入姓名').max(64, '姓名最多 64 个字符'),
    role: z.enum(ROLES as [string, ...string[]], { error: '请选择角色' }),
    departmentId: z
      .string()
      .trim()
      .optional()
      .refine((v) => !v || parseId(v) !== null, '请选择部门')
      .transform((v) => (v ? parseId(v) : null)),
    password,
    confirm: z.string(),
  })
  // Cross-field rules run even when a single field failed, so the summary lists every problem at once.
  .superRefine((v, ctx) => {
    if (v.password !== v.confirm) ctx.addIssue({ code: 'custom', path: ['confirm'], message: '两次输入的密码不一致' });
    if (v.role === 'clerk' && v.departmentId === null) ctx.addIssue({ code: 'custom', path: ['departmentId'], message: '部门填报员必须属于一个部门' });
  });

const passwordSchema = z.object({ current: z.string().min(1, '请输入当前密码'), password, confirm: z.string() }).superRefine((v, ctx) => {
  if (v.password !== v.confirm) ctx.addIssue({ code: 'custom', path: ['confirm'], message: '两次输入的密码不一致' });
  if (v.password === v.current) ctx.addIssue({ code: 'custom', path: ['password'], message: '新密码不能与当前密码相同' });
});

const resetSchema = z.object({ password, confirm: z.string() }).superRefine((v, ctx) => {
  if (v.password !== v.confirm) ctx.addIssue({ code: 'custom', path: ['confirm'], message: '两次输入的密码不一致' });
});

export function adminRoutes(deps: Services): Router {
  const router = Router();
  const roleOptions = ROLES.map((r) => ({ value: r, text: ROLE_LABELS[r] }));

  adminRoute(router, '/admin', 'GET', '/', async (req, res) => {
    const user = req.user!;
    const [counts, recent, todo] = await Promise.all([deps.stats.counts(), deps.auditLog.page(departmentScope(user), 1, 10), caseTodo(deps.cases, user)]);
    res.render('admin/dashboard.njk', {
      title: '控制台',
      nav: 'dashboard',
      counts,
      todo,
      recent: recent.rows.map((r) => ({ ...r, actionLabel: AUDIT_ACTIONS[r.action] ?? r.action })),
      scopeLabel: user.role === 'clerk' ? `本部门（${user.departmentName ?? '未分配部门'}）` : '全部部门',
    });
  });

  adminRoute(router, '/admin', 'GET', '/users', async (_req, res) => {
    const users = await deps.admin.listUsers();
    const now = new Date();
    res.render('admin/users.njk', {
      title: '用户管理',
      nav: 'users',
      users: users.map((u) => ({ ...u, roleLabel: ROLE_LABELS[u.role], locked: !!u.lockedUntil && u.lockedUntil > now })),
    });
  });

  const renderNewUser = async (res: import('express').Response, values: Record<string, unknown>, errors?: unknown, status = 200) => {
    res.status(status).render('admin/user-new.njk', {
      title: errors ? '错误：新建用户' : '新建用户',
      nav: 'users',
      values,
      errors,
      roleOptions,
      departmentOptions: (await deps.admin.departmentOptions()).map((d) => ({ value: String(d.id), text: d.name })),
    });
  };

  adminRoute(router, '/admin', 'GET', '/users/new', async (_req, res) => renderNewUser(res, { role: 'clerk' }));

  adminRoute(router, '/admin', 'POST', '/users', async (req, res) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const values = { username: body.username ?? '', displayName: body.displayName ?? '', role: body.role ?? '', departmentId: body.departmentId ?? '' };
    const parsed = parseForm(newUserSchema, body);
    const errors = parsed.ok ? { fields: {} as Record<string, string>, list: [] as { href: string; text: string }[] } : parsed.errors;
    if (parsed.ok) {
      if (await deps.admin.usernameTaken(parsed.data.username)) errors.fields.username = '该用户名已被使用';
      if (parsed.data.departmentId !== null && !(await deps.admin.departmentExists(parsed.data.departmentId)))
        errors.fields.departmentId = '部门不存在或已停用';
      errors.list = Object.entries(errors.fields).map(([k, text]) => ({ href: `#${k}`, text }));
    }
    if (!parsed.ok || errors.list.length) return renderNewUser(res, values, errors, 400);
    const d = parsed.data;
    const created = await deps.admin.createUser({
      username: d.username,
      displayName: d.displayName,
      role: d.role as (typeof ROLES)[number],
      departmentId: d.departmentId,
      passwordHash: await hashPassword(d.password),
    });
    await deps.audit.byRequest(req, {
      action: 'user.create',
      targetType: 'user',
      targetId: created.id,
      detail: { username: d.username, role: d.role, departmentId: d.departmentId },
    });
    req.session.flash = { kind: 'success', text: `已创建用户 ${d.username}` };
    res.redirect(303, '/admin/users');
  });

  const userAction = (path: string, action: 'user.disable' | 'user.enable' | 'user.unlock', data: Parameters<typeof deps.admin.updateUser>[1], done: string) =>
    adminRoute(router, '/admin', 'POST', path, async (req, res) => {
      const id = pathId(req, 'id', '用户不存在');
      if (action === 'user.disable' && id === req.user!.id) {
        req.session.flash = { kind: 'error', text: '不能停用自己的账号' };
        return res.redirect(303, '/admin/users');
      }
      const updated = await deps.admin.updateUser(id, data);
      if (!updated) throw new NotFoundError('用户不存在');
      await deps.audit.byRequest(req, { action, targetType: 'user', targetId: id, detail: { username: updated.username } });
      req.session.flash = { kind: 'success', text: `${done}：${updated.username}` };
      res.redirect(303, '/admin/users');
    });
  // Raising the epoch ends the user's sessions now, and keeps them ended if the account is enabled again.
  userAction('/users/:id/disable', 'user.disable', { disabled: true, sessionEpoch: { increment: 1 } }, '已停用');
  userAction('/users/:id/enable', 'user.enable', { disabled: false }, '已启用');
  userAction('/users/:id/unlock', 'user.unlock', { lockedUntil: null, failedLogins: 0 }, '已解除锁定');

  // An administrator sets a new password for a user who lost theirs; every session of that user ends.
  const renderReset = async (res: import('express').Response, id: number, errors?: unknown) => {
    const target = await deps.admin.userSummary(id);
    if (!target) throw new NotFoundError('用户不存在');
    res
      .status(errors ? 400 : 200)
      .render('admin/user-password.njk', { title: `${errors ? '错误：' : ''}重置密码 - ${target.username}`, nav: 'users', target, errors });
  };

  const notSelf = (req: import('express').Request, res: import('express').Response, id: number): boolean => {
    if (id !== req.user!.id) return true;
    req.session.flash = { kind: 'error', text: '请在「修改密码」页面修改自己的密码' };
    res.redirect(303, '/admin/account/password');
    return false;
  };

  adminRoute(router, '/admin', 'GET', '/users/:id/password', async (req, res) => {
    const id = pathId(req, 'id', '用户不存在');
    if (notSelf(req, res, id)) await renderReset(res, id);
  });

  adminRoute(router, '/admin', 'POST', '/users/:id/password', async (req, res) => {
    const id = pathId(req, 'id', '用户不存在');
    if (!notSelf(req, res, id)) return;
    const parsed = parseForm(resetSchema, req.body ?? {});
    if (!parsed.ok) return renderReset(res, id, parsed.errors);
    const target = await deps.admin.userSummary(id);
    if (!target) throw new NotFoundError('用户不存在');
    await deps.admin.setPasswordHash(id, await hashPassword(parsed.data.password), { unlock: true });
    await deps.audit.byRequest(req, { action: 'user.password.reset', targetType: 'user', targetId: id, detail: { username: target.username } });
    req.session.flash = { kind: 'success', text: `已重置 ${target.username} 的密码，其已登录的会话均已失效` };
    res.redirect(303, '/admin/users');
  });

  adminRoute(router, '/admin', 'GET', '/departments', async (req, res) => {
    const [departments, authorityCounts] = await Promise.all([deps.admin.listDepartments(), deps.authorities.countsByDepartment()]);
    res.render('admin/departments.njk', {
      title: '部门管理',
      nav: 'departments',
      departments: departments.map((d) => ({ ...d, authorities: authorityCounts.get(d.id) ?? 0 })),
      canManageAuthorities: req.user!.role === 'admin',
    });
  });

  adminRoute(router, '/admin', 'GET', '/account/password', (_req, res) => {
    res.render('admin/password.njk', { title: '修改密码', nav: 'password' });
  });

  adminRoute(router, '/admin', 'POST', '/account/password', async (req, res) => {
    const parsed = parseForm(passwordSchema, req.body ?? {});
    const user = req.user!;
    let errors = parsed.ok ? null : parsed.errors;
    if (parsed.ok) {
      const hash = await deps.admin.passwordHashOf(user.id);
      if (!hash || !(await verifyPassword(hash, parsed.data.current))) {
        errors = { fields: { current: '当前密码不正确' }, list: [{ href: '#current', text: '当前密码不正确' }] };
      }
    }
    // Passwords are never echoed back into the form.
    if (!parsed.ok || errors) return res.status(400).render('admin/password.njk', { title: '错误：修改密码', nav: 'password', errors });
    // Every other session of this user ends; this one stays signed in.
    keepSessionAtEpoch(req, await deps.admin.setPasswordHash(user.id, await hashPassword(parsed.data.password)));
    await deps.audit.byRequest(req, { action: 'user.password', targetType: 'user', targetId: user.id });
    req.session.flash = { kind: 'success', text: '密码已修改，您在其他地方的登录已失效' };
    res.redirect(303, '/admin');
  });

  return router;
}
