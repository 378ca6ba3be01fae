/** Domain errors; the one error handler maps them to HTTP statuses and Chinese pages. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}
export class BadRequestError extends HttpError {
  constructor(message = '请求参数有误') {
    super(400, message);
  }
}
/** Why a request was refused, for the audit log: the role lacks the right, or the target is out of the user's scope. */
export type RefusalReason = 'role' | 'target';

export class ForbiddenError extends HttpError {
  constructor(
    message = '您没有权限访问此页面',
    readonly reason: RefusalReason = 'target',
  ) {
    super(403, message);
  }
}
export class NotFoundError extends HttpError {
  constructor(message = '您访问的页面不存在') {
    super(404, message);
  }
}
/** A page that existed and was taken down for good (a revoked decision, 条例 Art. 42). */
export class GoneError extends HttpError {
  constructor(message: string) {
    super(410, message);
  }
}
export class ConflictError extends HttpError {
  constructor(message: string) {
    super(409, message);
  }
}

/**
 * The PostgreSQL SQLSTATE behind an error, whether node-pg raised it (`code`) or Prisma's driver adapter wrapped it
 * (`meta.driverAdapterError.cause.originalCode`); null for anything else.
 */
export function sqlState(err: unknown): string | null {
  if (!err || typeof err !== 'object') return null;
  const e = err as { code?: unknown; meta?: { driverAdapterError?: { cause?: { originalCode?: unknown; code?: unknown } } }; cause?: unknown };
  const cause = e.meta?.driverAdapterError?.cause;
  for (const c of [cause?.originalCode, cause?.code, e.code]) {
    if (typeof c === 'string' && /^[0-9A-Z]{5}$/.test(c) && !c.startsWith('P')) return c;
  }
  return e.cause && e.cause !== err ? sqlState(e.cause) : null;
}

/** A statement cancelled by statement_timeout (57014): the query asked too much. */
export const isStatementTimeout = (err: unknown) => sqlState(err) === '57014';

/**
 * Database errors a request's input caused, not the server: data exceptions (class 22: out-of-range numbers, NUL
 * bytes, bad dates…), 54000 (a value too large to index or process) and 23503 (a reference to a row that is not there).
 */
export function isInputDatabaseError(err: unknown): boolean {
  const s = sqlState(err);
  return s !== null && (s.startsWith('22') || s === '54000' || s === '23503');
}
