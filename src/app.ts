import { readdirSync } from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import express, { type ErrorRequestHandler, type Express, type Response, type Router } from 'express';
import helmet from 'helmet';
import type { AppDeps } from './deps.js';
import { ROLE_LABELS, auditRefusal } from './platform/access.js';
import { csrfLocals, csrfProtection, isCsrfError } from './platform/csrf.js';
import { ForbiddenError, HttpError, isInputDatabaseError, isStatementTimeout } from './platform/errors.js';
import { isConnectionError } from './platform/database/pool.js';
import { absoluteLifetime, sessionMiddleware, sessionStarted, withSessionCookie } from './platform/session.js';
import { replicaReads } from './platform/database/replicas.js';
import { configureViews } from './platform/views.js';
import { installPassport } from './platform/passport.js';
import { requestLog } from './platform/request-log.js';
import { homeRoutes } from './features/home/routes.js';
import { healthRoutes } from './features/health/routes.js';
import { authRoutes } from './features/auth/routes.js';
import { auditRoutes } from './features/audit/routes.js';
import { adminRoutes } from './features/admin/routes.js';
import { authorityRoutes } from './features/authorities/routes.js';
import { publicityAdminRoutes } from './features/publicity/admin-routes.js';
import { disclosureAdminRoutes } from './features/disclosure/routes.js';
import { publicityPublicRoutes } from './features/publicity/public-routes.js';
import { timelinessRoutes } from './features/timeliness/routes.js';
import { importRoutes, uploadMiddleware } from './features/imports/routes.js';
import { CASE_FILING_PATHS, caseRoutes, caseUploadMiddleware } from './features/cases/routes.js';
import { repairRuleRoutes } from './features/cases/repair/rules-routes.js';
import { holidayRoutes } from './features/holidays/routes.js';
import { tierRuleRoutes } from './features/publicity/tier-rule-routes.js';
import { exportRoutes } from './features/exports/routes.js';
import { reportRoutes, reportUploadMiddleware } from './features/reports/routes.js';
import { searchRoutes } from './features/search/routes.js';
import { subjectRoutes } from './features/subjects/routes.js';
import { listAdminRoutes } from './features/lists/admin-routes.js';
import { listPublicRoutes } from './features/lists/public-routes.js';
import { publicStatisticsRoutes, statisticsRoutes } from './features/statistics/routes.js';
import { measureRoutes } from './features/measures/routes.js';
import { apiRoutes } from './features/api/routes.js';
import { apiKeyRoutes } from './features/api/admin-routes.js';
import { codeListUpload, creditCheckRoutes } from './features/credit-check/routes.js';
import { attachmentUpload } from './platform/attachments.js';
import { articleAttachmentUpload, articleRoutes } from './features/articles/routes.js';
import { commitmentRoutes } from './features/commitments/routes.js';
import { catalogueRoutes } from './features/catalogue/routes.js';
import { isLocalUrl, type SiteIdentity } from './config.js';
import { countyRoutes } from './features/counties/routes.js';
import { siteRoutes } from './features/site/routes.js';
import { feedbackAdminRoutes } from './features/site/admin-routes.js';
import { openDataRoutes } from './features/open-data/routes.js';
import { publicApiRoutes } from './features/open-data/api-routes.js';
import { watchListRoutes, watchListUpload, watchUnreadCount } from './features/watch-lists/routes.js';

export const PUBLIC_DIR = path.resolve(import.meta.dirname, '../public');

export interface AppOptions {
  env: 'development' | 'production' | 'test';
  sessionSecret: string;
  /** Behind a TLS-terminating proxy: Secure cookies, HSTS, and req.ip from X-Forwarded-For. */
  trustProxy?: boolean;
  loginLimit?: { windowMs: number; limit: number };
  /** Natural-person lookups per IP. */
  personLimit?: { windowMs: number; limit: number };
  /** Credit reports issued per IP. */
  reportLimit?: { windowMs: number; limit: number };
  /** public objection and repair submissions per IP */
  caseLimit?: { windowMs: number; limit: number };
  /** 「我为政府网站找错」 submissions per IP */
  feedbackLimit?: { windowMs: number; limit: number };
  /** API calls per key. */
  apiLimit?: { windowMs: number; limit: number };
  /** Public read API calls per IP. */
  publicApiLimit?: { windowMs: number; limit: number };
  /** per IP, on the public changes feed (no key) */
  feedLimit?: { windowMs: number; limit: number };
  /** Public address printed on credit reports (their QR codes point to its /reports/:no). */
  publicUrl?: string;
  /** ICP number, 网站标识码, 公安备案号, address and phone for the footer; what is unset is not shown. */
  site?: SiteIdentity;
  /** How long a sign-in lasts however active it is (default 12 hours). */
  sessionAbsoluteMs?: number;
}

/**
 * Puts a feature router's routes and middleware on the app's own router, in order, instead of mounting the router
 * as one layer: a mounted router runs its own dispatch for every request that passes it (closures, the saved
 * baseUrl/params, a fresh `next`), and a public page passed some twenty of them before its own. The feature routers
 * are all mounted at the root, use no router.param and no next('router'), so their layers behave the same in the
 * app's router.
 */
function mountRoutes(app: Express, router: Router): void {
  (app.router as unknown as { stack: unknown[] }).stack.push(...(router as unknown as { stack: unknown[] }).stack);
}

export function createApp(deps: AppDeps, opts: AppOptions): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', opts.trustProxy ? 1 : false);
  configureViews(app, { noCache: opts.env === 'development' });

  // One line per request with an id that the response carries (X-Request-Id) and every log line of the request
  // repeats; only method, URL and status, never headers (cookies), and the logger masks ID numbers in the URL.
  app.use(requestLog(app, deps.log.pino, { ignore: (req) => req.url === '/healthz' }));

  app.use(
    helmet({
      contentSecurityPolicy: {
        useDefaults: false,
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'"],
          styleSrc: ["'self'"],
          imgSrc: ["'self'", 'data:'],
          fontSrc: ["'self'"],
          connectSrc: ["'self'"],
          formAction: ["'self'"],
          frameAncestors: ["'none'"],
          objectSrc: ["'none'"],
          baseUri: ["'self'"],
          // Only behind TLS; on plain http://localhost it would break every asset.
          ...(opts.trustProxy ? { upgradeInsecureRequests: [] } : {}),
        },
      },
      strictTransportSecurity: opts.trustProxy ? { maxAge: 31536000, includeSubDomains: true } : false,
      referrerPolicy: { policy: 'strict-origin-when-cross-origin' },
    }),
  );

  // Only paths under public/'s own top-level entries reach the static handler: for every other request it would stat a
  // file that is not there, and that failed stat cost more than the rest of a cached page's middleware together.
  const assets = express.static(PUBLIC_DIR, { maxAge: opts.env === 'production' ? '1d' : 0, index: false });
  const assetRoots = new Set(readdirSync(PUBLIC_DIR));
  app.use((req, res, next) => (assetRoots.has(req.path.split('/', 2)[1]!) ? assets(req, res, next) : next()));
  // Probes and the department API need no session (and get no cookie).
  mountRoutes(app, healthRoutes(deps));
  // Before apiRoutes, whose last handler answers every other /api path with 404.
  mountRoutes(app, publicApiRoutes(deps, { ...(opts.publicApiLimit ? { limit: opts.publicApiLimit } : {}) }));
  mountRoutes(app, apiRoutes(deps, { ...(opts.apiLimit ? { limit: opts.apiLimit } : {}), ...(opts.feedLimit ? { feedLimit: opts.feedLimit } : {}) }));

  app.use(express.urlencoded({ extended: false, limit: '200kb' }));
  app.use(sessionMiddleware({ pool: deps.pool, secret: opts.sessionSecret, secureCookies: !!opts.trustProxy }));
  app.use(absoluteLifetime(opts.sessionAbsoluteMs));
  installPassport(app, deps.passport);
  app.use(withSessionCookie(deps.passport.session()));
  // Anonymous GET pages may read from a streaming replica; signed-in users read their own writes from the primary.
  if (deps.replicas) app.use(replicaReads());
  app.use(csrfLocals);
  // Browsers follow a redirect as soon as its headers arrive, before express-session has stored the session, so a
  // flash message set just before a redirect could be missing on the next page. Store it first, then redirect.
  // On the app's response prototype rather than per request: a request without a session redirects as before.
  const redirect = app.response.redirect as (this: Response, ...args: unknown[]) => void;
  app.response.redirect = function (this: Response, ...args: unknown[]) {
    const req = this.req;
    if (sessionStarted(req) && req.session.flash) req.session.save(() => redirect.apply(this, args));
    else redirect.apply(this, args);
  } as typeof app.response.redirect;
  // The same for every request, so set once: templates see app.locals as they see res.locals.
  app.locals.env = opts.env;
  app.locals.site = opts.site ?? {};
  // A report made with a local address carries a QR code only this machine can open: the report pages say so.
  app.locals.localPublicUrl = opts.publicUrl && isLocalUrl(opts.publicUrl) ? opts.publicUrl : null;
  // The address the QR codes of admin documents (信用核查报告, 事前告知书) print, as reportRoutes' baseUrl.
  if (opts.publicUrl) app.locals.publicUrl = opts.publicUrl;
  app.use((req, res, next) => {
    res.locals.user = req.user ? { ...req.user, roleLabel: ROLE_LABELS[req.user.role] } : null;
    res.locals.isAdminArea = req.path === '/admin' || req.path.startsWith('/admin/');
    res.locals.flash = null;
    // Only a page the browser navigates to takes the flash; a background request (favicon, asset) must not eat it.
    if (sessionStarted(req) && req.session.flash && req.method === 'GET' && (!req.headers.accept || req.headers.accept.includes('text/html'))) {
      res.locals.flash = req.session.flash;
      delete req.session.flash;
    }
    if (res.locals.isAdminArea) res.set('Cache-Control', 'no-store');
    next();
  });
  // The upload's multipart body must be parsed before the CSRF check can read its token.
  app.post('/admin/imports', ...uploadMiddleware(deps.uploadDir));
  app.post('/admin/nominations', ...attachmentUpload());
  app.post('/admin/articles/:id/attachments', ...articleAttachmentUpload());
  app.post('/admin/credit-check', ...codeListUpload());
  app.post('/admin/watch-lists', ...watchListUpload('POST /admin/watch-lists'));
  app.post('/admin/watch-lists/:id/codes', ...watchListUpload('POST /admin/watch-lists/:id/codes'));
  app.post('/reports/:no/verify', ...reportUploadMiddleware(deps.rateLimits));
  const caseUpload = caseUploadMiddleware(deps.rateLimits, opts.caseLimit);
  for (const path of CASE_FILING_PATHS) app.post(path, ...caseUpload);
  app.use(csrfProtection);

  mountRoutes(app, publicityPublicRoutes(deps));
  mountRoutes(
    app,
    reportRoutes(deps, { ...(opts.publicUrl ? { baseUrl: opts.publicUrl } : {}), ...(opts.reportLimit ? { issueLimit: opts.reportLimit } : {}) }),
  );
  mountRoutes(app, searchRoutes(deps, { personLimit: opts.personLimit }));
  mountRoutes(app, subjectRoutes(deps));
  mountRoutes(app, listPublicRoutes(deps));
  mountRoutes(app, articleRoutes(deps));
  mountRoutes(app, commitmentRoutes(deps));
  mountRoutes(app, caseRoutes(deps.cases, deps.uploadDir));
  mountRoutes(app, repairRuleRoutes(deps.cases));
  mountRoutes(app, holidayRoutes(deps));
  mountRoutes(app, catalogueRoutes(deps));
  mountRoutes(app, openDataRoutes(deps));
  mountRoutes(app, tierRuleRoutes(deps));
  mountRoutes(app, homeRoutes(deps));
  mountRoutes(app, publicStatisticsRoutes(deps));
  mountRoutes(app, countyRoutes(deps));
  mountRoutes(app, siteRoutes(deps, { ...(opts.feedbackLimit ? { limit: opts.feedbackLimit } : {}) }));
  mountRoutes(app, authRoutes(deps, { loginLimit: opts.loginLimit ?? { windowMs: 15 * 60_000, limit: 20 } }));
  app.use('/admin', watchUnreadCount(deps));
  app.use('/admin', adminRoutes(deps));
  app.use('/admin', authorityRoutes(deps));
  app.use('/admin', auditRoutes(deps));
  app.use('/admin', publicityAdminRoutes(deps));
  app.use('/admin', disclosureAdminRoutes(deps));
  app.use('/admin', timelinessRoutes(deps));
  app.use('/admin', importRoutes(deps));
  app.use('/admin', exportRoutes(deps));
  app.use('/admin', listAdminRoutes(deps));
  app.use('/admin', statisticsRoutes(deps));
  app.use('/admin', measureRoutes(deps));
  app.use('/admin', apiKeyRoutes(deps));
  app.use('/admin', creditCheckRoutes(deps));
  app.use('/admin', feedbackAdminRoutes(deps));
  app.use('/admin', watchListRoutes(deps));

  app.use((_req, res) => {
    res.status(404).render('errors/404.njk', { title: '页面不存在' });
  });

  const onError: ErrorRequestHandler = (err, req, res, next) => {
    if (res.headersSent) return next(err);
    if (isCsrfError(err)) {
      return res.status(403).render('errors/403.njk', { title: '请求无效', heading: '请求无效', message: '页面已过期或请求来源无效，请刷新页面后重试。' });
    }
    if (err instanceof ForbiddenError && !res.locals.refusalAudited) {
      // Every refused back-office request leaves a trace, whichever check refused it; then the 403 page as usual.
      res.locals.refusalAudited = true;
      return void auditRefusal(deps.audit, req, res, err)
        .catch((e: unknown) => deps.log.error('refusal not audited', { path: req.path, message: (e as Error).message }))
        .then(() => onError(err, req, res, next));
    }
    if (err instanceof HttpError) {
      const view = [400, 403, 404, 410].includes(err.status) ? `errors/${err.status}.njk` : 'errors/400.njk';
      const title = err.status === 404 ? '页面不存在' : err.status === 410 ? '信息已停止公示' : err.status === 403 ? '无权访问' : '请求有误';
      return res.status(err.status).render(view, { title, heading: title, message: err.message });
    }
    const status = (err as { status?: number; type?: string }).status;
    if (status === 413) return res.status(413).render('errors/400.njk', { title: '请求有误', message: '提交的内容过大' });
    if (status === 400) return res.status(400).render('errors/400.njk', { title: '请求有误', message: '请求格式有误' });
    if (isConnectionError(err)) {
      // The database is away (restart, failover): say so plainly, and let the client retry; the pools reconnect by themselves.
      deps.log.warn('database unavailable', { method: req.method, path: req.path, message: (err as Error)?.message });
      return res.status(503).set('Retry-After', '30').set('Cache-Control', 'no-store').render('errors/503.njk', { title: '系统维护中' });
    }
    if (isStatementTimeout(err)) {
      deps.log.warn('statement timeout', { method: req.method, path: req.path });
      return res.status(503).set('Retry-After', '10').render('errors/503.njk', { title: '查询耗时过长', message: '查询耗时过长，请缩小查询范围后重试' });
    }
    if (isInputDatabaseError(err)) {
      deps.log.warn('input refused by the database', { method: req.method, path: req.path, message: (err as Error)?.message?.slice(0, 300) });
      return res
        .status(400)
        .render('errors/400.njk', { title: '请求有误', message: '提交的内容无法处理（如数值超出范围、含有无效字符或引用的记录不存在），请检查后重试。' });
    }
    const errorId = randomUUID().slice(0, 8);
    req.log.error({ errorId, message: (err as Error)?.message, stack: (err as Error)?.stack }, 'unhandled error');
    res.status(500).render('errors/500.njk', {
      title: '系统繁忙',
      errorId,
      // A stack trace helps at a developer's desk and nowhere else.
      stack: opts.env === 'development' ? String((err as Error)?.stack ?? err) : null,
    });
  };
  app.use(onError);
  return app;
}
