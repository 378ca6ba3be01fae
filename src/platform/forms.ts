import type { z } from 'zod';

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
  const result = schema.safeParse(input);
  if (result.success) return { ok: true, data: result.data };
  const fields: Record<string, string> = {};
  const list: FormErrors['list'] = [];
  for (const issue of result.error.issues) {
    const field = issue.path.length ? issue.path.map(String).join('.') : '_form';
    if (fields[field]) continue;
    fields[field] = issue.message;
    list.push({ href: `#${field}`, text: issue.message });
  }
  return { ok: false, errors: { fields, list } };
}
