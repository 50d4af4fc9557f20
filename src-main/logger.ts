// The main process's namespaced logger. Callers log causes and states, never a password, a
// secret key's value or an Authorization header; the sink is replaceable so tests capture lines.

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface Logger {
  debug(text: string): void;
  info(text: string): void;
  warn(text: string): void;
  error(text: string): void;
}

/** Where log lines go: stderr by default (Electron forwards it to the terminal / system log). */
export type LogSink = (level: LogLevel, ns: string, text: string) => void;

let sink: LogSink = (level, ns, text) => {
  if (level === 'debug' && process.env.SOFTPHONE_DEBUG !== '1') {
    return;
  }
  process.stderr.write(`${new Date().toISOString()} ${level} [${ns}] ${text}\n`);
};

/** Replaces the sink (tests). Returns the previous one. */
export function setLogSink(next: LogSink): LogSink {
  const previous = sink;
  sink = next;
  return previous;
}

/** A logger whose lines carry the namespace `ns`. */
export function createLogger(ns: string): Logger {
  return {
    debug: (text) => sink('debug', ns, text),
    info: (text) => sink('info', ns, text),
    warn: (text) => sink('warn', ns, text),
    error: (text) => sink('error', ns, text),
  };
}

/** A short description of a caught value, for a log line. */
export function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
