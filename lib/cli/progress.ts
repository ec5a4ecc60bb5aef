/** A one-line progress bar on a terminal; on anything else, nothing until the end. */
export function createProgress(label: string, total: number, stream: NodeJS.WriteStream = process.stderr) {
  const width = 28;
  let done = 0;
  const draw = () => {
    if (!stream.isTTY) return;
    const filled = total === 0 ? width : Math.round((done / total) * width);
    stream.write(`\r${label} [${'█'.repeat(filled)}${'░'.repeat(width - filled)}] ${done}/${total}`);
  };
  draw();
  return {
    advance(by = 1) {
      done = Math.min(total, done + by);
      draw();
    },
    finish() {
      if (stream.isTTY) stream.write('\r\x1b[2K');
    },
  };
}
