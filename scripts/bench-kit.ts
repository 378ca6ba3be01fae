import { parseArgs, type ParseArgsConfig } from 'node:util';

/** What the benchmark scripts share: failing with a Chinese message, percentiles of sorted samples, aligned milliseconds. */

export function fail(message: string): never {
  console.error(message);
  process.exit(1);
}

/** The p-quantile (0–1) of ascending samples, nearest rank. */
export const percentile = (sorted: readonly number[], p: number): number => sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)]!;

/** Milliseconds, one decimal, right-aligned for tables. */
export const ms = (x: number): string => x.toFixed(1).padStart(7);

/**
 * Parses the command line; an unknown or malformed option fails in Chinese with the usage, and `help` (declare it as
 * `help: { type: 'boolean', short: 'h' }`) prints the usage.
 */
export function cliArgs<T extends ParseArgsConfig>(config: T, usage: string): ReturnType<typeof parseArgs<T>>['values'] {
  let values: ReturnType<typeof parseArgs<T>>['values'];
  try {
    values = parseArgs(config).values;
  } catch (err) {
    fail(`错误：${(err as Error).message}。${usage}`);
  }
  if ((values as { help?: boolean }).help) {
    console.log(usage);
    process.exit(0);
  }
  return values;
}

/** An integer flag: `fallback` when absent, else at least `min`; anything else fails naming the flag, with the usage. */
export function intFlag(v: unknown, fallback: number, flag: string, usage: string, min = 1): number {
  const n = v === undefined ? fallback : Number(v);
  if (!Number.isSafeInteger(n) || n < min) fail(`错误：--${flag} 应为${min === 0 ? '非负' : '正'}整数。${usage}`);
  return n;
}
