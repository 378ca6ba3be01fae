/**
 * What the progress page says while an import runs: rows read, the estimated total, and the time left at the
 * rate so far (none until a first batch of rows gives a rate).
 */
export function progressOf(imp: { status: string; processedRows: number; estimatedRows: number | null; startedAt: Date }, now = Date.now()) {
  if (imp.status !== 'running') return { queued: imp.status === 'queued', read: 0, estimated: null, percent: null, secondsLeft: null };
  const read = imp.processedRows;
  const estimated = imp.estimatedRows && imp.estimatedRows >= read ? imp.estimatedRows : null;
  const elapsed = (now - imp.startedAt.getTime()) / 1000;
  const percent = estimated ? Math.min(99, Math.floor((read / estimated) * 100)) : null;
  const secondsLeft = estimated && read > 0 && elapsed > 0 ? Math.max(1, Math.round(((estimated - read) * elapsed) / read)) : null;
  return { queued: false, read, estimated, percent, secondsLeft };
}
