import { describe, expect, it } from 'vitest';
import { newReportNo, normaliseReportNo, REPORT_NO_PATTERN, sha256Hex } from './service.js';

describe('report numbers', () => {
  it('are XXCR, the Beijing day of issue and 8 random base32 symbols', () => {
    // 2026-11-27 20:00 UTC is already the 28th in Beijing
    const no = newReportNo(new Date('2026-11-27T20:00:00Z'));
    expect(no).toMatch(REPORT_NO_PATTERN);
    expect(no.slice(0, 12)).toBe('XXCR20261128');
    expect(no.slice(12)).not.toMatch(/[ILOU]/);
    const many = new Set(Array.from({ length: 2000 }, () => newReportNo(new Date())));
    expect(many.size).toBe(2000);
  });

  it('are read back leniently (spaces, lower case) and anything else is refused', () => {
    expect(normaliseReportNo(' xxcr20261127k7m2q9ta ')).toBe('XXCR20261127K7M2Q9TA');
    expect(normaliseReportNo('XXCR 20261127 K7M2Q9TA')).toBe('XXCR20261127K7M2Q9TA');
    for (const bad of ['', 'XXCR2026112K7M2Q9TA', 'XXCR20261127K7M2Q9TI', 'ABCD20261127K7M2Q9TA', '../etc/passwd']) expect(normaliseReportNo(bad)).toBeNull();
  });

  it('hashes with SHA-256 in hex', () => {
    expect(sha256Hex(Buffer.from('abc'))).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });
});
