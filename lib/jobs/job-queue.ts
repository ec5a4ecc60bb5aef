/** One job to queue; `id` is unique within one call and names the job in the result. */
export interface OutgoingJob<T> {
  id: string;
  body: T;
}

/** What queueing did: which ids went, and which never did (with the queue's reason). */
export interface QueueResult {
  sent: string[];
  failed: { id: string; reason: string }[];
}

/**
 * Where the domain puts work for another function: the poll-feeds, digests and sign-up mails queues. The domain only
 * knows this shape; the SQS adapter (`lib/queue/`) implements it.
 */
export interface JobQueue<T> {
  send(jobs: readonly OutgoingJob<T>[]): Promise<QueueResult>;
}
