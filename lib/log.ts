import { Logger as PowertoolsLogger } from '@aws-lambda-powertools/logger';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type LogAttributes = Record<string, unknown>;

/** The one logging surface: structured JSON in Lambda (Powertools), readable lines in a terminal. */
export interface Log {
  debug(message: string, attributes?: LogAttributes): void;
  info(message: string, attributes?: LogAttributes): void;
  warn(message: string, attributes?: LogAttributes): void;
  error(message: string, attributes?: LogAttributes): void;
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
  };
}

let current: Log | undefined;

/** The configured level, if it is one; a wrong value is reported by the configuration check at start-up. */
function configuredLevel(): LogLevel {
  const value = process.env.CIPHERWATCH_LOG_LEVEL;
  return value !== undefined && value in LEVEL_ORDER ? (value as LogLevel) : 'info';
}

/** The process's logger: Powertools inside Lambda, terminal lines elsewhere. */
export function getLog(): Log {
  current ??= process.env.AWS_LAMBDA_FUNCTION_NAME
    ? createLambdaLog('cipherwatch', configuredLevel())
    : createTerminalLog(configuredLevel());
  return current;
}

/** Replaces the process's logger (the CLI quiets it; tests capture it). */
export function setLog(log: Log): void {
  current = log;
}
