import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import * as fontkit from 'fontkit';

/*
 * The fonts of the PDFs (credit report, 信用核查报告, 信用承诺书).
 *
 * 汉字 must be real, selectable and searchable text, so the PDFs embed fonts (pdfkit subsets them per
 * document: only the glyphs used go into the file, with a ToUnicode CMap so copying gives back the characters).
 * They must work after `npm install` alone, with no system font: nothing here looks in /usr/share/fonts unless
 * REPORT_FONT points there.
 *
 * Main font: Noto Sans Hans Regular (Adobe/Google, SIL OFL 1.1) from the npm package @embedpdf/fonts-sc. It is
 * one whole OpenType file (8 MB) with every CJK Unified Ideograph of the basic block and of Extension A (堃 喆
 * 玥 犇 䶮 …) and the Extension B characters of the 通用规范汉字表. The other npm CJK fonts were no better: the
 * @fontsource / lxgw packages ship only split web subsets, @expo-google-fonts/noto-sans-sc is the same face at
 * 57 MB packed, node-source-han-sans at 185 MB.
 *
 * Fallback font: for the rarer Extension B characters of old names (𠀀 …), which no npm font package carries,
 * the repository ships assets/fonts/HanaMinB-ExtB.ttf.gz: HanaMinB (花園明朝B, GlyphWiki, used under its SIL OFL
 * 1.1 option) cut down to Extension B (42 711 characters; 12 MB gzipped, read once per process and only when
 * a document needs it). Text is split into runs per character: a character the main font lacks is drawn in the
 * fallback when the fallback has it, so it never turns into an empty box.
 *
 * REPORT_FONT overrides the main font: a path to a TTF/OTF, or to a TTC/OTC followed by '#' and the PostScript
 * name of the face (e.g. /usr/share/fonts/truetype/wqy/wqy-microhei.ttc#WenQuanYiMicroHei). REPORT_FALLBACK_FONT
 * overrides the fallback the same way.
 */

const require = createRequire(import.meta.url);

/** Noto Sans Hans Regular inside the @embedpdf/fonts-sc package (its exports only name the JS entry). */
export const DEFAULT_REPORT_FONT = path.join(path.dirname(require.resolve('@embedpdf/fonts-sc')), '..', 'fonts', 'NotoSansHans-Regular.otf');
/** The shipped Extension B fallback (src/features/reports and dist/features/reports are both three levels deep). */
export const DEFAULT_FALLBACK_FONT = path.resolve(import.meta.dirname, '../../../assets/fonts/HanaMinB-ExtB.ttf.gz');

export class ReportFontError extends Error {
  override name = 'ReportFontError';
}

const HINT = '字体随 npm install 安装（@embedpdf/fonts-sc）；如已改用环境变量 REPORT_FONT，请让它指向含简体中文字形的 TTF/OTF/TTC 字体文件';

/** Opens `file` or `file.ttc#Face`; a .gz file is unpacked first. */
function openFont(spec: string): fontkit.Font {
  const hash = spec.lastIndexOf('#');
  const file = hash > 0 ? spec.slice(0, hash) : spec;
  const face = hash > 0 ? spec.slice(hash + 1) : undefined;
  if (!existsSync(file)) throw new ReportFontError(`无法生成 PDF：找不到中文字体文件 ${file}。${HINT}`);
  let opened: fontkit.Font | fontkit.FontCollection | null;
  try {
    const bytes = file.endsWith('.gz') ? gunzipSync(readFileSync(file)) : readFileSync(file);
    // null when the collection has no face of that name
    opened = fontkit.create(bytes, face) as fontkit.Font | fontkit.FontCollection | null;
  } catch (err) {
    throw new ReportFontError(`无法生成 PDF：字体文件 ${file} 无法读取（${(err as Error).message}）。${HINT}`);
  }
  const font = opened && 'fonts' in opened ? opened.fonts[0] : opened;
  if (!font) throw new ReportFontError(`无法生成 PDF：字体文件 ${file} 中没有字体${face ? ` ${face}` : ''}。${HINT}`);
  return font;
}

/**
 * The font as the report writer sees it: fontkit's own, except that laying a string out maps characters to glyphs
 * through the cmap and takes their advances, without OpenType shaping. Chinese needs no shaping (no ligatures,
 * no contextual forms), and shaping every distinct line was a good part of a long report's time. Widths then
 * agree exactly with the writer's line breaking.
 */
function unshaped(font: fontkit.Font): fontkit.Font {
  const layout = (text: string) => {
    const glyphs = font.glyphsForString(text);
    let advanceWidth = 0;
    const positions = glyphs.map((g) => {
      advanceWidth += g.advanceWidth;
      return { xAdvance: g.advanceWidth, yAdvance: 0, xOffset: 0, yOffset: 0 };
    });
    return { glyphs, positions, advanceWidth };
  };
  return new Proxy(font, {
    get(target, prop) {
      if (prop === 'layout') return layout;
      const value: unknown = Reflect.get(target, prop, target);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}

/** A text piece drawn in one font: 0 the main font, 1 the fallback. */
export interface Run {
  font: 0 | 1;
  text: string;
}

/** The main font and, opened on first need, the fallback; both as parsed once per process. */
export class FontSet {
  private fallbackFont: fontkit.Font | null | undefined;
  private fallbackRaw: fontkit.Font | null = null;
  private readonly choice = new Map<number, 0 | 1>();

  constructor(
    /** the parsed main font, unshaped (for the report writer) */
    readonly main: fontkit.Font,
    /** the same font as fontkit gives it (for pdfkit's own text layout) */
    readonly mainRaw: fontkit.Font,
    private readonly fallbackSpec: string,
  ) {}

  /** The fallback font (unshaped), or null when it cannot be opened: then rare characters show as missing. */
  get fallback(): fontkit.Font | null {
    if (this.fallbackFont === undefined) {
      try {
        this.fallbackRaw = openFont(this.fallbackSpec);
        this.fallbackFont = unshaped(this.fallbackRaw);
      } catch {
        this.fallbackFont = null;
      }
    }
    return this.fallbackFont;
  }

  get fallbackForPdfkit(): fontkit.Font | null {
    return this.fallback ? this.fallbackRaw : null;
  }

  /** Which font draws this code point: the main one unless only the fallback has a glyph for it. */
  fontFor(cp: number): 0 | 1 {
    let f = this.choice.get(cp);
    if (f === undefined) {
      f = !this.main.hasGlyphForCodePoint(cp) && this.fallback?.hasGlyphForCodePoint(cp) ? 1 : 0;
      this.choice.set(cp, f);
    }
    return f;
  }

  font(index: 0 | 1): fontkit.Font {
    return index === 1 ? this.fallback! : this.main;
  }

  /** The text split where the drawing font changes (usually a single run in the main font). */
  runs(text: string): Run[] {
    const out: Run[] = [];
    let start = 0;
    let current: 0 | 1 = 0;
    let i = 0;
    for (const ch of text) {
      const f = this.fontFor(ch.codePointAt(0)!);
      if (f !== current && i > start) {
        out.push({ font: current, text: text.slice(start, i) });
        start = i;
      }
      current = f;
      i += ch.length;
    }
    if (i > start || out.length === 0) out.push({ font: current, text: text.slice(start) });
    return out;
  }
}

let cached: { spec: string; fallback: string; set: FontSet } | null = null;

function mainSpec(): string {
  return process.env.REPORT_FONT || DEFAULT_REPORT_FONT;
}

function fallbackSpec(): string {
  return process.env.REPORT_FALLBACK_FONT || DEFAULT_FALLBACK_FONT;
}

/** The fonts of the PDFs (cached per process); throws ReportFontError with a Chinese message when unusable. */
export function reportFonts(spec: string = mainSpec()): FontSet {
  const fallback = fallbackSpec();
  if (cached && cached.spec === spec && cached.fallback === fallback) return cached.set;
  const font = openFont(spec);
  if (!font.hasGlyphForCodePoint(0x4fe1 /* 信 */) || !font.hasGlyphForCodePoint(0x7528 /* 用 */)) {
    throw new ReportFontError(`无法生成 PDF：字体 ${font.postscriptName}（${spec}）不含汉字字形。${HINT}`);
  }
  cached = { spec, fallback, set: new FontSet(unshaped(font), font, fallback) };
  return cached.set;
}

/** The parsed main font (cached per process); throws ReportFontError with a Chinese message when unusable. */
export function reportFont(spec?: string): fontkit.Font {
  return reportFonts(spec).main;
}
