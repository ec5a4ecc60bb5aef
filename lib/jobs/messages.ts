import * as z from 'zod';

/** One feed to poll. */
export const pollFeedJobSchema = z.object({
  feedId: z.string().regex(/^[a-f0-9]{32}$/, 'a 32-character feed id'),
  scheduledAt: z.iso.datetime(),
});
export type PollFeedJob = z.infer<typeof pollFeedJobSchema>;

const windowSchema = z.object({
  start: z.iso.datetime(),
  end: z.iso.datetime(),
  key: z.string().min(1).max(200),
});

/** The mails a sign-up asks for: a confirmation link, or a pointer to the manage page of an active reader. */
export const SIGN_UP_MAILS = ['confirm', 'already-subscribed'] as const;
export type SignUpMail = (typeof SIGN_UP_MAILS)[number];

/**
 * One subscriber's digest for one window, one instant alert, or one sign-up mail: the unit that is sent
 * exactly once. A sign-up mail carries no address and no token: the sender reads the subscriber and
 * signs the link itself, so nothing in a queue can be replayed to mail someone or open their settings.
 */
export const deliveryJobSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('digest'),
    subscriberId: z.string().min(1).max(64),
    window: windowSchema,
  }),
  z.object({
    kind: z.literal('alert'),
    subscriberId: z.string().min(1).max(64),
    key: z.string().min(1).max(200),
    storyIds: z.array(z.string().min(1).max(64)).min(1).max(100),
  }),
  z.object({
    kind: z.literal('sign-up-mail'),
    subscriberId: z.string().min(1).max(64),
    mail: z.enum(SIGN_UP_MAILS),
    /** When the visitor signed up: names the mail, so a redelivered job sends it once. */
    requestedAt: z.iso.datetime(),
  }),
]);
export type DeliveryJob = z.infer<typeof deliveryJobSchema>;
export type SignUpMailJob = Extract<DeliveryJob, { kind: 'sign-up-mail' }>;

/**
 * A queue message body that is not what its consumer expects. Retrying cannot help; it is reported as a
 * failure so the queue's redrive policy moves it to the dead-letter queue, where an operator sees it.
 */
export class MalformedMessageError extends Error {
  override name = 'MalformedMessageError';
  constructor(
    readonly messageId: string,
    detail: string,
  ) {
    super(`Message ${messageId} is malformed: ${detail}`);
  }
}

/** Parses a message body with a schema, naming the first field that is wrong. */
export function parseMessage<T>(schema: z.ZodType<T>, messageId: string, body: string): T {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    throw new MalformedMessageError(messageId, 'the body is not JSON');
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new MalformedMessageError(
      messageId,
      `${issue?.path.join('.') || 'body'}: ${issue?.message ?? 'invalid'}`,
    );
  }
  return parsed.data;
}
