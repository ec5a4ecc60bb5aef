import type { Command } from 'commander';
import { withDataDirOption } from '#lib/cli/data-dir.ts';
import { UsageError } from '#lib/cli/errors.ts';
import { withLocalData } from '#lib/cli/local-session.ts';
import { formatTable } from '#lib/cli/table.ts';
import { addSubscriber } from '#lib/subscriptions/add-subscriber.ts';
import { nextDigestAt } from '#lib/subscriptions/schedule.ts';
import type { Subscriber } from '#lib/subscriptions/subscriber.ts';
import { subscriberIdFor } from '#lib/subscriptions/validate.ts';

interface AddOptions {
  dataDir?: string;
  topics: string;
  frequency?: string;
  timezone?: string;
  hour?: string;
  weekday?: string;
  minScore?: string;
  include?: string;
  exclude?: string;
}

const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
const list = (value: string | undefined) =>
  value
    ?.split(',')
    .map((part) => part.trim())
    .filter(Boolean);

/** `cipherwatch subscribers add|list|remove`: subscribers for an operator. */
export function registerSubscribersCommand(program: Command): void {
  const subscribers = program.command('subscribers').description('add, list or remove digest subscribers');

  withDataDirOption(
    subscribers
      .command('add')
      .description('subscribe an email address to topics')
      .argument('<email>')
      .requiredOption('--topics <ids>', 'comma-separated topic ids, e.g. encryption,surveillance')
      .option('--frequency <when>', 'instant, daily or weekly', 'daily')
      .option('--timezone <zone>', 'IANA time zone for delivery, e.g. Europe/London', 'UTC')
      .option('--hour <hour>', 'local delivery hour, 0–23', '8')
      .option('--weekday <day>', 'weekly delivery day: mon…sun or 0 (Sunday)…6', 'mon')
      .option('--min-score <score>', 'leave out stories scoring below this (0–1)')
      .option('--include <words>', 'only stories mentioning one of these comma-separated words')
      .option('--exclude <words>', 'leave out stories mentioning any of these comma-separated words'),
  ).action(async (email: string, options: AddOptions) => {
    const weekdayText = (options.weekday ?? 'mon').toLowerCase().slice(0, 3);
    const weekday = WEEKDAYS.includes(weekdayText) ? WEEKDAYS.indexOf(weekdayText) : options.weekday;
    const subscriber = await withLocalData(options, ({ subscribers: repository, classifier }) =>
      addSubscriber(
        {
          email,
          topics: list(options.topics),
          frequency: options.frequency,
          timeZone: options.timezone,
          deliveryHour: options.hour,
          deliveryWeekday: options.frequency === 'weekly' ? weekday : undefined,
          filters: {
            minScore: options.minScore,
            includeKeywords: list(options.include),
            excludeKeywords: list(options.exclude),
          },
        },
        { subscribers: repository, topicIds: classifier.pack.topics.map((topic) => topic.id) },
      ),
    );
    process.stdout.write(`Subscribed ${subscriber.email}: ${describeSchedule(subscriber)}.\n`);
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
