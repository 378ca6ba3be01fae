import passport from 'passport';
import { Strategy as LocalStrategy } from 'passport-local';
import type { AuthService } from '../features/auth/service.js';

/** A passport instance per app, so tests can build several apps in one process. */
export function createPassport(auth: AuthService): passport.PassportStatic {
  const p = new passport.Passport() as passport.PassportStatic;
  p.use(
    new LocalStrategy({ usernameField: 'username', passwordField: 'password', passReqToCallback: true }, (req, username, password, done) => {
      auth
        .login(username, password, req.ip ?? null)
        .then((r) => done(null, r.ok ? r.user : false))
        .catch(done);
    }),
  );
  p.serializeUser((user, done) => done(null, user.id));
  p.deserializeUser((id: number, done) => {
    // A disabled user's live sessions stop working at their next request.
    auth
      .userForSession(id)
      .then((u) => done(null, u ?? false))
      .catch(done);
  });
  return p;
}
