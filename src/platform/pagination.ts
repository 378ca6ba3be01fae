export interface PageLink {
  page: number;
  href: string;
  current: boolean;
}
export interface Pagination {
  page: number;
  pageCount: number;
  total: number;
  prev: string | null;
  next: string | null;
  links: (PageLink | { gap: true })[];
}

/** View model for the pagination macro; keeps the other query parameters so filtered pages stay bookmarkable. */
export function paginate(opts: { page: number; pageSize: number; total: number; basePath: string; query: Record<string, string | undefined> }): Pagination {
  const pageCount = Math.max(1, Math.ceil(opts.total / opts.pageSize));
  const page = Math.min(Math.max(1, opts.page), pageCount);
  const href = (p: number) => {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(opts.query)) if (v !== undefined && v !== '' && k !== 'page') params.set(k, v);
    if (p > 1) params.set('page', String(p));
    const qs = params.toString();
    return qs ? `${opts.basePath}?${qs}` : opts.basePath;
  };
  const wanted = new Set([1, pageCount, page - 2, page - 1, page, page + 1, page + 2].filter((p) => p >= 1 && p <= pageCount));
  const sorted = [...wanted].sort((a, b) => a - b);
  const links: Pagination['links'] = [];
  sorted.forEach((p, i) => {
    if (i > 0 && p - sorted[i - 1]! > 1) links.push({ gap: true });
    links.push({ page: p, href: href(p), current: p === page });
  });
  return { page, pageCount, total: opts.total, prev: page > 1 ? href(page - 1) : null, next: page < pageCount ? href(page + 1) : null, links };
}
