import session from 'express-session';
import connectPgSimple from 'connect-pg-simple';
import type pg from 'pg';
import type { RequestHandler } from 'express';
import { sessionLogin } from './passport.js';
import { DEFAULT_SESSION_ABSOLUTE_HOURS } from '../config.js';

export const SESSION_COOKIE = 'xxcredit.sid';
const EIGHT_HOURS = 8 * 60 * 60 * 1000;
const HOUR_MS = 60 * 60 * 1000;
export const SESSION_EXPIRED = '登录已超过有效期，为保障账号安全，请重新登录。';

/** Sessions live in PostgreSQL (table `session`, created by the migrations) so they survive restarts and scale out. */
export function sessionMiddleware(opts: { pool: pg.Pool; secret: string; secureCookies: boolean }): RequestHandler {
  const PgStore = connectPgSimple(session);
  return session({
    name: SESSION_COOKIE,
    secret: opts.secret,
    store: new PgStore({ pool: opts.pool, tableName: 'session', createTableIfMissing: false, pruneSessionInterval: 15 * 60 }),
    resave: false,
    // A visitor only gets a session once something is stored (a CSRF token, a sign-in).
    saveUninitialized: false,
    rolling: true,
    cookie: { httpOnly: true, sameSite: 'lax', secure: opts.secureCookies, maxAge: EIGHT_HOURS },
  });
}

/**
 * Ends a sign-in older than `absoluteMs`, however active: the idle timeout alone lets a session that is used
 * now and then live for ever. Runs before passport reads the session, so the request continues signed out and a
 * back-office page sends the user to sign in. The sign-in page says why; a flash would be taken by the page that
 * redirects there.
 */
export function absoluteLifetime(absoluteMs: number = DEFAULT_SESSION_ABSOLUTE_HOURS * HOUR_MS): RequestHandler {
  return (req, _res, next) => {
    const login = sessionLogin(req);
    if (login && Date.now() - login.at > absoluteMs) {
      delete (req.session as { passport?: unknown }).passport;
      req.session.loginNotice = SESSION_EXPIRED;
    }
    next();
  };
}
