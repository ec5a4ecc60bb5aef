import type { Context } from 'hono';
import type { TopicDefinition } from '#lib/classify/topic-pack.ts';
import type { JobQueue } from '#lib/jobs/job-queue.ts';
import type { SignUpMailJob } from '#lib/jobs/messages.ts';
import type { Log } from '#lib/log.ts';
import type { DeliveryRepository } from '#lib/store/delivery-repository.ts';
import type { FeedRepository } from '#lib/store/feed-repository.ts';
import type { FeedbackRepository } from '#lib/store/feedback-repository.ts';
import type { LimitRepository } from '#lib/store/limit-repository.ts';
import type { StoryRepository } from '#lib/store/story-repository.ts';
import type { SubscriberRepository } from '#lib/store/subscriber-repository.ts';

/** Rounds an operator can start from the admin API; each only queues work for the consumers. */
export interface RoundTriggers {
  /** Queues a poll of every enabled feed now. */
  poll(): Promise<{ queued: number }>;
  /**
   * `due`: the hourly digest round, now. `now`: every active daily or weekly reader gets the digest of
   * their last period at once, as if their delivery hour had come.
   */
  digest(mode: 'due' | 'now'): Promise<{ queued: number }>;
}

/** Everything the web app needs, passed in by the composition root: no module singletons. */
export interface WebDependencies {
  /** Base of links in emails and pages, e.g. https://cipherwatch.example (no trailing slash). */
  publicUrl: string;
  /** Hex SHA-256 of the admin API key; without it the admin API refuses every request. */
  adminApiKeyHash: string | undefined;
  topics: readonly TopicDefinition[];
  subscribers: SubscriberRepository;
  stories: StoryRepository;
  feeds: FeedRepository;
  deliveries: DeliveryRepository;
  feedback: FeedbackRepository;
  limits: LimitRepository;
  /**
   * The mail queue: the web app sends no mail itself, it asks the digest sender (the one function
   * allowed to send) for sign-up mails there.
   */
  mailQueue: JobQueue<SignUpMailJob>;
  /** The key signing link tokens (resolved lazily: on AWS it comes from Secrets Manager). */
  tokenSecret(): string | Promise<string>;
  rounds: RoundTriggers;
  /** The client's address as the edge saw it (API Gateway's source IP, the socket's peer locally). */
  clientAddress(c: Context): string | undefined;
  now(): Date;
  log: Log;
}
