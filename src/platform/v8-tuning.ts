import v8 from 'node:v8';

/**
 * V8 settings of the server process, applied at start-up (and by the import benchmark, which measures the server's
 * import path under them).
 *
 * No allocation-site pretenuring: V8 starts allocating objects of a site directly in the old generation when all of
 * them survived a young collection. A CSV import trips that: csv-parse pushes a read's hundred rows at once, and a
 * collection right after finds every one still waiting. From then on every parsed row went to the old generation and
 * waited there for a full collection: the process grew by 70–140 MB over 100,000 rows, against ~5 MB without it.
 * The server's objects live for a request or a batch chunk, so it has nothing to gain from pretenuring.
 */
export function tuneV8(): void {
  v8.setFlagsFromString('--no-allocation-site-pretenuring');
}
