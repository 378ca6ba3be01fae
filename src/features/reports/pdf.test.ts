import { existsSync } from 'node:fs';
import { PDFParse } from 'pdf-parse';
import { beforeAll, describe, expect, it } from 'vitest';
import { profileFixture } from './fixture.js';
import {
  beijingDateTime,
  breakLines,
  DEFAULT_FALLBACK_FONT,
  DEFAULT_REPORT_FONT,
  EMPTY_SECTION,
  lineWidth,
  renderReport,
  reportFont,
  ReportFontError,
  type ReportMeta,
} from './pdf.js';

const meta: ReportMeta = {
  reportNo: 'XXCR20261127K7M2Q9TA',
  issuedAt: new Date('2026-11-27T04:05:06Z'),
  verifyUrl: 'https://credit.xinxiang.gov.cn/reports/XXCR20261127K7M2Q9TA',
};

async function textOf(pdf: Buffer, pages: { first?: number; last?: number }): Promise<{ text: string; total: number }> {
  const parser = new PDFParse({ data: new Uint8Array(pdf) });
  try {
    const r = await parser.getText(pages);
    return { text: r.text, total: r.total };
  } finally {
    await parser.destroy();
  }
}

describe('renderReport with 200 records', () => {
  const profile = profileFixture({ permits: 100, penalties: 100 });
  let pdf: Buffer;
  beforeAll(async () => {
    pdf = await renderReport(profile, meta);
  });

  it('is a complete PDF file', () => {
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(pdf.subarray(-8).toString('latin1')).toMatch(/%%EOF\s*$/);
  });

  it('embeds a subset of the CJK font with a ToUnicode map, and no other font (no fallback without rare characters)', () => {
    const raw = pdf.toString('latin1');
    expect(raw).toContain('/FontFile3');
    expect(raw).toContain('/ToUnicode');
    expect(raw).toMatch(/\/BaseFont \/[A-Z]{6}\+NotoSansHans-Regular/);
    expect(raw).not.toMatch(/\/BaseFont \/(Helvetica|Times|Courier)/);
    expect(raw).not.toContain('HanaMinB');
  });

  it('carries the Chinese as real text: the cover extracts with title, subject, number and time', async () => {
    const { text, total } = await textOf(pdf, { first: 1 });
    expect(total).toBeGreaterThan(50);
    for (const s of [
      '公共信用信息报告',
      profile.subject.name,
      profile.subject.uscc,
      meta.reportNo,
      '2026年11月27日 12:05:06（北京时间）',
      '扫码验证报告真伪',
      '行政处罚信息',
      '100 条',
      '存续',
    ]) {
      expect(text).toContain(s);
    }
    expect(text).toContain(`第 1 页 共 ${total} 页`);
  });

  it('prints the sections in order, records as labelled rows, and the explanation at the end', async () => {
    const { text: start } = await textOf(pdf, { first: 2 });
    const basic = start.indexOf('一、基础信息');
    const permits = start.indexOf('二、行政许可信息');
    expect(basic).toBeGreaterThan(0);
    expect(permits).toBeGreaterThan(basic);
    expect(start).toContain('（1）食品经营许可证');
    expect(start).toContain('许可机关统一社会信用代码');
    // the subject's own name is stated once in 基础信息, not repeated as 行政相对人名称 in every record
    expect(start).not.toContain('行政相对人名称');

    const { text: end, total } = await textOf(pdf, { last: 2 });
    // paragraphs wrap, so compare without the line breaks
    const flat = end.replace(/\s+/g, '');
    for (const title of ['四、守信激励信息（红名单）', '五、失信惩戒信息（黑名单）', '六、信用承诺信息', '七、其他信息', '报告说明'])
      expect(flat).toContain(title);
    expect(flat.split(EMPTY_SECTION).length - 1).toBe(4);
    for (const s of ['新乡市社会信用体系建设领导小组办公室', '申请信用修复', '异议', '未经任何加工、修改', '查询期截至2026年11月27日', meta.verifyUrl])
      expect(flat).toContain(s);
    expect(end).toContain(`第 ${total} 页 共 ${total} 页`);
  });
});

describe('renderReport edge cases', () => {
  it('a subject with no records: every section says 查询期内无相关信息', async () => {
    const profile = profileFixture({ permits: 0, penalties: 0 });
    const pdf = await renderReport(profile, meta);
    const { text, total } = await textOf(pdf, {});
    expect(total).toBeLessThanOrEqual(3);
    expect(text.split(EMPTY_SECTION).length - 1).toBe(6);
    expect(text).toContain('0 条');
  });

  it('splits a text longer than a page across pages, with its label continued', async () => {
    const profile = profileFixture({ permits: 0, penalties: 1 });
    const facts = '当事人销售超过保质期的食品。'.repeat(700);
    profile.sections[2]!.records[0]!.fields.push({ label: '违法事实', value: facts });
    const pdf = await renderReport(profile, meta);
    const { text, total } = await textOf(pdf, {});
    expect(total).toBeGreaterThanOrEqual(4);
    expect(text).toContain('违法事实（续）');
    expect(text.replace(/\s+/g, '').split('当事人销售超过保质期的食品。').length - 1).toBeGreaterThanOrEqual(700);
  });
});

describe('line breaking', () => {
  const width = 200;
  const size = 10;

  it('keeps every line within the width', () => {
    const text = '经查，当事人于 2026 年 9 月 12 日至 2026 年 10 月 8 日期间，在其经营场所销售超过保质期的预包装食品“纯牛奶”（规格 250ml/盒）共计 48 盒。';
    const lines = breakLines(text, width, size);
    expect(lines.length).toBeGreaterThan(2);
    for (const l of lines) expect(lineWidth(l, size)).toBeLessThanOrEqual(width + 0.01);
    expect(lines.join('').replace(/\s/g, '')).toBe(text.replace(/\s/g, ''));
  });

  it('never starts a line with closing punctuation nor ends one with opening punctuation', () => {
    for (let n = 1; n < 40; n++) {
      const lines = breakLines(`${'信'.repeat(n)}，用。新（乡）、《信用》；中国：${'报告'.repeat(30)}`, width, size);
      for (const l of lines.slice(1)) expect(l[0]).not.toMatch(/[，。、；：）》]/);
      for (const l of lines) expect(l.at(-1)).not.toMatch(/[（《]/);
    }
  });

  it('keeps a code or number whole, and splits a string longer than a line', () => {
    const lines = breakLines(`${'信用'.repeat(9)} 91410700174608534E 与 ${'f'.repeat(64)}`, 120, size);
    expect(lines.some((l) => l.includes('91410700174608534E'))).toBe(true);
    expect(lines.join('')).toContain('f'.repeat(10));
    for (const l of lines) expect(lineWidth(l, size)).toBeLessThanOrEqual(120.01);
  });

  it('keeps the lines of a text with newlines', () => {
    expect(breakLines('第一行\n第二行', 400, 10)).toEqual(['第一行', '第二行']);
  });
});

describe('report font', () => {
  it('explains in Chinese where to get a font when the configured one is missing', () => {
    expect(() => reportFont('/nonexistent/font.ttf')).toThrow(ReportFontError);
    expect(() => reportFont('/nonexistent/font.ttf')).toThrow(/找不到中文字体文件.*REPORT_FONT/);
  });

  const wqy = '/usr/share/fonts/truetype/wqy/wqy-microhei.ttc';
  it.skipIf(!existsSync(wqy))('names the face it could not find in a collection', () => {
    expect(() => reportFont(`${wqy}#NoSuchFace`)).toThrow(/中没有字体 NoSuchFace/);
  });

  it.skipIf(!existsSync(wqy))('opens a collection face named by REPORT_FONT by its PostScript name', () => {
    expect(reportFont(`${wqy}#WenQuanYiMicroHei`).postscriptName).toBe('WenQuanYiMicroHei');
  });

  const latinOnly = '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf';
  it.skipIf(!existsSync(latinOnly))('refuses a font without Chinese glyphs', () => {
    expect(() => reportFont(latinOnly)).toThrow(/不含汉字字形/);
  });

  it('comes from npm and the repository, never from the system font folders', () => {
    for (const file of [DEFAULT_REPORT_FONT, DEFAULT_FALLBACK_FONT]) {
      expect(file).not.toMatch(/^\/usr\/(share|local)\/fonts/);
      expect(existsSync(file)).toBe(true);
    }
    expect(reportFont(DEFAULT_REPORT_FONT).postscriptName).toBe('NotoSansHans-Regular');
  });
});

describe('beijingDateTime', () => {
  it('prints the instant in Beijing time', () => {
    expect(beijingDateTime(new Date('2026-11-27T16:30:00Z'))).toBe('2026年11月28日 00:30:00');
  });
});
