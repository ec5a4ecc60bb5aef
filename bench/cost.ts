import { type Figure, round, type ScenarioOptions, type ScenarioResult, type UnitUsage } from './scenario.ts';

/**
 * Public list prices, us-east-1, without free tiers (pricing pages of each service, as of 2025–2026).
 * Lambda on arm64, as the CDK stack deploys it; DynamoDB on demand, as the tables are created.
 */
export const PRICES = {
  region: 'us-east-1',
  lambda_per_million_requests: 0.2,
  lambda_arm64_per_gb_second: 0.0000133334,
  sqs_standard_per_million_requests: 0.4,
  dynamodb_per_million_write_request_units: 0.625,
  dynamodb_per_million_read_request_units: 0.125,
  dynamodb_storage_per_gb_month: 0.25,
  ses_per_thousand_emails: 0.1,
  scheduler_per_million_invocations: 1.0,
  cloudwatch_per_custom_metric_month: 0.3,
  cloudwatch_logs_per_gb_ingested: 0.5,
} as const;

/** What the deployment does each month, beyond what the bench measured. */
export const ASSUMPTIONS = {
  days_per_month: 30,
  poll_every_minutes: 5,
  digests_per_subscriber_per_month: 30,
  poll_function_memory_gb: 1,
  digest_function_memory_gb: 0.5,
  scheduler_function_memory_gb: 0.25,
  scheduler_seconds_per_invocation: 1,
  /**
   * Lambda bills wall time. Per invocation: the handler's own CPU time (measured, main thread) for each
   * record, plus, for the records handled side by side, one chain of waits: the publisher's answer, the
   * DynamoDB round trips in turn, the SES call. The waits are modelled, not measured.
   */
  publisher_answer_ms: 300,
  dynamodb_round_trip_ms: 5,
  ses_send_ms: 50,
  poll_batch_size: 5,
  digest_batch_size: 10,
  /** Lambda's SQS pollers long-poll an idle queue: about 5 pollers × 3 receives a minute per queue, 3 queues. */
  idle_sqs_receives_per_month: 5 * 3 * 60 * 24 * 30 * 3,
  /** Powertools EMF: 8 metric names plus StoriesRelevant for each of 4 topics. */
  custom_metrics: 11,
  /** START/END/REPORT lines per invocation and one info line per updated feed or sent digest. */
  log_bytes_per_invocation: 350,
  log_bytes_per_logged_unit: 250,
  /** A story item with its index items, as written (upper bound from the write units: 1 KB each). */
  stored_kb_per_write_unit: 1,
} as const;

const SIZES = [
  { name: 'small', feeds: 100, subscribers: 1_000 },
  { name: 'large', feeds: 10_000, subscribers: 100_000 },
] as const;

type Usage = Record<keyof UnitUsage, number>;

function usageFrom(figure: Figure | undefined): Usage {
  if (!figure || typeof figure !== 'object' || Array.isArray(figure))
    throw new Error('The cost scenario needs the poll and digest figures of this run.');
  return figure as unknown as Usage;
}

const pick = (figures: Record<string, Figure>, ...path: string[]): Figure | undefined =>
  path.reduce<Figure | undefined>(
    (value, key) =>
      value && typeof value === 'object' && !Array.isArray(value)
        ? (value as Record<string, Figure>)[key]
        : undefined,
    figures,
  );

/** Billed Lambda seconds per unit of work: its CPU time plus its share of the batch's modelled waits. */
export function lambdaSecondsPerUnit(usage: Usage, outsideCallMs: number, batchSize: number): number {
  const waitsMs = outsideCallMs + usage.dynamodb_requests * ASSUMPTIONS.dynamodb_round_trip_ms;
  return (usage.handler_cpu_ms + waitsMs / batchSize) / 1000;
}

/** Monthly dollars by service for one deployment size, from per-feed and per-digest usage. */
export function monthlyCost(
  size: { feeds: number; subscribers: number },
  perFeed: Usage,
  perDigest: Usage,
  storyReadUnitsPerDigestRound: number,
): Record<string, number> {
  const a = ASSUMPTIONS;
  const pollRounds = (a.days_per_month * 24 * 60) / a.poll_every_minutes;
  const feedPolls = size.feeds * pollRounds;
  const digests = size.subscribers * a.digests_per_subscriber_per_month;
  const digestRounds = a.days_per_month * 24;
  const scheduledInvocations = pollRounds + digestRounds;

  const lambdaRequests =
    feedPolls * perFeed.lambda_invocations + digests * perDigest.lambda_invocations + scheduledInvocations;
  const pollSeconds = lambdaSecondsPerUnit(perFeed, a.publisher_answer_ms, a.poll_batch_size);
  const digestSeconds = lambdaSecondsPerUnit(perDigest, a.ses_send_ms, a.digest_batch_size);
  const gbSeconds =
    feedPolls * pollSeconds * a.poll_function_memory_gb +
    digests * digestSeconds * a.digest_function_memory_gb +
    scheduledInvocations * a.scheduler_seconds_per_invocation * a.scheduler_function_memory_gb;
  const sqsRequests =
    feedPolls * perFeed.sqs_requests + digests * perDigest.sqs_requests + a.idle_sqs_receives_per_month;
  const writeUnits =
    feedPolls * (perFeed.dynamodb_write_units + perFeed.dynamodb_index_write_units) +
    digests * (perDigest.dynamodb_write_units + perDigest.dynamodb_index_write_units);
  // The story windows are read once per round per warm sender, not per reader: a fixed cost per round.
  const readUnits =
    feedPolls * perFeed.dynamodb_read_units +
    digests * perDigest.dynamodb_read_units +
    digestRounds * storyReadUnitsPerDigestRound;
  const logGb =
    (lambdaRequests * a.log_bytes_per_invocation +
      (feedPolls * perFeed.logged + digests * perDigest.logged) * a.log_bytes_per_logged_unit) /
    1e9;
  const storedGb = (feedPolls * perFeed.dynamodb_write_units * a.stored_kb_per_write_unit) / 1e6;

  const p = PRICES;
  const dollars = {
    lambda: (lambdaRequests / 1e6) * p.lambda_per_million_requests + gbSeconds * p.lambda_arm64_per_gb_second,
    sqs: (sqsRequests / 1e6) * p.sqs_standard_per_million_requests,
    dynamodb_requests:
      (writeUnits / 1e6) * p.dynamodb_per_million_write_request_units +
      (readUnits / 1e6) * p.dynamodb_per_million_read_request_units,
    dynamodb_storage_added_per_month: storedGb * p.dynamodb_storage_per_gb_month,
    ses: (digests * perDigest.ses_sends * p.ses_per_thousand_emails) / 1000,
    scheduler: (scheduledInvocations / 1e6) * p.scheduler_per_million_invocations,
    cloudwatch:
      a.custom_metrics * p.cloudwatch_per_custom_metric_month + logGb * p.cloudwatch_logs_per_gb_ingested,
  };
  const total = Object.values(dollars).reduce((sum, value) => sum + value, 0);
  return {
    ...Object.fromEntries(Object.entries(dollars).map(([key, value]) => [key, round(value, 2)])),
    total: round(total, 2),
    lambda_invocations: Math.round(lambdaRequests),
    lambda_gb_seconds: Math.round(gbSeconds),
    sqs_requests: Math.round(sqsRequests),
    dynamodb_write_units: Math.round(writeUnits),
    dynamodb_read_units: Math.round(readUnits),
    ses_emails: Math.round(digests * perDigest.ses_sends),
  };
}

/**
 * Prices what this run's poll and digest rounds asked of AWS at public list prices: per-feed usage from
 * poll round 2 (four feeds in five unchanged) as the steady state, per-digest usage from the larger digest
 * round, scaled to a month at 100 feeds / 1,000 subscribers and 10,000 feeds / 100,000 subscribers.
 */
export async function benchCost(options: ScenarioOptions): Promise<ScenarioResult> {
  const started = performance.now();
  const poll = options.measured?.poll;
  const digest = options.measured?.digest;
  if (!poll || !digest) throw new Error('The cost scenario needs the poll and digest rounds of this run.');
  const perFeed = usageFrom(pick(poll.figures, 'usage_per_feed', 'steady'));
  const rounds = pick(digest.figures, 'rounds') as Record<string, Record<string, Figure>>;
  const largest = Object.values(rounds).at(-1) as Record<string, Figure>;
  const perDigest = usageFrom(largest.usage_per_digest);
  const storyReads = Number(largest.stories_read_units ?? 0);
  const schedulerRequestsPerDigest =
    Number(largest.dynamodb_requests_scheduler ?? 0) / Math.max(1, Number(largest.sent ?? 1));
  const monthly = Object.fromEntries(
    SIZES.map((size) => [
      `${size.feeds}_feeds_${size.subscribers}_subscribers`,
      monthlyCost(size, perFeed, perDigest, storyReads),
    ]),
  );
  const perRound = (usage: Usage, units: number) => ({
    dynamodb_requests: Math.round(usage.dynamodb_requests * units),
    dynamodb_read_units: round(usage.dynamodb_read_units * units, 1),
    dynamodb_write_units: round((usage.dynamodb_write_units + usage.dynamodb_index_write_units) * units, 1),
    sqs_requests: Math.round(usage.sqs_requests * units),
    lambda_invocations: Math.round(usage.lambda_invocations * units),
  });
  const [small, large] = Object.keys(monthly) as [string, string];
  return {
    key: 'cost',
    title: 'cost: AWS requests counted in the poll and digest rounds, priced at us-east-1 list prices',
    figures: {
      monthly_usd: monthly,
      per_poll_round_of_1000_feeds: perRound(perFeed, 1_000),
      per_digest_round_of_10000_subscribers: perRound(perDigest, 10_000),
      scaling: capacityPlan(perFeed, perDigest, schedulerRequestsPerDigest),
      per_feed_polled: roundedUsage(perFeed),
      per_digest_sent: roundedUsage(perDigest),
      prices: { ...PRICES },
      assumptions: { ...ASSUMPTIONS },
      scale_point: { ...SCALE_POINT },
    },
    headline: [`monthly_usd.${small}.total`, `monthly_usd.${large}.total`],
    targets: [],
    notes: [
      'a poll round every 5 minutes where every round looks like poll round 2 (80 % answer 304, the rest 2 new items); one daily digest per subscriber',
      'DynamoDB on demand; read/write units as dynalite computes them from item sizes, plus 2 WRU per write that moves an item in a sparse index (modelled)',
      "Lambda seconds: the handler's measured main-thread time per record plus modelled waits (300 ms per publisher, 5 ms per DynamoDB call, 50 ms per SES call), shared by a batch",
      'list prices without free tiers; data transfer, Secrets Manager ($0.40 per secret) and X-Ray not included',
    ],
    seconds: (performance.now() - started) / 1000,
  };
}

/** The deployment the README's "Scaling" section sizes, and what it assumes beyond the measured rounds. */
export const SCALE_POINT = {
  feeds: 10_000,
  poll_every_minutes: 5,
  subscribers: 100_000,
  /** Modelled: the busiest hourly round (08:00 in the largest time zone) holds this share of daily readers. */
  peak_round_share: 0.3,
  /** AWS defaults this plan is checked against. */
  ses_default_production_rate_per_s: 14,
  /** The poll consumer's maxConcurrency in cdk/stacks/pipeline-stack.ts. */
  poll_consumer_max_concurrency: 20,
  lambda_account_concurrency: 1_000,
} as const;

/**
 * One poll round at 10,000 feeds and the morning's peak digest round at 100,000 subscribers, from the
 * measured per-feed and per-digest usage: queue messages, invocations, concurrency, DynamoDB rates,
 * and SES sends against the quota.
 */
export function capacityPlan(perFeed: Usage, perDigest: Usage, schedulerRequestsPerDigest: number) {
  const p = SCALE_POINT;
  const roundSeconds = p.poll_every_minutes * 60;
  const pollSeconds = lambdaSecondsPerUnit(
    perFeed,
    ASSUMPTIONS.publisher_answer_ms,
    ASSUMPTIONS.poll_batch_size,
  );
  const pollLambdaSeconds = p.feeds * pollSeconds;
  // How long the round takes at the consumer's concurrency cap, and the concurrency that fits it in 5 minutes.
  const pollRoundAtCap = pollLambdaSeconds / p.poll_consumer_max_concurrency;
  const pollSpread = Math.max(pollRoundAtCap, 1);
  const peakDigests = Math.round(p.subscribers * p.peak_round_share);
  const digestSeconds = lambdaSecondsPerUnit(
    perDigest,
    ASSUMPTIONS.ses_send_ms,
    ASSUMPTIONS.digest_batch_size,
  );
  const sendMinutesAtDefaultQuota = peakDigests / p.ses_default_production_rate_per_s / 60;
  const schedulerRequests = peakDigests * schedulerRequestsPerDigest;
  return {
    poll_round: {
      feeds: p.feeds,
      sqs_messages: Math.round(p.feeds * perFeed.sqs_messages),
      sqs_requests: Math.round(p.feeds * perFeed.sqs_requests),
      lambda_invocations: Math.round(p.feeds * perFeed.lambda_invocations) + 1,
      lambda_seconds: Math.round(pollLambdaSeconds),
      round_seconds_at_max_concurrency: round(pollRoundAtCap, 0),
      concurrency_to_fit_the_interval: Math.ceil(pollLambdaSeconds / roundSeconds),
      dynamodb_reads_per_s: round((p.feeds * perFeed.dynamodb_read_units) / pollSpread, 0),
      dynamodb_writes_per_s: round(
        (p.feeds * (perFeed.dynamodb_write_units + perFeed.dynamodb_index_write_units)) / pollSpread,
        0,
      ),
      dynamodb_requests: Math.round(p.feeds * perFeed.dynamodb_requests),
    },
    peak_digest_round: {
      digests: peakDigests,
      sqs_messages: Math.round(peakDigests * perDigest.sqs_messages),
      sqs_requests: Math.round(peakDigests * perDigest.sqs_requests),
      lambda_invocations: Math.round(peakDigests * perDigest.lambda_invocations) + 1,
      lambda_seconds_per_digest: round(digestSeconds, 3),
      /** What one sender could push if SES never said no: a batch of 10 per invocation duration. */
      digests_per_s_per_sender_unthrottled: round(1 / digestSeconds, 0),
      ses_sends: Math.round(peakDigests * perDigest.ses_sends),
      minutes_to_send_at_default_quota_14_per_s: round(sendMinutesAtDefaultQuota, 0),
      ses_rate_to_send_in_15_minutes: Math.ceil(peakDigests / 900),
      dynamodb_reads_per_s_at_14_sends_per_s: round(perDigest.dynamodb_read_units * 14, 0),
      dynamodb_writes_per_s_at_14_sends_per_s: round(
        (perDigest.dynamodb_write_units + perDigest.dynamodb_index_write_units) * 14,
        0,
      ),
      scheduler_dynamodb_requests: Math.round(schedulerRequests),
    },
  };
}

function roundedUsage(usage: Usage): Record<string, number> {
  return Object.fromEntries(Object.entries(usage).map(([key, value]) => [key, round(value, 4)]));
}
