/** Formats rows as aligned columns for a terminal; the last column is left to wrap. */
export function formatTable(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = headers.map((header, column) =>
    Math.max(header.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, column) => (column === cells.length - 1 ? cell : cell.padEnd(widths[column] ?? 0)))
      .join('  ')
      .trimEnd();
  return [line(headers), line(widths.map((w) => '─'.repeat(w))), ...rows.map(line)].join('\n');
}

/** "3 h ago", "in 4 min", "never": times relative to now, for lists a person scans. */
export function relativeTime(iso: string | undefined, now: Date = new Date()): string {
  if (!iso) return 'never';
  const deltaMs = Date.parse(iso) - now.getTime();
  const minutes = Math.round(Math.abs(deltaMs) / 60_000);
  const text =
    minutes < 1
      ? 'now'
      : minutes < 90
        ? `${minutes} min`
        : minutes < 48 * 60
          ? `${Math.round(minutes / 60)} h`
          : `${Math.round(minutes / 1440)} d`;
  if (text === 'now') return text;
  return deltaMs < 0 ? `${text} ago` : `in ${text}`;
}
