import { Router } from 'express';
import { parseQuery, queryText } from '../../platform/params.js';
import { rateLimit } from 'express-rate-limit';
import { limiterOptions } from '../../platform/rate-limit.js';
import { z } from 'zod';
import type { Services } from '../../services.js';
import { parseForm } from '../../platform/forms.js';
import { ACCOUNT_DISABLED } from './service.js';

const loginSchema = z.object({
  username: z.string().trim().min(1, '请输入用户名').max(64, '用户名过长'),
  password: z.string().min(1, '请输入密码').max(200, '密码过长'),
  next: z.string().optional(),
});

export const LOGIN_FAILED = '用户名或密码不正确。连续输错 5 次，账号将被锁定 15 分钟。';

/** Only a back-office path of this site may follow a sign-in: no open redirect. */
export function safeNext(next: unknown): string {
  return typeof next === 'string' && /^\/admin(?:[/?#]|$)/.test(next) && !next.startsWith('//') && !next.includes('\\') ? next : '/admin';
}

export function authRoutes(deps: Services, opts: { loginLimit: { windowMs: number; limit: number } }): Router {
  const router = Router();
  const { passport } = deps;

  const loginLimiter = rateLimit({
    ...limiterOptions(deps.rateLimits, 'login', opts.loginLimit),
    handler: (_req, res) => {
      res.status(429).render('auth/login.njk', {
        title: '错误：登录过于频繁',
        values: {},
        errors: { list: [{ href: '#username', text: '登录尝试过于频繁，请 15 分钟后再试。' }], fields: {} },
      });
    },
  });

  router.get('/admin/login', (req, res) => {
    const query = parseQuery(req, { next: queryText(500) });
    if (req.user) return res.redirect(303, safeNext(query.next));
    const notice = req.session?.loginNotice;
    if (notice) delete req.session.loginNotice;
    res.render('auth/login.njk', { title: '登录', notice, values: { next: query.next ?? '' } });
  });

  router.post('/admin/login', loginLimiter, (req, res, next) => {
    const parsed = parseForm(loginSchema, req.body);
    const values = { username: typeof req.body?.username === 'string' ? req.body.username : '', next: req.body?.next ?? '' };
    if (!parsed.ok) return res.status(400).render('auth/login.njk', { title: '错误：登录', values, errors: parsed.errors });
    passport.authenticate('local', (err: unknown, user: Express.User | false, info?: { message?: string }) => {
      if (err) return next(err);
      if (!user) {
        // Passport's own messages (e.g. missing credentials) are English and never shown.
        const message = info?.message === ACCOUNT_DISABLED ? ACCOUNT_DISABLED : LOGIN_FAILED;
        return res.status(401).render('auth/login.njk', {
          title: '错误：登录',
          values,
          errors: { fields: { username: message }, list: [{ href: '#username', text: message }] },
        });
      }
      // passport ≥ 0.6 regenerates the session id here, which defeats session fixation.
      req.logIn(user, (loginErr) => {
        if (loginErr) return next(loginErr);
        res.redirect(303, safeNext(parsed.data.next));
      });
    })(req, res, next);
  });

  router.post('/admin/logout', (req, res, next) => {
    const user = req.user;
    const finish = () =>
      req.logout((err) => {
        if (err) return next(err);
        req.session.destroy(() => res.redirect(303, '/'));
      });
    if (!user) return finish();
    deps.audit
      .record({ action: 'logout', userId: user.id, username: user.username, ip: req.ip ?? null })
      .then(finish)
      .catch(next);
  });

  return router;
}
