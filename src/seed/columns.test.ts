import { describe, expect, it } from 'vitest';
import { earlierIssue } from './columns.js';

describe('the demo earlier list issue', () => {
  it('takes the quarter before last quarter, published two weeks into last quarter, across year ends', () => {
    expect(earlierIssue('2026-12-03')).toEqual({ year: 2026, quarter: 2, publishedOn: '2026-07-15' });
    expect(earlierIssue('2026-04-01')).toEqual({ year: 2025, quarter: 4, publishedOn: '2026-01-15' });
    expect(earlierIssue('2026-01-01')).toEqual({ year: 2025, quarter: 3, publishedOn: '2025-10-15' });
    expect(earlierIssue('2026-03-31')).toEqual({ year: 2025, quarter: 3, publishedOn: '2025-10-15' });
    expect(earlierIssue('2026-07-31')).toEqual({ year: 2026, quarter: 1, publishedOn: '2026-04-15' });
  });

  it('is published before last quarter ends and at least 70 days before any day of this quarter', () => {
    for (let d = new Date('2026-01-01T00:00:00Z'); d < new Date('2027-01-01T00:00:00Z'); d = new Date(d.getTime() + 86_400_000)) {
      const today = d.toISOString().slice(0, 10);
      const { publishedOn } = earlierIssue(today);
      // Room for the feedback dates (publication + 20 + n days) to lie in the past.
      expect((Date.parse(today) - Date.parse(publishedOn)) / 86_400_000).toBeGreaterThanOrEqual(70);
    }
  });
});
