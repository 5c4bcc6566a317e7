// JSON logs on stdout (one object per line) that a cluster's log collector can parse as is.
import pino, { type DestinationStream, type Logger } from 'pino';
import type { LogSettings } from './settings';

export type { Logger } from 'pino';

export interface LoggerOptions {
  service: string;
  settings?: LogSettings;
  /** Where lines go; stdout when omitted. Tests pass a stream to read them. */
  destination?: DestinationStream;
}

export function createLogger(options: LoggerOptions): Logger {
  // Asynchronous writes keep logging off the request's critical path; the lifecycle flushes the
  // buffer before the process exits, so shutdown and fatal lines are not lost.
  const destination = options.destination ?? pino.destination({ dest: 1, sync: false });
  return pino(
    {
      level: options.settings?.level ?? 'info',
      base: { service: options.service },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      // A secret must never reach a log line, even through a header dump.
      redact: { paths: ['req.headers.authorization', 'headers.authorization'], censor: '[redacted]' },
    },
    destination,
  );
}
