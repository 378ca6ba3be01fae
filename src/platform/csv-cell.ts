/**
 * Spreadsheet formula neutralisation ("CSV injection"), shared by every CSV/XLSX export and the import.
 *
 * A cell that starts with = + - @ (or a tab / carriage return, which some spreadsheets skip before looking
 * for one) may be run as a formula when the file is opened. Exports prefix such a cell with a single quote,
 * which Excel and WPS show as text and do not display. Cells that already start with quotes followed by such
 * a character get one more quote, so the mapping is a bijection:
 *
 *   neutralise(v) = /^'*[=+\-@\t\r]/.test(v) ? "'" + v : v
 *   restore(c)    = /^'+[=+\-@\t\r]/.test(c) ? c.slice(1) : c
 *
 * restore(neutralise(v)) === v for every string v, so an exported file re-imports to the same values.
 */

const NEEDS_QUOTE = /^'*[=+\-@\t\r]/;
const QUOTED = /^'+[=+\-@\t\r]/;

/** The text to write into a spreadsheet cell for the value `v`. */
export function neutraliseCell(v: string): string {
  return NEEDS_QUOTE.test(v) ? `'${v}` : v;
}

/** The value a cell written by neutraliseCell stood for: exactly one leading quote removed where one was added. */
export function restoreCell(c: string): string {
  return QUOTED.test(c) ? c.slice(1) : c;
}

/** One CSV field: neutralised, then quoted when it holds a quote, comma or line break (RFC 4180). */
export function csvCell(v: string): string {
  const s = neutraliseCell(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}
