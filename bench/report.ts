import { formatTable } from '#lib/cli/table.ts';
import type { Figure, ScenarioResult } from './scenario.ts';

/** The figure at a dotted path (`dynamodb_requests.round1`), if there is one. */
function figureAt(figures: Record<string, Figure>, dotted: string): Figure | undefined {
  let value: Figure | undefined = figures;
  for (const part of dotted.split('.')) {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
    value = (value as Record<string, Figure>)[part];
  }
  return value;
}

function show(value: Figure | undefined): string {
  if (typeof value === 'number') return value.toLocaleString('en-GB', { maximumFractionDigits: 2 });
  if (value === undefined) return '—';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** The readable report: one row per headline figure, its target and whether it was met. */
export function formatReport(
  results: readonly ScenarioResult[],
  machine: { node: string; cpu: string; cores: number },
  durationSeconds: number,
): string {
  const rows: string[][] = [];
  for (const result of results) {
    for (const [index, path] of result.headline.entries()) {
      const target = result.targets.find((t) => t.figure === path);
      rows.push([
        index === 0 ? result.key : '',
        path,
        show(figureAt(result.figures, path)),
        target ? `${target.target} ${target.met ? '✓' : '✗ missed'}` : '',
      ]);
    }
  }
  const notes = results.flatMap((result) => [result.title, ...result.notes.map((n) => `  - ${n}`)]);
  return [
    `Cipherwatch bench — Node ${machine.node}, ${machine.cores} × ${machine.cpu}, ${durationSeconds} s`,
    '',
    formatTable(['scenario', 'figure', 'value', 'target'], rows),
    '',
    ...notes,
    '',
  ].join('\n');
}
