/**
 * CSV record writing of the exports: csvLine (csv-stringify's sync API, one call per record, plus formula
 * neutralisation) against the hand-written quoting it replaced, on 100,000 records of 40 CJK fields.
 * `npx tsx scripts/bench-csv.ts [--rows N]`; figures in docs/performance.md#other.
 */
import { csvLine, neutraliseCell } from '../src/platform/csv-cell.js';

const arg = process.argv.indexOf('--rows');
const rows = arg > 0 ? Number(process.argv[arg + 1]) : 100_000;
const record = Array.from({ length: 40 }, (_, i) => (i % 5 ? `新乡市某某有限公司${i}` : `2026/01/0${i % 9}`));
const handWritten = (cells: string[]) =>
  cells
    .map(neutraliseCell)
    .map((s) => (/[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s))
    .join(',') + '\r\n';

for (let round = 0; round < 2; round++) {
  for (const [name, write] of [
    ['hand-written', handWritten],
    ['csv-stringify', csvLine],
  ] as const) {
    const t = performance.now();
    let bytes = 0;
    for (let i = 0; i < rows; i++) bytes += write(record).length;
    console.log(`${name}: ${(performance.now() - t).toFixed(0)} ms for ${rows} records (${bytes} characters)`);
  }
}
