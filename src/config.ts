import { z } from 'zod';
import { parseAllowedNetworks } from './features/watch-lists/webhook.js';

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
    /**
     * Streaming replicas (comma-separated) that serve the public pages' reads; the primary (DATABASE_URL) keeps writes,
     * the back office, sessions and jobs (docs/deploy.md#replicas).
     */
    DATABASE_REPLICA_URL: z
      .string()
      .trim()
      .optional()
      .transform((v) =>
        (v ?? '')
          .split(',')
          .map((u) => u.trim())
          .filter(Boolean),
      )
      .refine((urls) => urls.every(isPostgresUrl), {
        message: '应为一个或多个以逗号分隔的 PostgreSQL 连接串（如 postgresql://user:password@replica1:5432/dbname）',
      }),
    /** A replica further behind the primary than this (ms) is not used until it catches up. */
    REPLICA_MAX_LAG_MS: z.coerce
      .number({ error: '必须是数字' })
      .int('必须是整数')
      .min(0, '必须在 0–3600000 之间')
      .max(3_600_000, '必须在 0–3600000 之间')
      .default(10_000),
    /**
     * Private blocks (CIDR, comma-separated) webhook receivers may sit in, e.g. the government intranet; without it
     * every private address is refused (docs/watch-lists.md#webhook-addresses).
     */
    WEBHOOK_ALLOWED_NETWORKS: z
      .string()
      .optional()
      .transform((v, ctx) => {
        const parsed = parseAllowedNetworks(v ?? '');
        if ('problem' in parsed) {
          ctx.addIssue({ code: 'custom', message: parsed.problem });
          return z.NEVER;
        }
        return parsed.networks;
      }),
    SESSION_SECRET: z.string().min(32, '至少 32 个字符').optional(),
    /** Encrypts the private halves of the report signing keys kept in the database (docs/report-signing.md). */
    REPORT_KEY_SECRET: z.string().min(32, '至少 32 个字符').optional(),
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
    // Site identity printed in the footer (政府网站发展指引): each is shown only when set, so a deployment never
    // shows a made-up number. The formats are those the registries issue, which also refuses a placeholder.
    /** ICP 备案号, e.g. 豫ICP备12345678号 or 豫ICP备12345678号-1 */
    SITE_ICP: optionalText().refine((v) => !v || /^[\u4e00-\u9fa5]ICP备\d{8}号(-\d{1,3})?$/.test(v), {
      message: '应为 ICP 备案号，如 豫ICP备12345678号 或 豫ICP备12345678号-1',
    }),
    /** 网站标识码: ten digits issued with the government-site registration */
    SITE_ID_CODE: optionalText().refine((v) => !v || /^\d{10}$/.test(v), { message: '应为 10 位数字的网站标识码' }),
    /** 公安机关备案号, e.g. 豫公网安备41070202000123号 */
    SITE_PSB: optionalText().refine((v) => !v || /^[\u4e00-\u9fa5]公网安备 ?\d{14}号$/.test(v), {
      message: '应为公安机关备案号，如 豫公网安备41070202000123号',
    }),
    /** 联系地址 of the sponsor */
    SITE_ADDRESS: optionalText().refine((v) => !v || v.length <= 100, { message: '不超过 100 个字符' }),
    /** 联系电话, e.g. 0373-1234567 */
    SITE_PHONE: optionalText().refine((v) => !v || /^(\d{3,4}-)?\d{7,8}(-\d{1,6})?$|^1\d{10}$|^\d{3,4}-\d{3}-\d{4}$/.test(v), {
      message: '应为电话号码，如 0373-1234567',
    }),
  })
  .superRefine((c, ctx) => {
    if (c.NODE_ENV === 'production' && !c.SESSION_SECRET) {
      ctx.addIssue({ code: 'custom', path: ['SESSION_SECRET'], message: '生产环境必须设置（至少 32 个字符的随机串）' });
    }
    // Reports carry this address in their QR code: a default of localhost would send every reader nowhere.
    if (c.NODE_ENV === 'production' && !c.PUBLIC_URL) {
      ctx.addIssue({
        code: 'custom',
        path: ['PUBLIC_URL'],
        message: '生产环境必须设置：信用报告的二维码和核验地址指向它（如 https://credit.xinxiang.gov.cn）',
      });
    }
    // Web processes sign reports; without it the report signing keys would sit in the database in the clear.
    if (c.NODE_ENV === 'production' && c.ROLES.includes('web') && !c.REPORT_KEY_SECRET) {
      ctx.addIssue({ code: 'custom', path: ['REPORT_KEY_SECRET'], message: '生产环境必须设置（至少 32 个字符的随机串，用于加密信用报告签名私钥）' });
    }
  });

/** An optional text variable: blank counts as unset. */
function optionalText() {
  return z
    .string()
    .trim()
    .optional()
    .transform((v) => (v === '' ? undefined : v));
}

/** What the footer shows about the site; a field that is not configured is left out. */
export interface SiteIdentity {
  icp?: string;
  idCode?: string;
  psb?: string;
  address?: string;
  phone?: string;
}

export function siteIdentity(c: Pick<Config, 'SITE_ICP' | 'SITE_ID_CODE' | 'SITE_PSB' | 'SITE_ADDRESS' | 'SITE_PHONE'>): SiteIdentity {
  const all: SiteIdentity = { icp: c.SITE_ICP, idCode: c.SITE_ID_CODE, psb: c.SITE_PSB, address: c.SITE_ADDRESS, phone: c.SITE_PHONE };
  return Object.fromEntries(Object.entries(all).filter(([, v]) => v !== undefined)) as SiteIdentity;
}

/** Whether the address is this machine's (the development default): reports made with it verify only here. */
export function isLocalUrl(url: string): boolean {
  try {
    const host = new URL(url).hostname;
    return host === 'localhost' || host.endsWith('.localhost') || host === '[::1]' || /^127\./.test(host) || host === '0.0.0.0';
  } catch {
    return false;
  }
}

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
    const shown =
      variable === 'DATABASE_URL' || variable === 'DATABASE_REPLICA_URL' || variable === 'SESSION_SECRET' || variable === 'REPORT_KEY_SECRET'
        ? ''
        : `（当前值：${JSON.stringify(env[variable] ?? '')}）`;
    throw new ConfigError(variable, `${issue.message}${shown}`);
  }
  const c = result.data;
  // Outside production a per-process secret is fine: sessions just do not survive a restart unless one is set.
  const sessionSecret = c.SESSION_SECRET ?? `dev-${Math.random().toString(36).slice(2)}${Math.random().toString(36).slice(2)}-insecure`;
  return Object.freeze({ ...c, sessionSecret });
}
