import v8 from 'node:v8';

/**
 * V8 settings of the server process, applied at start-up (and by the benchmarks, which measure the app under them).
 *
 * No allocation-site pretenuring: V8 starts allocating objects of a site directly in the old generation once every
 * one of them it counted survived a young collection. A CSV import trips that in validation (found by elimination:
 * csv-parse alone never did, csv-parse with the record schema's safeParse did, at sites that made 500–700 objects
 * between collections). From then on each row's garbage went to the old generation and waited there for a full
 * collection, and in some runs a large import grew the process many times more than it ever did without
 * pretenuring (docs/performance.md#process-settings).
 * The server's objects live for a request or a batch chunk, so it has little to gain from pretenuring.
 */
export function tuneV8(): void {
  v8.setFlagsFromString('--no-allocation-site-pretenuring');
}
