// COPY text format: backslash escapes, \N for NULL. Only these four characters need escaping.
export function copyField(value: string | number | boolean | null | undefined): string {
  if (value === null || value === undefined) return '\\N';
  const s = typeof value === 'boolean' ? (value ? 't' : 'f') : String(value);
  return /[\\\t\n\r]/.test(s) ? s.replace(/[\\\t\n\r]/g, (c) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r')) : s;
}

export function copyLine(fields: ReadonlyArray<string | number | boolean | null | undefined>): string {
  return fields.map(copyField).join('\t') + '\n';
}

/** A text[] value as a PostgreSQL array literal (then escaped again by copyField like any text). */
export function arrayLiteral(items: readonly string[]): string {
  return `{${items.map((i) => `"${i.replace(/["\\]/g, (c) => `\\${c}`)}"`).join(',')}}`;
}
