import { describe, expect, it } from 'vitest';
import { plainText, sanitizeArticle } from './sanitize.js';

describe('article sanitising', () => {
  it('removes script, handlers, styles and javascript: links, keeps formatting', () => {
    const out = sanitizeArticle(
      '<p onclick="x()">第一条<script>alert(1)</script><strong>重点</strong></p><img src=x onerror=alert(1)><a href="javascript:alert(1)">坏链接</a><a href="https://www.creditchina.gov.cn/">信用中国</a><style>p{}</style><p style="color:red">红字</p>',
    );
    expect(out).not.toMatch(/script|onclick|onerror|javascript:|<style|style=|<img/i);
    expect(out).toContain('<strong>重点</strong>');
    expect(out).toContain('<a href="https://www.creditchina.gov.cn/" rel="noopener noreferrer">信用中国</a>');
    expect(out).toContain('<p>红字</p>');
  });

  it('gives a plain excerpt', () => {
    expect(plainText('<p>新乡市<strong>信用</strong>建设</p>')).toBe('新乡市信用建设');
  });
});
