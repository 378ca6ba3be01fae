import { pino, type DestinationStream, type Logger as PinoLogger } from 'pino';

// Resident ID numbers must never reach a log in full (PIPL); anything shaped like one is masked on the way out.
const ID_LIKE = /(?<![0-9A-Za-z])(\d{6})(?:\d{8}|\d{5})(\d{3}[\dXx])(?![0-9A-Za-z])/g;

export function redact(text: string): string {
  return text.replace(ID_LIKE, (_m, head: string, tail: string) => `${head}********${tail}`);
}

export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';

export interface Logger {
  debug(msg: string, extra?: Record<string, unknown>): void;
  info(msg: string, extra?: Record<string, unknown>): void;
  warn(msg: string, extra?: Record<string, unknown>): void;
  error(msg: string, extra?: Record<string, unknown>): void;
  /** A logger whose every line carries `bindings` (e.g. a job id). */
  child(bindings: Record<string, unknown>): Logger;
  /** The pino instance underneath, for the request logs (src/platform/request-log.ts). */
  readonly pino: PinoLogger;
}

function wrap(p: PinoLogger): Logger {
  return {
    debug: (msg, extra) => p.debug(extra ?? {}, msg),
    info: (msg, extra) => p.info(extra ?? {}, msg),
    warn: (msg, extra) => p.warn(extra ?? {}, msg),
    error: (msg, extra) => p.error(extra ?? {}, msg),
    child: (bindings) => wrap(p.child(bindings)),
    pino: p,
  };
}

/**
 * JSON lines through pino. The masking works on the finished line rather than on chosen fields, so an ID number is
 * masked wherever it ends up: a message, a field, a URL's query string, an error's message or stack.
 */
export function createLogger(level: LogLevel = 'info', sink: (line: string) => void = (l) => process.stderr.write(l + '\n')): Logger {
  const destination: DestinationStream = { write: (line: string) => sink(redact(line.endsWith('\n') ? line.slice(0, -1) : line)) };
  const p = pino(
    {
      level,
      base: undefined,
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    destination,
  );
  return wrap(p);
}

export const silentLogger: Logger = createLogger('silent');
