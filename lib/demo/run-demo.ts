import { existsSync } from 'node:fs';
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { outboxDir } from '#lib/app/create-app.ts';
import type { Config } from '#lib/config.ts';
import type { DeliveryOutcome } from '#lib/delivery/deliver.ts';
import { newFeed } from '#lib/feeds/feed.ts';
import type { DeliveryJob, PollFeedJob } from '#lib/jobs/messages.ts';
import { startLocalPipeline } from '#lib/local/pipeline.ts';
import type { Log } from '#lib/log.ts';
import { addSubscriber } from '#lib/subscriptions/add-subscriber.ts';
import type { Subscriber } from '#lib/subscriptions/subscriber.ts';
import { serveDemoFeeds } from './demo-feeds.ts';

/** Readers the demo subscribes: different topics, time zones and frequencies. */
const DEMO_READERS = [
  {
    email: 'policy-team@demo.cipherwatch.example',
    topics: ['encryption', 'security-services'],
    frequency: 'daily',
    timeZone: 'Europe/London',
    deliveryHour: 8,
  },
  {
    email: 'digital-rights@demo.cipherwatch.example',
    topics: ['surveillance', 'platform-regulation'],
    frequency: 'daily',
    timeZone: 'Europe/Berlin',
    deliveryHour: 7,
  },
  {
    email: 'dc-office@demo.cipherwatch.example',
    topics: ['encryption', 'surveillance', 'security-services', 'platform-regulation'],
    frequency: 'weekly',
    timeZone: 'America/New_York',
    deliveryHour: 9,
    deliveryWeekday: 1,
  },
  {
    email: 'newsdesk@demo.cipherwatch.example',
    topics: ['encryption'],
    frequency: 'instant',
    timeZone: 'Australia/Sydney',
    deliveryHour: 9,
  },
] as const;

const MARKER = 'cipherwatch-demo';
const DAY_MS = 86_400_000;

export class DemoDataDirError extends Error {
  override name = 'DemoDataDirError';
}

/**
 * The offline tour: sample feeds on a local server, demo readers, one poll round and one digest
 * round through the real queues and handlers, a summary, and the digests left in the outbox.
 */
export async function runDemo(options: {
  config: Config;
  log: Log;
  write: (line: string) => void;
}): Promise<void> {
  const { write } = options;
  const dataDir = options.config.dataDir;
  await resetDemoFolder(dataDir);
  const config: Config = {
    ...options.config,
    // The sample feeds are served on loopback.
    allowPrivateNetworks: true,
    // The demo shows the outbox, whatever transport the shell has configured.
    mail: { ...options.config.mail, transport: 'outbox' },
  };

  const server = await serveDemoFeeds();
  const pipeline = await startLocalPipeline(config, {
    dataDir,
    seed: false,
    overrides: { log: options.log },
  });
  try {
    const context = pipeline.app;
    write('Cipherwatch demo: an offline tour. Nothing leaves this machine.\n');
    write(`  data    ${dataDir} (reset on each run)`);
    write(
      `  feeds   ${server.feeds.length} sample feeds served from ${new URL(server.feeds[0]?.url ?? 'http://127.0.0.1').origin}\n`,
    );

    const now = new Date();
    const feeds = server.feeds.map((feed) => newFeed(feed, now));
    for (const feed of feeds) await context.feeds.add(feed);
    const readers: Subscriber[] = [];
    for (const reader of DEMO_READERS) {
      readers.push(
        await addSubscriber(reader, {
          subscribers: context.subscribers,
          topicIds: context.classifier.pack.topics.map((t) => t.id),
          now,
        }),
      );
    }

    write('1. Poll round: one message per feed on the poll-feeds queue, consumed by the poll-feeds handler.');
    await context.queues.pollFeeds.send(
      feeds.map((feed) => ({
        id: feed.id,
        body: { feedId: feed.id, scheduledAt: now.toISOString() } satisfies PollFeedJob,
      })),
    );
    await pipeline.pollConsumer.drain();
    const polls = pipeline.takePolls();
    for (const outcome of polls) {
      if (outcome.status === 'updated') {
        write(
          `   ${outcome.feed.name.padEnd(28)} ${outcome.items} items, ${outcome.created.length} new, ${outcome.sourcesAdded} also carried elsewhere`,
        );
      } else if (outcome.status === 'failed') {
        write(`   ${outcome.feed.name.padEnd(28)} failed: ${outcome.error.message}`);
      }
    }
    const created = polls.flatMap((outcome) => (outcome.status === 'updated' ? outcome.created : []));
    const relevant = created.filter((story) => story.topics.length > 0);
    write(`\n   ${created.length} stories stored, ${relevant.length} relevant:`);
    for (const topic of context.classifier.pack.topics) {
      const count = relevant.filter((story) => story.topics.some((match) => match.id === topic.id)).length;
      write(`     ${topic.name.padEnd(40)} ${count}`);
    }
    const example = relevant[0];
    if (example?.topics[0]?.evidence[0]) {
      write(`\n   Why, for example: “${example.title}”`);
      write(
        `     matched “${example.topics[0].evidence[0].phrase}” in: ${example.topics[0].evidence[0].sentence}`,
      );
    }

    write("\n2. Instant alerts: stories above a topic's alert threshold go straight to instant readers.");
    await pipeline.digestConsumer.drain();
    reportDeliveries(pipeline.takeDeliveries(), readers, write);

    write("\n3. Digest round: each reader's delivery hour, brought forward to now (in production the hourly");
    write('   schedule queues each reader at their own local hour).');
    const jobs = readers
      .filter((reader) => reader.frequency !== 'instant')
      .map((reader) => {
        const period = reader.frequency === 'weekly' ? 7 * DAY_MS : DAY_MS;
        const job: DeliveryJob = {
          kind: 'digest',
          subscriberId: reader.id,
          window: {
            start: new Date(now.getTime() - period).toISOString(),
            end: new Date(Date.now() + 1000).toISOString(),
            key: `demo:${reader.frequency}:${now.toISOString()}`,
          },
        };
        return { id: reader.id, body: job };
      });
    await context.queues.digests.send(jobs);
    await pipeline.digestConsumer.drain();
    reportDeliveries(pipeline.takeDeliveries(), readers, write);

    const outbox = outboxDir(config);
    const previews = (await readdir(outbox).catch(() => [])).filter((file) => file.endsWith('.html')).sort();
    write(
      `\nDone: ${feeds.length} feeds, ${created.length} stories, ${relevant.length} relevant, ${previews.length} emails in the outbox.`,
    );
    write(`Open them in a browser or mail client:\n  ${outbox}`);
    for (const file of previews) write(`  ${path.join(outbox, file)}`);
  } finally {
    await pipeline.stop();
    await server.close();
  }
}

function reportDeliveries(
  outcomes: readonly DeliveryOutcome[],
  readers: readonly Subscriber[],
  write: (line: string) => void,
) {
  if (outcomes.length === 0) write('   (nothing to send)');
  for (const outcome of outcomes) {
    const reader = readers.find((r) => r.id === outcome.subscriberId);
    const who = `${reader?.email ?? outcome.subscriberId} (${reader?.frequency}, ${reader?.timeZone})`;
    write(
      outcome.status === 'sent'
        ? `   ${who}: ${outcome.stories} stories → ${path.basename(outcome.location ?? outcome.messageId)}`
        : `   ${who}: nothing sent (${outcome.status})`,
    );
  }
}

/** Empties the demo's folder; refuses a folder that holds anything but an earlier demo's data. */
async function resetDemoFolder(dataDir: string): Promise<void> {
  if (existsSync(dataDir)) {
    const entries = await readdir(dataDir);
    if (entries.length > 0 && !entries.includes(MARKER)) {
      throw new DemoDataDirError(
        `${dataDir} holds data that is not from a demo; the demo resets its folder, so give it an empty or new --data-dir.`,
      );
    }
    await rm(dataDir, { recursive: true, force: true });
  }
  await mkdir(dataDir, { recursive: true });
  await writeFile(
    path.join(dataDir, MARKER),
    'This folder belongs to `cipherwatch demo` and is reset on each run.\n',
  );
}
