// Resident ID numbers must never reach a log in full (PIPL); anything shaped like one is masked on the way out.
const ID_LIKE = /(?<![0-9A-Za-z])(\d{6})(?:\d{8}|\d{5})(\d{3}[\dXx])(?![0-9A-Za-z])/g;

export function redact(text: string): string {
  return text.replace(ID_LIKE, (_m, head: string, tail: string) => `${head}********${tail}`);
}

export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';
const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };

export interface Logger {
  debug(msg: string, extra?: Record<string, unknown>): void;
  info(msg: string, extra?: Record<string, unknown>): void;
  warn(msg: string, extra?: Record<string, unknown>): void;
  error(msg: string, extra?: Record<string, unknown>): void;
}

export function createLogger(level: LogLevel = 'info', sink: (line: string) => void = (l) => process.stderr.write(l + '\n')): Logger {
  const at = (lvl: Exclude<LogLevel, 'silent'>) => (msg: string, extra?: Record<string, unknown>) => {
    if (ORDER[lvl] < ORDER[level]) return;
    const tail = extra ? ' ' + JSON.stringify(extra) : '';
    sink(redact(`${new Date().toISOString()} ${lvl.toUpperCase()} ${msg}${tail}`));
  };
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

export const silentLogger: Logger = createLogger('silent');
