import pg from 'pg';
import type { Logger } from '../logger.js';

/**
 * How long a new connection may take before the caller gets an error. Without it a request made while
 * PostgreSQL is away waits for the operating system's TCP timeout instead of getting the 503 page at once.
 */
export const CONNECT_TIMEOUT_MS = 5000;

/**
 * A node-pg pool that cannot take the process down. pg-pool listens for 'error' only on idle clients; a client
 * that is checked out (a long import transaction, a COPY) and loses its server emits 'error' with no listener,
 * which Node turns into an uncaught exception a few seconds after PostgreSQL dies. Every client therefore gets
 * its own listener when it connects; the query in flight still rejects, so the caller sees the failure.
 */
export function createPool(config: pg.PoolConfig, log: Pick<Logger, 'warn'>, label: string): pg.Pool {
  const pool = new pg.Pool({ connectionTimeoutMillis: CONNECT_TIMEOUT_MS, ...config });
  guardPool(pool, log, label);
  return pool;
}

export function guardPool(pool: pg.Pool, log: Pick<Logger, 'warn'>, label: string): void {
  pool.on('error', (err) => log.warn(`${label}: idle connection lost`, { message: err.message }));
  pool.on('connect', (client) => {
    client.on('error', (err) => log.warn(`${label}: connection lost`, { message: err.message }));
  });
}

/** A single connection (migrations, admin statements) that logs instead of crashing when its server goes away. */
export function guardClient<T extends pg.Client>(client: T, log: Pick<Logger, 'warn'> = { warn: () => {} }, label = 'pg client'): T {
  client.on('error', (err) => log.warn(`${label}: connection lost`, { message: err.message }));
  return client;
}

const CONNECTION_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  // admin_shutdown, crash_shutdown, cannot_connect_now
  '57P01',
  '57P02',
  '57P03',
  // Prisma: can't reach the server, timed out, server closed the connection, pool timeout
  'P1001',
  'P1002',
  'P1017',
  'P2024',
]);
const CONNECTION_MESSAGES =
  /Connection terminated|connection timeout|timeout exceeded when trying to connect|Client has encountered a connection error|Can't reach database server|Server has closed the connection|the database system is (?:shutting down|starting up|in recovery mode)|terminating connection due to administrator command|ECONNREFUSED|ECONNRESET|Connection refused/i;

/** True when the error means "the database is not reachable right now" rather than a bad statement. */
export function isConnectionError(err: unknown, depth = 0): boolean {
  if (!err || typeof err !== 'object' || depth > 5) return false;
  const e = err as { code?: unknown; message?: unknown; cause?: unknown; errors?: unknown };
  if (typeof e.code === 'string' && (CONNECTION_CODES.has(e.code) || e.code.startsWith('08'))) return true;
  if (typeof e.message === 'string' && CONNECTION_MESSAGES.test(e.message)) return true;
  if (Array.isArray(e.errors) && e.errors.some((x) => isConnectionError(x, depth + 1))) return true;
  return isConnectionError(e.cause, depth + 1);
}
