import fc from 'fast-check';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { csvLine, neutraliseCell, restoreCell } from './csv-cell.js';

const risky = fc
  .array(fc.oneof(fc.constantFrom("'", '=', '+', '-', '@', '\t', '\r', '\n', ',', '"', '中', ' ', 'A1', '1'), fc.string({ unit: 'grapheme', maxLength: 4 })), {
    maxLength: 8,
  })
  .map((parts) => parts.join(''));

describe('csv-cell', () => {
  it('neutralises formula starters and leaves other text alone', () => {
    expect(neutraliseCell('=1+1')).toBe("'=1+1");
    expect(neutraliseCell('+86 373')).toBe("'+86 373");
    expect(neutraliseCell('-5')).toBe("'-5");
    expect(neutraliseCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(neutraliseCell('\tx')).toBe("'\tx");
    expect(neutraliseCell("'=x")).toBe("''=x");
    expect(neutraliseCell("'abc")).toBe("'abc");
    expect(neutraliseCell('新乡市')).toBe('新乡市');
    expect(neutraliseCell('')).toBe('');
  });

  it('restores exactly one quote, only where one was added', () => {
    expect(restoreCell("'=1+1")).toBe('=1+1');
    expect(restoreCell("''=x")).toBe("'=x");
    expect(restoreCell("'abc")).toBe("'abc");
    expect(restoreCell("'")).toBe("'");
  });

  it('property: restore(neutralise(v)) === v for every string', () => {
    fc.assert(
      fc.property(fc.oneof(risky, fc.string({ unit: 'binary' })), (v) => {
        expect(restoreCell(neutraliseCell(v))).toBe(v);
        expect(neutraliseCell(v)).not.toMatch(/^[=+\-@\t\r]/);
      }),
      { numRuns: 2000 },
    );
  });

  it('property: a csvLine parses back to the values', () => {
    fc.assert(
      fc.property(fc.array(risky, { minLength: 1, maxLength: 6 }), (cells) => {
        const line = csvLine(cells);
        const [back] = parse(line, { relax_column_count: true }) as string[][];
        expect(back!.map(restoreCell)).toEqual(cells);
      }),
      { numRuns: 500 },
    );
  });

  it('property: csvLine writes the bytes the exports wrote before csv-stringify (quote only for " , CR LF)', () => {
    // The quoting the exports used until csv-stringify took over: exported files must not change.
    const before = (cells: string[]) =>
      cells
        .map(neutraliseCell)
        .map((s) => (/[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s))
        .join(',') + '\r\n';
    fc.assert(
      fc.property(fc.array(fc.oneof(risky, fc.string({ unit: 'binary' })), { minLength: 1, maxLength: 6 }), (cells) => {
        expect(csvLine(cells)).toBe(before(cells));
      }),
      { numRuns: 2000 },
    );
    expect(csvLine([''])).toBe('\r\n');
    expect(csvLine(['a\nb', 'c\rd', '中,文', '=1'])).toBe('"a\nb","c\rd","中,文",\'=1\r\n');
  });
});
