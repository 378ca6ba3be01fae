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
 *
 * The CSV syntax itself (quoting, escaped quotes) is csv-stringify's, the writing half of the csv-parse the import
 * reads with, so both sides of the round trip follow one library's RFC 4180 instead of a quoting rule of our own.
 * csv-stringify does not neutralise formulas: that stays here.
 */
import { stringify, type Options } from 'csv-stringify/sync';

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

/**
 * CRLF records, as Excel writes them. csv-stringify quotes a field holding the delimiter or a quote, but a line break
 * only when it is the whole record delimiter (CRLF): a lone CR or LF inside a field must be quoted too, or the file
 * would no longer read back as the same rows.
 */
const CSV_OPTIONS: Options = { record_delimiter: '\r\n', quoted_match: /[\r\n]/ };

/** One CSV record (ending in CRLF): every field neutralised, then quoted where RFC 4180 needs it. */
export function csvLine(values: readonly string[]): string {
  return stringify([values.map(neutraliseCell)], CSV_OPTIONS);
}
