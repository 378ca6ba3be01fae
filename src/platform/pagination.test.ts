import { describe, expect, it } from 'vitest';
import { paginate } from './pagination.js';

describe('paginate', () => {
  it('keeps the filters in every link and drops page=1', () => {
    const p = paginate({ page: 2, pageSize: 10, total: 95, basePath: '/x', query: { q: '新乡', dept: '', page: '2' } });
    expect(p.pageCount).toBe(10);
    expect(p.prev).toBe('/x?q=%E6%96%B0%E4%B9%A1');
    expect(p.next).toBe('/x?q=%E6%96%B0%E4%B9%A1&page=3');
  });

  it('shows first, last and a window around the current page with gaps', () => {
    const p = paginate({ page: 10, pageSize: 10, total: 1000, basePath: '/x', query: {} });
    const pages = p.links.map((l) => ('gap' in l ? '…' : l.page));
    expect(pages).toEqual([1, '…', 8, 9, 10, 11, 12, '…', 100]);
  });

  it('clamps a page beyond the end and copes with no results', () => {
    expect(paginate({ page: 50, pageSize: 10, total: 20, basePath: '/x', query: {} }).page).toBe(2);
    const empty = paginate({ page: 1, pageSize: 10, total: 0, basePath: '/x', query: {} });
    expect(empty.pageCount).toBe(1);
    expect(empty.prev).toBeNull();
    expect(empty.next).toBeNull();
  });
});
