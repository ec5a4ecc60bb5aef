import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';

/** Writes `data` to `target` so readers never see a half-written file: temp file in the same folder, then rename. */
async function writeAtomically(target: string, data: string | Buffer): Promise<void> {
  const temp = path.join(
    path.dirname(target),
    `.${path.basename(target)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`,
  );
  try {
    // Outbox messages carry live unsubscribe and manage links: readable by their owner alone.
    await writeFile(temp, data, { mode: 0o600 });
    await rename(temp, target);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}

/**
 * A file-system-safe name a person can scan: when, to whom, and a short hash of the idempotency key
 * so two messages never collide. `2026-11-26T08-05-12Z-policy-team-3f9a1c2e`
 */
export function outboxFileStem(idempotencyKey: string, at: Date, recipient: string): string {
  const who =
    (recipient.split('@')[0] ?? '')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 40) || 'message';
  const hash = keyHash(idempotencyKey);
  const stamp = `${at.toISOString().slice(0, 19).replace(/:/g, '-')}Z`;
  return `${stamp}-${who}-${hash}`;
}

const keyHash = (idempotencyKey: string) =>
  createHash('sha256').update(idempotencyKey).digest('hex').slice(0, 8);

/** True when the outbox holds a message written for this idempotency key. */
export async function outboxHolds(dir: string, idempotencyKey: string): Promise<boolean> {
  const suffix = `-${keyHash(idempotencyKey)}.eml`;
  const files = await readdir(dir).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return [];
    throw error;
  });
  return files.some((file) => file.endsWith(suffix));
}

/**
 * Saves a message into the outbox folder as `<stem>.eml` with a `<stem>.html` preview beside it,
 * creating the folder when needed. The preview is written first, so every visible .eml has one.
 * Returns the path of the .eml.
 */
export async function writeToOutbox(dir: string, stem: string, eml: Buffer, html: string): Promise<string> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const emlPath = path.join(dir, `${stem}.eml`);
  await writeAtomically(path.join(dir, `${stem}.html`), html);
  await writeAtomically(emlPath, eml);
  return emlPath;
}
