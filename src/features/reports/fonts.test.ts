import { inflateSync } from 'node:zlib';
import { PDFParse } from 'pdf-parse';
import { beforeAll, describe, expect, it } from 'vitest';
import { renderCheckPdf } from '../credit-check/pdf.js';
import type { CheckResult } from '../credit-check/service.js';
import { profileFixture } from './fixture.js';
import { reportFonts } from './fonts.js';
import { renderReport } from './pdf.js';

/** Name characters outside GB2312: four of the basic block, one of Extension A (䶮), one of Extension B (𠀀). */
const RARE = '堃喆玥犇䶮𠀀';
const NAME = `新乡市张${RARE}商贸有限公司`;

async function textOf(pdf: Buffer): Promise<string> {
  const parser = new PDFParse({ data: new Uint8Array(pdf) });
  try {
    return (await parser.getText()).text;
  } finally {
    await parser.destroy();
  }
}

/**
 * For each character, the glyph index it was given in the ToUnicode maps of the embedded fonts (pdfkit writes one
 * `[<utf16> …]` array per font, indexed by subset glyph). Index 0 is .notdef, the empty box: a character that
 * no embedded font has would land there.
 */
function subsetGlyphIndexes(pdf: Buffer, chars: string): Map<string, number[]> {
  const raw = pdf.toString('latin1');
  const maps: string[] = [];
  for (const m of raw.matchAll(/\/Filter \/FlateDecode[^>]*>>\s*stream\r?\n/g)) {
    const start = m.index + m[0].length;
    const end = raw.indexOf('endstream', start);
    try {
      const text = inflateSync(pdf.subarray(start, end)).toString('latin1');
      if (text.includes('beginbfrange')) maps.push(text);
    } catch {
      // not every stream is one deflate stream ending at 'endstream' (images): only the CMaps matter here
    }
  }
  // each map: ranges `<start> <end> [<utf16> <utf16 utf16> …]`, a character outside the BMP as its surrogate pair
  const glyphOf = new Map<string, number[]>();
  for (const map of maps) {
    for (const range of map.matchAll(/<([0-9a-f]+)> <[0-9a-f]+> \[([^\]]*)\]/g)) {
      let gid = parseInt(range[1]!, 16);
      for (const entry of range[2]!.matchAll(/<([^>]*)>/g)) {
        const hex = entry[1]!.replace(/\s+/g, '');
        glyphOf.set(hex, [...(glyphOf.get(hex) ?? []), gid++]);
      }
    }
  }
  const found = new Map<string, number[]>();
  for (const ch of chars) {
    const gids = glyphOf.get(Buffer.from(ch, 'utf16le').swap16().toString('hex'));
    if (gids) found.set(ch, gids);
  }
  return found;
}

describe('PDF fonts with rare name characters', () => {
  const fonts = reportFonts();

  it('draws every character in a font that has its glyph: the main font, or the fallback for what it lacks', () => {
    for (const ch of RARE) {
      const cp = ch.codePointAt(0)!;
      const index = fonts.fontFor(cp);
      expect(fonts.font(index).hasGlyphForCodePoint(cp), `${ch} U+${cp.toString(16)}`).toBe(true);
    }
    expect(fonts.fontFor('䶮'.codePointAt(0)!)).toBe(0);
    expect(fonts.fontFor('𠀀'.codePointAt(0)!)).toBe(1);
  });

  it('splits text into runs where the font changes', () => {
    expect(fonts.runs('信用')).toEqual([{ font: 0, text: '信用' }]);
    expect(fonts.runs('张𠀀𠀀明')).toEqual([
      { font: 0, text: '张' },
      { font: 1, text: '𠀀𠀀' },
      { font: 0, text: '明' },
    ]);
    expect(fonts.runs('')).toEqual([{ font: 0, text: '' }]);
  });

  describe('the credit report', () => {
    let pdf: Buffer;
    beforeAll(async () => {
      const profile = profileFixture({ permits: 1, penalties: 1 });
      profile.subject.name = NAME;
      pdf = await renderReport(profile, {
        reportNo: 'XXCR20261203RARE0001',
        issuedAt: new Date('2026-12-03T02:00:00Z'),
        verifyUrl: 'https://credit.example/reports/XXCR20261203RARE0001',
      });
    });

    it('embeds the main font and the fallback, both subset', () => {
      const raw = pdf.toString('latin1');
      expect(raw).toMatch(/\/BaseFont \/[A-Z]{6}\+NotoSansHans-Regular/);
      expect(raw).toMatch(/\/BaseFont \/[A-Z]{6}\+HanaMinB/);
      expect(pdf.length).toBeLessThan(200_000);
    });

    it('gives every rare character a real glyph (never .notdef) in an embedded font', () => {
      const found = subsetGlyphIndexes(pdf, RARE);
      for (const ch of RARE) {
        expect(found.get(ch), ch).toBeDefined();
        expect(
          found.get(ch)!.every((i) => i > 0),
          ch,
        ).toBe(true);
      }
    });

    it('extracts the name back as text', async () => {
      expect(await textOf(pdf)).toContain(NAME);
    });
  });

  it('the 信用核查报告 renders the name with the fallback too', async () => {
    const result = {
      rows: [{ code: '91410700MA44RARE0X', name: NAME, found: true, black: [], seriousPenalties: [], red: [], measures: [] }],
      invalid: [],
    } as unknown as CheckResult;
    const pdf = await renderCheckPdf({ id: 7, createdAt: new Date('2026-12-03T02:00:00Z'), purpose: null, department: null }, result);
    expect(pdf.toString('latin1')).toMatch(/\/BaseFont \/[A-Z]{6}\+HanaMinB/);
    const found = subsetGlyphIndexes(pdf, RARE);
    for (const ch of RARE)
      expect(
        found.get(ch)?.every((i) => i > 0),
        ch,
      ).toBe(true);
    expect((await textOf(pdf)).replace(/\s+/g, '')).toContain(NAME);
  });
});
