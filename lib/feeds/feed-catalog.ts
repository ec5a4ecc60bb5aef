import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import * as z from 'zod';
import { httpUrl } from '#lib/config.ts';

export const defaultFeedCatalogPath = fileURLToPath(new URL('../../config/feeds.yaml', import.meta.url));

const catalogSchema = z.object({
  feeds: z
    .array(
      z.object({
        name: z.string().trim().min(1, 'a name is required'),
        url: httpUrl,
        language: z
          .string()
          .regex(/^[a-z]{2}(-[A-Za-z]{2})?$/, 'an ISO 639-1 code such as en or de')
          .optional(),
      }),
    )
    // An empty list is how a person opts out of the default feeds.
    .nullish()
    .transform((feeds) => feeds ?? []),
});

export type FeedCatalogEntry = z.infer<typeof catalogSchema>['feeds'][number];

/** A feeds file that cannot be used; the message names the file, the entry and the field. */
export class FeedCatalogError extends Error {
  override name = 'FeedCatalogError';
}

/** Reads and checks the default feeds file (config/feeds.yaml). */
export function loadFeedCatalog(filePath: string = defaultFeedCatalogPath): FeedCatalogEntry[] {
  let document: unknown;
  try {
    document = parse(readFileSync(filePath, 'utf8'));
  } catch (error) {
    throw new FeedCatalogError(`${filePath}: ${error instanceof Error ? error.message : String(error)}`);
  }
  // An empty file means no default feeds, like `feeds: []`.
  const parsed = catalogSchema.safeParse(document ?? { feeds: [] });
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    if (!issue?.path.length) {
      throw new FeedCatalogError(
        `${filePath}: expected a YAML mapping with a "feeds:" list of { name, url, language }.`,
      );
    }
    const [, index, field] = issue.path;
    const where = typeof index === 'number' ? `feeds[${index}]${field ? `.${String(field)}` : ''}` : 'feeds';
    throw new FeedCatalogError(`${filePath}: ${where}: expected ${issue.message}.`);
  }
  return parsed.data.feeds;
}
