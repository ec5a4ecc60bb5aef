import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseConfig } from '#lib/config.ts';
import { newFeed } from '#lib/feeds/feed.ts';
import type { PollOutcome } from '#lib/ingest/poll-feed.ts';
import { schedulePolls } from '#lib/ingest/schedule-polls.ts';
import { startLocalPipeline } from '#lib/local/pipeline.ts';
import {
  countRequests,
  type RequestCounter,
  type RequestTally,
  tallyFigures,
  usagePer,
} from './aws-requests.ts';
import type { PublisherCommand, PublisherReply } from './feed-publisher.ts';
import {
  type Figure,
  inParallel,
  peakRssMb,
  progress,
  round,
  type ScenarioOptions,
  type ScenarioResult,
  scaled,
} from './scenario.ts';

const FEEDS = 1_000;
const ITEMS_PER_FEED = 10;
const ANSWER_DELAY_MS = 100;
/** Round 2: one feed in five carries two new items, the rest answer 304. */
const CHANGED_EVERY_NTH = 5;
const NEW_ITEMS = 2;
/** Local consumers playing Lambda's concurrent poll-feeds invocations, in this one process. */
const CONSUMERS = 10;

/** One measured round: wall time, what happened to each feed, and the AWS requests it made. */
export interface PollRoundFigures {
  seconds: number;
  /** Main-thread busy milliseconds during the round (the pipeline's own work; emulators run on a worker). */
  busyMs: number;
  updated: number;
  notModified: number;
  failed: number;
  storiesCreated: number;
  /** Handler invocations (batches), as Lambda would be invoked. */
  invocations: number;
  schedulerRuns: number;
  dynamodb: RequestTally;
  sqs: RequestTally;
}

/**
 * 1,000 feeds of 10 items served with 100 ms per answer, polled through the real scheduler, the
 * poll-feeds queue and its handler on the local stack, twice: a fresh round, then one where four feeds
 * in five answer 304 and the rest carry two new items.
 */
export async function benchPoll(options: ScenarioOptions): Promise<ScenarioResult> {
  const started = performance.now();
  const feedCount = scaled(FEEDS, options, 10);
  const publisher = await startPublisher();
  let invocations = 0;
  // The main thread's own heap, sampled, to tell Cipherwatch's memory from the emulators' in the peak RSS.
  let mainHeapPeak = 0;
  const heapSampler = setInterval(() => {
    mainHeapPeak = Math.max(mainHeapPeak, process.memoryUsage().heapUsed);
  }, 200);
  // Built from its own settings, never the shell's: the bench never reaches a real account.
  const config = parseConfig({
    CIPHERWATCH_LOG_LEVEL: 'error',
    CIPHERWATCH_ALLOW_PRIVATE_NETWORKS: 'true',
    CIPHERWATCH_TOKEN_SECRET: 'bench-secret-bench-secret-bench-secret-0001',
  });
  const pipeline = await startLocalPipeline(config, {
    seed: false,
    onPollBatch: () => {
      invocations++;
    },
  });
  try {
    const { app } = pipeline;
    const counter = countRequests(app);
    const { baseUrl } = await publisher.ask<{ type: 'started'; baseUrl: string }>({
      type: 'start',
      feeds: feedCount,
      itemsPerFeed: ITEMS_PER_FEED,
      delayMs: ANSWER_DELAY_MS,
    });
    const addedAt = new Date();
    await inParallel(feedCount, 16, (f) =>
      app.feeds.add(newFeed({ url: `${baseUrl}/feed/${f}.xml`, name: `Bench Wire ${f}` }, addedAt)),
    );
    progress(`poll: ${feedCount.toLocaleString('en-GB')} feeds added; round 1 (fresh)`);

    const pollRound = async (now: Date): Promise<PollRoundFigures> => {
      counter.reset();
      invocations = 0;
      pipeline.takePolls();
      const roundStarted = performance.now();
      const busyBefore = performance.eventLoopUtilization();
      // The scheduler queues at most one page of 500 due feeds per run (see README, Scaling); as the
      // schedule would, it runs again until nothing is due.
      let queued = 0;
      let schedulerRuns = 0;
      for (;;) {
        schedulerRuns++;
        const scheduled = await schedulePolls({ feeds: app.feeds, queue: app.queues.pollFeeds, now });
        queued += scheduled.queued;
        if (scheduled.due === 0 || scheduled.queued === 0) break;
      }
      progress(
        `poll: ${queued} feeds queued by ${schedulerRuns} scheduler runs in ${((performance.now() - roundStarted) / 1000).toFixed(1)} s`,
      );
      await Promise.all(Array.from({ length: CONSUMERS }, () => pipeline.pollConsumer.drain()));
      const seconds = (performance.now() - roundStarted) / 1000;
      const busyMs = performance.eventLoopUtilization(busyBefore).active;
      return { ...figuresOf(pipeline.takePolls(), seconds, busyMs, invocations, counter), schedulerRuns };
    };

    const round1 = await pollRound(new Date());
    progress(
      `poll: round 1 ${round1.seconds.toFixed(1)} s (${round1.updated} updated, ${round1.failed} failed); round 2`,
    );
    await publisher.ask({ type: 'update', everyNth: CHANGED_EVERY_NTH, newItems: NEW_ITEMS });
    // As the next schedule would see it: every feed's next poll has passed.
    const round2 = await pollRound(new Date(Date.now() + 2 * config.pollIntervalMinutes * 60_000));
    const answers = await publisher.ask<{ type: 'stats'; ok: number; notModified: number; other: number }>({
      type: 'stats',
    });
    progress(`poll: round 2 ${round2.seconds.toFixed(1)} s (${round2.notModified} not modified)`);

    const peak = peakRssMb();
    const total = (tally: RequestTally) => counter.total(tally);
    const figures: Record<string, Figure> = {
      feeds: feedCount,
      round1_s: round(round1.seconds, 2),
      round2_s: round(round2.seconds, 2),
      not_modified: round2.notModified,
      dynamodb_requests: { round1: total(round1.dynamodb), round2: total(round2.dynamodb) },
      peak_rss_mb: peak,
      main_thread_heap_peak_mb: round(mainHeapPeak / 1048576),
      publisher_answers: { ok: answers.ok, not_modified: answers.notModified, other: answers.other },
      rounds: { round1: roundFigures(round1, counter), round2: roundFigures(round2, counter) },
      // Per feed polled, for the cost scenario: the fresh round, and round 2 as the steady state.
      usage_per_feed: {
        fresh: { ...usageOf(round1, feedCount, config.tables.feeds) },
        steady: { ...usageOf(round2, feedCount, config.tables.feeds) },
      },
    };
    const full = feedCount === FEEDS;
    return {
      key: 'poll',
      title: `poll: ${feedCount.toLocaleString('en-GB')} feeds × ${ITEMS_PER_FEED} items, ${ANSWER_DELAY_MS} ms per answer`,
      figures,
      headline: [
        'round1_s',
        'round2_s',
        'not_modified',
        'dynamodb_requests.round1',
        'dynamodb_requests.round2',
        'peak_rss_mb',
      ],
      targets: full
        ? [
            { figure: 'round1_s', target: '≤ 20', met: round1.seconds <= 20 && round1.failed === 0 },
            { figure: 'round2_s', target: '≤ 5', met: round2.seconds <= 5 && round2.failed === 0 },
            { figure: 'peak_rss_mb', target: '≤ 400', met: peak <= 400 },
          ]
        : [],
      notes: [
        `real scheduler (schedulePolls) → poll-feeds queue (fauxqs) → poll-feeds handler, ${CONSUMERS} local consumers, batch size 5`,
        `round 2: 1 feed in ${CHANGED_EVERY_NTH} carries ${NEW_ITEMS} new items, the rest answer 304 to If-None-Match`,
        'two items in ten are on the watched topics (the labelled dev corpus has 18 % relevant)',
        "feeds served by a separate local process; peak RSS is this process: the pipeline, and the emulators with their in-memory tables on a worker thread (main_thread_heap_peak_mb is the pipeline's own heap)",
      ],
      seconds: (performance.now() - started) / 1000,
    };
  } finally {
    clearInterval(heapSampler);
    await pipeline.stop();
    publisher.stop();
  }
}

function figuresOf(
  outcomes: readonly PollOutcome[],
  seconds: number,
  busyMs: number,
  invocations: number,
  counter: RequestCounter,
): Omit<PollRoundFigures, 'schedulerRuns'> {
  const count = (status: PollOutcome['status']) => outcomes.filter((o) => o.status === status).length;
  return {
    seconds,
    busyMs,
    updated: count('updated'),
    notModified: count('not-modified'),
    failed: count('failed'),
    storiesCreated: outcomes.reduce((sum, o) => sum + (o.status === 'updated' ? o.created.length : 0), 0),
    invocations,
    dynamodb: counter.dynamodb,
    sqs: counter.sqs,
  };
}

function usageOf(figures: PollRoundFigures, feeds: number, feedsTable: string) {
  return usagePer(feeds, figures, {
    indexedTables: [feedsTable],
    handlerCpuMs: figures.busyMs,
    sesSends: 0,
    storiesCreated: figures.storiesCreated,
    logged: figures.updated,
  });
}

function roundFigures(figures: PollRoundFigures, counter: RequestCounter): Figure {
  return {
    seconds: round(figures.seconds, 2),
    main_thread_busy_s: round(figures.busyMs / 1000, 2),
    updated: figures.updated,
    not_modified: figures.notModified,
    failed: figures.failed,
    stories_created: figures.storiesCreated,
    invocations: figures.invocations,
    scheduler_runs: figures.schedulerRuns,
    dynamodb_requests: counter.total(figures.dynamodb),
    dynamodb: tallyFigures(figures.dynamodb),
    sqs_requests: counter.total(figures.sqs),
    sqs: { ...figures.sqs.requests, messages_sent: figures.sqs.messagesSent },
  };
}

interface Publisher {
  ask<T extends PublisherReply>(command: PublisherCommand): Promise<T>;
  stop(): void;
}

async function startPublisher(): Promise<Publisher> {
  const child: ChildProcess = fork(fileURLToPath(new URL('./feed-publisher.ts', import.meta.url)), [], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return {
    ask: <T extends PublisherReply>(command: PublisherCommand) =>
      new Promise<T>((resolve, reject) => {
        const onExit = (code: number | null) =>
          reject(new Error(`The feed publisher exited (code ${code}).`));
        child.once('exit', onExit);
        child.once('message', (message: T) => {
          child.off('exit', onExit);
          resolve(message);
        });
        child.send(command);
      }),
    stop: () => {
      child.disconnect();
    },
  };
}
