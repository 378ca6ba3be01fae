import { describe, expect, it } from 'vitest';
import { answerSchema, feedbackSchema, newRefNo, REF_RE } from './feedback.js';

describe('「我为政府网站找错」 input', () => {
  it('reference numbers carry the Beijing day and six characters without look-alikes', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 200; i++) {
      const ref = newRefNo('2026-12-03');
      expect(ref).toMatch(REF_RE);
      expect(ref.startsWith('ZC20261203')).toBe(true);
      expect(ref.slice(10)).not.toMatch(/[01IO]/);
      seen.add(ref);
    }
    // 32^6 possibilities: 200 draws do not collide in practice.
    expect(seen.size).toBe(200);
  });

  it('takes a path of this site or an http(s) address, never a script URL', () => {
    const base = { problemType: 'other', content: '页面内容有误请核实' };
    for (const pageUrl of ['/lists/red', 'https://xy.xinxiang.gov.cn/a?b=1', 'HTTP://example.cn/']) {
      expect(feedbackSchema.safeParse({ ...base, pageUrl }).success, pageUrl).toBe(true);
    }
    for (const pageUrl of ['javascript:alert(1)', 'data:text/html,x', 'ftp://x', '', '   ', 'https://a b']) {
      expect(feedbackSchema.safeParse({ ...base, pageUrl }).success, pageUrl).toBe(false);
    }
  });

  it('an empty contact is stored as none; an answer needs its reply text', () => {
    const parsed = feedbackSchema.parse({ pageUrl: '/', problemType: 'brokenLink', content: '首页链接打不开', contact: '  ' });
    expect(parsed.contact).toBeNull();
    expect(answerSchema.safeParse({ status: 'answered', answer: ' ' }).success).toBe(false);
    expect(answerSchema.safeParse({ status: 'processing', answer: '' }).success).toBe(true);
    expect(answerSchema.safeParse({ status: 'open', answer: 'x' }).success).toBe(false);
  });
});
