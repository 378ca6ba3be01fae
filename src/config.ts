import { z } from 'zod';

const portSchema = z.coerce.number({ error: '必须是数字' }).int('必须是整数').min(1, '必须在 1–65535 之间').max(65535, '必须在 1–65535 之间');

/** How long a back-office sign-in lasts however active it is, unless SESSION_ABSOLUTE_HOURS says otherwise. */
export const DEFAULT_SESSION_ABSOLUTE_HOURS = 12;

const schema = z
  .object({
    NODE_ENV: z.enum(['development', 'production', 'test'], { error: '只能是 development、production 或 test' }).default('development'),
    PORT: portSchema.default(3000),
    HOST: z.string().min(1).default('0.0.0.0'),
    DATABASE_URL: z
      .string()
      .trim()
      .optional()
      .transform((v) => (v === '' ? undefined : v))
      .refine((v) => v === undefined || isPostgresUrl(v), {
        message: '不是有效的 PostgreSQL 连接串（应形如 postgresql://user:password@host:5432/dbname）',
      }),
    SESSION_SECRET: z.string().min(32, '至少 32 个字符').optional(),
    /** Where the embedded PostgreSQL keeps its data when DATABASE_URL is unset. */
    EMBEDDED_PG_DIR: z.string().min(1).default('data/postgres'),
    EMBEDDED_PG_PORT: portSchema.default(54329),
    /** Set when the app runs behind a TLS-terminating proxy: cookies become Secure and req.ip trusts X-Forwarded-For. */
    TRUST_PROXY: z
      .enum(['0', '1', 'true', 'false'])
      .default('0')
      .transform((v) => v === '1' || v === 'true'),
    LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info'),
    /** Where uploaded files are kept (attachments; imports waiting for a job in incoming/; large exports in exports/): outside the web root, git-ignored by default. */
    UPLOAD_DIR: z.string().min(1).default('data/uploads'),
    /** What this process does: serve pages (web), run background jobs (worker), or both. */
    ROLES: z
      .string()
      .default('web,worker')
      .transform((v) =>
        v
          .split(',')
          .map((r) => r.trim())
          .filter(Boolean),
      )
      .refine((roles) => roles.length > 0 && roles.every((r) => r === 'web' || r === 'worker'), { message: '只能是 web、worker 或 web,worker（逗号分隔）' })
      .transform((roles) => [...new Set(roles)] as ('web' | 'worker')[]),
    /** Sign-in attempts per IP per 15 minutes. */
    LOGIN_RATE_LIMIT: z.coerce.number({ error: '必须是数字' }).int('必须是整数').min(1, '至少为 1').default(20),
    /** Hours a sign-in lasts however active it is (the idle timeout is separate). */
    SESSION_ABSOLUTE_HOURS: z.coerce
      .number({ error: '必须是数字' })
      .int('必须是整数')
      .min(1, '必须在 1–168 之间')
      .max(168, '必须在 1–168 之间')
      .default(DEFAULT_SESSION_ABSOLUTE_HOURS),
    /**
     * Longest a statement of the request-serving database pools may run (ms); past it PostgreSQL cancels it and the
     * visitor gets 503 「查询耗时过长」. Imports, bulk writers and migrations use their own pool without a limit.
     */
    STATEMENT_TIMEOUT_MS: z.coerce
      .number({ error: '必须是数字' })
      .int('必须是整数')
      .min(100, '必须在 100–600000 之间')
      .max(600_000, '必须在 100–600000 之间')
      .default(3000),
    /** The portal's public address, printed on credit reports and in their QR codes (never taken from the Host header). */
    PUBLIC_URL: z
      .string()
      .trim()
      .optional()
      .refine((v) => !v || /^https?:\/\/[^/\s]+$/.test(v), { message: '应为站点地址，如 https://credit.xinxiang.gov.cn（不含路径和结尾斜杠）' }),
  })
  .superRefine((c, ctx) => {
    if (c.NODE_ENV === 'production' && !c.SESSION_SECRET) {
      ctx.addIssue({ code: 'custom', path: ['SESSION_SECRET'], message: '生产环境必须设置（至少 32 个字符的随机串）' });
    }
  });

export type Config = Readonly<z.output<typeof schema>> & { readonly sessionSecret: string };

function isPostgresUrl(v: string): boolean {
  try {
    const u = new URL(v);
    return (u.protocol === 'postgresql:' || u.protocol === 'postgres:') && u.hostname !== '' && u.pathname.length > 1;
  } catch {
    return false;
  }
}

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    detail: string,
  ) {
    super(`配置错误：环境变量 ${variable} ${detail}`);
    this.name = 'ConfigError';
  }
}

/** Parses the environment once. Throws ConfigError naming the first bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const result = schema.safeParse(env);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    const variable = String(issue.path[0] ?? 'unknown');
    const shown = variable === 'DATABASE_URL' || variable === 'SESSION_SECRET' ? '' : `（当前值：${JSON.stringify(env[variable] ?? '')}）`;
    throw new ConfigError(variable, `${issue.message}${shown}`);
  }
  const c = result.data;
  // Outside production a per-process secret is fine: sessions just do not survive a restart unless one is set.
  const sessionSecret = c.SESSION_SECRET ?? `dev-${Math.random().toString(36).slice(2)}${Math.random().toString(36).slice(2)}-insecure`;
  return Object.freeze({ ...c, sessionSecret });
}
