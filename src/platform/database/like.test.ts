import { describe, expect, it } from 'vitest';
import { containing } from './like.js';

describe('containing', () => {
  it('escapes the LIKE wildcards and the escape character', () => {
    expect(containing('%')).toBe('\\%');
    expect(containing('a_b')).toBe('a\\_b');
    expect(containing('c:\\x')).toBe('c:\\\\x');
    expect(containing('100%_\\')).toBe('100\\%\\_\\\\');
  });
  it('leaves other text alone', () => {
    expect(containing('新乡市某某有限公司')).toBe('新乡市某某有限公司');
  });
});
