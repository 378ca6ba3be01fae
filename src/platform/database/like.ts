/**
 * A user's text as a LIKE pattern that matches it literally: `%`, `_` and the escape character `\` (PostgreSQL's
 * default LIKE escape) are escaped. Prisma's `contains`/`startsWith`/`endsWith` pass the text to LIKE/ILIKE as it
 * is, so `?q=%` would match every row; every filter that puts typed text into `contains` goes through this.
 */
export function containing(term: string): string {
  return term.replace(/[\\%_]/g, (c) => `\\${c}`);
}
