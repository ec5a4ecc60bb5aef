import type { Command } from 'commander';
import { withDataDirOption } from '#lib/cli/data-dir.ts';
import { UsageError } from '#lib/cli/errors.ts';
import { withLocalData } from '#lib/cli/local-session.ts';
import {
  asOptionError,
  builtInTopicIds,
  commaList,
  parseHour,
  parseMinScore,
  parseWeekday,
  type SubscriberFlags,
  withSubscriberOptions,
} from '#lib/cli/subscriber-options.ts';
import { formatTable } from '#lib/cli/table.ts';
import { addSubscriber } from '#lib/subscriptions/add-subscriber.ts';
import { nextDigestAt } from '#lib/subscriptions/schedule.ts';
import type { Subscriber } from '#lib/subscriptions/subscriber.ts';
import { parseSubscriberInput, subscriberIdFor } from '#lib/subscriptions/validate.ts';

type AddOptions = SubscriberFlags & { dataDir?: string };

/** `cipherwatch subscribers add|update|list|remove`: subscribers for an operator. */
export function registerSubscribersCommand(program: Command): void {
  const subscribers = program
    .command('subscribers')
    .description('add, update, list or remove digest subscribers');

  withDataDirOption(
    withSubscriberOptions(
      subscribers.command('add').description('subscribe an email address to topics').argument('<email>'),
      true,
    ),
  ).action(async (email: string, options: AddOptions) => {
    if (!options.topics) throw new UsageError('--topics is required, e.g. --topics encryption,surveillance');
    const weekday = options.frequency === 'weekly' ? parseWeekday(options.weekday ?? 'mon') : undefined;
    const hour = parseHour(options.hour ?? '8');
    const minScore = options.minScore === undefined ? undefined : parseMinScore(options.minScore);
    const input = {
      email,
      topics: commaList(options.topics),
      frequency: options.frequency,
      timeZone: options.timezone,
      deliveryHour: hour,
      deliveryWeekday: weekday,
      filters: {
        minScore,
        includeKeywords: commaList(options.include),
        excludeKeywords: commaList(options.exclude),
      },
    };
    // Checked before the data folder is touched, so a typo never leaves a new, empty store behind.
    try {
      parseSubscriberInput(input, builtInTopicIds());
    } catch (error) {
      throw asOptionError(error);
    }
    const subscriber = await withLocalData(
      options,
      ({ subscribers: repository, classifier }) =>
        addSubscriber(input, {
          subscribers: repository,
          topicIds: classifier.pack.topics.map((topic) => topic.id),
        }).catch((error: unknown) => {
          throw asOptionError(error);
        }),
      { use: 'create' },
    );
    process.stdout.write(`Subscribed ${subscriber.email}: ${describeSchedule(subscriber)}.\n`);
  });

  withDataDirOption(
    withSubscriberOptions(
      subscribers
        .command('update')
        .description('change a subscriber’s topics, schedule or filters (only the options given)')
        .argument('<email>'),
      false,
    ),
  ).action(async (email: string, options: AddOptions) => {
    const updated = await withLocalData(options, async ({ subscribers: repository, classifier }) => {
      const current = await repository.get(subscriberIdFor(email));
      if (!current) throw new UsageError(`${email} is not subscribed (see cipherwatch subscribers list).`);
      const next = mergeSettings(current, options);
      let fields: ReturnType<typeof parseSubscriberInput>;
      try {
        fields = parseSubscriberInput(
          next,
          classifier.pack.topics.map((topic) => topic.id),
        );
      } catch (error) {
        throw asOptionError(error);
      }
      const subscriber: Subscriber = {
        ...current,
        ...fields,
        deliveryWeekday: fields.deliveryWeekday,
        filters: fields.filters,
      };
      const nextDigest = nextDigestAt(subscriber, new Date())?.toISOString();
      if (!(await repository.replace(subscriber, nextDigest, { mustExist: true }))) {
        throw new UsageError(`${email} was removed while being updated.`);
      }
      return subscriber;
    });
    process.stdout.write(`Updated ${updated.email}: ${describeSchedule(updated)}.\n`);
  });

  withDataDirOption(subscribers.command('list').description('list subscribers and their schedules'))
    .option('--json', 'print JSON')
    .action(async (options: { dataDir?: string; json?: boolean }) => {
      const all = await withLocalData(options, ({ subscribers: repository }) => repository.list());
      if (options.json) {
        process.stdout.write(`${JSON.stringify(all, null, 2)}\n`);
        return;
      }
      if (all.length === 0) {
        process.stdout.write(
          'No subscribers yet. Add one with: cipherwatch subscribers add EMAIL --topics encryption --frequency daily\n',
        );
        return;
      }
      const rows = all.map((s) => [s.email, s.status, s.topics.join(','), describeSchedule(s)]);
      process.stdout.write(`${formatTable(['email', 'status', 'topics', 'schedule'], rows)}\n`);
    });

  withDataDirOption(
    subscribers.command('remove').description('delete a subscriber and their settings').argument('<email>'),
  ).action(async (email: string, options: { dataDir?: string }) => {
    const removed = await withLocalData(options, ({ subscribers: repository }) =>
      repository.remove(subscriberIdFor(email)),
    );
    if (!removed) throw new UsageError(`${email} is not subscribed.`);
    process.stdout.write(`Removed ${email.trim().toLowerCase()}.\n`);
  });
}

/** The subscriber's settings with the given options laid over them, in the validator's input shape. */
function mergeSettings(current: Subscriber, options: SubscriberFlags): Record<string, unknown> {
  const frequency = options.frequency ?? current.frequency;
  const weekday =
    options.weekday !== undefined ? parseWeekday(options.weekday) : (current.deliveryWeekday ?? undefined);
  return {
    email: current.email,
    topics: options.topics !== undefined ? commaList(options.topics) : current.topics,
    frequency,
    timeZone: options.timezone ?? current.timeZone,
    deliveryHour: options.hour !== undefined ? parseHour(options.hour) : current.deliveryHour,
    deliveryWeekday: frequency === 'weekly' ? weekday : undefined,
    filters: {
      minScore: options.minScore !== undefined ? parseMinScore(options.minScore) : current.filters?.minScore,
      includeKeywords:
        options.include !== undefined ? commaList(options.include) : current.filters?.includeKeywords,
      excludeKeywords:
        options.exclude !== undefined ? commaList(options.exclude) : current.filters?.excludeKeywords,
    },
  };
}

/** "daily at 08:00 Europe/London, next 27 Nov 08:00 UTC" */
export function describeSchedule(subscriber: Subscriber, now: Date = new Date()): string {
  const hour = `${String(subscriber.deliveryHour).padStart(2, '0')}:00`;
  if (subscriber.frequency === 'instant') return `instant alerts on ${subscriber.topics.join(', ')}`;
  const day =
    subscriber.frequency === 'weekly'
      ? ` on ${['Sundays', 'Mondays', 'Tuesdays', 'Wednesdays', 'Thursdays', 'Fridays', 'Saturdays'][subscriber.deliveryWeekday ?? 1]}`
      : '';
  const next = subscriber.status === 'active' ? nextDigestAt(subscriber, now) : undefined;
  const nextText = next ? `, next ${next.toISOString().slice(0, 16).replace('T', ' ')} UTC` : '';
  return `${subscriber.frequency}${day} at ${hour} ${subscriber.timeZone}${nextText}`;
}
