import path from 'node:path';
import nunjucks from 'nunjucks';
import type { Express } from 'express';
import { maskIdNumber } from '../domain/identifiers.js';

export const VIEWS_DIR = path.resolve(import.meta.dirname, '../../views');

const dateTime = new Intl.DateTimeFormat('zh-CN', {
  timeZone: 'Asia/Shanghai',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hour12: false,
});
const dateOnly = new Intl.DateTimeFormat('zh-CN', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' });
const numberFmt = new Intl.NumberFormat('zh-CN');

export function formatDateTime(d: Date | string | null | undefined): string {
  if (!d) return '';
  return dateTime.format(new Date(d)).replace(/\//g, '-');
}

/** Calendar dates are stored as UTC midnight (@db.Date), so they are printed in UTC to avoid a day's shift. */
export function formatDate(d: Date | string | null | undefined): string {
  if (!d) return '';
  const date = new Date(d);
  if (date.getUTCHours() === 0 && date.getUTCMinutes() === 0) return date.toISOString().slice(0, 10);
  return dateOnly.format(date).replace(/\//g, '-');
}

/** In development templates are re-read on every render (noCache), so edits show without a restart and without a file watcher. */
export function configureViews(app: Express, opts: { noCache?: boolean } = {}): nunjucks.Environment {
  const env = nunjucks.configure(VIEWS_DIR, { autoescape: true, express: app, watch: false, noCache: opts.noCache ?? false });
  env.addFilter('datetime', formatDateTime);
  env.addFilter('date', formatDate);
  env.addFilter('num', (n: number | bigint | null | undefined) => (n === null || n === undefined ? '' : numberFmt.format(n)));
  env.addFilter('fileSize', (bytes: number) =>
    bytes < 1024 * 1024 ? `${Math.max(0.1, Math.round((bytes / 1024) * 10) / 10)} KB` : `${Math.round((bytes / 1024 / 1024) * 10) / 10} MB`,
  );
  env.addFilter('maskId', (v: string | null | undefined) => (v ? maskIdNumber(v) : ''));
  app.set('view engine', 'njk');
  return env;
}
