import type { z } from 'zod';

/**
 * The fields typed into a <textarea> anywhere in the app: they may hold \t \n \r. Every other field refuses all
 * control characters (a test checks that every textarea in views/ is listed here).
 */
export const MULTILINE_FIELDS: ReadonlySet<string> = new Set([
  'aliases',
  'answer',
  'basis',
  'body',
  'codes',
  'comment',
  'content',
  'facts',
  'measures',
  'note',
  'qr',
  'offDays',
  'pauseNote',
  'reason',
  'rectification',
  'remark',
  'requested',
  'revocationReason',
  'text',
  'workDays',
]);

// eslint-disable-next-line no-control-regex -- finding control characters is the point
const SINGLE_LINE_BAD = /[\u0000-\u001f\u007f]/;
// eslint-disable-next-line no-control-regex -- as above, \t \n \r allowed
const MULTILINE_BAD = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

/** Why a typed value cannot be stored, or null: control characters (NUL included), lone UTF-16 surrogates. */
export function textProblem(field: string, value: string): string | null {
  if ((MULTILINE_FIELDS.has(field) ? MULTILINE_BAD : SINGLE_LINE_BAD).test(value)) return '不能包含控制字符（如 NUL），请删除后重新提交';
  if (/[\ud800-\udfff]/.test(value.replace(/[\ud800-\udbff][\udc00-\udfff]/g, ''))) return '含有无效字符，请删除后重新提交';
  return null;
}

/** Per field, the control-character problems of a submitted form (strings and lists of strings). */
export function textErrors(input: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (!input || typeof input !== 'object') return out;
  for (const [field, value] of Object.entries(input as Record<string, unknown>)) {
    const values = Array.isArray(value) ? value : [value];
    for (const v of values) {
      const problem = typeof v === 'string' ? textProblem(field, v) : null;
      if (problem) {
        out[field] = problem;
        break;
      }
    }
  }
  return out;
}

export interface FormErrors {
  /** field name → first message for that field */
  fields: Record<string, string>;
  /** for the error summary, in field order, each linking to its field */
  list: { href: string; text: string }[];
}

export type FormResult<T> = { ok: true; data: T } | { ok: false; errors: FormErrors };

/**
 * Runs a zod schema over a submitted form. Cross-field rules live in the schema's superRefine and
 * carry their own path, so the summary lists every problem at once.
 */
export function parseForm<S extends z.ZodType>(schema: S, input: unknown): FormResult<z.output<S>> {
  // Control characters are refused per field before the schema runs; the values typed stay with the caller.
  const fields: Record<string, string> = {};
  const list: FormErrors['list'] = [];
  for (const [field, message] of Object.entries(textErrors(input))) {
    fields[field] = message;
    list.push({ href: `#${field}`, text: message });
  }
  if (list.length) return { ok: false, errors: { fields, list } };
  const result = schema.safeParse(input);
  if (result.success) return { ok: true, data: result.data };
  for (const issue of result.error.issues) {
    const field = issue.path.length ? issue.path.map(String).join('.') : '_form';
    if (fields[field]) continue;
    fields[field] = issue.message;
    list.push({ href: `#${field}`, text: issue.message });
  }
  return { ok: false, errors: { fields, list } };
}

/** The text values of the named fields as typed (a missing or non-text one is ''), to put back into a refused form. */
export function formValues<K extends string>(body: unknown, keys: readonly K[]): Record<K, string> {
  const b = (body ?? {}) as Record<string, unknown>;
  return Object.fromEntries(keys.map((k) => [k, typeof b[k] === 'string' ? b[k] : ''])) as Record<K, string>;
}
