import { resetAppContext } from '../../lib/app/context.ts';
import { getLog, type Log, setLog } from '../../lib/log.ts';

export interface LoggedLine {
  level: 'debug' | 'info' | 'warn' | 'error';
  message: string;
  attributes: Record<string, unknown>;
}

/**
 * Routes the process's log into an array for one test, so failures a test provokes on purpose are
 * asserted on instead of printed; `restore` puts the previous log back.
 */
export function captureLog(): { lines: LoggedLine[]; restore(): void } {
  const previous = getLog();
  const lines: LoggedLine[] = [];
  const record =
    (level: LoggedLine['level']) =>
    (message: string, attributes: Record<string, unknown> = {}) =>
      lines.push({ level, message, attributes });
  const log: Log = {
    debug: record('debug'),
    info: record('info'),
    warn: record('warn'),
    error: record('error'),
  };
  setLog(log);
  // The context holds the log it was built with.
  resetAppContext();
  return {
    lines,
    restore() {
      setLog(previous);
      resetAppContext();
    },
  };
}
