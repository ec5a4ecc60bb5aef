/** A problem the person at the terminal caused or can fix; printed as one line, no stack trace. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** `<ErrorName>: <what happened>`, for any thrown value. */
export function describeError(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : `Error: ${String(error)}`;
}

/** The one line a failed command prints: `error: <ErrorName>: <what happened>`. */
export function errorLine(error: unknown): string {
  return `error: ${describeError(error)}`;
}

/** The JSON form of a failure, for `--json` commands. */
export function errorJson(error: unknown): string {
  const name = error instanceof Error ? error.name : 'Error';
  const message = error instanceof Error ? error.message : String(error);
  return JSON.stringify({ error: { name, message } });
}
