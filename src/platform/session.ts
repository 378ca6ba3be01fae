import session from 'express-session';
import connectPgSimple from 'connect-pg-simple';
import type pg from 'pg';
import type { RequestHandler } from 'express';

export const SESSION_COOKIE = 'xxcredit.sid';
const EIGHT_HOURS = 8 * 60 * 60 * 1000;

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
