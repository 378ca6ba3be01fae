import type { Role } from './generated/prisma/enums.js';

declare global {
  namespace Express {
    interface Request {
      /** The request's id, also sent as X-Request-Id (src/platform/request-log.ts). */
      id: string;
      /** A logger whose lines carry the request's id, method and URL. */
      readonly log: import('pino').Logger;
      /** Set by the upload middleware when the file was refused (e.g. too large), for the form to show. */
      uploadError?: string;
    }
    interface User {
      id: number;
      username: string;
      displayName: string;
      role: Role;
      departmentId: number | null;
      departmentName: string | null;
      /** The account's session epoch when this user was loaded (see src/platform/passport.ts). */
      sessionEpoch?: number;
    }
  }
}

declare module 'express-session' {
  interface SessionData {
    flash?: { kind: 'success' | 'error'; text: string };
    /** Why the user must sign in again, shown once by the sign-in page. */
    loginNotice?: string;
  }
}

export {};
