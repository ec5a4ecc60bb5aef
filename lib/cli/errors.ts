/** A problem the person at the terminal caused or can fix; printed as one line, no stack trace. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** The one line a failed command prints: `error: <ErrorName>: <what happened>`. */
export function errorLine(error: unknown): string {
  if (error instanceof Error) return `error: ${error.name}: ${error.message}`;
  return `error: Error: ${String(error)}`;
}

/** The JSON form of a failure, for `--json` commands. */
export function errorJson(error: unknown): string {
  const name = error instanceof Error ? error.name : 'Error';
  const message = error instanceof Error ? error.message : String(error);
  return JSON.stringify({ error: { name, message } });
}
