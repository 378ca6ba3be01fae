/** What the benchmark scripts share: failing with a Chinese message, percentiles of sorted samples, aligned milliseconds. */

export function fail(message: string): never {
  console.error(message);
  process.exit(1);
}

/** The p-quantile (0–1) of ascending samples, nearest rank. */
export const percentile = (sorted: readonly number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)]!;

/** Milliseconds, one decimal, right-aligned for tables. */
export const ms = (x: number): string => x.toFixed(1).padStart(7);
