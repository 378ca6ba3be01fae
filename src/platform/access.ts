import type { NextFunction, Request, RequestHandler, Response, Router } from 'express';
import type { Role } from '../generated/prisma/enums.js';
import type { AuditLog } from './audit.js';
import { ForbiddenError } from './errors.js';

export type { Role };
export const ROLES: readonly Role[] = ['clerk', 'reviewer', 'admin'];
export const ROLE_LABELS: Record<Role, string> = { clerk: '部门填报员', reviewer: '信用办审核员', admin: '系统管理员' };

type Method = 'GET' | 'POST';

/**
 * Who may call each back-office route: the single source of truth. A route registered through
 * `adminRoute` without an entry here fails at start-up, and the authorisation test walks the app's
 * router, so a route added behind this table's back fails there.
 */
export const ACCESS: Record<string, readonly Role[]> = {
  'GET /admin': ['clerk', 'reviewer', 'admin'],
  'GET /admin/account/password': ['clerk', 'reviewer', 'admin'],
  'POST /admin/account/password': ['clerk', 'reviewer', 'admin'],
  'GET /admin/audit': ['admin'],
  'GET /admin/users': ['admin'],
  'GET /admin/users/new': ['admin'],
  'POST /admin/users': ['admin'],
  'POST /admin/users/:id/disable': ['admin'],
  'POST /admin/users/:id/enable': ['admin'],
  'POST /admin/users/:id/unlock': ['admin'],
  'GET /admin/users/:id/password': ['admin'],
  'POST /admin/users/:id/password': ['admin'],
  'GET /admin/departments': ['reviewer', 'admin'],
  // Which authorities a department may report in the name of: decided by admins only.
  'GET /admin/departments/:id/authorities': ['admin'],
  'POST /admin/departments/:id/authorities': ['admin'],
  'POST /admin/departments/:id/authorities/:authorityId/remove': ['admin'],
  'GET /admin/timeliness': ['reviewer', 'admin'],
  'GET /admin/statistics': ['reviewer', 'admin'],
  // 「我为政府网站找错」: the credit office runs the site and answers its visitors.
  'GET /admin/feedback': ['reviewer', 'admin'],
  'GET /admin/feedback/:id': ['reviewer', 'admin'],
  'POST /admin/feedback/:id': ['reviewer', 'admin'],
  'GET /admin/exports': ['reviewer', 'admin'],
  'GET /admin/exports/files/:id': ['reviewer', 'admin'],
  'GET /admin/exports/files/:id/download': ['reviewer', 'admin'],
  // 红黑榜: clerks nominate for their department; the credit office (reviewer) reviews, publishes and records exits.
  'GET /admin/nominations': ['clerk', 'reviewer', 'admin'],
  'GET /admin/nominations/new': ['clerk'],
  'POST /admin/nominations': ['clerk'],
  'GET /admin/nominations/:id': ['clerk', 'reviewer', 'admin'],
  'GET /admin/nominations/:id/attachments/:attachmentId': ['clerk', 'reviewer', 'admin'],
  'POST /admin/nominations/:id/review': ['reviewer'],
  'GET /admin/list-issues': ['reviewer', 'admin'],
  'POST /admin/list-issues': ['reviewer'],
  'GET /admin/list-issues/:id': ['reviewer', 'admin'],
  'POST /admin/list-issues/:id/entries': ['reviewer'],
  'POST /admin/list-issues/:id/entries/:entryId/remove': ['reviewer'],
  'POST /admin/list-issues/:id/publish': ['reviewer'],
  'POST /admin/list-issues/:id/notices': ['reviewer'],
  'POST /admin/list-entries/:id/exit': ['reviewer'],
  // List procedures (条例 Art. 28, 35): the nominating department or the credit office serves the prior notice and
  // records a review request; only the credit office withdraws a red-list entry whose objection was upheld.
  'GET /admin/nominations/:id/prior-notice.pdf': ['clerk', 'reviewer', 'admin'],
  'POST /admin/nominations/:id/prior-notice': ['clerk', 'reviewer'],
  'POST /admin/nominations/:id/review-request': ['clerk', 'reviewer'],
  'POST /admin/list-entries/:id/withdraw': ['reviewer'],
  // 联合奖惩: the credit office keeps the catalogue; implementing departments' clerks give feedback on their tasks.
  // 公共信用信息目录 (条例 Art. 11): kept by the credit office; its 共享属性 decide what the public pages show.
  'GET /admin/catalogue': ['reviewer', 'admin'],
  'GET /admin/catalogue/:id': ['reviewer', 'admin'],
  'POST /admin/catalogue/:id': ['reviewer', 'admin'],
  'GET /admin/measures': ['reviewer', 'admin'],
  'POST /admin/measures': ['reviewer'],
  'POST /admin/measures/:id/deactivate': ['reviewer'],
  'GET /admin/measures/stats': ['reviewer', 'admin'],
  'GET /admin/tasks': ['clerk', 'reviewer', 'admin'],
  'POST /admin/tasks/:id/feedback': ['clerk'],
  // 条例 Art. 42: revocations and whether they left publication within 1 working day (a clerk sees its own).
  'GET /admin/revocations': ['clerk', 'reviewer', 'admin'],
  'GET /admin/credit-check': ['clerk', 'reviewer', 'admin'],
  'POST /admin/credit-check': ['clerk', 'reviewer', 'admin'],
  'GET /admin/credit-check/:id': ['clerk', 'reviewer', 'admin'],
  'GET /admin/credit-check/:id/report.xlsx': ['clerk', 'reviewer', 'admin'],
  'GET /admin/credit-check/:id/report.pdf': ['clerk', 'reviewer', 'admin'],
  'GET /admin/commitments': ['clerk', 'reviewer', 'admin'],
  'GET /admin/commitments/new': ['clerk'],
  'POST /admin/commitments': ['clerk'],
  'POST /admin/commitments/:id/fulfilment': ['clerk'],
  'GET /admin/articles': ['reviewer', 'admin'],
  'GET /admin/articles/new': ['reviewer', 'admin'],
  'POST /admin/articles': ['reviewer', 'admin'],
  'GET /admin/articles/:id/edit': ['reviewer', 'admin'],
  'POST /admin/articles/:id': ['reviewer', 'admin'],
  'POST /admin/articles/:id/attachments': ['reviewer', 'admin'],
  'GET /admin/articles/:id/attachments/:attachmentId': ['reviewer', 'admin'],
  'POST /admin/articles/:id/attachments/:attachmentId/delete': ['reviewer', 'admin'],
  'GET /admin/api-keys': ['admin'],
  'POST /admin/api-keys': ['admin'],
  'POST /admin/api-keys/:id/revoke': ['admin'],
  'GET /admin/api-keys/:id/deliveries': ['admin'],
  // 关注名单 and 「关注动态」 (issue #17): department work; a clerk's own department, the credit office reads all.
  'GET /admin/watch-lists': ['clerk', 'reviewer'],
  'POST /admin/watch-lists': ['clerk', 'reviewer'],
  'POST /admin/watch-lists/scan': ['clerk', 'reviewer'],
  'GET /admin/watch-lists/:id': ['clerk', 'reviewer'],
  'POST /admin/watch-lists/:id/codes': ['clerk', 'reviewer'],
  'POST /admin/watch-lists/:id/codes/remove': ['clerk', 'reviewer'],
  'POST /admin/watch-lists/:id/delete': ['clerk', 'reviewer'],
  'GET /admin/watch-notices': ['clerk', 'reviewer'],
  'POST /admin/watch-notices/read': ['clerk', 'reviewer'],
  'GET /admin/watch-notices/:id': ['clerk', 'reviewer'],
  // 异议: the credit office accepts or refuses; the source department's clerk answers an accepted one.
  'GET /admin/objections': ['clerk', 'reviewer', 'admin'],
  'GET /admin/objections/:id': ['clerk', 'reviewer', 'admin'],
  'GET /admin/objections/:id/attachments/:attachmentId': ['clerk', 'reviewer', 'admin'],
  'POST /admin/objections/:id/decision': ['reviewer'],
  'POST /admin/objections/:id/answer': ['clerk'],
  'POST /admin/objections/:id/settle': ['reviewer'],
  // 条例 Art. 41 pauses: the office on any open case, the department while it verifies (checked in the service).
  'POST /admin/objections/:id/pause': ['clerk', 'reviewer'],
  'POST /admin/objections/:id/resume': ['clerk', 'reviewer'],
  // 信用修复: the source department, then the credit office, approve; the office keeps the rules.
  'GET /admin/repairs': ['clerk', 'reviewer', 'admin'],
  'GET /admin/repairs/:id': ['clerk', 'reviewer', 'admin'],
  'GET /admin/repairs/:id/attachments/:attachmentId': ['clerk', 'reviewer', 'admin'],
  'POST /admin/repairs/:id/department': ['clerk'],
  'POST /admin/repairs/:id/office': ['reviewer'],
  // 档案化申请 (条例 Art. 44): the credit office decides; the department sees its penalties' requests.
  'GET /admin/archive-requests': ['clerk', 'reviewer', 'admin'],
  'GET /admin/archive-requests/:id': ['clerk', 'reviewer', 'admin'],
  'GET /admin/archive-requests/:id/attachments/:attachmentId': ['clerk', 'reviewer', 'admin'],
  'POST /admin/archive-requests/:id/office': ['reviewer'],
  'GET /admin/repair-rules': ['reviewer', 'admin'],
  'POST /admin/repair-rules': ['reviewer'],
  // The severity-tier rules (docs/domain.md): kept by the credit office.
  'GET /admin/tier-rules': ['reviewer', 'admin'],
  'POST /admin/tier-rules': ['reviewer'],
  // The working-day calendar's schedules for years after the built-in data.
  'GET /admin/holidays': ['reviewer', 'admin'],
  'POST /admin/holidays': ['reviewer', 'admin'],
  'GET /admin/imports': ['clerk', 'reviewer', 'admin'],
  'GET /admin/imports/new': ['clerk'],
  'POST /admin/imports': ['clerk'],
  'GET /admin/imports/templates/:file': ['clerk', 'reviewer', 'admin'],
  'GET /admin/imports/:id': ['clerk', 'reviewer', 'admin'],
  // 双公示 records: clerks report for their own department; the credit office and admins read everything.
  ...recordRoutes('permits'),
  ...recordRoutes('penalties'),
};

function recordRoutes(plural: string): Record<string, readonly Role[]> {
  const base = `/admin/${plural}`;
  return {
    [`GET ${base}`]: ['clerk', 'reviewer', 'admin'],
    [`GET ${base}/new`]: ['clerk'],
    [`POST ${base}`]: ['clerk'],
    [`GET ${base}/:id`]: ['clerk', 'reviewer', 'admin'],
    [`GET ${base}/:id/edit`]: ['clerk'],
    [`POST ${base}/:id`]: ['clerk'],
    [`POST ${base}/:id/withdraw`]: ['clerk'],
    [`POST ${base}/:id/revoke`]: ['clerk'],
    // 条例 Art. 20: the deciding department records a 复议/诉讼 against its penalty and the outcome.
    ...(plural === 'penalties'
      ? { [`POST ${base}/:id/challenges`]: ['clerk'] as const, [`POST ${base}/:id/challenges/:challengeId/outcome`]: ['clerk'] as const }
      : {}),
  };
}

/** Routes under /admin that need no session (the sign-in itself). */
export const PUBLIC_ADMIN_ROUTES: ReadonlySet<string> = new Set(['GET /admin/login', 'POST /admin/login', 'POST /admin/logout']);

export function accessKey(method: string, path: string): string {
  return `${method.toUpperCase()} ${path}`;
}

export function requireSignedIn(req: Request, res: Response, next: NextFunction): void {
  if (req.user) return next();
  // Only GETs come back after sign-in; a POST's body is gone anyway.
  const back = req.method === 'GET' ? `?next=${encodeURIComponent(req.originalUrl)}` : '';
  res.redirect(303, `/admin/login${back}`);
}

export function requireRole(roles: readonly Role[]): RequestHandler {
  return (req, res, next) => {
    noteRoute(req, res);
    if (!req.user) return requireSignedIn(req, res, next);
    if (!roles.includes(req.user.role)) return next(new ForbiddenError(undefined, 'role'));
    next();
  };
}

interface RouteNote {
  /** Method and path pattern, e.g. `GET /admin/penalties/:id`: never a value typed into a URL. */
  route: string;
  params: Record<string, string | string[]>;
}

/**
 * Remembers the matched route and its parameters for the refusal audit: by the time the error handler runs,
 * Express has restored the parent router's (empty) params and base URL.
 */
function noteRoute(req: Request, res: Response): void {
  res.locals.accessRoute ??= {
    route: `${req.method} ${req.baseUrl}${req.route ? String(req.route.path) : req.path}`,
    params: { ...req.params },
  } satisfies RouteNote;
}

/**
 * Writes a refused back-office request (403) to the audit log: who, which route, which target, and why. The app's
 * error handler calls it for every ForbiddenError, whichever check threw it, so each refusal is written once.
 */
export async function auditRefusal(audit: AuditLog, req: Request, res: Response, err: ForbiddenError): Promise<void> {
  const note = res.locals.accessRoute as RouteNote | undefined;
  const route = note?.route ?? `${req.method} ${req.baseUrl}${req.path}`;
  const { id, ...otherParams } = note?.params ?? {};
  await audit.byRequest(req, {
    action: 'access.denied',
    ...(id === undefined ? {} : { targetType: /^\w+ \/admin\/([a-z-]+)/.exec(route)?.[1] ?? 'unknown', targetId: String(id) }),
    detail: {
      route,
      reason: err.reason,
      message: err.message,
      role: req.user?.role ?? null,
      ...(Object.keys(otherParams).length ? { params: otherParams } : {}),
    },
  });
}

/** Registers a back-office route with the roles the ACCESS table gives it. `mount` is where the router is mounted. */
export function adminRoute(router: Router, mount: string, method: Method, path: string, ...handlers: RequestHandler[]): void {
  const key = accessKey(method, `${mount}${path === '/' ? '' : path}`);
  const roles = ACCESS[key];
  if (!roles) throw new Error(`route ${key} has no entry in ACCESS (src/platform/access.ts)`);
  const register = method === 'GET' ? router.get.bind(router) : router.post.bind(router);
  register(path, requireSignedIn, requireRole(roles), ...handlers);
}

/**
 * The department filter for back-office reads: a clerk sees their own department only; the credit
 * office and admins see every department. Every back-office query of departmental data goes through this.
 */
export function departmentScope(user: Express.User): { departmentId?: number } {
  if (user.role === 'clerk') return { departmentId: user.departmentId ?? -1 };
  return {};
}

export function canSeeDepartment(user: Express.User, departmentId: number | null): boolean {
  return user.role !== 'clerk' || (departmentId !== null && user.departmentId === departmentId);
}
