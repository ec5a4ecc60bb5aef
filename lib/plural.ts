/** "1 story", "1,204 stories": a count with its noun, for every line a person reads. */
export function plural(count: number, one: string, many = `${one}s`): string {
  return `${count.toLocaleString('en-GB')} ${count === 1 ? one : many}`;
}
