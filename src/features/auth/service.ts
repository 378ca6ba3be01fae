import { dummyPasswordHash, verifyPassword } from '../../platform/passwords.js';
import type { AuditLog } from '../../platform/audit.js';
import type { UserRepository } from './repository.js';

export const MAX_FAILED_LOGINS = 5;
export const LOCK_MINUTES = 15;

export const ACCOUNT_DISABLED = '该账号已停用，请联系管理员。';

/** A message only when the password was right: until then every failure looks the same. */
export type LoginOutcome = { ok: true; user: Express.User } | { ok: false; message?: string };

export class AuthService {
  constructor(
    private readonly users: UserRepository,
    private readonly audit: AuditLog,
  ) {}

  /**
   * Every failure — unknown name, wrong password, locked account — looks the same to the caller, so the sign-in
   * page cannot be used to find out which accounts exist. Only someone who typed the right password of a
   * disabled account is told it is disabled: they know the account exists already.
   */
  async login(usernameInput: string, password: string, ip: string | null): Promise<LoginOutcome> {
    const username = usernameInput.trim();
    const user = await this.users.findForLogin(username);
    if (!user) {
      await verifyPassword(await dummyPasswordHash(), password);
      await this.audit.record({ action: 'login.failure', username: username.slice(0, 64), ip, detail: { reason: 'unknown-user' } });
      return { ok: false };
    }
    if (user.lockedUntil && user.lockedUntil > new Date()) {
      await this.audit.record({ action: 'login.failure', userId: user.id, username, ip, detail: { reason: 'locked' } });
      return { ok: false };
    }
    const passwordOk = await verifyPassword(user.passwordHash, password);
    if (!passwordOk) {
      const { locked, failedLogins } = await this.users.recordFailure(user.id, MAX_FAILED_LOGINS, LOCK_MINUTES * 60_000);
      await this.audit.record({ action: 'login.failure', userId: user.id, username, ip, detail: { reason: 'bad-password', failedLogins } });
      if (locked) await this.audit.record({ action: 'login.locked', userId: user.id, username, ip, detail: { minutes: LOCK_MINUTES } });
      return { ok: false };
    }
    if (user.disabled) {
      await this.audit.record({ action: 'login.failure', userId: user.id, username, ip, detail: { reason: 'disabled' } });
      return { ok: false, message: ACCOUNT_DISABLED };
    }
    await this.users.recordSuccess(user.id);
    await this.audit.record({ action: 'login.success', userId: user.id, username, ip });
    return { ok: true, user: toSessionUser(user) };
  }

  /** The session's user, or null when the account is disabled or the session predates its epoch. */
  async userForSession(id: number, epoch: number): Promise<Express.User | null> {
    const user = await this.users.findForSession(id);
    if (!user || user.disabled || user.sessionEpoch !== epoch) return null;
    return toSessionUser(user);
  }
}

function toSessionUser(u: {
  id: number;
  username: string;
  displayName: string;
  role: Express.User['role'];
  departmentId: number | null;
  department: { name: string } | null;
  sessionEpoch: number;
}): Express.User {
  return {
    id: u.id,
    username: u.username,
    displayName: u.displayName,
    role: u.role,
    departmentId: u.departmentId,
    departmentName: u.department?.name ?? null,
    sessionEpoch: u.sessionEpoch,
  };
}
