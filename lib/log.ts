import { Logger as PowertoolsLogger } from '@aws-lambda-powertools/logger';
import type { Context } from 'aws-lambda';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type LogAttributes = Record<string, unknown>;

/** The one logging surface: structured JSON in Lambda (Powertools), readable lines in a terminal. */
export interface Log {
  debug(message: string, attributes?: LogAttributes): void;
  info(message: string, attributes?: LogAttributes): void;
  warn(message: string, attributes?: LogAttributes): void;
  error(message: string, attributes?: LogAttributes): void;
  /** Adds the invocation's request id and cold start to every later line (Lambda only). */
  addContext?(context: Context): void;
}

const LEVEL_ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

/** A terminal logger writing `12:04:05 info  message key=value` lines to stderr. */
export function createTerminalLog(
  minimum: LogLevel = 'info',
  write: (line: string) => void = (l) => process.stderr.write(l),
): Log {
  const emit = (level: LogLevel, message: string, attributes?: LogAttributes) => {
    if (LEVEL_ORDER[level] < LEVEL_ORDER[minimum]) return;
    const time = new Date().toISOString().slice(11, 19);
    const details = attributes ? formatAttributes(attributes) : '';
    write(`${time} ${level.padEnd(5)} ${message}${details ? `  ${details}` : ''}\n`);
  };
  return {
    debug: (m, a) => emit('debug', m, a),
    info: (m, a) => emit('info', m, a),
    warn: (m, a) => emit('warn', m, a),
    error: (m, a) => emit('error', m, a),
  };
}

function formatAttributes(attributes: LogAttributes): string {
  return Object.entries(attributes)
    .filter(([, value]) => value !== undefined)
    .map(([key, value]) => {
      const text = value instanceof Error ? `${value.name}: ${value.message}` : formatValue(value);
      return `${key}=${/\s/.test(text) ? JSON.stringify(text) : text}`;
    })
    .join(' ');
}

function formatValue(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** A Lambda logger: Powertools' structured JSON, one object per line, for CloudWatch Logs Insights. */
export function createLambdaLog(serviceName: string, level: LogLevel = 'info'): Log {
  const logger = new PowertoolsLogger({ serviceName, logLevel: level.toUpperCase() as 'INFO' });
  return {
    debug: (m, a) => logger.debug(m, a ?? {}),
    info: (m, a) => logger.info(m, a ?? {}),
    warn: (m, a) => logger.warn(m, a ?? {}),
    error: (m, a) => logger.error(m, a ?? {}),
    addContext: (context) => logger.addContext(context),
  };
}

/** The logger for where the code runs: Powertools JSON inside Lambda, terminal lines elsewhere. */
export function createLog(settings: { logLevel: LogLevel; inLambda: boolean }): Log {
  return settings.inLambda
    ? createLambdaLog('cipherwatch', settings.logLevel)
    : createTerminalLog(settings.logLevel);
}
