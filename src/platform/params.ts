import type { Request } from 'express';
import { z } from 'zod';
import { BadRequestError, NotFoundError } from './errors.js';
import { formValues, parseForm, type FormErrors } from './forms.js';

/** The largest id a PostgreSQL `integer` column holds; a larger one cannot name a row (and would make the query fail). */
export const MAX_ID = 2_147_483_647;

/** Longest value any query parameter may have; a field's own schema may bound it further. */
export const MAX_QUERY_VALUE = 500;

/** Control characters no single-line input may contain (NUL included); \t \n \r are for textareas only. */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
export const CONTROL_CHARS = /[\u0000-\u001f\u007f]/;

/** An id as typed in a URL: digits only, 1–2147483647. */
export function parseId(raw: unknown): number | null {
  if (typeof raw !== 'string' || !/^[0-9]{1,10}$/.test(raw)) return null;
  const n = Number(raw);
  return n >= 1 && n <= MAX_ID ? n : null;
}

/**
 * A route's numeric path parameter, or a 404 (Chinese page naming what was not found): a malformed or
 * out-of-range id cannot name anything that exists. Every route reads its ids through this.
 */
export function pathId(req: Request, name: string, notFound = '您访问的页面不存在'): number {
  const n = parseId(req.params[name]);
  if (n === null) throw new NotFoundError(notFound);
  return n;
}

/** A query parameter that is an id (a department, a county…): digits 1–2147483647, absent or empty → undefined. */
export const queryId = (label: string) =>
  z
    .string()
    .trim()
    .optional()
    .transform((v, ctx) => {
      if (!v) return undefined;
      const n = parseId(v);
      if (n === null) {
        ctx.addIssue({ code: 'custom', message: `${label}参数无效` });
        return z.NEVER;
      }
      return n;
    });

/** A filter form's query, parsed: the typed values (to put back into the form) with the data or the errors. */
export type QueryForm<T, K extends string> = { ok: true; data: T; values: Record<K, string> } | { ok: false; errors: FormErrors; values: Record<K, string> };

/**
 * The query string, checked and parsed: every parameter single-valued (a repeated `?from=a&from=b` or an
 * `a[]=` / `a[b]=` list is refused), at most MAX_QUERY_VALUE characters, no control characters, then the zod shape over the
 * strings (unknown parameters are ignored, so bookmarks with extra parameters keep working). Every route reads its
 * query through this.
 *
 * Without `form`, anything invalid is a 400 「查询参数无效：…」. With `form` (the fields a filter form shows), the
 * first checks still are, but what the shape refuses comes back as form errors (a field → its first message, and
 * the summary) beside the typed values of those fields, so the page can re-render its form with a 400.
 */
export function parseQuery<S extends z.ZodRawShape>(req: Request, shape: S): z.output<z.ZodObject<S>>;
export function parseQuery<S extends z.ZodRawShape, K extends string>(
  req: Request,
  shape: S,
  opts: { form: readonly K[] },
): QueryForm<z.output<z.ZodObject<S>>, K>;
export function parseQuery<S extends z.ZodRawShape, K extends string>(
  req: Request,
  shape: S,
  opts?: { form: readonly K[] },
): z.output<z.ZodObject<S>> | QueryForm<z.output<z.ZodObject<S>>, K> {
  const values = queryStrings(req);
  if (opts) {
    const typed = formValues(values, opts.form);
    const parsed = parseForm(z.object(shape), values);
    return parsed.ok ? { ok: true, data: parsed.data, values: typed } : { ok: false, errors: parsed.errors, values: typed };
  }
  const result = z.object(shape).safeParse(values);
  if (!result.success) {
    const problems = result.error.issues.map((i) => (i.path.length ? `${String(i.path[0])}：${i.message}` : i.message));
    throw new BadRequestError(`查询参数无效：${[...new Set(problems)].join('；')}`);
  }
  return result.data;
}

/** The query string's parameters as single strings, after the checks parseQuery makes; invalid → 400. */
function queryStrings(req: Request): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(req.query ?? {})) {
    const name = key.slice(0, 40);
    if (typeof value !== 'string') throw new BadRequestError(`查询参数无效：参数 ${name} 只能出现一次`);
    // No form of the app sends PHP-style lists (`a[]=`, `a[b]=`): such a parameter is a mistake or a probe.
    if (key.includes('[')) throw new BadRequestError(`查询参数无效：参数 ${name} 不能是列表`);
    if (value.length > MAX_QUERY_VALUE) throw new BadRequestError(`查询参数无效：参数 ${name} 过长（最多 ${MAX_QUERY_VALUE} 个字符）`);
    if (CONTROL_CHARS.test(value)) throw new BadRequestError(`查询参数无效：参数 ${name} 含有控制字符`);
    if (/[\ud800-\udfff]/.test(value.replace(/[\ud800-\udbff][\udc00-\udfff]/g, ''))) throw new BadRequestError(`查询参数无效：参数 ${name} 含有无效字符`);
    out[key] = value;
  }
  return out;
}

/** An optional free-text query parameter of at most `max` characters. */
export const queryText = (max = 100) => z.string().max(max, `最多 ${max} 个字符`).optional();

/** Public lists stop here: deeper pages cost the database most and serve crawlers, not people. */
export const PUBLIC_MAX_PAGES = 50;
export const PUBLIC_MAX_RECORDS = 1000;
/** Back-office lists stop at this page. */
export const ADMIN_MAX_PAGES = 500;
export const NARROW_SEARCH = '请缩小查询范围（如加上日期或部门条件）后再翻页';

/** The deepest page a list may show: public lists at most 50 pages and 1,000 records, back-office lists 500 pages. */
export function maxPage(pageSize: number, area: 'public' | 'admin'): number {
  return area === 'admin' ? ADMIN_MAX_PAGES : Math.max(1, Math.min(PUBLIC_MAX_PAGES, Math.floor(PUBLIC_MAX_RECORDS / pageSize)));
}

/** A list's `page` parameter: 1 when absent; digits only; beyond maxPage → 「请缩小查询范围…」. */
export const pageQuery = (pageSize: number, area: 'public' | 'admin') =>
  z
    .string()
    .trim()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v === '') return 1;
      if (!/^[0-9]{1,10}$/.test(v) || Number(v) < 1) {
        ctx.addIssue({ code: 'custom', message: `页码应为正整数（“${v.slice(0, 20)}”无效）` });
        return z.NEVER;
      }
      if (Number(v) > maxPage(pageSize, area)) {
        ctx.addIssue({ code: 'custom', message: NARROW_SEARCH });
        return z.NEVER;
      }
      return Number(v);
    });
