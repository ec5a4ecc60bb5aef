import * as z from 'zod';

const textField = (name: string) => z.string({ error: `expected "${name}" to be text` });

/** A story to classify, as the `classify` command reads it. */
export const storyLineSchema = z.object(
  {
    id: z
      .union([z.string(), z.number()], { error: 'expected "id" to be text or a number' })
      .transform(String),
    title: textField('title'),
    summary: textField('summary').default(''),
    language: z.string().optional(),
  },
  { error: 'expected a JSON object such as {"id": "1", "title": "…", "summary": "…"}' },
);

/** A story with the topics a person gave it, as `eval` and the quality tests read it. */
export const labelledItemSchema = storyLineSchema.extend({
  labels: z.array(z.string(), { error: 'expected "labels" to be a list of topic ids' }),
  uncertain: z.boolean({ error: 'expected "uncertain" to be true or false' }).default(false),
  // Where and when a story was published: cross-validation keeps a feed's day together.
  source: z.string().optional(),
  published: z.string().optional(),
});

export type StoryLine = z.infer<typeof storyLineSchema>;
export type LabelledItem = z.infer<typeof labelledItemSchema>;

/** The first problem zod found, phrased for one line of output. */
export function describeSchemaError(error: z.ZodError): string {
  return error.issues[0]?.message ?? 'invalid item';
}
