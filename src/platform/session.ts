import session from 'express-session';
import connectPgSimple from 'connect-pg-simple';
import type pg from 'pg';
import type { Request, RequestHandler } from 'express';
import { sessionLogin } from './passport.js';
import { DEFAULT_SESSION_ABSOLUTE_HOURS } from '../config.js';

export const SESSION_COOKIE = 'xxcredit.sid';
const EIGHT_HOURS = 8 * 60 * 60 * 1000;
const HOUR_MS = 60 * 60 * 1000;
export const SESSION_EXPIRED = '登录已超过有效期，为保障账号安全，请重新登录。';

/** Marks a request whose session is made only when something reads it (see lazySession). */
const LAZY = Symbol('lazy session');
type LazyRequest = Request & { [LAZY]?: () => boolean };

/** Whether the request carries our session cookie (signed or not: express-session decides whether it is valid). */
function hasSessionCookie(req: Request): boolean {
  return req.headers.cookie?.includes(`${SESSION_COOKIE}=`) ?? false;
}

/**
 * Whether this request has a session worth reading: false for a visitor without a session cookie whose session no
 * code has asked for yet, so middleware that only reads (the flash, the sign-in's age) does not make one.
 */
export function sessionStarted(req: Request): boolean {
  const lazy = (req as LazyRequest)[LAZY];
  // Once made, the session may still be gone again (destroyed on sign-out deletes it).
  return (lazy ? lazy() : true) && req.session !== undefined;
}

/**
 * A request without a session cookie has no session to load, and most such requests (anonymous readers of public
 * pages) never use one: express-session would still make a new session for each (a random id, a hash of it, a
 * cookie object, hooks on the response), then throw it away unsaved. Here `req.session` becomes a property that
 * runs express-session the first time something reads it — for a request without a cookie that run is synchronous
 * (no store read), so the code that reads it (a form's csrfToken(), a handler storing a flash) gets the same new
 * session as before, saved and sent as a cookie in the same way. Requests that carry the cookie, and every
 * request other than GET and HEAD, go through express-session as they always did.
 */
export function lazySession(run: RequestHandler): RequestHandler {
  return (req, res, next) => {
    if (hasSessionCookie(req) || (req.method !== 'GET' && req.method !== 'HEAD')) return run(req, res, next);
    let value: Request['session'] | undefined;
    let creating = false;
    (req as LazyRequest)[LAZY] = () => value !== undefined;
    Object.defineProperty(req, 'session', {
      configurable: true,
      enumerable: true,
      get() {
        if (value === undefined && !creating) {
          creating = true;
          try {
            run(req, res, (err?: unknown) => {
              if (err) throw err;
            });
          } finally {
            creating = false;
          }
        }
        return value;
      },
      set(v: Request['session'] | undefined) {
        value = v;
      },
    });
    next();
  };
}

/**
 * Runs `handler` only for a request whose session exists or may exist (it carries the session cookie, or is not a
 * GET/HEAD): passport's session strategy reads the session of every request, which would make one for each
 * anonymous reader; without a cookie there is no sign-in to restore.
 */
export function withSessionCookie(handler: RequestHandler): RequestHandler {
  return (req, res, next) => ((req as LazyRequest)[LAZY] ? next() : handler(req, res, next));
}

/** Sessions live in PostgreSQL (table `session`, created by the migrations) so they survive restarts and scale out. */
export function sessionMiddleware(opts: { pool: pg.Pool; secret: string; secureCookies: boolean }): RequestHandler {
  const PgStore = connectPgSimple(session);
  return lazySession(
    session({
      name: SESSION_COOKIE,
      secret: opts.secret,
      store: new PgStore({ pool: opts.pool, tableName: 'session', createTableIfMissing: false, pruneSessionInterval: 15 * 60 }),
      resave: false,
      // A visitor only gets a session once something is stored (a CSRF token, a sign-in).
      saveUninitialized: false,
      rolling: true,
      cookie: { httpOnly: true, sameSite: 'lax', secure: opts.secureCookies, maxAge: EIGHT_HOURS },
    }),
  );
}

/**
 * Ends a sign-in older than `absoluteMs`, however active: the idle timeout alone lets a session that is used
 * now and then live for ever. Runs before passport reads the session, so the request continues signed out and a
 * back-office page sends the user to sign in. The sign-in page says why; a flash would be taken by the page that
 * redirects there.
 */
export function absoluteLifetime(absoluteMs: number = DEFAULT_SESSION_ABSOLUTE_HOURS * HOUR_MS): RequestHandler {
  return (req, _res, next) => {
    const login = sessionStarted(req) ? sessionLogin(req) : null;
    if (login && Date.now() - login.at > absoluteMs) {
      delete (req.session as { passport?: unknown }).passport;
      req.session.loginNotice = SESSION_EXPIRED;
    }
    next();
  };
}
