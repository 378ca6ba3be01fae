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
export class ConflictError extends HttpError {
  constructor(message: string) {
    super(409, message);
  }
}

/** A route's numeric id, or a 404 naming what was not found (a malformed id cannot name anything that exists). */
export function idParam(raw: unknown, notFound: string): number {
  const n = Number(raw);
  if (!Number.isInteger(n) || n <= 0) throw new NotFoundError(notFound);
  return n;
}
