import passport from 'passport';
import type { Express, Request, Response } from 'express';
import { Strategy as LocalStrategy } from 'passport-local';

/**
 * What a signed-in session stores: the user, the account's session epoch at sign-in, and when the sign-in happened.
 * Raising the epoch in the database (password change or reset, disabling) ends every session signed in under the
 * old value at its next request: unlike deleting session rows, this cannot be undone by a request of that session
 * still in flight saving it again, and needs no scan of the session table.
 */
export interface SessionLogin {
  id: number;
  epoch: number;
  /** Epoch milliseconds of the sign-in, for the absolute lifetime. */
  at: number;
}

function asSessionLogin(v: unknown): SessionLogin | null {
  const o = v as Partial<SessionLogin> | null;
  return o && typeof o === 'object' && Number.isInteger(o.id) && Number.isInteger(o.epoch) && Number.isFinite(o.at) ? (o as SessionLogin) : null;
}

/** The sign-in stored in this request's session, if any. */
export function sessionLogin(req: Request): SessionLogin | null {
  return asSessionLogin((req.session as { passport?: { user?: unknown } } | undefined)?.passport?.user);
}

/** Keeps this session signed in after its own account's epoch was raised (the user changed their own password). */
export function keepSessionAtEpoch(req: Request, epoch: number): void {
  const login = sessionLogin(req);
  if (login) login.epoch = epoch;
}

/** What passport needs from the sign-in service (features/auth implements it). */
export interface Authenticator {
  login(username: string, password: string, ip: string | null): Promise<{ ok: true; user: Express.User } | { ok: false; message?: string }>;
  userForSession(id: number, epoch: number): Promise<Express.User | null>;
}

/** A passport instance per app, so tests can build several apps in one process. */
export function createPassport(auth: Authenticator): passport.PassportStatic {
  const p = new passport.Passport() as passport.PassportStatic;
  p.use(
    new LocalStrategy({ usernameField: 'username', passwordField: 'password', passReqToCallback: true }, (req, username, password, done) => {
      auth
        .login(username, password, req.ip ?? null)
        .then((r) => (r.ok ? done(null, r.user) : done(null, false, r.message ? { message: r.message } : undefined)))
        .catch(done);
    }),
  );
  p.serializeUser((user, done) => done(null, { id: user.id, epoch: user.sessionEpoch ?? 0, at: Date.now() } satisfies SessionLogin));
  p.deserializeUser((stored: unknown, done) => {
    // A disabled user, or one whose password changed since this sign-in, is signed out at their next request.
    const login = asSessionLogin(stored);
    if (!login) return done(null, false);
    auth
      .userForSession(login.id, login.epoch)
      .then((u) => done(null, u ?? false))
      .catch(done);
  });
  return p;
}

/**
 * What `passport.initialize()` does for each request — put req.login/logout/isAuthenticated and the passport's
 * session manager on the request — done once, on the app's request prototype, which every request of the app
 * inherits from. The middleware assigned eight properties to every request, visitors' included; the values are the
 * same for every request of an app, so it takes them from one run of the real middleware rather than from
 * passport's internals.
 */
export function installPassport(app: Express, p: passport.PassportStatic): void {
  const sample = {} as Request;
  p.initialize()(sample, {} as Response, () => undefined);
  Object.assign(app.request, sample);
}
