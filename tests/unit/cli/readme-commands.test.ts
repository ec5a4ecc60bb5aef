import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { buildProgram } from '#lib/cli/main.ts';

/** Every runnable command line: `start`, `feeds add`, `digest send`, … (help excluded). */
function commandNames(program: Command): string[] {
  return program.commands.flatMap((command) =>
    command.commands.length > 0
      ? command.commands.map((sub) => `${command.name()} ${sub.name()}`)
      : [command.name()],
  );
}

/** The first column of each row of the README's command table. */
function readmeRows(): string[] {
  const readme = readFileSync('README.md', 'utf8');
  const table = readme.slice(
    readme.indexOf('| Command | What it does |'),
    readme.indexOf('Errors are one line'),
  );
  return table
    .split('\n')
    .filter((line) => line.startsWith('| `cipherwatch'))
    .map((line) => line.split(' | ')[0] ?? '');
}

describe('the README command table', () => {
  it('lists every command --help lists, and nothing --help does not', () => {
    const program = buildProgram();
    const rows = readmeRows();

    for (const name of commandNames(program)) {
      const [group, sub] = name.split(' ');
      // One row may cover several subcommands: "cipherwatch feeds remove|enable|disable URL".
      const covered = rows.some(
        (row) => row.includes(`cipherwatch ${group}`) && (!sub || new RegExp(`\\b${sub}\\b`).test(row)),
      );
      expect(covered, `${name} is missing from the README's command table`).toBe(true);
    }
    const groups = program.commands.map((command) => command.name());
    for (const row of rows) {
      for (const [, group] of row.matchAll(/cipherwatch ([a-z]+)/g)) expect(groups, row).toContain(group);
    }
  });
});
