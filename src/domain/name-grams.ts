/**
 * The grams a legal person's name is indexed by: its single characters and character bigrams, lower-cased,
 * each once. The same set as the SQL function xx_name_grams() (migration 20261127040711), which the
 * legal_person trigger uses when a writer does not send them; bulk writers compute them here instead, because
 * the SQL version is slow per name (docs/performance.md#loading-the-scale-data). tests/integration/name-grams.test.ts checks that the two agree.
 */
export function nameGrams(name: string): string[] {
  const chars = Array.from(name.toLowerCase());
  const grams = new Set<string>(chars);
  for (let i = 0; i + 1 < chars.length; i++) grams.add(chars[i]! + chars[i + 1]!);
  return [...grams];
}
