// The renderer's namespaced logger. Nothing here may ever receive a password or an
// Authorization header: callers log causes and states, never credentials or raw SIP.

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

const ORDER: Record<LogLevel, number> = { debug: 0, info: 1, warn: 2, error: 3 };

/** One log record, kept in a small ring buffer that the UI can show in a diagnostics panel. */
export interface LogRecord {
  t: number;
  level: LogLevel;
  ns: string;
  text: string;
}

const RING_SIZE = 500;
const ring: LogRecord[] = [];
let threshold: LogLevel = 'info';
let sink: (record: LogRecord, extra: unknown[]) => void = (record, extra) => {
  const line = `[${record.ns}] ${record.text}`;
  // The console is the sink in the renderer; Electron forwards it to the main log in dev only.
  /* eslint-disable no-console */
  switch (record.level) {
    case 'debug':
      console.debug(line, ...extra);
      break;
    case 'info':
      console.info(line, ...extra);
      break;
    case 'warn':
      console.warn(line, ...extra);
      break;
    default:
      console.error(line, ...extra);
  }
  /* eslint-enable no-console */
};

/** Sets the lowest level that is recorded. */
export function setLogLevel(level: LogLevel): void {
  threshold = level;
}

/** Replaces where records go (tests capture them). */
export function setLogSink(next: typeof sink): void {
  sink = next;
}

/** The last records, oldest first. */
export function recentLogs(): readonly LogRecord[] {
  return ring;
}

export interface Logger {
  debug(text: string, ...extra: unknown[]): void;
  info(text: string, ...extra: unknown[]): void;
  warn(text: string, ...extra: unknown[]): void;
  error(text: string, ...extra: unknown[]): void;
}

/** A logger whose records carry the namespace `ns`. */
export function createLogger(ns: string): Logger {
  const write = (level: LogLevel, text: string, extra: unknown[]): void => {
    if (ORDER[level] < ORDER[threshold]) {
      return;
    }
    const record: LogRecord = { t: Date.now(), level, ns, text };
    ring.push(record);
    if (ring.length > RING_SIZE) {
      ring.shift();
    }
    sink(record, extra);
  };
  return {
    debug: (text, ...extra) => write('debug', text, extra),
    info: (text, ...extra) => write('info', text, extra),
    warn: (text, ...extra) => write('warn', text, extra),
    error: (text, ...extra) => write('error', text, extra),
  };
}
