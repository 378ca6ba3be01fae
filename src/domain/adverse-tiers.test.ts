import { describe, expect, it } from 'vitest';
import { brokenCommitmentTier, listEntryTier, tierLabel } from './adverse-tiers.js';

describe('tiers of adverse records other than penalties', () => {
  it('a black-list entry is 严重; a red-list entry has no tier', () => {
    expect(tierLabel(listEntryTier('black'))).toBe('严重');
    expect(listEntryTier('red')).toBeNull();
  });
  it('a broken commitment is 一般; a kept or running one has no tier', () => {
    expect(tierLabel(brokenCommitmentTier('部分履行'))).toBe('一般');
    expect(tierLabel(brokenCommitmentTier('全部未履行'))).toBe('一般');
    for (const f of ['全部履行', null, undefined, '']) expect(brokenCommitmentTier(f)).toBeNull();
  });
});
